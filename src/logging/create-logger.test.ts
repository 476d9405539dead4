import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function captureLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('redacts secrets at the top level and nested two deep', () => {
    const { stream, lines } = captureLines();
    const log = createLogger({ destination: stream });
    log.info({ apiKey: 'sk-top', config: { anthropic: { apiKey: 'sk-nested' }, token: 'tok' } }, 'hello');
    const output = lines.join('');
    expect(output).toContain('hello');
    expect(output).not.toContain('sk-top');
    expect(output).not.toContain('sk-nested');
    expect(output).not.toContain('"tok"');
    expect(output).toContain('[redacted]');
  });
});
