export const SCALES = ['S', 'M', 'L'] as const;
export type Scale = (typeof SCALES)[number];

export interface ScaleProfile {
  tenants: number;
  users: number;
  /** Target number of events; the generator calibrates events per active day to land near it. */
  events: number;
}

/** Sizes of each scale (the README and the bench quote them). */
export const SCALE_PROFILES: Record<Scale, ScaleProfile> = {
  // S has enough paying customers (about 55) that one churned customer moves churn by under 2
  // points: the volume guards (20) and thresholds are never on a knife-edge.
  S: { tenants: 120, users: 1_500, events: 70_000 },
  M: { tenants: 1_000, users: 50_000, events: 2_000_000 },
  L: { tenants: 5_000, users: 200_000, events: 10_000_000 },
};

/** Length of the generated history, ending at `now`. */
export const HISTORY_DAYS = 548;
