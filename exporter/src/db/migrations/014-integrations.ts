/**
 * Bookkeeping of the Stripe and tracking-SDK integrations (api/integrations/). The contract
 * tables stay as they are: Stripe customers become tenants and Stripe subscriptions become rows
 * of `subscriptions`; these tables only remember what was already applied, so that a webhook
 * delivered twice, late or out of order changes nothing it should not.
 */
export const sql = `
-- Every Stripe event applied (or deliberately not applied), by its id: a redelivery is a no-op.
CREATE TABLE IF NOT EXISTS saasmon_stripe_events (
  event_id    text PRIMARY KEY,
  type        text NOT NULL,
  created_at  timestamptz NOT NULL,
  object_id   text,
  outcome     text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- The newest version applied per Stripe object (customer, subscription, price, discount, ...):
-- an event created before it changes nothing. data is the object as last seen.
CREATE TABLE IF NOT EXISTS saasmon_stripe_objects (
  object_id   text PRIMARY KEY,
  object_type text NOT NULL,
  version_at  timestamptz NOT NULL,
  event_id    text NOT NULL,
  data        jsonb NOT NULL
);

-- Which tenant a Stripe customer is (its metadata may name the app's own tenant id).
CREATE TABLE IF NOT EXISTS saasmon_stripe_customers (
  customer_id text PRIMARY KEY,
  tenant_id   text NOT NULL,
  deleted_at  timestamptz
);
CREATE INDEX IF NOT EXISTS saasmon_stripe_customers_tenant_idx ON saasmon_stripe_customers (tenant_id);

-- Messages from the tracking SDKs that could not be stored, with the reason: the SDKs drop a
-- batch answered 4xx, so a batch is acknowledged and what is refused in it is kept here.
CREATE TABLE IF NOT EXISTS saasmon_tracking_rejections (
  source      text NOT NULL,
  message_id  text NOT NULL,
  reason      text NOT NULL,
  message     jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, message_id)
);
CREATE INDEX IF NOT EXISTS saasmon_tracking_rejections_received_idx ON saasmon_tracking_rejections (received_at);
`;
