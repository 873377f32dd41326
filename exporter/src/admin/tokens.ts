import { createHash, randomBytes } from 'node:crypto';

export type TokenScope = 'ingest' | 'query' | 'admin' | 'stripe' | 'tracking';

/**
 * A new API token: 32 random bytes, base64url. Only its sha256 goes into the config, so a leaked
 * config file does not leak a usable token; the plain token is shown once, to the operator.
 */
export function newToken(
  name: string,
  scopes: TokenScope[],
): { token: string; configEntry: { name: string; sha256: string; scopes: TokenScope[] } } {
  return tokenEntry(`smn_${randomBytes(32).toString('base64url')}`, name, scopes);
}

/** The config entry (sha256, never the token) for a token made earlier. */
export function tokenEntry(
  token: string,
  name: string,
  scopes: TokenScope[],
): { token: string; configEntry: { name: string; sha256: string; scopes: TokenScope[] } } {
  return { token, configEntry: { name, sha256: createHash('sha256').update(token).digest('hex'), scopes } };
}
