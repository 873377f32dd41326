import { readFileSync, statSync } from 'node:fs';
import { Pool } from 'pg';
import { ConfigError } from '../../../config/load';
import { Config } from '../../../config/schema';
import { backfillStripe } from './backfill';

/**
 * `saasmon stripe-backfill --file export.json [--as-of ISO]`: the export's objects are taken as
 * their state at --as-of (default: the newest file's modification time, when the export was
 * written). Returns the report printed to the operator; refused objects are listed with the reason.
 */
export async function runStripeBackfill(pool: Pool, config: Config, files: readonly string[], asOf?: string): Promise<string> {
  if (files.length === 0) throw new ConfigError('stripe-backfill: needs --file export.json (one or more)');
  let asOfMs = asOf ? Date.parse(asOf) : Math.max(...files.map((f) => statSync(f).mtimeMs));
  if (asOf && (!/[zZ]|[+-]\d\d:?\d\d$/.test(asOf) || Number.isNaN(asOfMs))) {
    throw new ConfigError('--as-of: must be an ISO 8601 timestamp with a time zone, e.g. 2026-05-01T00:00:00Z');
  }
  asOfMs = Math.floor(asOfMs);
  const inputs = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as unknown;
    } catch (err) {
      throw new ConfigError(`stripe-backfill: ${f}: ${(err as Error).message}`);
    }
  });
  const s = await backfillStripe(pool, config, inputs, asOfMs, Date.now());
  const outcomes =
    Object.entries(s.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const lines = [`stripe-backfill: ${s.objects} objects as of ${new Date(asOfMs).toISOString()}: ${outcomes}`];
  if (s.skipped.length > 0)
    lines.push(`  not used (no MRR meaning): ${s.skipped.length} (${[...new Set(s.skipped.map((x) => x.object))].join(', ')})`);
  for (const r of s.refused) lines.push(`  refused ${r.id}: ${r.reason}`);
  return lines.join('\n');
}
