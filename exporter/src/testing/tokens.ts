import { createHash } from 'node:crypto';

/** Plain test tokens and the config entries (sha256 digests) that accept them. */
export const TEST_TOKENS = {
  ingest: 'test-ingest-token-0123456789',
  query: 'test-query-token-0123456789',
  admin: 'test-admin-token-0123456789',
} as const;

export function testTokenConfig() {
  return Object.entries(TEST_TOKENS).map(([scope, token]) => ({
    name: `test-${scope}`,
    sha256: createHash('sha256').update(token).digest('hex'),
    scopes: [scope as 'ingest' | 'query' | 'admin'],
  }));
}
