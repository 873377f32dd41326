import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { EngagementKpis } from '../domain/kpi-inputs';
import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export async function readEngagementKpis(_db: Queryable, _now: Date, _config: Config): Promise<EngagementKpis> {
  return {
    activationRate: undefined,
    accountActivationRate: undefined,
    retentionD7: undefined,
    retentionD30: undefined,
    viralCoefficient: undefined,
  };
}

export const engagementCollector: Collector = {
  name: 'engagement',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
