import type pg from 'pg';

// SQL of the delivery worker, and only here: claim due rows under a lease, then record how each
// delivery went. A worker that dies keeps its rows only until the lease ends.

export type ClaimedNotice = {
  id: number;
  channel: 'email' | 'sms' | 'in_app';
  template: string;
  eventKey: string;
  payload: unknown;
  /** Tries started so far, this one included. */
  attempts: number;
  personId: number | null;
  /** The account's current address for a notice to a person; the queued one for a record. */
  address: string | null;
  leasedUntil: Date;
  /** The beneficiary record was erased since: its personal data must not leave any more. */
  recipientErased: boolean;
};

/**
 * Claims up to `limit` due rows, oldest first; rows another worker holds are skipped, not waited
 * for. A try is counted when it starts, so that a notice that kills its worker every time still
 * ends up failed instead of being tried forever.
 */
export async function claimDueNotices(
  pool: pg.Pool,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedNotice[]> {
  const result = await pool.query<ClaimedNotice>(
    `with due as (
       select id from notification_outbox
        where status = 'pending' and next_attempt_at <= now()
          and (leased_until is null or leased_until < now())
        order by next_attempt_at
        limit $1
        for update skip locked)
     update notification_outbox o
        set leased_until = now() + make_interval(secs => $2), attempts = o.attempts + 1
       from due where o.id = due.id
     returning o.id, o.channel, o.template, o.event_key as "eventKey", o.payload, o.attempts,
       o.person_id as "personId", o.leased_until as "leasedUntil",
       case when o.beneficiary_id is null and o.channel = 'email'
            then (select p.email from persons p where p.id = o.person_id)
            else o.address end as address,
       exists (select 1 from beneficiaries b
                where b.id = o.beneficiary_id and b.erased_at is not null) as "recipientErased"`,
    [limit, leaseSeconds],
  );
  return result.rows;
}

export async function markNoticeSent(
  pool: pg.Pool | pg.ClientBase,
  outboxId: number,
): Promise<void> {
  await pool.query(
    `update notification_outbox
        set status = 'sent', sent_at = coalesce(sent_at, now()), leased_until = null, last_error = null
      where id = $1`,
    [outboxId],
  );
}

/**
 * A failed try: tried again after `retryDelaySeconds`, or given up when that is null. A row
 * already sent (by a worker that took it over after this one's lease ended) stays sent.
 */
export async function markNoticeFailed(
  pool: pg.Pool,
  outboxId: number,
  error: string,
  retryDelaySeconds: number | null,
): Promise<void> {
  await pool.query(
    `update notification_outbox
        set status = case when $3::integer is null then 'failed' else 'pending' end,
            next_attempt_at = now() + make_interval(secs => coalesce($3::integer, 0)),
            leased_until = null, last_error = left($2, 500)
      where id = $1 and status = 'pending'`,
    [outboxId, error, retryDelaySeconds],
  );
}

/** Rows claimed but not started (the lease was running out): due again at once. */
export async function releaseNotices(pool: pg.Pool, outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await pool.query(
    `update notification_outbox set leased_until = null, attempts = greatest(attempts - 1, 0)
      where id = any($1::bigint[]) and status = 'pending'`,
    [outboxIds],
  );
}
