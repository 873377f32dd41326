import { Counter, Gauge } from 'prom-client';
import { MetricRegistries } from '../metrics/self-metrics';

/** The report runner's own metrics, rendered on /metrics beside the exporter's self-metrics. */
export class DeliveryMetrics {
  readonly deliveries: Counter<'schedule' | 'outcome'>;
  readonly runs: Counter<'schedule' | 'outcome'>;
  readonly lastSent: Gauge<'schedule'>;

  constructor(registers: MetricRegistries = []) {
    this.deliveries = new Counter({
      name: 'saasmon_report_deliveries_total',
      help: 'Report deliveries attempted by this process, per schedule and outcome (sent, failed); one per recipient and attempt.',
      labelNames: ['schedule', 'outcome'],
      registers,
    });
    this.runs = new Counter({
      name: 'saasmon_report_runs_total',
      help: 'Scheduled report runs finished by this process, per schedule and outcome (sent, retry, failed, skipped).',
      labelNames: ['schedule', 'outcome'],
      registers,
    });
    this.lastSent = new Gauge({
      name: 'saasmon_report_last_sent_timestamp_seconds',
      help: 'Unix time this process last finished a run of the schedule with every recipient served.',
      labelNames: ['schedule'],
      registers,
    });
  }

  /** Series at 0 for every schedule from the start, so that increase() sees the first failure. */
  init(schedules: readonly string[]): void {
    for (const schedule of schedules) {
      for (const outcome of ['sent', 'failed']) this.deliveries.inc({ schedule, outcome }, 0);
      for (const outcome of ['sent', 'retry', 'failed', 'skipped']) this.runs.inc({ schedule, outcome }, 0);
    }
  }
}
