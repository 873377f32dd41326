import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestHandler } from 'express';
import { Config } from '../config/schema';

/** Equal-length digests make the comparison constant-time whatever the inputs' lengths. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * Optional bearer or basic auth in front of /metrics. The scheme is case-insensitive (RFC 9110
 * section 11.1), as on the API: `bearer`, `BASIC` work; the credentials are compared exactly.
 */
export function metricsAuth(auth: Config['server']['metricsAuth']): RequestHandler {
  if (auth.type === 'none') return (_req, _res, next) => next();
  const scheme = auth.type;
  const expected = auth.type === 'bearer' ? auth.token : Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  const challenge = auth.type === 'bearer' ? 'Bearer realm="saasmon"' : 'Basic realm="saasmon"';
  return (req, res, next) => {
    const m = /^(\S+)\s+(\S+)\s*$/.exec(req.get('authorization') ?? '');
    const presented = m && (m[1] as string).toLowerCase() === scheme ? (m[2] as string) : '';
    if (safeEqual(presented, expected) && presented !== '') return next();
    res.set('WWW-Authenticate', challenge).status(401).type('text/plain').send('unauthorized: /metrics needs credentials\n');
  };
}
