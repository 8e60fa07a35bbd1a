import type pg from 'pg';
import { deliverInApp } from './in-app.js';
import {
  insertBeneficiaryNotices,
  insertPersonNotices,
  type QueuedNotice,
} from './outbox-store.js';
import { PAYLOAD_SCHEMAS } from './templates.js';

// The notifications outbox: a domain announces an event by queueing notices in the same
// transaction as the event itself; the worker delivers them after commit. A notice never
// reaches the same person twice on the same channel: rows are unique per (event, channel).

export const NOTIFICATION_TEMPLATES = [
  'attribution_credited',
  'attribution_suspended',
  'attribution_revoked',
  'envelope_expiring',
  'payment_refused',
  'application_decided',
  'application_information_requested',
  'mandate_expiring',
] as const;

export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** One call queues at most this many notices: callers batch (campaigns send 64 at a time). */
export const MAX_NOTICES_PER_CALL = 1000;
export const MAX_EVENT_KEY_LENGTH = 200;
/** The outbox column holds at most 16 kB; the JSON text is kept below with some room. */
export const MAX_PAYLOAD_JSON_LENGTH = 12_000;

export type BeneficiaryNotice = {
  beneficiaryId: number;
  eventKey: string;
  payload: Record<string, unknown>;
};

export type PersonNotice = {
  personId: number;
  eventKey: string;
  payload: Record<string, unknown>;
};

/**
 * Queues a notice per beneficiary record: by email when the record (or the account linked to
 * it) has an address, else by SMS when it has a phone number, plus in the personal space when
 * the record is linked to an account. A record not linked yet gets its claim code in the
 * payload, so that the message can tell how to link it. Erased records are skipped.
 * Answers the number of outbox rows written (an event queued again writes none).
 */
export async function queueBeneficiaryNotices(
  client: pg.ClientBase,
  template: NotificationTemplate,
  notices: BeneficiaryNotice[],
): Promise<number> {
  if (notices.length === 0) return 0;
  assertNoticeCount(notices.length);
  const rows = notices.map((notice) => checkedNotice(template, notice.beneficiaryId, notice));
  return insertBeneficiaryNotices(client, template, rows);
}

/**
 * Queues a notice per account: by email to the account's address, and in the personal space,
 * written at once since it is a row of this same database.
 */
export async function queuePersonNotices(
  client: pg.ClientBase,
  template: NotificationTemplate,
  notices: PersonNotice[],
): Promise<number> {
  if (notices.length === 0) return 0;
  assertNoticeCount(notices.length);
  const rows = notices.map((notice) => checkedNotice(template, notice.personId, notice));
  const { written, inApp } = await insertPersonNotices(client, template, rows);
  for (const notice of inApp) {
    const invalid = await deliverInApp(client, { ...notice, template });
    if (invalid !== undefined) throw new Error(invalid);
  }
  return written;
}

function checkedNotice(
  template: NotificationTemplate,
  recipientId: number,
  notice: { eventKey: string; payload: Record<string, unknown> },
): QueuedNotice {
  if (!Number.isSafeInteger(recipientId) || recipientId <= 0) {
    throw new Error(`notification recipient id must be a positive integer, got ${recipientId}`);
  }
  if (notice.eventKey.length === 0 || notice.eventKey.length > MAX_EVENT_KEY_LENGTH) {
    throw new Error(`notification event key must be 1 to ${MAX_EVENT_KEY_LENGTH} characters`);
  }
  const parsed = PAYLOAD_SCHEMAS[template].safeParse(notice.payload);
  if (!parsed.success) {
    throw new Error(`notification payload does not fit ${template}: ${parsed.error.message}`);
  }
  const payloadJson = JSON.stringify(notice.payload);
  if (payloadJson.length > MAX_PAYLOAD_JSON_LENGTH) {
    throw new Error(`notification payload exceeds ${MAX_PAYLOAD_JSON_LENGTH} characters`);
  }
  return { recipientId, eventKey: notice.eventKey, payloadJson };
}

function assertNoticeCount(count: number): void {
  if (count > MAX_NOTICES_PER_CALL) {
    throw new Error(`at most ${MAX_NOTICES_PER_CALL} notices per call, got ${count}`);
  }
}
