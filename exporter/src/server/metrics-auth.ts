import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestHandler } from 'express';
import { Config } from '../config/schema';

/** Equal-length digests make the comparison constant-time whatever the inputs' lengths. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** Optional bearer or basic auth in front of /metrics. */
export function metricsAuth(auth: Config['server']['metricsAuth']): RequestHandler {
  if (auth.type === 'none') return (_req, _res, next) => next();
  const expected =
    auth.type === 'bearer'
      ? `Bearer ${auth.token}`
      : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const challenge = auth.type === 'bearer' ? 'Bearer realm="saasmon"' : 'Basic realm="saasmon"';
  return (req, res, next) => {
    if (safeEqual(req.get('authorization') ?? '', expected)) return next();
    res.set('WWW-Authenticate', challenge).status(401).type('text/plain').send('unauthorized: /metrics needs credentials\n');
  };
}
