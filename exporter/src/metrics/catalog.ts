import { Registry } from 'prom-client';
import { IntegrationMetrics } from '../api/integrations/integration-metrics';
import { IngestMetrics } from '../api/ingest/ingest-metrics';
import { allCollectors } from '../collectors';
import { DeliveryMetrics } from '../reports/delivery-metrics';
import { MetricDescriptor, MetricType } from './family';
import { MetricRegistries, SelfMetrics } from './self-metrics';
import { WarmMetrics } from '../api/query/warm';
import { EventLoopDelay } from '../server/event-loop-delay';

/**
 * The metric catalog: every saasmon_ family the exporter can export, built from the collectors'
 * own declarations (Collector.metrics) and the exporter's self metrics. The exposition lint, the
 * generated docs/metric-catalog.md and the check of alert rules and dashboards all read it.
 */
export interface CatalogEntry {
  name: string;
  type: MetricType;
  /** Base unit by naming convention: seconds, ratio, currency (a `currency` label), or none. */
  unit: 'seconds' | 'ratio' | 'currency' | 'none';
  labels: readonly string[];
  help: string;
  /** The collector that exports it, or `exporter` for the exporter's own health. */
  collector: string;
}

/** What the exporter reports about itself (not a collector). */
export const SELF = 'exporter';

export function unitOf(d: MetricDescriptor<string>): CatalogEntry['unit'] {
  const base = d.name.replace(/_total$/, '');
  if (base.endsWith('_seconds')) return 'seconds';
  if (base.endsWith('_ratio')) return 'ratio';
  if (d.labelNames.includes('currency')) return 'currency';
  return 'none';
}

function entry(d: MetricDescriptor<string>, collector: string): CatalogEntry {
  return { name: d.name, type: d.type, unit: unitOf(d), labels: [...d.labelNames], help: d.help, collector };
}

/** The metrics a part of the exporter registers in the self-metrics registries, as it declares them. */
function registeredBy(register: (registries: MetricRegistries) => unknown): MetricDescriptor<string>[] {
  const registry = new Registry();
  register([registry]);
  return registry.getMetricsAsArray().map((m) => ({
    name: m.name,
    help: m.help,
    type: String(m.type) as MetricType,
    labelNames: (m as { labelNames?: string[] }).labelNames ?? [],
  }));
}

/** Every family, by collector in the scheduler's order, then the exporter's own. */
export function metricCatalog(): CatalogEntry[] {
  const entries = [
    ...allCollectors().flatMap((c) => c.metrics.map((d) => entry(d, c.name))),
    ...SelfMetrics.descriptors().map((d) => entry(d, SELF)),
    ...registeredBy((r) => new IngestMetrics(r)).map((d) => entry(d, SELF)),
    ...registeredBy((r) => new IntegrationMetrics(r)).map((d) => entry(d, SELF)),
    ...registeredBy((r) => new DeliveryMetrics(r)).map((d) => entry(d, SELF)),
    ...registeredBy((r) => new WarmMetrics(r)).map((d) => entry(d, SELF)),
    ...registeredBy((r) => new EventLoopDelay(r)).map((d) => entry(d, SELF)),
  ];
  const seen = new Map<string, CatalogEntry>();
  for (const e of entries) {
    const other = seen.get(e.name);
    if (other) throw new Error(`metric ${e.name} declared by both ${other.collector} and ${e.collector}`);
    seen.set(e.name, e);
  }
  return entries;
}

/**
 * The family name OpenMetrics gives a metric (a counter without its _total): two metrics with
 * one family name are one family to an OpenMetrics scraper, and Prometheus mixes their metadata.
 */
export function openMetricsFamily(e: Pick<CatalogEntry, 'name' | 'type'>): string {
  return e.type === 'counter' ? e.name.replace(/_total$/, '') : e.name;
}
