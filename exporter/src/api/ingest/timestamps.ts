import { Config } from '../../config/schema';
import { parseTimestamp, timestamp } from '../validators';

/** ISO 8601 with an explicit offset or Z: a time without a zone is ambiguous, so it is refused. */
export const isoTimestamp = timestamp;

export interface TimeBounds {
  earliestMs: number;
  latestMs: number;
}

export function timeBounds(config: Config, now: Date): TimeBounds {
  return {
    earliestMs: now.getTime() - config.ingest.maxPastDays * 86_400_000,
    latestMs: now.getTime() + config.ingest.maxFutureSeconds * 1000,
  };
}

/** The message for a timestamp outside the accepted range, or undefined when it is inside. */
export function outOfBounds(value: string | null | undefined, bounds: TimeBounds, config: Config): string | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = parseTimestamp(value);
  if (typeof parsed === 'string') return parsed;
  const ms = parsed.ms;
  if (ms > bounds.latestMs) {
    return `is more than ${config.ingest.maxFutureSeconds} s in the future (check the sender's clock)`;
  }
  if (ms < bounds.earliestMs) return `is more than ${config.ingest.maxPastDays} days in the past`;
  return undefined;
}
