/**
 * What a tracking message means for the contract tables, whatever SDK sent it: an event, a user
 * (identify), a tenant (group), a call accepted but not used, or a refusal with its reason code.
 */

export interface TenantTraits {
  name?: string;
  plan?: string;
  segment?: string;
  acquisitionChannel?: string;
  region?: string;
  createdAt?: string;
}

export interface UserTraits {
  email?: string;
  role?: string;
  createdAt?: string;
}

export type TrackingOp =
  | {
      kind: 'event';
      messageId: string;
      userId: string | null;
      tenantId?: string;
      name: string;
      occurredAt: string;
      properties: Record<string, unknown>;
    }
  | { kind: 'user'; messageId: string; userId: string; tenantId?: string; traits: UserTraits; at: string }
  | { kind: 'tenant'; messageId: string; tenantId: string; traits: TenantTraits; userId?: string; at: string }
  | { kind: 'ignored'; messageId: string; reason: string }
  | { kind: 'rejected'; messageId: string; reason: RejectReason; message: string };

/** Fixed codes: the metric label and the rejections table use them. */
export type RejectReason = 'invalid' | 'no_message_id' | 'no_tenant' | 'unknown_tenant' | 'timestamp' | 'erased_user' | 'database_refused';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

/** A timestamp trait as ISO text (SDKs send ISO strings; Date values arrive serialised the same way). */
const time = (v: unknown): string | undefined => {
  const s = str(v);
  return s && !Number.isNaN(Date.parse(s)) && /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? new Date(s).toISOString() : undefined;
};

/** Traits of a tenant under the names founders use in PostHog group properties and Segment group traits. */
export function tenantTraits(t: Record<string, unknown>): TenantTraits {
  return {
    name: str(t.name),
    plan: str(t.plan),
    segment: str(t.segment) ?? str(t.employees_band),
    acquisitionChannel: str(t.acquisition_channel) ?? str(t.channel),
    region: str(t.region) ?? str(t.country),
    createdAt: time(t.createdAt) ?? time(t.created_at),
  };
}

export function userTraits(t: Record<string, unknown>): UserTraits {
  return { email: str(t.email), role: str(t.role), createdAt: time(t.createdAt) ?? time(t.created_at) };
}

export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export { str as stringOf };
