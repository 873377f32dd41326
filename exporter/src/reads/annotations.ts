import { AnnotationKind } from '@saasmon/contract';
import { Queryable } from '../db/pool';

/**
 * What happened on the platform over [from, to), for annotations: releases and DR tests are
 * instants in the range; incidents and experiments are spans that overlap it (started before `to`,
 * not ended before `from`; a span still open has no end). Newest start first, ties by kind and id.
 *
 * $1 from, $2 to (exclusive), $3 kinds (text[]), $4 services (text[] or null: no filter), $5 rows
 * to read (the caller asks for one more than it answers, to know it cut).
 */
export const SQL_ANNOTATIONS = `
SELECT 'release' AS kind, r.id, r.deployed_at AS start_at, r.deployed_at AS end_at,
       r.version AS name, r.kind AS detail, NULL::text[] AS services, r.rolled_back_at AS ended_early_at,
       NULL::integer AS recovery_time_seconds, NULL::integer AS data_loss_seconds, NULL::text AS notes,
       NULL::text[] AS variants, NULL::text AS winner
FROM releases r
WHERE 'release' = ANY($3::text[])
  AND r.deployed_at >= $1::timestamptz AND r.deployed_at < $2::timestamptz
UNION ALL
SELECT 'incident', i.id, i.started_at, i.resolved_at,
       i.title, i.severity, i.services, NULL, NULL, NULL, i.status, NULL, NULL
FROM incidents i
WHERE 'incident' = ANY($3::text[])
  AND i.started_at < $2::timestamptz AND (i.resolved_at IS NULL OR i.resolved_at >= $1::timestamptz)
  AND ($4::text[] IS NULL OR i.services && $4::text[])
UNION ALL
SELECT 'dr_test', d.id, d.tested_at, d.tested_at,
       d.kind, d.result, NULL, NULL, d.recovery_time_seconds, d.data_loss_seconds, d.notes, NULL, NULL
FROM dr_tests d
WHERE 'dr_test' = ANY($3::text[])
  AND d.tested_at >= $1::timestamptz AND d.tested_at < $2::timestamptz
UNION ALL
SELECT 'experiment', e.id, e.started_at, e.concluded_at,
       e.name, e.status, NULL, NULL, NULL, NULL, e.hypothesis, v.variants, e.winner_variant
FROM experiments e
-- The variants assigned so far: a scan of this experiment's assignments (its primary key range).
LEFT JOIN LATERAL (
  SELECT array_agg(DISTINCT a.variant ORDER BY a.variant) AS variants
  FROM experiment_assignments a
  WHERE a.experiment_id = e.id
) v ON true
WHERE 'experiment' = ANY($3::text[])
  AND e.started_at IS NOT NULL
  AND e.started_at < $2::timestamptz AND (e.concluded_at IS NULL OR e.concluded_at >= $1::timestamptz)
ORDER BY start_at DESC, kind, id
LIMIT $5`;

export interface AnnotationRow {
  kind: AnnotationKind;
  id: string;
  start_at: Date;
  /** Equal to start_at for an instant; null while an incident or experiment is open. */
  end_at: Date | null;
  /** Release version, incident title, DR test kind, experiment name. */
  name: string;
  /** Release kind, incident severity, DR test result, experiment status. */
  detail: string;
  services: string[] | null;
  /** A release's rollback. */
  ended_early_at: Date | null;
  recovery_time_seconds: number | null;
  data_loss_seconds: number | null;
  /** Incident status, DR test notes, experiment hypothesis. */
  notes: string | null;
  variants: string[] | null;
  winner: string | null;
}

export interface AnnotationsRead {
  rows: AnnotationRow[];
  /** More matched than `limit`: the oldest were left out. */
  truncated: boolean;
}

export async function readAnnotations(
  db: Queryable,
  q: { from: string; to: string; kinds: readonly AnnotationKind[]; services?: readonly string[]; limit: number },
): Promise<AnnotationsRead> {
  const { rows } = await db.query<AnnotationRow>(SQL_ANNOTATIONS, [q.from, q.to, q.kinds, q.services ?? null, q.limit + 1]);
  return { rows: rows.slice(0, q.limit), truncated: rows.length > q.limit };
}
