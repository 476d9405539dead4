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

  it('redacts child bindings and errors, and writes an ordinary line in full', () => {
    const { stream, lines } = captureLines();
    const log = createLogger({ destination: stream }).child({ job: 'j1', authorization: 'Bearer tok-child' });
    const error = Object.assign(new Error('provider said no'), { config: { apiKey: 'sk-in-error' } });
    log.error({ err: error }, 'failed');
    log.info({ subject: 'alice', inputTokens: 12, status: 'ok' }, 'proxy call');
    const [failed, call] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(JSON.stringify(lines)).not.toContain('tok-child');
    expect(JSON.stringify(lines)).not.toContain('sk-in-error');
    expect(failed).toMatchObject({ job: 'j1', authorization: '[redacted]', msg: 'failed' });
    expect(failed?.err).toMatchObject({
      type: 'Error',
      message: 'provider said no',
      config: { apiKey: '[redacted]' },
    });
    expect((failed?.err as { stack: string }).stack).toContain('provider said no');
    expect(call).toMatchObject({ subject: 'alice', inputTokens: 12, status: 'ok', msg: 'proxy call' });
  });
});
