/**
 * The effective config with every secret replaced by "***", for `saasmon check-config` and logs:
 * values of secret-named keys (password, token, secret, ...), the password of every URL whatever
 * its key (database.url, database.monitoredUrl, a webhook, an SMTP URL), and secret-named query
 * parameters of URLs (?password=, ?sslpassword=, ?token=). Token digests (sha256) are not secrets.
 */
// webhookUrl: a Slack incoming webhook's path is its secret; authorization: a webhook receiver's header.
const SECRET_KEY = /pass(word)?|secret|token|api_?key|private_?key|credential|webhook_?url|authorization/i;
const NOT_SECRET_KEY = /^(sha256|tokens|type|name|scopes)$/;

export function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not parseable but URL-shaped: hide whatever sits between "://user:" and the last "@".
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)(.*)@/i, '$1***@');
  }
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) if (SECRET_KEY.test(key)) url.searchParams.set(key, '***');
  return url.toString();
}

export function redactSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key) ? '***' : redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)]));
  }
  return value;
}
