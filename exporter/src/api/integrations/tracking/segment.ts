import { Config } from '../../../config/schema';
import { asRecord, stringOf, tenantTraits, TrackingOp, userTraits } from './operations';

/**
 * Segment's HTTP tracking API as @segment/analytics-node and analytics.js send it: {batch: [...]}
 * to /v1/batch (the write key as Basic-auth user), or one message to /v1/track, /v1/identify,
 * /v1/group, /v1/page, /v1/screen, /v1/alias. B2B context: context.groupId (or the
 * traits.company.id of an identify) names the tenant.
 */

export function segmentMessages(body: unknown, pathType?: string): { messages: unknown[]; token?: string } {
  const b = asRecord(body);
  const token = stringOf(b.writeKey);
  if (pathType === 'batch' || pathType === 'import') return { messages: Array.isArray(b.batch) ? b.batch : [], token };
  return { messages: [{ ...b, type: stringOf(b.type) ?? pathType }], token };
}

export function segmentOperation(raw: unknown, config: Config): TrackingOp {
  const m = asRecord(raw);
  const messageId = stringOf(m.messageId) ?? '';
  if (!messageId) return { kind: 'rejected', messageId, reason: 'no_message_id', message: 'messageId: required (the idempotency key)' };
  const type = stringOf(m.type);
  const timestamp = stringOf(m.timestamp);
  if (!timestamp) return { kind: 'rejected', messageId, reason: 'invalid', message: 'timestamp: required' };
  const userId = stringOf(m.userId) ?? null;
  const context = asRecord(m.context);
  const t = config.integrations.tracking;
  switch (type) {
    case 'track': {
      const event = stringOf(m.event);
      if (!event) return { kind: 'rejected', messageId, reason: 'invalid', message: 'event: required' };
      const properties = asRecord(m.properties);
      const tenantId = stringOf(context.groupId) ?? stringOf(properties[t.tenantProperty]);
      // Before sign-up there is no user and no tenant: marketing-site traffic is not a tenant's usage.
      if (!userId && !tenantId) return { kind: 'ignored', messageId, reason: 'anonymous' };
      return { kind: 'event', messageId, userId, tenantId, name: event, occurredAt: timestamp, properties };
    }
    case 'identify': {
      if (!userId) return { kind: 'ignored', messageId, reason: 'anonymous' };
      const traits = asRecord(m.traits);
      const company = asRecord(traits.company);
      const tenantId = stringOf(context.groupId) ?? stringOf(company.id) ?? stringOf(traits[t.tenantProperty]);
      return { kind: 'user', messageId, userId, tenantId, traits: userTraits(traits), at: timestamp };
    }
    case 'group': {
      const groupId = stringOf(m.groupId);
      if (!groupId) return { kind: 'rejected', messageId, reason: 'invalid', message: 'groupId: required' };
      return {
        kind: 'tenant',
        messageId,
        tenantId: groupId,
        traits: tenantTraits(asRecord(m.traits)),
        userId: userId ?? undefined,
        at: timestamp,
      };
    }
    case 'page':
    case 'screen':
      return { kind: 'ignored', messageId, reason: type };
    case 'alias':
      return { kind: 'ignored', messageId, reason: 'alias' };
    default:
      return { kind: 'rejected', messageId, reason: 'invalid', message: `type: unknown message type ${JSON.stringify(type)}` };
  }
}

/** The tenant an identify names through traits.company, as a group call would (Segment's B2B spec). */
export function segmentCompanyTenant(raw: unknown): { tenantId: string; traits: Record<string, unknown> } | undefined {
  const m = asRecord(raw);
  if (m.type !== 'identify') return undefined;
  const company = asRecord(asRecord(m.traits).company);
  const id = stringOf(company.id);
  return id ? { tenantId: id, traits: company } : undefined;
}
