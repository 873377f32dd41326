import { parseConfig } from './load';
import { redactSecrets, redactUrl } from './redact';

it('redacts the password of every URL, secret-named keys and secret query parameters, and nothing else', () => {
  const config = parseConfig({
    database: {
      url: 'postgres://saasmon:s3cr3t@db:5432/app',
      monitoredUrl: 'postgresql://monitor:p%40ss:word@primary/app?sslpassword=k3y&application_name=x',
    },
    server: { metricsAuth: { type: 'basic', username: 'prom', password: 'hunter2-hunter2' } },
    api: { tokens: [{ name: 'grafana', sha256: 'a'.repeat(64), scopes: ['query'] }] },
  });
  const text = JSON.stringify(redactSecrets(config));
  for (const secret of ['s3cr3t', 'p%40ss', 'word@', 'k3y', 'hunter2']) expect(text).not.toContain(secret);
  const r = redactSecrets(config) as typeof config;
  expect(r.database.url).toBe('postgres://saasmon:***@db:5432/app');
  expect(r.database.monitoredUrl).toBe('postgresql://monitor:***@primary/app?sslpassword=***&application_name=x');
  expect(r.server.metricsAuth).toEqual({ type: 'basic', username: 'prom', password: '***' });
  expect(r.api.tokens[0]).toEqual({ name: 'grafana', sha256: 'a'.repeat(64), scopes: ['query'] });
  const bearer = redactSecrets(parseConfig({ server: { metricsAuth: { type: 'bearer', token: 'x'.repeat(20) } } })) as typeof config;
  expect(bearer.server.metricsAuth).toEqual({ type: 'bearer', token: '***' });
});

it('leaves URLs without a password and plain text as they are', () => {
  expect(redactUrl('postgres://db/app')).toBe('postgres://db/app');
  expect(redactUrl('https://hooks.example.com/x?token=abc')).toBe('https://hooks.example.com/x?token=***');
  expect(redactUrl('not a url')).toBe('not a url');
});
