import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const revenueCollector: Collector = {
  name: 'revenue',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
