/**
 * Express middleware in front of Bolt's receiver: reads the raw body (with a size cap), verifies the
 * signature with `verifySlackSignature` (stricter than Bolt's own check), answers 401 on failure and
 * otherwise hands the exact bytes to Bolt as `req.rawBody`, which Bolt parses instead of re-reading.
 */
import express, { type RequestHandler } from 'express';
import { LoomError } from '../../src/errors/index.js';
import type { Logger } from '../../src/logging/index.js';
import { verifySlackSignature } from './verify-slack-signature.js';

export interface VerifySlackRequestOptions {
  signingSecret: string;
  logger: Logger;
  /** Body size cap (default 1 MiB; Slack event payloads are a few kilobytes). */
  limit?: string;
  now?: () => number;
}

/** Every value a header was sent with (Node joins repeated unknown headers, hiding duplicates). */
export function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if ((rawHeaders[index] as string).toLowerCase() === name) values.push(rawHeaders[index + 1] as string);
  }
  return values;
}

export function verifySlackRequest(options: VerifySlackRequestOptions): RequestHandler[] {
  const now = options.now ?? Date.now;
  const readRawBody = express.raw({ type: () => true, limit: options.limit ?? '1mb' });
  const verify: RequestHandler = (req, res, next) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifySlackSignature({
      signingSecret: options.signingSecret,
      rawBody,
      timestamps: headerValues(req.rawHeaders, 'x-slack-request-timestamp'),
      signatures: headerValues(req.rawHeaders, 'x-slack-signature'),
      nowSeconds: Math.floor(now() / 1000),
    });
    if (!verdict.ok) {
      options.logger.warn({ reason: verdict.reason }, 'Slack request refused: bad signature');
      const error = new LoomError('unauthorized', 'invalid Slack request signature', {
        details: { reason: verdict.reason },
      });
      res.status(error.httpStatus).json(error.toJSON());
      return;
    }
    (req as typeof req & { rawBody?: Buffer }).rawBody = rawBody;
    next();
  };
  return [readRawBody, verify];
}
