/**
 * Engagement math of docs/metrics.md ("Users and engagement", NPS), as plain functions over
 * instants and counts, shared by the engagement collector, the alignment KPIs and the query API.
 *
 * Windows are computed here in milliseconds, not in SQL with `interval 'N days'`: Postgres adds a
 * day interval to a timestamptz in the session's time zone, so across a DST change '30 days' is
 * not 720 hours. Calendar days are UTC days, written 'YYYY-MM-DD'.
 */

export const DAY_MS = 86_400_000;

/** An instant range [from, to) (or (from, to] where the caller says so). */
export interface InstantRange {
  from: Date;
  to: Date;
}

/** The UTC calendar day holding an instant, as 'YYYY-MM-DD'. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day `n` days after (or before, n < 0) a 'YYYY-MM-DD' day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The instant `days` whole days (of 24 h) before `at`. */
export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * DAY_MS);
}

/** part / whole, undefined (absent, never NaN) when whole is 0. */
export function shareOf(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}

/**
 * Activation cohort at T: users (or tenants) created in [T - 30d - N, T - N), N = the activation
 * window in days, so that every member has had its full N days to activate before T.
 */
export const ACTIVATION_COHORT_DAYS = 30;
export function activationCohort(now: Date, activationWindowDays: number): InstantRange {
  return {
    from: daysBefore(now, ACTIVATION_COHORT_DAYS + activationWindowDays),
    to: daysBefore(now, activationWindowDays),
  };
}

/**
 * D_N retention cohort at T: signup days s in [D - N - 30, D - N - 1], D = UTC day of T, so the
 * return day s + N is at most D - 1, a day that has ended. A member is retained when they have at
 * least one event on day s + N ("return on day N", bounded).
 */
export const RETENTION_COHORT_DAYS = 30;
export interface DayNCohort {
  n: number;
  firstSignupDay: string;
  lastSignupDay: string;
}
export function dayNRetentionCohort(now: Date, n: number): DayNCohort {
  const today = utcDay(now);
  return {
    n,
    firstSignupDay: addDays(today, -n - RETENTION_COHORT_DAYS),
    lastSignupDay: addDays(today, -n - 1),
  };
}

export interface NpsCounts {
  /** Scores 9-10. */
  promoters: number;
  /** Scores 0-6. */
  detractors: number;
  /** Every response, passives (7-8) included. */
  responses: number;
}

/** 100 * (promoters - detractors) / responses; undefined when there are no responses. */
export function netPromoterScore(c: NpsCounts): number | undefined {
  return c.responses > 0 ? (100 * (c.promoters - c.detractors)) / c.responses : undefined;
}
