import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { RevenueKpis } from '../domain/kpi-inputs';
import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export async function readRevenueKpis(_db: Queryable, _now: Date, _config: Config): Promise<RevenueKpis> {
  return { mrrGrowth30d: undefined, customerChurn30d: undefined, ltvCac: undefined };
}

export const revenueCollector: Collector = {
  name: 'revenue',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
