import type pg from 'pg';

// Read-only SQL over what other domains hold about a beneficiary (attributions, applications,
// notifications, the journal), for the record's page and for the GDPR access right.

const MAX_ROWS = 1_000;

export type AttributionSummary = {
  id: number;
  programmeId: number;
  programmeName: string;
  amountCents: number;
  status: 'proposed' | 'approved' | 'credited' | 'suspended' | 'revoked' | 'expired';
  creditedAt: Date | null;
  validUntil: Date | null;
};

export type ApplicationSummary = {
  id: number;
  programmeName: string;
  status: 'submitted' | 'information_requested' | 'accepted' | 'refused' | 'withdrawn';
  createdAt: Date;
};

export async function attributionsOf(
  pool: pg.Pool,
  beneficiaryId: number,
): Promise<AttributionSummary[]> {
  const result = await pool.query<AttributionSummary>(
    `select a.id, a.programme_id as "programmeId", p.name as "programmeName",
            a.amount_cents as "amountCents", a.status, a.credited_at as "creditedAt",
            a.valid_until as "validUntil"
       from attributions a join programmes p on p.id = a.programme_id
      where a.beneficiary_id = $1 order by a.id desc limit ${MAX_ROWS}`,
    [beneficiaryId],
  );
  return result.rows;
}

export async function applicationsOf(
  pool: pg.Pool,
  organisationId: number,
  beneficiaryId: number,
): Promise<ApplicationSummary[]> {
  const result = await pool.query<ApplicationSummary>(
    `select ap.id, p.name as "programmeName", ap.status, ap.created_at as "createdAt"
       from applications ap join programmes p on p.id = ap.programme_id
      where ap.organisation_id = $1 and ap.beneficiary_id = $2 order by ap.id desc limit ${MAX_ROWS}`,
    [organisationId, beneficiaryId],
  );
  return result.rows;
}

/** Everything held about the record beyond its own columns, as stored. */
export async function personalDataAbout(
  pool: pg.Pool,
  organisationId: number,
  beneficiaryId: number,
): Promise<{
  attributions: unknown[];
  applications: unknown[];
  notifications: unknown[];
  journal: unknown[];
}> {
  const attributions = await pool.query(
    `select a.id, a.programme_id as "programmeId", p.name as "programmeName",
            a.rule_version as "ruleVersion", a.campaign_id as "campaignId",
            a.application_id as "applicationId", a.amount_cents as "amountCents", a.status,
            a.facts, a.reference_date as "referenceDate", a.credited_at as "creditedAt",
            a.valid_until as "validUntil", a.status_changed_at as "statusChangedAt",
            a.created_at as "createdAt",
            (select coalesce(json_agg(json_build_object(
                      'fromStatus', e.from_status, 'toStatus', e.to_status, 'reason', e.reason,
                      'personId', e.person_id, 'occurredAt', e.occurred_at) order by e.id), '[]')
               from attribution_events e where e.attribution_id = a.id) as history
       from attributions a join programmes p on p.id = a.programme_id
      where a.beneficiary_id = $1 order by a.id limit ${MAX_ROWS}`,
    [beneficiaryId],
  );
  const applications = await pool.query(
    `select ap.id, ap.programme_id as "programmeId", p.name as "programmeName",
            ap.rule_version as "ruleVersion", ap.answers, ap.status,
            ap.decision_reason as "decisionReason", ap.decided_at as "decidedAt",
            ap.created_at as "createdAt", ap.updated_at as "updatedAt",
            (select coalesce(json_agg(json_build_object('fileName', d.file_name,
                      'mediaType', d.media_type, 'sizeBytes', d.size_bytes,
                      'createdAt', d.created_at) order by d.id), '[]')
               from application_documents d where d.application_id = ap.id) as documents,
            (select coalesce(json_agg(json_build_object('authorSide', m.author_side,
                      'body', m.body, 'createdAt', m.created_at) order by m.id), '[]')
               from application_messages m where m.application_id = ap.id) as messages
       from applications ap join programmes p on p.id = ap.programme_id
      where ap.organisation_id = $1 and ap.beneficiary_id = $2 order by ap.id limit ${MAX_ROWS}`,
    [organisationId, beneficiaryId],
  );
  const notifications = await pool.query(
    `select id, channel, address, template, event_key as "eventKey", payload, status, attempts,
            created_at as "createdAt", sent_at as "sentAt"
       from notification_outbox where beneficiary_id = $1 order by id limit ${MAX_ROWS}`,
    [beneficiaryId],
  );
  const journal = await pool.query(
    `select id, occurred_at as "occurredAt", actor_type as "actorType",
            actor_person_id as "actorPersonId", on_behalf_of_person_id as "onBehalfOfPersonId",
            action, before_summary as before, after_summary as after
       from audit_journal where target_type = 'beneficiary' and target_id = $1::text
      order by id limit ${MAX_ROWS}`,
    [beneficiaryId],
  );
  return {
    attributions: attributions.rows,
    applications: applications.rows,
    notifications: notifications.rows,
    journal: journal.rows,
  };
}
