import { isUtf8 } from 'node:buffer';
import express, { RequestHandler } from 'express';
import { HttpError } from './errors';

/** A body that could not be read as JSON at all (not UTF-8). */
export class BodyError extends HttpError {}

/**
 * The JSON body parser of every API route: bodies must be UTF-8 (invalid bytes are refused, not
 * turned into U+FFFD, which would make two different ids one) and at most `limit` bytes.
 */
export function jsonBody(limit: number): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: () => true,
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw new BodyError(400, 'body: request body is not valid UTF-8');
    },
  });
}
