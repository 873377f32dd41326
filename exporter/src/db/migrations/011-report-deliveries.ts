/**
 * Scheduled report runs and their deliveries. A run is claimed by inserting its row before
 * anything is sent: the primary key (schedule, scheduled_for) lets one exporter, of any number
 * running, own a scheduled instant. A claim is a lease (lease_until, database time): a run whose
 * owner died mid-send is taken over once the lease runs out. Each recipient has its own row, so a
 * takeover or a retry sends only to those not yet served.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS saasmon_report_runs (
  schedule text NOT NULL,
  scheduled_for timestamptz NOT NULL,
  report text NOT NULL CHECK (report IN ('daily', 'weekly', 'monthly')),
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  time_zone text NOT NULL,
  late boolean NOT NULL DEFAULT false,
  state text NOT NULL CHECK (state IN ('pending', 'retry', 'sent', 'failed', 'skipped')),
  claimed_by text NOT NULL,
  lease_until timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (schedule, scheduled_for)
);
CREATE INDEX IF NOT EXISTS saasmon_report_runs_open_idx ON saasmon_report_runs (lease_until) WHERE state IN ('pending', 'retry');

CREATE TABLE IF NOT EXISTS saasmon_report_deliveries (
  schedule text NOT NULL,
  scheduled_for timestamptz NOT NULL,
  receiver text NOT NULL,
  recipient text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  last_attempt_at timestamptz,
  sent_at timestamptz,
  PRIMARY KEY (schedule, scheduled_for, receiver, recipient),
  FOREIGN KEY (schedule, scheduled_for) REFERENCES saasmon_report_runs (schedule, scheduled_for) ON DELETE CASCADE
);
`;
