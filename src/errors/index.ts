export { LoomError, isLoomError, toLoomError, loomErrorCodes } from './loom-error.js';
export type { LoomErrorCode, LoomErrorOptions } from './loom-error.js';
