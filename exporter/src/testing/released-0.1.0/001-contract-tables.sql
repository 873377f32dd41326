
CREATE TABLE IF NOT EXISTS tenants (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  plan                text NOT NULL,
  segment             text,
  acquisition_channel text,
  region              text,
  created_at          timestamptz NOT NULL,
  churned_at          timestamptz,
  churn_reason        text
);

CREATE TABLE IF NOT EXISTS users (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id),
  email        text,
  role         text,
  created_at   timestamptz NOT NULL,
  activated_at timestamptz,
  referred_by  text,
  deleted_at   timestamptz
);
CREATE INDEX IF NOT EXISTS users_tenant_idx ON users (tenant_id);
CREATE INDEX IF NOT EXISTS users_created_idx ON users (created_at);

CREATE TABLE IF NOT EXISTS subscriptions (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  plan            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due')),
  amount          numeric(14,2) NOT NULL CHECK (amount >= 0),
  interval_months integer NOT NULL CHECK (interval_months > 0),
  valid_from      timestamptz NOT NULL,
  valid_to        timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX IF NOT EXISTS subscriptions_tenant_idx ON subscriptions (tenant_id, valid_from);
CREATE INDEX IF NOT EXISTS subscriptions_validity_idx ON subscriptions (valid_from, valid_to);

CREATE TABLE IF NOT EXISTS marketing_spend (
  channel text NOT NULL,
  month   date NOT NULL CHECK (extract(day FROM month) = 1),
  amount  numeric(14,2) NOT NULL,
  PRIMARY KEY (channel, month)
);

-- High volume: range-partitioned by month (saasmon_ensure_event_partitions makes the months).
-- The primary key is the contract's idempotency key, (id, occurred_at).
CREATE TABLE IF NOT EXISTS events (
  id          text NOT NULL,
  tenant_id   text NOT NULL,
  user_id     text,
  name        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  properties  jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE IF NOT EXISTS events_default PARTITION OF events DEFAULT;
CREATE INDEX IF NOT EXISTS events_occurred_idx ON events (occurred_at);
CREATE INDEX IF NOT EXISTS events_user_time_idx ON events (user_id, occurred_at);
CREATE INDEX IF NOT EXISTS events_tenant_time_idx ON events (tenant_id, occurred_at);
CREATE INDEX IF NOT EXISTS events_name_time_idx ON events (name, occurred_at);

CREATE TABLE IF NOT EXISTS nps_responses (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  user_id      text,
  score        integer NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment      text,
  responded_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS nps_responded_idx ON nps_responses (responded_at);

CREATE TABLE IF NOT EXISTS support_tickets (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL,
  priority    text NOT NULL,
  opened_at   timestamptz NOT NULL,
  resolved_at timestamptz
);
CREATE INDEX IF NOT EXISTS support_tickets_open_idx ON support_tickets (tenant_id) WHERE resolved_at IS NULL;

CREATE TABLE IF NOT EXISTS experiments (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  hypothesis     text,
  success_event  text NOT NULL,
  status         text NOT NULL CHECK (status IN ('draft', 'running', 'concluded')),
  started_at     timestamptz,
  concluded_at   timestamptz,
  winner_variant text
);

CREATE TABLE IF NOT EXISTS experiment_assignments (
  experiment_id text NOT NULL REFERENCES experiments(id),
  user_id       text NOT NULL,
  variant       text NOT NULL,
  assigned_at   timestamptz NOT NULL,
  PRIMARY KEY (experiment_id, user_id)
);

CREATE TABLE IF NOT EXISTS backups (
  id           text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('full', 'incremental', 'wal_archive', 'escrow_export')),
  location     text NOT NULL,
  started_at   timestamptz NOT NULL,
  completed_at timestamptz,
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  size_bytes   bigint,
  verified_at  timestamptz
);
CREATE INDEX IF NOT EXISTS backups_kind_location_idx ON backups (kind, location, completed_at);

CREATE TABLE IF NOT EXISTS dr_tests (
  id                    text PRIMARY KEY,
  kind                  text NOT NULL CHECK (kind IN ('full_failover', 'backup_restore', 'partial_recovery')),
  tested_at             timestamptz NOT NULL,
  recovery_time_seconds integer NOT NULL CHECK (recovery_time_seconds >= 0),
  data_loss_seconds     integer NOT NULL CHECK (data_loss_seconds >= 0),
  result                text NOT NULL CHECK (result IN ('pass', 'fail', 'partial')),
  notes                 text
);

CREATE TABLE IF NOT EXISTS incidents (
  id          text PRIMARY KEY,
  title       text NOT NULL,
  severity    text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
  status      text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  services    text[] NOT NULL DEFAULT '{}',
  started_at  timestamptz NOT NULL,
  resolved_at timestamptz
);

CREATE TABLE IF NOT EXISTS releases (
  id             text PRIMARY KEY,
  version        text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('major', 'minor', 'patch', 'hotfix')),
  deployed_at    timestamptz NOT NULL,
  rolled_back_at timestamptz
);
