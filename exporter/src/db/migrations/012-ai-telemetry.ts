/**
 * Contract tables of AI model telemetry, training jobs, plan limits and tenant usage. Meanings are
 * the OpenTelemetry GenAI conventions': tokens_in counts every input token, cached ones included
 * (tokens_in_cached is the part of it read from a prompt cache); first_token_ms is set only for
 * streaming calls and is never filled in with the total latency. Money is numeric. IF NOT EXISTS,
 * so tables (or views) made by someone else are left as they are.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS ai_requests (
  id                text NOT NULL,
  tenant_id         text NOT NULL,
  user_id           text,
  provider          text,
  operation         text,
  model             text NOT NULL,
  tier              text,
  started_at        timestamptz NOT NULL,
  latency_ms        integer NOT NULL CHECK (latency_ms >= 0),
  first_token_ms    integer CHECK (first_token_ms >= 0 AND first_token_ms <= latency_ms),
  tokens_in         integer NOT NULL DEFAULT 0 CHECK (tokens_in >= 0),
  tokens_in_cached  integer NOT NULL DEFAULT 0 CHECK (tokens_in_cached >= 0 AND tokens_in_cached <= tokens_in),
  tokens_out        integer NOT NULL DEFAULT 0 CHECK (tokens_out >= 0),
  error_type        text,
  cost              numeric(14,6) NOT NULL DEFAULT 0 CHECK (cost >= 0),
  success           boolean NOT NULL,
  accepted          boolean,
  estimated_savings numeric(14,2),
  validated_savings numeric(14,2),
  PRIMARY KEY (id, started_at),
  CHECK (success OR error_type IS NOT NULL),
  CHECK (NOT success OR error_type IS NULL)
);
CREATE INDEX IF NOT EXISTS ai_requests_started_idx ON ai_requests (started_at);
CREATE INDEX IF NOT EXISTS ai_requests_tenant_started_idx ON ai_requests (tenant_id, started_at);

CREATE TABLE IF NOT EXISTS training_jobs (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  user_id      text,
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  created_at   timestamptz NOT NULL,
  started_at   timestamptz,
  finished_at  timestamptz,
  gpu_hours    numeric(12,4) CHECK (gpu_hours >= 0),
  compute_cost numeric(14,2) CHECK (compute_cost >= 0),
  CHECK ((status IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX IF NOT EXISTS training_jobs_finished_idx ON training_jobs (finished_at);
CREATE INDEX IF NOT EXISTS training_jobs_open_idx ON training_jobs (status) WHERE finished_at IS NULL;

CREATE TABLE IF NOT EXISTS plan_limits (
  plan        text NOT NULL,
  resource    text NOT NULL,
  limit_value numeric NOT NULL CHECK (limit_value >= 0),
  PRIMARY KEY (plan, resource)
);

CREATE TABLE IF NOT EXISTS tenant_usage (
  tenant_id   text NOT NULL,
  resource    text NOT NULL,
  measured_at timestamptz NOT NULL,
  value       numeric NOT NULL CHECK (value >= 0),
  PRIMARY KEY (tenant_id, resource, measured_at)
);
`;
