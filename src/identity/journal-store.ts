import type pg from 'pg';

// SQL of the audit journal. Entries are appended by the database function `audit_append`,
// which chains each one to the previous under the head's lock.

export type JournalActorType = 'personne' | 'cle_api' | 'operateur' | 'systeme';

/** Who acts, in the name of whom, and within which request: the same for every entry of one. */
export type JournalContext = {
  actorType: JournalActorType;
  actorPersonId: number | null;
  actorApiKeyId: number | null;
  onBehalfOfPersonId: number | null;
  requestId: string | null;
};

export type JournalEntryInput = {
  organisationId: number | null;
  action: string;
  targetType: string;
  targetId: string | number;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Appends within the caller's transaction: the change and its entry commit together. */
export async function appendJournalEntry(
  client: pg.ClientBase,
  context: JournalContext,
  entry: JournalEntryInput,
): Promise<number> {
  const fields = {
    actor_type: context.actorType,
    actor_person_id: context.actorPersonId,
    actor_api_key_id: context.actorApiKeyId,
    on_behalf_of_person_id: context.onBehalfOfPersonId,
    request_id: context.requestId,
    organisation_id: entry.organisationId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: String(entry.targetId),
    before_summary: entry.before ?? null,
    after_summary: entry.after ?? null,
  };
  const result = await client.query<{ id: number }>('select audit_append($1::jsonb) as id', [
    JSON.stringify(fields),
  ]);
  return (result.rows[0] as { id: number }).id;
}

export type JournalSearch = {
  /** Null: every organisation (platform administrators); otherwise only these. */
  organisationIds: number[] | null;
  personId?: number;
  targetType?: string;
  targetId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
};

export type JournalRow = {
  id: number;
  occurredAt: Date;
  actorType: JournalActorType;
  actorPersonId: number | null;
  actorDisplayName: string | null;
  actorApiKeyId: number | null;
  onBehalfOfPersonId: number | null;
  onBehalfOfDisplayName: string | null;
  organisationId: number | null;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
};

/**
 * An organisation's journal holds its own entries and the personal entries of its current
 * members (logins, password changes: no organisation), so an auditor can follow a person; what
 * a member did in another organisation stays in that organisation's journal.
 */
export async function searchJournal(pool: pg.Pool, search: JournalSearch): Promise<JournalRow[]> {
  const result = await pool.query<JournalRow>(
    `select j.id, j.occurred_at as "occurredAt", j.actor_type as "actorType",
            j.actor_person_id as "actorPersonId", actor.display_name as "actorDisplayName",
            j.actor_api_key_id as "actorApiKeyId", j.on_behalf_of_person_id as "onBehalfOfPersonId",
            principal.display_name as "onBehalfOfDisplayName", j.organisation_id as "organisationId",
            j.action, j.target_type as "targetType", j.target_id as "targetId",
            j.before_summary as before, j.after_summary as after, j.request_id as "requestId"
       from audit_journal j
       left join persons actor on actor.id = j.actor_person_id
       left join persons principal on principal.id = j.on_behalf_of_person_id
      where ($1::bigint[] is null or j.organisation_id = any($1)
             or (j.organisation_id is null and j.actor_person_id in (
                   select m.person_id from memberships m
                    where m.organisation_id = any($1) and m.ended_at is null)))
        and ($2::bigint is null or j.actor_person_id = $2 or j.on_behalf_of_person_id = $2)
        and ($3::text is null or j.target_type = $3)
        and ($4::text is null or j.target_id = $4)
        and ($5::text is null or j.action = $5)
        and ($6::timestamptz is null or j.occurred_at >= $6)
        and ($7::timestamptz is null or j.occurred_at < $7)
        and ($8::bigint is null or j.id < $8)
      order by j.id desc limit $9`,
    [
      search.organisationIds,
      search.personId ?? null,
      search.targetType ?? null,
      search.targetId ?? null,
      search.action ?? null,
      search.from ?? null,
      search.to ?? null,
      search.beforeId ?? null,
      search.limit,
    ],
  );
  return result.rows;
}
