/**
 * A request's body bytes, up to a limit, read with `raw-body` straight off the node request (the
 * native routes forward the caller's bytes, so no parser runs). A declared `content-length` over the
 * limit is refused before anything is read; gzip, deflate and brotli bodies are inflated, as
 * express's body parsers do, and the limit applies to the inflated bytes.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { LoomError } from '../errors/index.js';

export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const stream = encoding === 'identity' ? request : inflated(request, encoding);
  try {
    return await getRawBody(stream, {
      limit: limitBytes,
      // Checked against the bytes received: a body shorter or longer than declared is refused.
      ...(encoding === 'identity' ? { length: request.headers['content-length'] } : {}),
    });
  } catch (error) {
    throw bodyError(error, limitBytes);
  }
}

export interface JsonRequestBody {
  /** The caller's bytes as text (the native routes forward them unchanged when they can). */
  text: string;
  body: Record<string, unknown>;
}

/** The body as a JSON object; anything else is `invalid_input`. */
export async function readJsonObjectBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<JsonRequestBody> {
  const text = (await readRequestBody(request, limitBytes)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LoomError('invalid_input', 'the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LoomError('invalid_input', 'the body must be a JSON object');
  }
  return { text, body: body as Record<string, unknown> };
}

function inflated(request: IncomingMessage, encoding: string): Readable {
  const inflate =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (inflate === undefined) {
    request.resume();
    throw new LoomError('invalid_input', `unsupported content-encoding "${encoding}"`);
  }
  request.on('error', (error) => inflate.destroy(error));
  return request.pipe(inflate);
}

function bodyError(error: unknown, limitBytes: number): LoomError {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new LoomError('payload_too_large', `the request body exceeds ${limitBytes / (1024 * 1024)}mb`);
  }
  if (type === 'request.aborted') return new LoomError('cancelled', 'the client went away while sending');
  return new LoomError('invalid_input', 'the request body could not be read', { cause: error });
}
