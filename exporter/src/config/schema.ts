import { z } from 'zod';

/**
 * The one typed configuration object. Units are in the names; every default is what
 * ../shared/metric-definitions.md calls the default, so an empty file gives the documented numbers.
 */

const identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, _)');

const collectorSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalSeconds: z.number().positive().max(86_400).optional(),
    /** A failing collector keeps its last good values this long, then they are dropped. */
    maxAgeSeconds: z.number().positive().optional(),
  })
  .strict();

export const COLLECTOR_NAMES = [
  'revenue',
  'engagement',
  'tenant_health',
  'alignment',
  'dr',
  'operations',
  'data_quality',
] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

const kpiSchema = z
  .object({
    weight: z.number().min(0),
    target: z.number().positive(),
    direction: z.enum(['higher', 'lower']),
  })
  .strict();

export const ALIGNMENT_KPIS = [
  'd7_retention',
  'activation_rate',
  'd30_retention',
  'ltv_cac',
  'account_activation_rate',
  'mrr_growth_30d',
  'customer_churn_30d',
  'viral_coefficient',
] as const;
export type AlignmentKpi = (typeof ALIGNMENT_KPIS)[number];

const defaultKpis: Record<AlignmentKpi, z.infer<typeof kpiSchema>> = {
  d7_retention: { weight: 0.2, target: 0.25, direction: 'higher' },
  activation_rate: { weight: 0.15, target: 0.4, direction: 'higher' },
  d30_retention: { weight: 0.15, target: 0.15, direction: 'higher' },
  ltv_cac: { weight: 0.15, target: 4, direction: 'higher' },
  account_activation_rate: { weight: 0.1, target: 0.6, direction: 'higher' },
  mrr_growth_30d: { weight: 0.1, target: 0.15, direction: 'higher' },
  customer_churn_30d: { weight: 0.1, target: 0.05, direction: 'lower' },
  viral_coefficient: { weight: 0.05, target: 0.5, direction: 'higher' },
};

const tokenSchema = z
  .object({
    name: z.string().min(1),
    /** sha256 hex of the token; plain tokens are never stored in config. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character hex sha256 of the token'),
    scopes: z.array(z.enum(['ingest', 'query', 'admin'])).min(1),
  })
  .strict();

export const configSchema = z
  .object({
    database: z
      .object({
        /** postgres:// URL of the SaaS database. Unset: `saasmon start` runs an embedded one. */
        url: z.string().url().optional(),
        schema: identifier.default('saasmon'),
        statementTimeoutMs: z.number().int().positive().default(30_000),
        applicationName: z.string().min(1).default('saasmon-exporter'),
        poolMax: z.number().int().min(1).max(100).default(4),
        /** Database whose WAL archiver and replication saasmon reports; defaults to `url`. */
        monitoredUrl: z.string().url().optional(),
      })
      .strict()
      .default({}),
    server: z
      .object({
        port: z.number().int().min(0).max(65_535).default(9471),
        host: z.string().default('0.0.0.0'),
        metricsAuth: z
          .discriminatedUnion('type', [
            z.object({ type: z.literal('none') }).strict(),
            z.object({ type: z.literal('bearer'), token: z.string().min(16) }).strict(),
            z
              .object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(8) })
              .strict(),
          ])
          .default({ type: 'none' }),
      })
      .strict()
      .default({}),
    /** The one reporting currency of every money amount (ISO 4217), the `currency` label. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').default('USD'),
    collectors: z
      .object(Object.fromEntries(COLLECTOR_NAMES.map((n) => [n, collectorSchema.default({})])) as Record<
        CollectorName,
        z.ZodDefault<typeof collectorSchema>
      >)
      .strict()
      .default({}),
    defaultIntervalSeconds: z.number().positive().default(60),
    defaultMaxAgeSeconds: z.number().positive().default(900),
    revenue: z
      .object({
        grossMargin: z.number().gt(0).max(1).default(1),
      })
      .strict()
      .default({}),
    engagement: z
      .object({
        activationWindowDays: z.number().int().positive().default(7),
        /** Event names whose share of active tenants is exported as feature adoption. Empty: top names. */
        adoptionFeatures: z.array(z.string().min(1)).default([]),
        adoptionTopN: z.number().int().min(1).max(200).default(30),
      })
      .strict()
      .default({}),
    tenantHealth: z
      .object({
        weights: z
          .object({
            activity: z.number().min(0).default(0.4),
            adoption: z.number().min(0).default(0.2),
            payment: z.number().min(0).default(0.25),
            support: z.number().min(0).default(0.15),
          })
          .strict()
          .default({}),
        bands: z
          .object({
            healthy: z.number().min(0).max(100).default(75),
            watch: z.number().min(0).max(100).default(50),
            atRisk: z.number().min(0).max(100).default(25),
          })
          .strict()
          .default({}),
        /** Cap on per-tenant series, lowest scores kept first. */
        maxSeries: z.number().int().min(0).default(10_000),
      })
      .strict()
      .default({}),
    alignment: z
      .object({
        kpis: z
          .object(
            Object.fromEntries(ALIGNMENT_KPIS.map((k) => [k, kpiSchema.default(defaultKpis[k])])) as Record<
              AlignmentKpi,
              z.ZodDefault<typeof kpiSchema>
            >,
          )
          .strict()
          .default({}),
        bands: z
          .object({
            onTrack: z.number().min(0).max(100).default(80),
            atRisk: z.number().min(0).max(100).default(50),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    dr: z
      .object({
        rpoTargetSeconds: z.number().positive().default(3600),
        rtoTargetSeconds: z.number().positive().default(3600),
        testCadenceDays: z.number().positive().default(90),
        /** Without database.monitoredUrl, read pg_stat_archiver/pg_stat_replication from `url`; false when `url` is only a copy. */
        serverStatsFromSaasDb: z.boolean().default(true),
        /**
         * Per backup kind, the age of its last success above which it is stale (dr_status, the
         * DR matrix, saasmon_backup_max_age_seconds and SaasDrBackupStale). Defaults follow the
         * usual schedules: daily full backups 26 h, hourly incrementals 2 h, weekly escrow exports
         * 8 days; WAL archives (and any other kind) the RPO target.
         */
        backupMaxAgeSeconds: z
          .object({
            full: z.number().positive().default(26 * 3600),
            incremental: z.number().positive().default(2 * 3600),
            wal_archive: z.number().positive().optional(),
            escrow_export: z.number().positive().default(8 * 86_400),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    rollups: z
      .object({
        /**
         * How often the exporter folds the event deltas appended by ingestion into the day
         * rollups (answers are exact either way; compaction keeps them fast). 0 turns it off,
         * e.g. for a read-only database role; then schedule saasmon_compact_event_rollups().
         */
        compactIntervalSeconds: z.number().min(0).max(3_600).default(10),
      })
      .strict()
      .default({}),
    dataQuality: z
      .object({
        freshnessSeconds: z.number().positive().default(3600),
        anomalyEventsPerMinute: z.number().int().positive().default(1000),
      })
      .strict()
      .default({}),
    api: z
      .object({
        tokens: z.array(tokenSchema).default([]),
        /** Per-token token bucket: sustained requests per second and burst size. */
        rateLimit: z
          .object({
            requestsPerSecond: z.number().positive().default(50),
            burst: z.number().int().positive().default(100),
          })
          .strict()
          .default({}),
        maxBodyBytes: z.number().int().positive().default(1_048_576),
      })
      .strict()
      .default({}),
    ingest: z
      .object({
        maxBatchSize: z.number().int().min(1).max(10_000).default(1000),
        /** Timestamps further ahead than this (clock skew allowance) are refused. */
        maxFutureSeconds: z.number().int().min(0).default(300),
        /** Timestamps older than this are refused: they would rewrite closed history. */
        maxPastDays: z.number().int().positive().default(400),
        /** Event name that marks a user's activation moment (sets users.activated_at once). */
        activationEvent: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
