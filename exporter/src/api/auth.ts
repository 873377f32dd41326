import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestHandler } from 'express';
import { Config } from '../config/schema';
import { HttpError } from './errors';

export type Scope = 'ingest' | 'query' | 'admin' | 'stripe' | 'tracking';

export interface TokenIdentity {
  name: string;
  scopes: readonly Scope[];
}

export function sha256Hex(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Tokens are stored as sha256 digests only. Every configured digest is compared (constant time,
 * equal lengths) so that the time taken says nothing about which token, if any, was close.
 */
export function findToken(config: Config, presented: string): TokenIdentity | undefined {
  const digest = sha256Hex(presented);
  let found: TokenIdentity | undefined;
  for (const t of config.api.tokens) {
    if (timingSafeEqual(digest, Buffer.from(t.sha256, 'hex')) && !found) found = { name: t.name, scopes: t.scopes };
  }
  return found;
}

/** A token bucket per token name: `burst` requests at once, refilled at `requestsPerSecond`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** 0 when allowed, else the seconds to wait before a retry can succeed. */
  take(key: string): number {
    const now = this.nowMs();
    const b = this.buckets.get(key) ?? { tokens: this.burst, atMs: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.atMs) / 1000) * this.perSecond);
    b.atMs = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}

/** Bearer token with the scope (admin implies every scope): 401 without a valid token, 403 without the scope, 429 over the rate. */
export function requireScope(config: Config, scope: Scope, limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      res.set('WWW-Authenticate', 'Bearer realm="saasmon"');
      return next(new HttpError(401, 'missing bearer token: send "Authorization: Bearer <token>"'));
    }
    const identity = findToken(config, m[1] as string);
    if (!identity) {
      res.set('WWW-Authenticate', 'Bearer realm="saasmon", error="invalid_token"');
      return next(new HttpError(401, 'invalid token'));
    }
    if (!identity.scopes.includes(scope) && !identity.scopes.includes('admin')) {
      return next(new HttpError(403, `token "${identity.name}" lacks the "${scope}" scope`));
    }
    const wait = limiter.take(identity.name);
    if (wait > 0) {
      return next(
        new HttpError(429, `rate limit exceeded for token "${identity.name}"; retry after ${wait} s`, undefined, {
          'Retry-After': String(wait),
        }),
      );
    }
    res.locals.identity = identity;
    next();
  };
}
