import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const drCollector: Collector = {
  name: 'dr',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
