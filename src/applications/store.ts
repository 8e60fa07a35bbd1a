import type pg from 'pg';
import type { BeneficiaryFacts } from '../programmes/rules/facts.js';
import type { DocumentMediaType } from './documents.js';
import type { Answers } from './questions.js';

// SQL of applications, their documents, messages and status history, and only here. Names of
// programmes, funders and people are joined for display; nothing here writes outside these
// four tables.

type Queryable = pg.Pool | pg.ClientBase;

export const APPLICATION_STATUSES = [
  'submitted',
  'information_requested',
  'accepted',
  'refused',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['submitted', 'information_requested'];

export type ApplicationRecord = {
  id: number;
  organisationId: number;
  funderName: string;
  programmeId: number;
  programmeName: string;
  ruleVersion: number;
  beneficiaryId: number;
  applicantPersonId: number;
  applicantName: string;
  submittedByPersonId: number;
  submittedByName: string;
  answers: Answers;
  facts: BeneficiaryFacts;
  referenceDate: string;
  eligible: boolean;
  evaluatedAmountCents: number;
  decidedAmountCents: number | null;
  status: ApplicationStatus;
  decisionReason: string | null;
  decidedByPersonId: number | null;
  decidedAt: Date | null;
  attributionId: number | null;
  attributionStatus: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const APPLICATION_SELECT = `select a.id, a.organisation_id as "organisationId", o.name as "funderName",
  a.programme_id as "programmeId", p.name as "programmeName", a.rule_version as "ruleVersion",
  a.beneficiary_id as "beneficiaryId", a.applicant_person_id as "applicantPersonId",
  applicant.display_name as "applicantName", a.submitted_by_person_id as "submittedByPersonId",
  submitter.display_name as "submittedByName", a.answers, a.facts,
  to_char(a.reference_date, 'YYYY-MM-DD') as "referenceDate", a.eligible,
  a.evaluated_amount_cents::float8 as "evaluatedAmountCents",
  a.decided_amount_cents::float8 as "decidedAmountCents", a.status,
  a.decision_reason as "decisionReason", a.decided_by_person_id as "decidedByPersonId",
  a.decided_at as "decidedAt",
  t.id as "attributionId", t.status as "attributionStatus",
  a.created_at as "createdAt", a.updated_at as "updatedAt"
  from applications a
  join programmes p on p.id = a.programme_id
  join organisations o on o.id = a.organisation_id
  join persons applicant on applicant.id = a.applicant_person_id
  join persons submitter on submitter.id = a.submitted_by_person_id
  left join attributions t on t.application_id = a.id`;

export type NewApplication = {
  organisationId: number;
  programmeId: number;
  ruleVersion: number;
  beneficiaryId: number;
  applicantPersonId: number;
  submittedByPersonId: number;
  answers: Answers;
  facts: BeneficiaryFacts;
  referenceDate: string;
  eligible: boolean;
  evaluatedAmountCents: number;
};

/** The new id, or undefined when the person already has an open application to the programme. */
export async function insertApplication(
  client: pg.ClientBase,
  application: NewApplication,
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `insert into applications (organisation_id, programme_id, rule_version, beneficiary_id,
       applicant_person_id, submitted_by_person_id, answers, facts, reference_date, eligible,
       evaluated_amount_cents, status)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, 'submitted')
     on conflict (programme_id, applicant_person_id)
       where status in ('submitted', 'information_requested') do nothing
     returning id`,
    [
      application.organisationId,
      application.programmeId,
      application.ruleVersion,
      application.beneficiaryId,
      application.applicantPersonId,
      application.submittedByPersonId,
      JSON.stringify(application.answers),
      JSON.stringify(application.facts),
      application.referenceDate,
      application.eligible,
      application.evaluatedAmountCents,
    ],
  );
  return result.rows[0]?.id;
}

/**
 * Who may see an application: its applicant (or an aidant acting for them), or the staff of
 * the funder organisations given (null: every organisation).
 */
export type ApplicationScope = { applicantPersonId: number } | { organisationIds: number[] | null };

function scopeFilter(scope: ApplicationScope, parameter: number): string {
  return 'applicantPersonId' in scope
    ? `a.applicant_person_id = $${parameter}`
    : `($${parameter}::bigint[] is null or a.organisation_id = any($${parameter}))`;
}

function scopeValue(scope: ApplicationScope): number | number[] | null {
  return 'applicantPersonId' in scope ? scope.applicantPersonId : scope.organisationIds;
}

export async function findApplicationInScope(
  db: Queryable,
  scope: ApplicationScope,
  applicationId: number,
): Promise<ApplicationRecord | undefined> {
  const result = await db.query<ApplicationRecord>(
    `${APPLICATION_SELECT} where a.id = $1 and ${scopeFilter(scope, 2)}`,
    [applicationId, scopeValue(scope)],
  );
  return result.rows[0];
}

/** Locks the application until the transaction ends and answers its status as it is now. */
export async function lockApplication(
  client: pg.ClientBase,
  applicationId: number,
): Promise<ApplicationStatus> {
  const result = await client.query<{ status: ApplicationStatus }>(
    'select status from applications where id = $1 for update',
    [applicationId],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`application ${applicationId} vanished`);
  return row.status;
}

export async function updateApplicationStatus(
  client: pg.ClientBase,
  applicationId: number,
  change: {
    status: ApplicationStatus;
    decisionReason?: string;
    decidedByPersonId?: number;
    decidedAmountCents?: number | null;
  },
): Promise<void> {
  const decided = change.status === 'accepted' || change.status === 'refused';
  await client.query(
    `update applications set status = $2, updated_at = now(),
       decision_reason = case when $3 then $4 else decision_reason end,
       decided_by_person_id = case when $3 then $5::bigint else decided_by_person_id end,
       decided_at = case when $3 then now() else decided_at end,
       decided_amount_cents = case when $3 then $6::bigint else decided_amount_cents end
     where id = $1`,
    [
      applicationId,
      change.status,
      decided,
      change.decisionReason ?? null,
      change.decidedByPersonId ?? null,
      change.decidedAmountCents ?? null,
    ],
  );
}

export const MAX_PAGE_SIZE = 200;

export type ApplicationFilter = {
  organisationIds: number[] | null;
  status?: ApplicationStatus | undefined;
  offset: number;
  limit: number;
};

export async function listApplicationsInScope(
  db: Queryable,
  filter: ApplicationFilter,
): Promise<{ applications: ApplicationRecord[]; total: number }> {
  const where = `where ($1::bigint[] is null or a.organisation_id = any($1))
    and ($2::text is null or a.status = $2)`;
  const parameters = [filter.organisationIds, filter.status ?? null];
  const [rows, count] = await Promise.all([
    db.query<ApplicationRecord>(
      `${APPLICATION_SELECT} ${where} order by a.id desc offset $3 limit $4`,
      [...parameters, filter.offset, Math.min(filter.limit, MAX_PAGE_SIZE)],
    ),
    db.query<{ total: number }>(
      `select count(*)::int as total from applications a ${where}`,
      parameters,
    ),
  ]);
  return { applications: rows.rows, total: count.rows[0]?.total ?? 0 };
}

export async function listApplicationsOfPerson(
  db: Queryable,
  applicantPersonId: number,
): Promise<ApplicationRecord[]> {
  const result = await db.query<ApplicationRecord>(
    `${APPLICATION_SELECT} where a.applicant_person_id = $1 order by a.id desc limit $2`,
    [applicantPersonId, MAX_PAGE_SIZE],
  );
  return result.rows;
}

// --- Documents ---------------------------------------------------------------------------------

export type DocumentRecord = {
  id: number;
  fileName: string;
  mediaType: DocumentMediaType;
  sizeBytes: number;
  sha256: string;
  uploadedByPersonId: number;
  createdAt: Date;
};

const DOCUMENT_COLUMNS = `id, file_name as "fileName", media_type as "mediaType",
  size_bytes as "sizeBytes", encode(sha256, 'hex') as sha256,
  uploaded_by_person_id as "uploadedByPersonId", created_at as "createdAt"`;

export async function countDocuments(
  client: pg.ClientBase,
  applicationId: number,
): Promise<number> {
  const result = await client.query<{ count: number }>(
    'select count(*)::int as count from application_documents where application_id = $1',
    [applicationId],
  );
  return result.rows[0]?.count ?? 0;
}

export async function insertDocument(
  client: pg.ClientBase,
  document: {
    applicationId: number;
    fileName: string;
    mediaType: DocumentMediaType;
    content: Buffer;
    sha256: Buffer;
    uploadedByPersonId: number;
  },
): Promise<DocumentRecord> {
  const result = await client.query<DocumentRecord>(
    `insert into application_documents
       (application_id, file_name, media_type, size_bytes, sha256, content, uploaded_by_person_id)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${DOCUMENT_COLUMNS}`,
    [
      document.applicationId,
      document.fileName,
      document.mediaType,
      document.content.length,
      document.sha256,
      document.content,
      document.uploadedByPersonId,
    ],
  );
  return result.rows[0] as DocumentRecord;
}

export async function listDocuments(
  db: Queryable,
  applicationId: number,
): Promise<DocumentRecord[]> {
  const result = await db.query<DocumentRecord>(
    `select ${DOCUMENT_COLUMNS} from application_documents where application_id = $1 order by id`,
    [applicationId],
  );
  return result.rows;
}

export async function findDocumentContent(
  db: Queryable,
  applicationId: number,
  documentId: number,
): Promise<(DocumentRecord & { content: Buffer }) | undefined> {
  const result = await db.query<DocumentRecord & { content: Buffer }>(
    `select ${DOCUMENT_COLUMNS}, content from application_documents
      where application_id = $1 and id = $2`,
    [applicationId, documentId],
  );
  return result.rows[0];
}

// --- Messages and history ------------------------------------------------------------------------

export type MessageSide = 'instruction' | 'demandeur';

export type MessageRecord = {
  id: number;
  authorPersonId: number;
  authorName: string;
  authorSide: MessageSide;
  body: string;
  createdAt: Date;
};

export async function insertMessage(
  client: pg.ClientBase,
  message: { applicationId: number; authorPersonId: number; authorSide: MessageSide; body: string },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into application_messages (application_id, author_person_id, author_side, body)
     values ($1, $2, $3, $4) returning id`,
    [message.applicationId, message.authorPersonId, message.authorSide, message.body],
  );
  return (result.rows[0] as { id: number }).id;
}

export const MAX_MESSAGES_SHOWN = 500;

export async function listMessages(db: Queryable, applicationId: number): Promise<MessageRecord[]> {
  const result = await db.query<MessageRecord>(
    `select m.id, m.author_person_id as "authorPersonId", p.display_name as "authorName",
            m.author_side as "authorSide", m.body, m.created_at as "createdAt"
       from application_messages m join persons p on p.id = m.author_person_id
      where m.application_id = $1 order by m.id limit $2`,
    [applicationId, MAX_MESSAGES_SHOWN],
  );
  return result.rows;
}

export type EventRecord = {
  id: number;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  reason: string | null;
  personId: number | null;
  personName: string | null;
  occurredAt: Date;
};

export async function insertEvent(
  client: pg.ClientBase,
  event: {
    applicationId: number;
    fromStatus: ApplicationStatus | null;
    toStatus: ApplicationStatus;
    reason: string | null;
    personId: number;
  },
): Promise<void> {
  await client.query(
    `insert into application_events (application_id, from_status, to_status, reason, person_id)
     values ($1, $2, $3, $4, $5)`,
    [event.applicationId, event.fromStatus, event.toStatus, event.reason, event.personId],
  );
}

export async function listEvents(db: Queryable, applicationId: number): Promise<EventRecord[]> {
  const result = await db.query<EventRecord>(
    `select e.id, e.from_status as "fromStatus", e.to_status as "toStatus", e.reason,
            e.person_id as "personId", p.display_name as "personName", e.occurred_at as "occurredAt"
       from application_events e left join persons p on p.id = e.person_id
      where e.application_id = $1 order by e.id limit $2`,
    [applicationId, MAX_MESSAGES_SHOWN],
  );
  return result.rows;
}

// --- Programmes open to applications ---------------------------------------------------------

export type OpenProgrammeRecord = {
  id: number;
  organisationId: number;
  funderName: string;
  name: string;
  description: string;
  publishedVersion: number;
};

export const MAX_OPEN_PROGRAMMES = 500;

/** Programmes with a published version: the ones a person may apply to. */
export async function listOpenProgrammes(db: Queryable): Promise<OpenProgrammeRecord[]> {
  const result = await db.query<OpenProgrammeRecord>(
    `select p.id, p.organisation_id as "organisationId", o.name as "funderName", p.name,
            p.description, p.published_version as "publishedVersion"
       from programmes p join organisations o on o.id = p.organisation_id
      where p.published_version is not null
      order by o.name, p.name, p.id limit $1`,
    [MAX_OPEN_PROGRAMMES],
  );
  return result.rows;
}

export async function findOpenProgramme(
  db: Queryable,
  programmeId: number,
): Promise<OpenProgrammeRecord | undefined> {
  const result = await db.query<OpenProgrammeRecord>(
    `select p.id, p.organisation_id as "organisationId", o.name as "funderName", p.name,
            p.description, p.published_version as "publishedVersion"
       from programmes p join organisations o on o.id = p.organisation_id
      where p.id = $1 and p.published_version is not null`,
    [programmeId],
  );
  return result.rows[0];
}
