import { Collector } from './collector';

// TODO(issue 2): placeholder until the collector lands.
export const dataQualityCollector: Collector = {
  name: 'data_quality',
  defaultIntervalSeconds: 60,
  async collect() {
    return [];
  },
};
