import { request as httpRequest } from 'http';
import { Observable, from } from 'rxjs';
import pluginJson from '../plugin.json';

/**
 * What Grafana's server does for this plugin's requests, for tests that talk to a real exporter:
 * the data-source proxy matches `${instanceUrl}/<route.path>/...` against plugin.json `routes`,
 * fills `{{ .JsonData.x }}` / `{{ .SecureJsonData.x }}` and adds the route's headers. Using the
 * real plugin.json proves the routes the plugin ships.
 */
export function grafanaProxyBackendSrv(instanceUrl: string, jsonData: Record<string, string>, secureJsonData: Record<string, string>) {
  const fill = (template: string) =>
    template
      .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) => jsonData[k] ?? '')
      .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) => secureJsonData[k] ?? '');

  return {
    fetch<T>(options: { url: string; method?: string; data?: unknown }): Observable<{ data: T; status: number }> {
      return from(
        (async () => {
          if (!options.url.startsWith(`${instanceUrl}/`)) throw new Error(`not a proxy URL: ${options.url}`);
          const rest = options.url.slice(instanceUrl.length + 1);
          const method = options.method ?? 'GET';
          const route = pluginJson.routes.find(
            (r) => (rest === r.path || rest.startsWith(`${r.path}/`)) && (!r.method || r.method === method),
          );
          if (!route) throw { status: 404, data: { message: 'no plugin route matches' }, statusText: 'Not Found' };
          const target = fill(route.url) + rest.slice(route.path.length);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          for (const h of route.headers) headers[h.name] = fill(h.content);
          let res: { status: number; body: string };
          try {
            res = await send(target, method, headers, options.data === undefined ? undefined : JSON.stringify(options.data));
          } catch {
            throw { status: 502, data: { message: 'Bad Gateway' }, statusText: 'Bad Gateway' };
          }
          const data = JSON.parse(res.body) as T;
          if (res.status >= 400) throw { status: res.status, data, statusText: String(res.status) };
          return { data, status: res.status };
        })(),
      );
    },
  };
}

/** Node's http client: the jsdom test environment has no fetch. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
