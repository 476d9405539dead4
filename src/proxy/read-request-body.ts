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
