import type pg from 'pg';

// SQL that writes the notifications outbox, and only here. Set-based: one statement per call
// whatever the number of notices, so that a campaign crediting a million beneficiaries pays
// one round trip per batch of notices.

export type QueuedNotice = { recipientId: number; eventKey: string; payloadJson: string };

function columns(notices: QueuedNotice[]): [number[], string[], string[]] {
  return [
    notices.map((notice) => notice.recipientId),
    notices.map((notice) => notice.eventKey),
    notices.map((notice) => notice.payloadJson),
  ];
}

/**
 * Each channel is one lateral row per notice, kept when it applies: email to the record's
 * address (or the linked account's), SMS only when there is no email, in-app when linked.
 */
export async function insertBeneficiaryNotices(
  client: pg.ClientBase,
  template: string,
  notices: QueuedNotice[],
): Promise<number> {
  const result = await client.query(
    `insert into notification_outbox
       (person_id, beneficiary_id, channel, address, template, event_key, payload)
     select b.person_id, b.id, c.channel, c.address, $1, n.event_key,
            case when b.person_id is null and b.claim_code is not null
                 then n.payload || jsonb_build_object('claimCode', b.claim_code)
                 else n.payload end
       from unnest($2::bigint[], $3::text[], $4::jsonb[]) as n (beneficiary_id, event_key, payload)
       join beneficiaries b on b.id = n.beneficiary_id and b.erased_at is null
       left join persons p on p.id = b.person_id
       cross join lateral (values
         ('email', coalesce(b.email, p.email)),
         ('sms', case when coalesce(b.email, p.email) is null then b.phone end),
         ('in_app', null)) as c (channel, address)
      where case c.channel when 'in_app' then b.person_id is not null else c.address is not null end
     on conflict (event_key, channel) do nothing`,
    [template, ...columns(notices)],
  );
  return result.rowCount ?? 0;
}

export type QueuedInAppNotice = {
  id: number;
  personId: number;
  eventKey: string;
  payload: unknown;
};

/** Email to the account's address and in-app; answers the in-app rows written, to deliver. */
export async function insertPersonNotices(
  client: pg.ClientBase,
  template: string,
  notices: QueuedNotice[],
): Promise<{ written: number; inApp: QueuedInAppNotice[] }> {
  const result = await client.query<QueuedInAppNotice & { channel: string }>(
    `insert into notification_outbox (person_id, channel, address, template, event_key, payload)
     select p.id, c.channel, c.address, $1, n.event_key, n.payload
       from unnest($2::bigint[], $3::text[], $4::jsonb[]) as n (person_id, event_key, payload)
       join persons p on p.id = n.person_id
       cross join lateral (values ('email', p.email), ('in_app', null)) as c (channel, address)
     on conflict (event_key, channel) do nothing
     returning id, channel, person_id as "personId", event_key as "eventKey", payload`,
    [template, ...columns(notices)],
  );
  return {
    written: result.rows.length,
    inApp: result.rows.filter((row) => row.channel === 'in_app'),
  };
}
