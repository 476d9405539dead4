import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logging/index.js';

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ destination: stream, level });
  const lines = (): Record<string, unknown>[] =>
    raw
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}
