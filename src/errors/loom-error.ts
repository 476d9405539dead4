/**
 * The one error family of Loom. Every failure that crosses a module boundary is a `LoomError` with a
 * code from a closed set; edges (HTTP, Slack, GitHub, CLI) map the code once, and job retries are
 * decided by `retryable`, never by an error's message.
 */
export const loomErrorCodes = {
  config_invalid: { httpStatus: 500, retryable: false },
  invalid_input: { httpStatus: 400, retryable: false },
  payload_too_large: { httpStatus: 413, retryable: false },
  unauthorized: { httpStatus: 401, retryable: false },
  forbidden: { httpStatus: 403, retryable: false },
  not_found: { httpStatus: 404, retryable: false },
  conflict: { httpStatus: 409, retryable: false },
  budget_exceeded: { httpStatus: 402, retryable: false },
  rate_limited: { httpStatus: 429, retryable: true },
  path_outside_workspace: { httpStatus: 400, retryable: false },
  tool_failed: { httpStatus: 500, retryable: false },
  timeout: { httpStatus: 504, retryable: true },
  cancelled: { httpStatus: 499, retryable: false },
  dependency_unavailable: { httpStatus: 503, retryable: true },
  upstream_unavailable: { httpStatus: 502, retryable: true },
  upstream_rejected: { httpStatus: 502, retryable: false },
  internal: { httpStatus: 500, retryable: false },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean }>;

export type LoomErrorCode = keyof typeof loomErrorCodes;

export interface LoomErrorOptions {
  cause?: unknown;
  /** Structured, non-secret facts for logs and API answers. */
  details?: Record<string, unknown>;
  /** Overrides the code's default when one instance of a code is (or is not) worth retrying. */
  retryable?: boolean;
}

export class LoomError extends Error {
  readonly code: LoomErrorCode;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;

  constructor(code: LoomErrorCode, message: string, options: LoomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoomError';
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? loomErrorCodes[code].retryable;
  }

  get httpStatus(): number {
    return loomErrorCodes[this.code].httpStatus;
  }

  /** The JSON body used by every HTTP edge: `{ error: { code, message, details? } }`. */
  toJSON(): { error: { code: LoomErrorCode; message: string; details?: Record<string, unknown> } } {
    const hasDetails = Object.keys(this.details).length > 0;
    return {
      error: { code: this.code, message: this.message, ...(hasDetails ? { details: this.details } : {}) },
    };
  }
}

/** Narrows an unknown value to a LoomError, optionally of one code. */
export function isLoomError(value: unknown, code?: LoomErrorCode): value is LoomError {
  return value instanceof LoomError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into a LoomError, keeping an existing one as it is. */
export function toLoomError(value: unknown, fallbackCode: LoomErrorCode = 'internal'): LoomError {
  if (value instanceof LoomError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new LoomError(fallbackCode, message, { cause: value });
}
