import { ALIGNMENT_KPIS, AlignmentKpi } from '@saasmon/contract';
import { z } from 'zod';
import { isTimeZone } from '../reports/zoned-time';

/**
 * The one typed configuration object. Units are in the names; every default is what
 * docs/metrics.md calls the default, so an empty file gives the documented numbers.
 */

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, _)');

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
  'ai',
  'churn_risk',
] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

const kpiSchema = z
  .object({
    weight: z.number().min(0),
    target: z.number().positive(),
    direction: z.enum(['higher', 'lower']),
  })
  .strict();

// The alignment KPIs are part of the query contract (priority_actions, the alignment panel).
export { ALIGNMENT_KPIS };
export type { AlignmentKpi };

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

/**
 * A status band: healthy beyond `healthy`, warning up to and including `warning`, critical past it
 * (higher is better: healthy > h >= warning >= w > critical; lower is better: the mirror).
 */
const higherBand = (healthy: number, warning: number) =>
  z
    .object({
      direction: z.literal('higher').default('higher'),
      healthy: z.number().default(healthy),
      warning: z.number().default(warning),
    })
    .strict()
    .refine((b) => b.healthy >= b.warning, { message: 'healthy must be >= warning when higher is better' })
    .default({});
const lowerBand = (healthy: number, warning: number) =>
  z
    .object({ direction: z.literal('lower').default('lower'), healthy: z.number().default(healthy), warning: z.number().default(warning) })
    .strict()
    .refine((b) => b.healthy <= b.warning, { message: 'healthy must be <= warning when lower is better' })
    .default({});
export type StatusBand = { direction: 'higher' | 'lower'; healthy: number; warning: number };

const timeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin or UTC' });
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const receiverSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), to: z.array(z.string().email()).min(1) }).strict(),
  z.object({ type: z.literal('slack'), webhookUrl: z.string().url() }).strict(),
  z.object({ type: z.literal('webhook'), url: z.string().url(), headers: z.record(z.string()).default({}) }).strict(),
]);

const scheduleSchema = z
  .object({
    /** Names the schedule in the delivery records and metrics; keep it when editing the rest. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _'),
    report: z.enum(['daily', 'weekly', 'monthly']),
    /** Local time of the run, HH:MM (24 h), in timeZone. */
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
    /** IANA zone the time and the report's periods are computed in; default reports.timeZone. */
    timeZone: timeZone.optional(),
    /** Daily: the weekdays it runs on (default every day). Weekly: the one weekday (default mon). */
    days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
    /** Monthly: the day of the month it runs on (1-28, default 1). */
    dayOfMonth: z.number().int().min(1).max(28).default(1),
    receivers: z.array(z.string().min(1)).min(1),
  })
  .strict();

const reportsSchema = z
  .object({
    /** Zone of reports run from the CLI and of schedules without their own. */
    timeZone: timeZone.default('UTC'),
    /** The weekly report's conversion funnel (event names); without steps the section says so. */
    funnel: z
      .object({ steps: z.array(z.string().min(1)).min(2).max(10).optional(), windowDays: z.number().positive().max(90).default(14) })
      .strict()
      .default({}),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65_535).default(587),
        /** true: TLS from the start (port 465); false: STARTTLS when offered. */
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: z.string().optional(),
        from: z.string().min(3),
      })
      .strict()
      .optional(),
    receivers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/), receiverSchema).default({}),
    schedules: z.array(scheduleSchema).default([]),
    /** A due run starts within this after its instant; later (after downtime) it is marked late. */
    lateAfterSeconds: z.number().int().positive().default(900),
    /** How long a run waits for fresh data (dataQuality.freshnessSeconds) before it goes out marked stale. */
    maxWaitForDataSeconds: z
      .number()
      .int()
      .min(0)
      .default(4 * 3600),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(50).default(6),
        initialBackoffSeconds: z.number().positive().default(30),
        maxBackoffSeconds: z.number().positive().default(3600),
      })
      .strict()
      .default({}),
    /** How long a claimed run is held; past it another exporter (or the restarted one) takes it over. */
    leaseSeconds: z.number().int().min(1).max(3600).default(300),
    /** How often the exporter looks for due runs; 0 turns scheduled reports off in this replica. */
    checkIntervalSeconds: z.number().min(0).max(3600).default(30),
  })
  .strict()
  .superRefine((r, ctx) => {
    const names = new Set<string>();
    r.schedules.forEach((s, i) => {
      if (names.has(s.name))
        ctx.addIssue({ code: 'custom', path: ['schedules', i, 'name'], message: `duplicate schedule name "${s.name}"` });
      names.add(s.name);
      s.receivers.forEach((name, j) => {
        const receiver = r.receivers[name];
        if (!receiver)
          ctx.addIssue({ code: 'custom', path: ['schedules', i, 'receivers', j], message: `no receiver "${name}" in reports.receivers` });
        else if (receiver.type === 'email' && !r.smtp)
          ctx.addIssue({ code: 'custom', path: ['smtp'], message: `receiver "${name}" sends mail: set reports.smtp` });
      });
      if (s.report === 'weekly' && s.days && s.days.length !== 1)
        ctx.addIssue({ code: 'custom', path: ['schedules', i, 'days'], message: 'a weekly schedule runs on one weekday' });
    });
  })
  .default({});
export type ReportsConfig = z.infer<typeof reportsSchema>;
export type ReportSchedule = ReportsConfig['schedules'][number];
export type ReportReceiver = ReportsConfig['receivers'][string];

const tokenSchema = z
  .object({
    name: z.string().min(1),
    /** sha256 hex of the token; plain tokens are never stored in config. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character hex sha256 of the token'),
    scopes: z.array(z.enum(['ingest', 'query', 'admin', 'stripe', 'tracking'])).min(1),
  })
  .strict();

const integrationsSchema = z
  .object({
    stripe: z
      .object({
        /** Signing secrets (whsec_...) of the webhook endpoints; several while rolling a secret. */
        webhookSecrets: z.array(z.string().min(8)).default([]),
        /** A signature whose timestamp is further from now than this is refused (replay protection). */
        toleranceSeconds: z.number().int().positive().max(86_400).default(300),
        /** Units of the reporting currency per unit of another currency (e.g. EUR: 1.08); a currency without one is refused. */
        currencyRates: z.record(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'), z.number().positive()).default({}),
        /** Customer metadata key holding the app's own tenant id; without it the customer id is the tenant id. */
        tenantIdMetadataKey: z.string().min(1).default('saasmon_tenant_id'),
        /** Price (or product) metadata key holding the plan key; else the price's lookup_key, nickname, product. */
        planMetadataKey: z.string().min(1).default('saasmon_plan'),
        /** Plan of a tenant created from a customer that has no subscription yet. */
        defaultPlan: z.string().min(1).default('free'),
        /** A past_due subscription stops counting as MRR this long after it fell past due (delinquent churn). */
        pastDueGraceDays: z.number().int().min(0).max(365).default(30),
      })
      .strict()
      .default({}),
    tracking: z
      .object({
        /** PostHog group type whose key is the tenant id. */
        tenantGroupType: z.string().min(1).default('company'),
        /** Person trait / event property naming the tenant when no group is given. */
        tenantProperty: z.string().min(1).default('tenant_id'),
        /** PostHog $-events (e.g. $pageview) stored as events; the others are accepted and not stored. */
        keepSystemEvents: z.array(z.string().min(1)).default([]),
        /** Largest body after gzip or base64 decoding. */
        maxDecodedBytes: z
          .number()
          .int()
          .positive()
          .default(20 * 1_048_576),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

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
        /**
         * A read replica (streaming standby) of `url`: collectors and the query API read there,
         * ingest and compaction write to `url`. Unset: everything uses `url`.
         */
        readUrl: z.string().url().optional(),
        /** Client-side bound on one query's wait for its answer; default statementTimeoutMs + 5 s. */
        queryTimeoutMs: z.number().int().positive().optional(),
        /**
         * Nice values of database backends by pool, set through the `prioritize` extension where
         * it is installed in the database (CREATE EXTENSION prioritize; Debian package
         * postgresql-NN-prioritize): on a database server with busy cores, collectors' SQL and
         * people's expensive queries yield to ingest and light queries. 0, or no extension:
         * normal priority.
         */
        backendNice: z
          .object({
            collectors: z.number().int().min(0).max(19).default(10),
            query: z.number().int().min(0).max(19).default(5),
          })
          .strict()
          .default({}),
        /** How often a cheap connection probe (SELECT 1) sets saasmon_up and /ready. */
        probeIntervalSeconds: z.number().positive().max(3_600).default(5),
        /** Connections per role; unset roles: query and ingest poolMax, light 2, collectors 2, compaction 1. */
        pools: z
          .object({
            collectors: z.number().int().min(1).max(100).optional(),
            query: z.number().int().min(1).max(100).optional(),
            /** Light queries (dr_status, variables...) have connections of their own. */
            light: z.number().int().min(1).max(100).optional(),
            ingest: z.number().int().min(1).max(100).optional(),
            compaction: z.number().int().min(1).max(100).optional(),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    server: z
      .object({
        port: z.number().int().min(0).max(65_535).default(9471),
        host: z.string().default('0.0.0.0'),
        /** Run collectors, queries and exposition rendering in a worker thread (false: in the serving thread). */
        computeWorker: z.boolean().default(true),
        /** Serve the APIs (ingest, queries) from a child process, so they never hold up scrapes (false: in this process). */
        apiProcess: z.boolean().default(true),
        metricsAuth: z
          .discriminatedUnion('type', [
            z.object({ type: z.literal('none') }).strict(),
            z.object({ type: z.literal('bearer'), token: z.string().min(16) }).strict(),
            z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(8) }).strict(),
          ])
          .default({ type: 'none' }),
        /** A client must send its whole request (headers and body) within this; a slow sender is cut with 408. */
        requestTimeoutSeconds: z.number().positive().max(600).default(30),
        /** ... and its headers within this. */
        headersTimeoutSeconds: z.number().positive().max(600).default(10),
        /** Open connections at most; more are closed at once (Prometheus, Grafana and senders need few). */
        maxConnections: z.number().int().min(1).default(1024),
      })
      .strict()
      .default({}),
    /** The one reporting currency of every money amount (ISO 4217), the `currency` label. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    collectors: z
      .object(
        Object.fromEntries(COLLECTOR_NAMES.map((n) => [n, collectorSchema.default({})])) as Record<
          CollectorName,
          z.ZodDefault<typeof collectorSchema>
        >,
      )
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
    /** GET /api/v1/status: the services of the status page and where their alerts come from. */
    status: z
      .object({
        /** Services always listed (others appear while an incident or alert names them). */
        services: z.array(z.string().min(1).max(200)).max(200).default([]),
        serviceLabel: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
          .default('service'),
        historyDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .default({}),
    /** AI model telemetry: label cardinality caps (the busiest models and error types keep their names). */
    ai: z
      .object({
        maxModels: z.number().int().min(1).max(500).default(20),
        maxErrorTypes: z.number().int().min(1).max(100).default(10),
      })
      .strict()
      .default({}),
    /** Churn risk model (collector churn_risk, query churn_risk). */
    churnRisk: z
      .object({
        /** Month starts of history the model trains and is evaluated on. */
        historyMonths: z.number().int().min(8).max(60).default(18),
        /** L2 penalty on the standardised coefficients. */
        l2: z.number().min(0).max(1000).default(1),
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
        /** Cap on per-(kind, location) backup series in /metrics (location is free text from ingest); failing and stalest kept first. */
        maxBackupSeries: z.number().int().min(0).default(200),
        /** Without database.monitoredUrl, read pg_stat_archiver/pg_stat_replication from `url`; false when `url` is only a copy. */
        serverStatsFromSaasDb: z.boolean().default(true),
        /**
         * Per backup kind, the age of its last success above which it is stale (dr_status, the
         * DR matrix and saasmon_backup_max_age_seconds). Defaults follow the
         * usual schedules: daily full backups 26 h, hourly incrementals 2 h, weekly escrow exports
         * 8 days; WAL archives (and any other kind) the RPO target.
         */
        backupMaxAgeSeconds: z
          .object({
            full: z
              .number()
              .positive()
              .default(26 * 3600),
            incremental: z
              .number()
              .positive()
              .default(2 * 3600),
            wal_archive: z.number().positive().optional(),
            escrow_export: z
              .number()
              .positive()
              .default(8 * 86_400),
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
        /** Queries one token may have in flight at once; more get 429 with Retry-After. */
        maxConcurrentQueriesPerToken: z.number().int().min(1).max(1000).default(8),
        /** How long a query may wait for a free query connection before a 503 with Retry-After. */
        queryQueueTimeoutMs: z.number().int().min(0).max(60_000).default(10_000),
        /** Cap on the groups of a breakdown or matrix (e.g. feature adoption by plan); the answer says when it cuts. */
        maxBreakdownGroups: z.number().int().min(1).max(100_000).default(200),
        /** Shared answers (docs/architecture.md "Answer cache"). */
        answerCache: z
          .object({
            enabled: z.boolean().default(true),
            maxBytes: z
              .number()
              .int()
              .min(0)
              .default(64 * 1024 * 1024),
            /** No answer is served older than this (covers writes by other processes). */
            maxAgeSeconds: z.number().min(0).default(60),
            /** How long an answer may miss events acknowledged by this exporter; 0: any write invalidates. */
            maxStaleSeconds: z.number().min(0).default(0),
          })
          .strict()
          .default({}),
        /** The provisioned dashboards' queries re-run in the background after the data changed (docs/architecture.md). */
        warm: z
          .object({
            enabled: z.boolean().default(true),
            /** How often the data version is checked; a round runs only when it moved. */
            intervalSeconds: z.number().min(1).max(3600).default(10),
          })
          .strict()
          .default({}),
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
    /** Stripe webhooks and the PostHog / Segment tracking endpoints (api/integrations/, docs/integrations.md). */
    integrations: integrationsSchema,
    /** Prometheus the executive summary reads uptime, error ratio and p99 latency from (the platform's HTTP metrics). */
    prometheus: z
      .object({
        url: z.string().url().optional(),
        /** Regex of the platform's HTTP job(s) (http_requests_total, http_request_duration_seconds). */
        job: z
          .string()
          .min(1)
          .regex(/^[^"\\]*$/, 'must not contain " or \\')
          .default('.+'),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({}),
    /** Alertmanager whose firing alerts the executive summary and the reports list. */
    alertmanager: z
      .object({
        url: z.string().url().optional(),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({}),
    /** Executive summary status bands (healthy / warning / critical), as the founder playbook's table. */
    summary: z
      .object({
        thresholds: z
          .object({
            mrrGrowth: higherBand(0.1, 0.05),
            customerChurn: lowerBand(0.03, 0.05),
            uptime: higherBand(0.999, 0.995),
            errorRatio: lowerBand(0.005, 0.01),
            p99LatencySeconds: lowerBand(0.2, 0.5),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Daily, weekly and monthly reports: their contents, receivers and schedules (docs/reports.md). */
    reports: reportsSchema,
    /** Priority actions: the largest weighted KPI gaps of the alignment score, with what to do. */
    priorityActions: z
      .object({
        topN: z.number().int().min(1).max(ALIGNMENT_KPIS.length).default(5),
        /** Recommended action per alignment KPI; replaces the built-in text of that KPI. */
        actions: z
          .object(
            Object.fromEntries(ALIGNMENT_KPIS.map((k) => [k, z.string().min(1).optional()])) as Record<
              AlignmentKpi,
              z.ZodOptional<z.ZodString>
            >,
          )
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
