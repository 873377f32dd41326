import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const alignmentCollector: Collector = {
  name: 'alignment',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
