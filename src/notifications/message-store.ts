import type pg from 'pg';

// SQL of the messages the local mail catcher and the fake SMS provider received, and of the
// outbox summary the back-office shows.

export type CaughtChannel = 'email' | 'sms';

export type CaughtMessageSummary = {
  id: number;
  channel: CaughtChannel;
  outboxId: number | null;
  recipient: string;
  subject: string | null;
  receivedAt: Date;
};

export type CaughtMessage = CaughtMessageSummary & { body: string };

/** Kept once per outbox row: a message delivered twice is caught once. */
export async function insertCaughtMessage(
  pool: pg.Pool,
  message: {
    channel: CaughtChannel;
    outboxId: number | null;
    recipient: string;
    subject: string | null;
    body: string;
  },
): Promise<void> {
  await pool.query(
    `insert into caught_messages (channel, outbox_id, recipient, subject, body)
     values ($1, $2, $3, $4, $5) on conflict (outbox_id) do nothing`,
    [message.channel, message.outboxId, message.recipient, message.subject, message.body],
  );
}

const SUMMARY_COLUMNS = `id, channel, outbox_id as "outboxId", recipient, subject,
  received_at as "receivedAt"`;

export async function listCaughtMessages(
  pool: pg.Pool,
  filter: { channel?: CaughtChannel; recipient?: string; offset: number; limit: number },
): Promise<{ messages: CaughtMessageSummary[]; total: number }> {
  const where = `($1::text is null or channel = $1) and ($2::text is null or recipient = $2)`;
  const parameters = [filter.channel ?? null, filter.recipient ?? null];
  const [page, count] = await Promise.all([
    pool.query<CaughtMessageSummary>(
      `select ${SUMMARY_COLUMNS} from caught_messages where ${where}
        order by id desc offset $3 limit $4`,
      [...parameters, filter.offset, filter.limit],
    ),
    pool.query<{ total: number }>(
      `select count(*)::int as total from caught_messages where ${where}`,
      parameters,
    ),
  ]);
  return { messages: page.rows, total: count.rows[0]?.total ?? 0 };
}

export async function findCaughtMessage(
  pool: pg.Pool,
  messageId: number,
): Promise<CaughtMessage | undefined> {
  const result = await pool.query<CaughtMessage>(
    `select ${SUMMARY_COLUMNS}, body from caught_messages where id = $1`,
    [messageId],
  );
  return result.rows[0];
}

export type OutboxCount = {
  channel: 'email' | 'sms' | 'in_app';
  status: 'pending' | 'sent' | 'failed';
  count: number;
};

export async function outboxCounts(pool: pg.Pool): Promise<OutboxCount[]> {
  const result = await pool.query<OutboxCount>(
    `select channel, status, count(*)::int as count from notification_outbox
      group by channel, status order by channel, status`,
  );
  return result.rows;
}

/**
 * When the earliest pending notice became due: long ago means delivery does not keep up. Read
 * from the outbox's partial index, however long the outbox.
 */
export async function earliestDueAt(pool: pg.Pool): Promise<Date | null> {
  const result = await pool.query<{ earliest: Date | null }>(
    `select min(next_attempt_at) as earliest from notification_outbox where status = 'pending'`,
  );
  return result.rows[0]?.earliest ?? null;
}
