import { Histogram } from 'prom-client';
import { MetricRegistries } from '../metrics/self-metrics';

/** How often the serving thread's timer is due: each sample is how late it fired. */
const SAMPLE_MS = 20;

/**
 * saasmon_exporter_event_loop_delay_seconds: how late a timer on the serving thread fires, sampled
 * every 20 ms, as a histogram. Everything the serving thread answers (scrapes, health, ingest
 * acknowledgements) waits at least this long; a stall shows as one sample of its length.
 * Unlike prom-client's nodejs_eventloop_lag_* gauges (reset at every scrape, and only with the
 * process metrics), it keeps counting between scrapes, so rate() and histogram_quantile() work.
 */
export class EventLoopDelay {
  private readonly histograms: Histogram[];
  private timer?: NodeJS.Timeout;

  constructor(registers: MetricRegistries) {
    this.histograms = registers.map(
      (registry) =>
        new Histogram({
          name: 'saasmon_exporter_event_loop_delay_seconds',
          help: 'How late a timer on the exporter serving thread fired (sampled every 20 ms), in seconds: what every scrape and health check (and, with server.apiProcess false, every API request) waited at least.',
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers: [registry],
        }),
    );
  }

  start(): void {
    let due = performance.now() + SAMPLE_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - due) / 1000;
      for (const h of this.histograms) h.observe(late);
      due = now + SAMPLE_MS;
    }, SAMPLE_MS);
    // Optional call: under jsdom (the datasource plugin's end-to-end test runs the service there)
    // setInterval returns a number, which has no unref.
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
