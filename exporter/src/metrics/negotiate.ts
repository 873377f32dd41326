/**
 * Content negotiation of /metrics by the Accept and Accept-Encoding headers (RFC 9110 12.5),
 * with their q-values: `q=0` refuses, the higher q wins, and text/plain wins ties, as the
 * format every scraper reads.
 */
interface Range {
  type: string;
  q: number;
}

function ranges(header: string | undefined): Range[] {
  if (!header) return [];
  return header.split(',').flatMap((part) => {
    const [type, ...params] = part.trim().split(';');
    if (!type) return [];
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k?.toLowerCase() === 'q' && v !== undefined) q = Number(v);
    }
    return [{ type: type.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The q a header gives `type`: its own entry, else the best matching wildcard, else undefined. */
function qualityOf(list: Range[], type: string, wildcards: string[]): number | undefined {
  const exact = list.filter((r) => r.type === type);
  if (exact.length) return Math.max(...exact.map((r) => r.q));
  const wild = list.filter((r) => wildcards.includes(r.type));
  return wild.length ? Math.max(...wild.map((r) => r.q)) : undefined;
}

/** OpenMetrics when the scraper asks for it with a higher quality than the classic text format. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  const list = ranges(accept);
  const om = qualityOf(list, 'application/openmetrics-text', []) ?? 0;
  const text = qualityOf(list, 'text/plain', ['text/*', '*/*']) ?? 0;
  return om > 0 && om > text;
}

/** gzip when Accept-Encoding allows it (gzip or * with q > 0, x-gzip as its alias). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  const list = ranges(acceptEncoding);
  const q = qualityOf(list, 'gzip', []) ?? qualityOf(list, 'x-gzip', ['*']) ?? 0;
  return q > 0;
}
