import { Config } from '../../../config/schema';
import { asRecord, stringOf, tenantTraits, TrackingOp, userTraits } from './operations';

/**
 * PostHog's capture API as posthog-node and posthog-js send it: {api_key, batch: [...]} to /batch,
 * one message to /capture, or an array of messages to /e and /i/v0/e. Each message is
 * {event, distinct_id, properties, timestamp, uuid}; $identify and $set carry person properties,
 * $groupidentify a group's, and properties.$groups the groups of an event.
 */

/** The messages of a decoded body, and the project key if the body carries one. */
export function posthogMessages(body: unknown): { messages: unknown[]; token?: string } {
  if (Array.isArray(body)) {
    const first = asRecord(body[0]);
    return { messages: body, token: stringOf(first.api_key) ?? stringOf(asRecord(first.properties).token) };
  }
  const b = asRecord(body);
  const token = stringOf(b.api_key) ?? stringOf(b.token);
  if (Array.isArray(b.batch)) return { messages: b.batch, token: token ?? stringOf(asRecord(asRecord(b.batch[0]).properties).token) };
  if (Array.isArray(b.data)) return { messages: b.data, token };
  return { messages: [b], token: token ?? stringOf(asRecord(b.properties).token) };
}

const ALIASES = new Set(['$create_alias', '$merge_dangerously']);

/** Drops PostHog's own $-properties (library, geo, person and group updates): the app's properties stay. */
function ownProperties(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => !k.startsWith('$') && k !== 'token' && k !== 'distinct_id'));
}

export function posthogOperation(raw: unknown, config: Config): TrackingOp {
  const m = asRecord(raw);
  const messageId = stringOf(m.uuid) ?? '';
  if (!messageId) return { kind: 'rejected', messageId, reason: 'no_message_id', message: 'uuid: required (the idempotency key)' };
  const event = stringOf(m.event);
  const distinctId = stringOf(m.distinct_id) ?? stringOf(asRecord(m.properties).distinct_id);
  const timestamp = stringOf(m.timestamp);
  if (!event) return { kind: 'rejected', messageId, reason: 'invalid', message: 'event: required' };
  if (!timestamp) return { kind: 'rejected', messageId, reason: 'invalid', message: 'timestamp: required' };
  const props = asRecord(m.properties);
  const t = config.integrations.tracking;
  const groups = asRecord(props.$groups);
  if (event === '$groupidentify') {
    if (stringOf(props.$group_type) !== t.tenantGroupType) {
      return { kind: 'ignored', messageId, reason: `group type ${String(props.$group_type)} is not the tenant group type` };
    }
    const key = stringOf(props.$group_key);
    if (!key) return { kind: 'rejected', messageId, reason: 'invalid', message: '$group_key: required' };
    return { kind: 'tenant', messageId, tenantId: key, traits: tenantTraits(asRecord(props.$group_set)), at: timestamp };
  }
  if (!distinctId) return { kind: 'rejected', messageId, reason: 'invalid', message: 'distinct_id: required' };
  if (event === '$identify' || event === '$set') {
    const traits = { ...asRecord(props.$set_once), ...asRecord(props.$set) };
    const tenantId = stringOf(groups[t.tenantGroupType]) ?? stringOf(traits[t.tenantProperty]) ?? stringOf(asRecord(traits.company).id);
    return { kind: 'user', messageId, userId: distinctId, tenantId, traits: userTraits(traits), at: timestamp };
  }
  if (ALIASES.has(event)) return { kind: 'ignored', messageId, reason: 'alias' };
  if (event.startsWith('$') && !t.keepSystemEvents.includes(event)) return { kind: 'ignored', messageId, reason: 'system_event' };
  return {
    kind: 'event',
    messageId,
    userId: distinctId,
    tenantId: stringOf(groups[t.tenantGroupType]) ?? stringOf(props[t.tenantProperty]),
    name: event,
    occurredAt: timestamp,
    properties: ownProperties(props),
  };
}
