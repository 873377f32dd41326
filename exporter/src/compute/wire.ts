import { HttpError } from '../api/errors';
import { PoolExhaustedError } from '../db/pool';

/** An error as it crosses between threads: what the API's error mapping looks at. */
export interface WireError {
  kind: 'http' | 'pool-exhausted' | 'error';
  message: string;
  code?: string;
  status?: number;
  details?: unknown;
  headers?: Record<string, string>;
}

export function toWire(err: unknown): WireError {
  const e = err as { message?: string; code?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (err instanceof HttpError)
    return { kind: 'http', message: err.message, status: err.status, details: err.details, headers: err.headers };
  if (err instanceof PoolExhaustedError) return { kind: 'pool-exhausted', message: err.message };
  return { kind: 'error', message: String(e?.message ?? err), ...(code ? { code } : {}) };
}

/** The same class and fields on this side, so instanceof and code checks keep working. */
export function fromWire(w: WireError): Error {
  if (w.kind === 'http') return new HttpError(w.status ?? 500, w.message, w.details, w.headers);
  if (w.kind === 'pool-exhausted') return new PoolExhaustedError(w.message);
  return Object.assign(new Error(w.message), w.code ? { code: w.code } : {});
}
