import { describe, expect, it } from 'vitest';
import { parseReplInput } from './parse-repl-input.js';

describe('parseReplInput', () => {
  it('knows the slash commands and their aliases', () => {
    expect(parseReplInput('/help')).toEqual({ kind: 'command', command: 'help' });
    expect(parseReplInput('  /EXIT  ')).toEqual({ kind: 'command', command: 'exit' });
    expect(parseReplInput('/quit')).toEqual({ kind: 'command', command: 'exit' });
    expect(parseReplInput('/new')).toEqual({ kind: 'command', command: 'new' });
    expect(parseReplInput('/id')).toEqual({ kind: 'command', command: 'id' });
  });

  it('treats everything else as a prompt; // sends a leading slash', () => {
    expect(parseReplInput('fix the build')).toEqual({ kind: 'prompt', text: 'fix the build' });
    expect(parseReplInput('//etc/hosts is wrong')).toEqual({ kind: 'prompt', text: '/etc/hosts is wrong' });
    expect(parseReplInput('   ')).toEqual({ kind: 'empty' });
    expect(parseReplInput('/etc/hosts')).toEqual({ kind: 'unknown-command', name: '/etc/hosts' });
  });
});
