export { createLogger, createSilentLogger, redactedKeys } from './create-logger.js';
export type { Logger, CreateLoggerOptions } from './create-logger.js';
