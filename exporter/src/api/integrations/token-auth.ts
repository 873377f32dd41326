import { Config } from '../../config/schema';
import { findToken, RateLimiter, Scope, TokenIdentity } from '../auth';
import { HttpError } from '../errors';

/**
 * The same check as requireScope (api/auth.ts) for a token that does not come as a bearer header:
 * PostHog's SDKs put the project key in the body, Segment's send the write key as the Basic-auth
 * user. 401 without a valid token, 403 without the scope (admin implies every scope), 429 over the rate.
 */
export function authorizeToken(config: Config, presented: string | undefined, scope: Scope, limiter: RateLimiter): TokenIdentity {
  if (!presented) throw new HttpError(401, `missing token: send a saasmon API token with the "${scope}" scope`);
  const identity = findToken(config, presented);
  if (!identity) throw new HttpError(401, 'invalid token');
  if (!identity.scopes.includes(scope) && !identity.scopes.includes('admin')) {
    throw new HttpError(403, `token "${identity.name}" lacks the "${scope}" scope`);
  }
  const wait = limiter.take(identity.name);
  if (wait > 0) {
    throw new HttpError(429, `rate limit exceeded for token "${identity.name}"; retry after ${wait} s`, undefined, {
      'Retry-After': String(wait),
    });
  }
  return identity;
}

/** The token of "Authorization: Bearer T" or of "Authorization: Basic base64(T:)" (Segment's write key). */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Segment sends "writeKey:" (empty password); a "user:token" pair also works.
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return user || password || undefined;
}
