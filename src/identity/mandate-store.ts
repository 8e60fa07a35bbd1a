import type pg from 'pg';
import type { MandateScope } from './permissions.js';

// SQL of aidant mandates.

export type MandateDuration = '1_jour' | '1_mois' | '6_mois' | '1_an';

export type MandateRecord = {
  id: number;
  beneficiaryPersonId: number;
  beneficiaryDisplayName: string;
  aidantPersonId: number;
  aidantDisplayName: string;
  aidantEmail: string;
  scopes: MandateScope[];
  duration: MandateDuration;
  startsAt: Date;
  endsAt: Date;
  revokedAt: Date | null;
};

const MANDATE_SELECT = `select m.id, m.beneficiary_person_id as "beneficiaryPersonId",
  b.display_name as "beneficiaryDisplayName", m.aidant_person_id as "aidantPersonId",
  a.display_name as "aidantDisplayName", a.email as "aidantEmail", m.scopes, m.duration,
  m.starts_at as "startsAt", m.ends_at as "endsAt", m.revoked_at as "revokedAt"
  from mandates m join persons b on b.id = m.beneficiary_person_id
  join persons a on a.id = m.aidant_person_id`;

const DURATION_INTERVALS: Record<MandateDuration, string> = {
  '1_jour': '1 day',
  '1_mois': '1 month',
  '6_mois': '6 months',
  '1_an': '1 year',
};

export async function insertMandate(
  client: pg.ClientBase,
  mandate: {
    beneficiaryPersonId: number;
    aidantPersonId: number;
    scopes: MandateScope[];
    duration: MandateDuration;
    consentText: string;
  },
): Promise<MandateRecord> {
  const inserted = await client.query<{ id: number }>(
    `insert into mandates (beneficiary_person_id, aidant_person_id, scopes, duration, consent_text,
                           consent_recorded_at, starts_at, ends_at)
     values ($1, $2, $3, $4, $5, now(), now(), now() + $6::interval) returning id`,
    [
      mandate.beneficiaryPersonId,
      mandate.aidantPersonId,
      mandate.scopes,
      mandate.duration,
      mandate.consentText,
      DURATION_INTERVALS[mandate.duration],
    ],
  );
  const id = (inserted.rows[0] as { id: number }).id;
  const result = await client.query<MandateRecord>(`${MANDATE_SELECT} where m.id = $1`, [id]);
  return result.rows[0] as MandateRecord;
}

/** The mandates a person gave or received, newest first. */
export async function listMandatesOf(pool: pg.Pool, personId: number): Promise<MandateRecord[]> {
  const result = await pool.query<MandateRecord>(
    `${MANDATE_SELECT} where m.beneficiary_person_id = $1 or m.aidant_person_id = $1
      order by m.id desc limit 200`,
    [personId],
  );
  return result.rows;
}

/**
 * What the live mandates from this beneficiary let this aidant do: the union of their scopes,
 * and the newest one's id for the journal; undefined when none is live.
 */
export async function findLiveMandate(
  pool: pg.Pool,
  aidantPersonId: number,
  beneficiaryPersonId: number,
): Promise<{ id: number; scopes: MandateScope[] } | undefined> {
  const result = await pool.query<{ id: number | null; scopes: MandateScope[] }>(
    `select max(id) as id,
            array(select distinct scope from mandates live, unnest(live.scopes) as scope
                   where live.aidant_person_id = $1 and live.beneficiary_person_id = $2
                     and live.revoked_at is null and live.starts_at <= now()
                     and live.ends_at > now()
                   order by scope) as scopes
       from mandates
      where aidant_person_id = $1 and beneficiary_person_id = $2 and revoked_at is null
        and starts_at <= now() and ends_at > now()`,
    [aidantPersonId, beneficiaryPersonId],
  );
  const row = result.rows[0];
  return row === undefined || row.id === null ? undefined : { id: row.id, scopes: row.scopes };
}

/** Revokes a live mandate given or received by this person; answers it, or undefined. */
export async function revokeMandate(
  client: pg.ClientBase,
  mandateId: number,
  personId: number,
): Promise<MandateRecord | undefined> {
  const result = await client.query<{ id: number }>(
    `update mandates set revoked_at = now(), revoked_by_person_id = $2
      where id = $1 and (beneficiary_person_id = $2 or aidant_person_id = $2)
        and revoked_at is null and ends_at > now()
      returning id`,
    [mandateId, personId],
  );
  if (result.rowCount !== 1) return undefined;
  const mandate = await client.query<MandateRecord>(`${MANDATE_SELECT} where m.id = $1`, [
    mandateId,
  ]);
  return mandate.rows[0];
}

/**
 * Live mandates nearing their end and not yet announced, locked so that two servers running
 * the reminder job do not both take the same one.
 */
export async function claimMandatesToRemind(
  client: pg.ClientBase,
  limit: number,
): Promise<MandateRecord[]> {
  const result = await client.query<MandateRecord>(
    `with due as (
       select id from mandates
        where revoked_at is null and reminder_sent_at is null and ends_at > now()
          and ends_at - now() <= least(interval '7 days', (ends_at - starts_at) / 4)
        order by ends_at limit $1 for update skip locked)
     ${MANDATE_SELECT} where m.id in (select id from due)`,
    [limit],
  );
  return result.rows;
}

export async function markMandateReminded(client: pg.ClientBase, mandateId: number): Promise<void> {
  await client.query('update mandates set reminder_sent_at = now() where id = $1', [mandateId]);
}
