import { ErrorRequestHandler } from 'express';
import { ZodError, ZodIssue } from 'zod';
import { isQueryTimeout, isStatementTimeout, PoolExhaustedError } from '../db/pool';
import { Logger } from '../logger';

/** An error whose message is meant for the client, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** "events[3].occurred_at: Expected string, received number" */
export function describeIssue(issue: ZodIssue): string {
  const path = issue.path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part)),
    '',
  );
  return `${path || 'body'}: ${issue.message}`;
}

export function validationError(err: ZodError): HttpError {
  const messages = err.issues.slice(0, 20).map(describeIssue);
  return new HttpError(400, messages.join('; '), { issues: messages });
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * The last handler of /api: client mistakes become 4xx with a message, body-parser's own errors
 * (too large, bad JSON, bad charset) keep their 4xx status; anything else is a 500 that is logged
 * and says nothing of internals.
 */
export function apiErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpError) {
      res
        .set(err.headers)
        .status(err.status)
        .json({ error: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    if (err instanceof ZodError) {
      const e = validationError(err);
      res.status(400).json({ error: e.message, details: e.details });
      return;
    }
    const bp = err as BodyParserError;
    if (bp && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
      const message =
        bp.type === 'entity.too.large'
          ? 'body: request body too large'
          : bp.type === 'entity.parse.failed'
            ? 'body: request body is not valid JSON'
            : `body: ${(err as Error).message}`;
      res.status(bp.status).json({ error: message });
      return;
    }
    if (isDatabaseInputError(err)) {
      // A value the validation let through and Postgres refused: still the client's input, never a 500.
      res.status(400).json({ error: describeDatabaseInputError(err) });
      return;
    }
    if (err instanceof PoolExhaustedError) {
      // Overload, not failure: the request did nothing and may be sent again shortly.
      res.set('Retry-After', '1').status(503).json({ error: 'too many requests in flight; nothing was done, retry shortly' });
      return;
    }
    if (isStatementTimeout(err) || isQueryTimeout(err)) {
      // A timeout is an answer, not a fault: the work was cut off and rolled back.
      const message = isStatementTimeout(err)
        ? 'the query ran past the statement timeout (database.statementTimeoutMs) and was cancelled; nothing was changed, retry later or ask for less'
        : 'the database did not answer in time (database.queryTimeoutMs): it is hung or overloaded; retry later (requests with ids are safe to repeat)';
      res.set('Retry-After', '5').status(504).json({ error: message });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      // Nothing was committed: the client can retry the same request (ids make it idempotent).
      res.set('Retry-After', '5').status(503).json({ error: 'database unavailable; nothing was stored, retry later' });
      return;
    }
    log.error('api request failed', { error: (err as Error)?.message });
    res.status(500).json({ error: 'internal error; see the exporter log' });
  };
}

/** Connection-level failures (server down, restarting, network): class 08, 57P0x, or a socket error. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (
    typeof e.code === 'string' &&
    (/^08/.test(e.code) ||
      /^57P0/.test(e.code) ||
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND'].includes(e.code))
  ) {
    return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e.message ?? '');
}

/** What node-postgres puts on an error from the server (the fields of an ErrorResponse). */
export interface PgErrorLike {
  code?: string;
  message?: string;
  column?: string;
  constraint?: string;
  table?: string;
}

/**
 * SQLSTATE classes that mean "this value is not acceptable", i.e. the client's input: 22 data
 * exception (bad text, out of range, untranslatable character), 23 integrity constraint, 21
 * cardinality (one row touched twice), 54 program limit (too deep, too large), 2F/42P18 never come
 * from values. Server faults (08, 53, 57, XX) stay 5xx.
 */
const INPUT_ERROR_CLASSES = new Set(['21', '22', '23', '54']);

export function isDatabaseInputError(err: unknown): err is PgErrorLike {
  const code = (err as PgErrorLike | undefined)?.code;
  return typeof code === 'string' && code.length === 5 && INPUT_ERROR_CLASSES.has(code.slice(0, 2)) && !(err instanceof HttpError);
}

/** Constraint names by the field they guard, so a refusal by a CHECK names what the client sent. */
const CONSTRAINT_FIELDS = new Map<string, string>();

export function registerConstraintField(constraint: string, field: string): void {
  CONSTRAINT_FIELDS.set(constraint, field);
}

/** "events[3].occurred_at: the database refused the value (22008 ...)"; `where` is the item's path prefix. */
export function describeDatabaseInputError(err: PgErrorLike, where = ''): string {
  const field = (err.constraint && CONSTRAINT_FIELDS.get(err.constraint)) ?? err.column;
  const name = field ? `${where}${where ? '.' : ''}${field}` : where || 'body';
  const reason = (err.message ?? 'refused').split('\n')[0]?.slice(0, 300);
  return `${name}: the database refused the value (${err.code}: ${reason})`;
}
