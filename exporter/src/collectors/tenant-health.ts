import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const tenantHealthCollector: Collector = {
  name: 'tenant_health',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
