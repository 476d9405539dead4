/**
 * Structured logging with pino. Secrets are redacted by key wherever they appear in a logged object,
 * so a careless `log.info({ config })` still never prints a key or token.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Object keys whose values are never logged. */
export const redactedKeys = [
  'apiKey',
  'api_key',
  'token',
  'botToken',
  'appToken',
  'privateKey',
  'webhookSecret',
  'signingSecret',
  'jwtSecret',
  'secret',
  'password',
  'authorization',
  'Authorization',
  'x-api-key',
  'cookie',
];

const redactPaths = redactedKeys
  .flatMap((key) => [`${JSON.stringify(key)}`, `*.${JSON.stringify(key)}`, `*.*.${JSON.stringify(key)}`])
  .map((path) => path.replace(/^"(\w+)"$/, '$1').replace(/\."(\w+)"$/, '.$1'));

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go: stdout for services by default; the CLI passes stderr. */
  destination?: DestinationStream | NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'loom',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: undefined,
    },
    (options.destination ?? process.stdout) as DestinationStream,
  );
}

/** A logger that drops everything, for tests and library callers that do not care. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
