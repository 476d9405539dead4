import { describe, expect, it } from 'vitest';
import { renderSearchHits, renderSnippet, renderThread, renderThreadList } from './render-threads.js';
import type { Thread } from './thread-types.js';

const at = new Date('2025-03-04T05:06:07.000Z');
const thread: Thread = {
  id: 'T-01960000-0000-7000-8000-000000000000',
  version: 3,
  title: 'Fix add()',
  owner: 'alice',
  status: 'done',
  visibility: 'team',
  repository: 'acme/web',
  sources: [{ kind: 'github', repository: 'acme/web', number: 12, type: 'issue' }],
  git: { branch: 'loom/12-fix-add', base: 'main', commits: ['0123456789abcdef0123456789abcdef01234567'] },
  costUsd: 0.1234,
  turns: 4,
  runIds: ['run-1'],
  messageCount: 3,
  createdAt: at,
  updatedAt: at,
  agentState: {},
  messages: [
    { seq: 0, role: 'user', content: 'fix add', createdAt: at },
    {
      seq: 1,
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'c1', name: 'read_file', arguments: { path: 'src/math.js' } }],
      createdAt: at,
    },
    { seq: 2, role: 'tool', content: 'boom', tool_call_id: 'c1', is_error: true, createdAt: at },
  ],
};

describe('render threads', () => {
  it('lists one line per thread and how to get the next page', () => {
    const text = renderThreadList({ threads: [thread], nextCursor: 'abc' });
    expect(text).toContain(`${thread.id}  done         acme/web  2025-03-04T05:06:07.000Z  Fix add()`);
    expect(text).toContain('More: --cursor abc');
    expect(renderThreadList({ threads: [], nextCursor: undefined })).toBe('No threads.\n');
  });

  it('shows a thread with its source, git, tool calls and results', () => {
    const text = renderThread(thread);
    expect(text).toContain('source:  {"kind":"github","repository":"acme/web","number":12,"type":"issue"}');
    expect(text).toContain('commits: 0123456789ab');
    expect(text).toContain('→ read_file {"path":"src/math.js"} [c1]');
    expect(text).toContain('#2 tool result (error) [c1]:\n    boom');
  });

  it('marks the highlighted parts of snippets', () => {
    const snippet = { text: 'fix the login test', highlights: [[8, 13]] as Array<[number, number]> };
    expect(renderSnippet(snippet, (part) => `<${part}>`)).toBe('fix the <login> test');
    const text = renderSearchHits({
      hits: [{ thread, score: 1, messageSeq: 0, snippet }],
      nextCursor: undefined,
    });
    expect(text).toContain('    fix the [login] test');
  });
});
