import { TenantHealth } from '../domain/tenant-health';
import { RefreshCycle } from './refresh-cycle';

/**
 * The tenant health table of the collector's last run, shared with the query API: the collector
 * computes the whole table every minute anyway, and computing it again per request is the most
 * expensive query of a dashboard (~0.7 s at 50k users, ~2.4 s at 200k). One per service.
 */
export class LatestTenantHealth {
  private latest?: { asOf: Date; tenants: readonly TenantHealth[] };
  private readonly cycle = new RefreshCycle();

  record(asOf: Date, tenants: readonly TenantHealth[]): void {
    this.latest = { asOf, tenants };
    this.cycle.recorded();
  }

  /** The last table while it stands for `now` (RefreshCycle), for a collector run every `intervalMs`. */
  freshAt(now: Date, intervalMs: number): { asOf: Date; tenants: readonly TenantHealth[] } | undefined {
    const l = this.latest;
    return l && this.cycle.fresh(l.asOf, now, intervalMs) ? l : undefined;
  }
}
