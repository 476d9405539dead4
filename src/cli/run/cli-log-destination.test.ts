import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/index.js';
import { createCliLogDestination, formatLogLine } from './cli-log-destination.js';

describe('createCliLogDestination', () => {
  it('turns pino JSON lines into readable ones, secrets still redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: createCliLogDestination((line) => lines.push(line)),
    });
    logger.info('not shown');
    logger.warn({ reason: 'bwrap missing', apiKey: 'sk-secret' }, 'weaver runs WITHOUT a sandbox');
    logger.error({ err: new Error('boom') }, 'weaver agent crashed');
    expect(lines).toEqual([
      'warning: weaver runs WITHOUT a sandbox (reason: bwrap missing, apiKey: [redacted])',
      'error: weaver agent crashed (err: boom)',
    ]);
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });
});
