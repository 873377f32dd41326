import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';

// The experiment query's reads: an experiment and its variants' assigned and converted users at T
// (the statistics are domain/stats.ts).

const SQL_EXPERIMENT = `SELECT id, success_event, concluded_at FROM experiments WHERE id = $1`;

// A conversion is a success event strictly after the user's assignment and, once the experiment
// is concluded, no later than its conclusion. Deleted users are left out of both counts.
const SQL_VARIANTS = `
SELECT a.variant,
       count(*) AS assigned,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM events e
         WHERE e.user_id = a.user_id AND e.name = $2
           AND e.occurred_at > a.assigned_at
           AND e.occurred_at <= coalesce($3::timestamptz, $4::timestamptz)
       )) AS converted
FROM experiment_assignments a
JOIN users u ON u.id = a.user_id AND u.deleted_at IS NULL
WHERE a.experiment_id = $1 AND a.assigned_at <= $4::timestamptz
GROUP BY a.variant
ORDER BY a.variant`;

interface VariantRow {
  variant: string;
  assigned: string;
  converted: string;
}

export interface Experiment {
  id: string;
  successEvent: string;
  concludedAt: Date | null;
}

export interface VariantCounts {
  variant: string;
  assigned: number;
  converted: number;
}

/** The experiment with this id, or undefined. */
export async function readExperiment(db: Queryable, id: string): Promise<Experiment | undefined> {
  const row = (await db.query<{ id: string; success_event: string; concluded_at: Date | null }>(SQL_EXPERIMENT, [id])).rows[0];
  return row && { id: row.id, successEvent: row.success_event, concludedAt: row.concluded_at };
}

/** Per variant (by name): users assigned by `now` and those of them who converted. */
export async function readVariantCounts(db: Queryable, e: Experiment, now: Date): Promise<VariantCounts[]> {
  const { rows } = await db.query<VariantRow>(SQL_VARIANTS, [e.id, e.successEvent, e.concludedAt, now]);
  return rows.map((r) => ({ variant: r.variant, assigned: toCount(r.assigned), converted: toCount(r.converted) }));
}
