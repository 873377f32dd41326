import { Counter, Gauge, Registry } from 'prom-client';
import { MetricFamily } from './family';

export interface RenderedSnapshot {
  /** Prometheus text format 0.0.4. */
  text: string;
  /** OpenMetrics 1.0 text without the final "# EOF" (added once per scrape). */
  openMetrics: string;
}

const EOF_LINE = /# EOF\n?$/;

/**
 * Renders families once, when a snapshot is taken, with prom-client's own formatter (escaping,
 * +Inf, OpenMetrics suffixes), so that a scrape only concatenates prepared text.
 */
export async function renderFamilies(families: readonly MetricFamily[]): Promise<RenderedSnapshot> {
  const text = new Registry();
  const om = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const f of families) {
    if (f.samples.length === 0) continue;
    // One metric object per registry: prom-client's OpenMetrics render renames a counter in place
    // (drops _total), which a shared object would carry into the text output.
    for (const registry of [text, om]) {
      const options = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry] };
      if (f.type === 'counter') {
        const c = new Counter(options);
        for (const s of f.samples) c.inc(s.labels, s.value);
      } else {
        const g = new Gauge(options);
        for (const s of f.samples) g.set(s.labels, s.value);
      }
    }
  }
  const [t, o] = await Promise.all([text.metrics(), om.metrics()]);
  return { text: t, openMetrics: o.replace(EOF_LINE, '') };
}

export const CONTENT_TYPE_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;
export const CONTENT_TYPE_OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;
