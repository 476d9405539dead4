/**
 * Structured logging with pino. Secrets are redacted by key wherever they appear in a logged object,
 * so a careless `log.info({ config })` still never prints a key or token.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { createSecretKeyRedactor } from './redact-secret-keys.js';

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

/** Secrets are found by key at the top level and nested two deep (see redact-secret-keys.ts for why not pino's `redact`). */
const redactSecrets = createSecretKeyRedactor(redactedKeys, '[redacted]');

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go: stdout for services by default; the CLI passes stderr. */
  destination?: DestinationStream | NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'loom',
      formatters: { log: redactSecrets },
      base: undefined,
    },
    (options.destination ?? process.stdout) as DestinationStream,
  );
  // pino applies no formatter to a child's bindings; children inherit this `child` (they are made with
  // `Object.create(parent)`), so bindings are redacted at every level of the family.
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

/** A logger that drops everything, for tests and library callers that do not care. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
