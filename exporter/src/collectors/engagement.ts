import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const engagementCollector: Collector = {
  name: 'engagement',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
