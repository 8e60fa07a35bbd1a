import type pg from 'pg';
import type { Population } from '../beneficiaries/population-store.js';
import type { BeneficiaryFacts } from '../programmes/rules/facts.js';
import type { SimulationReport } from '../programmes/rules/simulation.js';
import type { TransferRequest } from '../ledger/model.js';
import type { AttributionStatus, CampaignStatus, Funding, FundingWeight } from './model.js';

// SQL of campaigns and attributions, and only here. Envelopes are ledger accounts.

type Queryable = pg.Pool | pg.ClientBase;

/** When a funder has set nothing: 50,000 € in one campaign needs two approvers. */
export const DEFAULT_FOUR_EYES_THRESHOLD_CENTS = 5_000_000;

export type CampaignRecord = {
  id: number;
  organisationId: number;
  programmeId: number;
  programmeName: string;
  ruleVersion: number;
  name: string;
  population: Population;
  referenceDate: string;
  status: CampaignStatus;
  simulation: SimulationReport | null;
  examinedCount: number;
  eligibleCount: number;
  alreadyAttributedCount: number;
  totalCents: number;
  fourEyesThresholdCents: number;
  fundingWeights: FundingWeight[] | null;
  createdByPersonId: number | null;
  firstApprovedByPersonId: number | null;
  firstApprovedAt: Date | null;
  secondApprovedByPersonId: number | null;
  secondApprovedAt: Date | null;
  creditedCount: number;
  creditedCents: number;
  lotsDone: number;
  stopReason: string | null;
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const CAMPAIGN_SELECT = `select c.id, c.organisation_id as "organisationId",
  c.programme_id as "programmeId", p.name as "programmeName", c.rule_version as "ruleVersion",
  c.name, c.population, to_char(c.reference_date, 'YYYY-MM-DD') as "referenceDate", c.status,
  c.simulation, c.examined_count as "examinedCount", c.eligible_count as "eligibleCount",
  c.already_attributed_count as "alreadyAttributedCount", c.total_cents as "totalCents",
  c.four_eyes_threshold_cents as "fourEyesThresholdCents", c.funding_weights as "fundingWeights",
  c.created_by_person_id as "createdByPersonId",
  c.first_approved_by_person_id as "firstApprovedByPersonId", c.first_approved_at as "firstApprovedAt",
  c.second_approved_by_person_id as "secondApprovedByPersonId",
  c.second_approved_at as "secondApprovedAt", c.credited_count as "creditedCount",
  c.credited_cents as "creditedCents", c.lots_done as "lotsDone", c.stop_reason as "stopReason",
  c.failure, c.created_at as "createdAt", c.started_at as "startedAt", c.finished_at as "finishedAt"
  from campaigns c join programmes p on p.id = c.programme_id`;

export async function fourEyesThreshold(db: Queryable, organisationId: number): Promise<number> {
  const result = await db.query<{ threshold: number }>(
    `select four_eyes_threshold_cents as threshold from funder_settings where organisation_id = $1`,
    [organisationId],
  );
  return result.rows[0]?.threshold ?? DEFAULT_FOUR_EYES_THRESHOLD_CENTS;
}

export async function saveFourEyesThreshold(
  client: pg.ClientBase,
  organisationId: number,
  thresholdCents: number,
  personId: number | null,
): Promise<void> {
  await client.query(
    `insert into funder_settings (organisation_id, four_eyes_threshold_cents, updated_by_person_id)
     values ($1, $2, $3)
     on conflict (organisation_id) do update set four_eyes_threshold_cents = excluded.four_eyes_threshold_cents,
       updated_by_person_id = excluded.updated_by_person_id, updated_at = now()`,
    [organisationId, thresholdCents, personId],
  );
}

export async function insertCampaign(
  client: pg.ClientBase,
  campaign: {
    organisationId: number;
    programmeId: number;
    ruleVersion: number;
    name: string;
    population: Population;
    referenceDate: string;
    fourEyesThresholdCents: number;
    createdByPersonId: number | null;
  },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into campaigns (organisation_id, programme_id, rule_version, name, population,
       reference_date, status, four_eyes_threshold_cents, created_by_person_id)
     values ($1, $2, $3, $4, $5, $6, 'simulating', $7, $8) returning id`,
    [
      campaign.organisationId,
      campaign.programmeId,
      campaign.ruleVersion,
      campaign.name,
      JSON.stringify(campaign.population),
      campaign.referenceDate,
      campaign.fourEyesThresholdCents,
      campaign.createdByPersonId,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function findCampaignInScope(
  db: Queryable,
  visibleIds: number[] | null,
  campaignId: number,
  options: { lock?: boolean } = {},
): Promise<CampaignRecord | undefined> {
  const result = await db.query<CampaignRecord>(
    `${CAMPAIGN_SELECT} where c.id = $2 and ($1::bigint[] is null or c.organisation_id = any($1))
     ${options.lock === true ? 'for update of c' : ''}`,
    [visibleIds, campaignId],
  );
  return result.rows[0];
}

export async function listCampaignsInScope(
  db: Queryable,
  visibleIds: number[] | null,
  programmeId: number | undefined,
): Promise<CampaignRecord[]> {
  const result = await db.query<CampaignRecord>(
    `${CAMPAIGN_SELECT} where ($1::bigint[] is null or c.organisation_id = any($1))
       and ($2::bigint is null or c.programme_id = $2)
     order by c.id desc limit 200`,
    [visibleIds, programmeId ?? null],
  );
  return result.rows;
}

/** Campaigns a process stopped in the middle of: found again at start, and resumed. */
export async function unfinishedCampaignIds(db: Queryable): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `select id from campaigns where status = 'crediting' or status = 'approved' order by id`,
  );
  return result.rows.map((row) => row.id);
}

export async function interruptedSimulationIds(db: Queryable): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `select id from campaigns where status = 'simulating' order by id`,
  );
  return result.rows.map((row) => row.id);
}

export async function updateCampaign(
  db: Queryable,
  campaignId: number,
  change: Partial<{
    status: CampaignStatus;
    examinedCount: number;
    simulation: SimulationReport;
    eligibleCount: number;
    alreadyAttributedCount: number;
    totalCents: number;
    fundingWeights: FundingWeight[];
    firstApprovedByPersonId: number;
    secondApprovedByPersonId: number;
    stopReason: string;
    failure: string;
    started: true;
    finished: true;
  }>,
): Promise<void> {
  await db.query(
    `update campaigns set
       status = coalesce($2, status),
       examined_count = coalesce($3, examined_count),
       simulation = coalesce($4::jsonb, simulation),
       eligible_count = coalesce($5, eligible_count),
       already_attributed_count = coalesce($6, already_attributed_count),
       total_cents = coalesce($7, total_cents),
       funding_weights = coalesce($8::jsonb, funding_weights),
       first_approved_by_person_id = coalesce($9, first_approved_by_person_id),
       first_approved_at = case when $9::bigint is null then first_approved_at else now() end,
       second_approved_by_person_id = coalesce($10, second_approved_by_person_id),
       second_approved_at = case when $10::bigint is null then second_approved_at else now() end,
       stop_reason = coalesce($11, stop_reason),
       failure = coalesce($12, failure),
       started_at = case when $13 then coalesce(started_at, now()) else started_at end,
       finished_at = case when $14 then now() else finished_at end
     where id = $1`,
    [
      campaignId,
      change.status ?? null,
      change.examinedCount ?? null,
      change.simulation === undefined ? null : JSON.stringify(change.simulation),
      change.eligibleCount ?? null,
      change.alreadyAttributedCount ?? null,
      change.totalCents ?? null,
      change.fundingWeights === undefined ? null : JSON.stringify(change.fundingWeights),
      change.firstApprovedByPersonId ?? null,
      change.secondApprovedByPersonId ?? null,
      change.stopReason?.slice(0, 500) ?? null,
      change.failure?.slice(0, 500) ?? null,
      change.started === true,
      change.finished === true,
    ],
  );
}

export type ProposedAttribution = {
  beneficiaryId: number;
  amountCents: number;
  facts: BeneficiaryFacts;
  position: number;
};

/** Proposes a chunk; a beneficiary who already holds a live aid of the programme is skipped. */
export async function insertProposedAttributions(
  client: pg.ClientBase,
  campaign: Pick<
    CampaignRecord,
    'id' | 'organisationId' | 'programmeId' | 'ruleVersion' | 'referenceDate'
  >,
  proposals: ProposedAttribution[],
): Promise<{ inserted: number; insertedCents: number }> {
  if (proposals.length === 0) return { inserted: 0, insertedCents: 0 };
  const result = await client.query<{ inserted: number; cents: number }>(
    `with added as (
       insert into attributions (organisation_id, programme_id, rule_version, beneficiary_id,
         campaign_id, campaign_position, amount_cents, status, facts, reference_date)
       select $1, $2, $3, t.beneficiary_id, $4, t.position, t.amount_cents, 'proposed', t.facts, $5
         from unnest($6::bigint[], $7::bigint[], $8::int[], $9::jsonb[])
           as t(beneficiary_id, amount_cents, position, facts)
       on conflict (programme_id, beneficiary_id)
         where status in ('proposed', 'approved', 'credited', 'suspended') do nothing
       returning amount_cents)
     select count(*)::int as inserted, coalesce(sum(amount_cents), 0)::bigint as cents from added`,
    [
      campaign.organisationId,
      campaign.programmeId,
      campaign.ruleVersion,
      campaign.id,
      campaign.referenceDate,
      proposals.map((proposal) => proposal.beneficiaryId),
      proposals.map((proposal) => proposal.amountCents),
      proposals.map((proposal) => proposal.position),
      proposals.map((proposal) => JSON.stringify(proposal.facts)),
    ],
  );
  const row = result.rows[0] as { inserted: number; cents: number };
  return { inserted: row.inserted, insertedCents: row.cents };
}

/** A cancelled campaign releases its proposals, so that another campaign may propose them. */
export async function revokeProposals(client: pg.ClientBase, campaignId: number): Promise<number> {
  const result = await client.query(
    `update attributions set status = 'revoked', status_changed_at = now()
      where campaign_id = $1 and status = 'proposed'`,
    [campaignId],
  );
  return result.rowCount ?? 0;
}

export type LotRow = {
  lot: number;
  clientId: string;
  lastPosition: number;
  /** In the order of `attributionIds`. */
  fundings: Funding[];
  request: TransferRequest;
  attributionIds: number[];
  status: 'pending' | 'credited' | 'refused';
};

export async function campaignLots(db: Queryable, campaignId: number): Promise<LotRow[]> {
  const result = await db.query<LotRow>(
    `select lot, client_id as "clientId", last_position as "lastPosition", fundings, request, attribution_ids as "attributionIds", status
       from campaign_lots where campaign_id = $1 order by lot`,
    [campaignId],
  );
  return result.rows;
}

export type Proposal = { id: number; amountCents: number; position: number };

/** The next proposals of a campaign that no lot has taken yet, in campaign order. */
export async function nextProposals(
  db: Queryable,
  campaignId: number,
  afterPosition: number,
  limit: number,
): Promise<Proposal[]> {
  const result = await db.query<Proposal>(
    `select id, amount_cents as "amountCents", campaign_position as position from attributions
      where campaign_id = $1 and status = 'proposed' and campaign_position > $2
      order by campaign_position limit $3`,
    [campaignId, afterPosition, limit],
  );
  return result.rows;
}

/** Proposals of refused lots that no other lot holds: they are tried one by one. */
export async function proposalsLeftByRefusedLots(
  db: Queryable,
  campaignId: number,
): Promise<Proposal[]> {
  const result = await db.query<Proposal>(
    `select a.id, a.amount_cents as "amountCents", a.campaign_position as position
       from attributions a
      where a.campaign_id = $1 and a.status = 'proposed'
        and exists (select 1 from campaign_lots l where l.campaign_id = $1 and l.status = 'refused'
                      and a.id = any(l.attribution_ids))
        and not exists (select 1 from campaign_lots l where l.campaign_id = $1 and l.status <> 'refused'
                      and a.id = any(l.attribution_ids))
      order by a.campaign_position`,
    [campaignId],
  );
  return result.rows;
}

export async function insertLots(
  client: pg.ClientBase,
  campaignId: number,
  lots: Omit<LotRow, 'status'>[],
): Promise<void> {
  for (const lot of lots) {
    await client.query(
      `insert into campaign_lots (campaign_id, lot, client_id, last_position, fundings, request,
         attribution_ids, status)
       values ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
      [
        campaignId,
        lot.lot,
        lot.clientId,
        lot.lastPosition,
        JSON.stringify(lot.fundings),
        JSON.stringify(lot.request),
        lot.attributionIds,
      ],
    );
  }
}

export async function markLots(
  client: Queryable,
  campaignId: number,
  lots: Pick<LotRow, 'lot'>[],
  statuses: ('credited' | 'refused')[],
): Promise<void> {
  await client.query(
    `update campaign_lots l set status = t.status
       from unnest($2::int[], $3::text[]) as t(lot, status)
      where l.campaign_id = $1 and l.lot = t.lot`,
    [campaignId, lots.map((lot) => lot.lot), statuses],
  );
}

export type CreditedRow = { id: number; beneficiaryId: number; amountCents: number };

export type CreditedEnvelope = { attributionId: number; accountId: number; funding: Funding };

/**
 * Marks proposals or approvals credited with their envelope, in one update per row (a second
 * one would rewrite every index of the row again); returns those that actually changed.
 */
export async function creditAttributions(
  client: pg.ClientBase,
  envelopes: CreditedEnvelope[],
  creditedAt: Date,
  validUntil: string | null,
): Promise<CreditedRow[]> {
  const result = await client.query<CreditedRow>(
    `update attributions a set status = 'credited', envelope_account_id = t.account_id,
            funding = t.funding, credited_at = $4, valid_until = $5, status_changed_at = $4
       from unnest($1::bigint[], $2::bigint[], $3::jsonb[]) as t(id, account_id, funding)
      where a.id = t.id and a.status in ('proposed', 'approved')
      returning a.id, a.beneficiary_id as "beneficiaryId", a.amount_cents as "amountCents"`,
    [
      envelopes.map((envelope) => envelope.attributionId),
      envelopes.map((envelope) => envelope.accountId),
      envelopes.map((envelope) => JSON.stringify(envelope.funding)),
      creditedAt,
      validUntil,
    ],
  );
  return result.rows;
}

export async function addCredited(
  client: pg.ClientBase,
  campaignId: number,
  credited: { count: number; cents: number; lots: number },
): Promise<void> {
  await client.query(
    `update campaigns set credited_count = credited_count + $2, credited_cents = credited_cents + $3,
            lots_done = lots_done + $4 where id = $1`,
    [campaignId, credited.count, credited.cents, credited.lots],
  );
}

export type AttributionRecord = {
  id: number;
  organisationId: number;
  programmeId: number;
  programmeName: string;
  funderName: string;
  ruleVersion: number;
  beneficiaryId: number;
  campaignId: number | null;
  applicationId: number | null;
  amountCents: number;
  status: AttributionStatus;
  facts: BeneficiaryFacts;
  referenceDate: string;
  envelopeAccountId: number | null;
  funding: Funding | null;
  creditedAt: Date | null;
  validUntil: Date | null;
  statusChangedAt: Date;
  createdAt: Date;
};

const ATTRIBUTION_SELECT = `select a.id, a.organisation_id as "organisationId",
  a.programme_id as "programmeId", p.name as "programmeName", o.name as "funderName",
  a.rule_version as "ruleVersion", a.beneficiary_id as "beneficiaryId",
  a.campaign_id as "campaignId", a.application_id as "applicationId",
  a.amount_cents as "amountCents", a.status, a.facts,
  to_char(a.reference_date, 'YYYY-MM-DD') as "referenceDate",
  a.envelope_account_id as "envelopeAccountId", a.funding, a.credited_at as "creditedAt",
  a.valid_until as "validUntil", a.status_changed_at as "statusChangedAt", a.created_at as "createdAt"
  from attributions a join programmes p on p.id = a.programme_id
  join organisations o on o.id = a.organisation_id`;

export async function findAttributionInScope(
  db: Queryable,
  visibleIds: number[] | null,
  attributionId: number,
  options: { lock?: boolean } = {},
): Promise<AttributionRecord | undefined> {
  const result = await db.query<AttributionRecord>(
    `${ATTRIBUTION_SELECT} where a.id = $2 and ($1::bigint[] is null or a.organisation_id = any($1))
     ${options.lock === true ? 'for update of a' : ''}`,
    [visibleIds, attributionId],
  );
  return result.rows[0];
}

export async function listCampaignAttributions(
  db: Queryable,
  campaignId: number,
  page: { offset: number; limit: number; status?: AttributionStatus | undefined },
): Promise<{
  rows: (AttributionRecord & { beneficiaryName: string; communeCode: string | null })[];
  total: number;
}> {
  const result = await db.query<
    AttributionRecord & { beneficiaryName: string; communeCode: string | null; total: number }
  >(
    `${ATTRIBUTION_SELECT.replace(
      'from attributions a',
      `, coalesce(b.legal_name, b.given_names || ' ' || b.family_name, 'données effacées') as "beneficiaryName",
         b.commune_code as "communeCode", count(*) over ()::int as total
       from attributions a join beneficiaries b on b.id = a.beneficiary_id`,
    )} where a.campaign_id = $1 and ($4::text is null or a.status = $4)
     order by a.campaign_position offset $2 limit $3`,
    [campaignId, page.offset, page.limit, page.status ?? null],
  );
  return { rows: result.rows, total: result.rows[0]?.total ?? 0 };
}

/** Every aid held through the beneficiary records linked to a person. */
export async function attributionsOfPerson(
  db: Queryable,
  personId: number,
): Promise<AttributionRecord[]> {
  const result = await db.query<AttributionRecord>(
    `${ATTRIBUTION_SELECT} join beneficiaries b on b.id = a.beneficiary_id
      where b.person_id = $1 and a.status in ('credited', 'suspended', 'expired', 'revoked')
        and a.envelope_account_id is not null
      order by a.credited_at desc nulls last, a.id desc limit 200`,
    [personId],
  );
  return result.rows;
}

export async function insertAttribution(
  client: pg.ClientBase,
  attribution: {
    organisationId: number;
    programmeId: number;
    ruleVersion: number;
    beneficiaryId: number;
    applicationId: number | null;
    amountCents: number;
    facts: BeneficiaryFacts;
    referenceDate: string;
  },
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `insert into attributions (organisation_id, programme_id, rule_version, beneficiary_id,
       application_id, amount_cents, status, facts, reference_date)
     values ($1, $2, $3, $4, $5, $6, 'approved', $7, $8)
     on conflict (programme_id, beneficiary_id)
       where status in ('proposed', 'approved', 'credited', 'suspended') do nothing
     returning id`,
    [
      attribution.organisationId,
      attribution.programmeId,
      attribution.ruleVersion,
      attribution.beneficiaryId,
      attribution.applicationId,
      attribution.amountCents,
      JSON.stringify(attribution.facts),
      attribution.referenceDate,
    ],
  );
  return result.rows[0]?.id;
}

export async function setAttributionStatus(
  client: pg.ClientBase,
  attributionId: number,
  status: AttributionStatus,
): Promise<void> {
  await client.query(
    `update attributions set status = $2, status_changed_at = now() where id = $1`,
    [attributionId, status],
  );
}

export async function insertAttributionEvent(
  client: pg.ClientBase,
  event: {
    attributionId: number;
    fromStatus: AttributionStatus | null;
    toStatus: AttributionStatus;
    reason: string;
    personId: number | null;
  },
): Promise<void> {
  await client.query(
    `insert into attribution_events (attribution_id, from_status, to_status, reason, person_id)
     values ($1, $2, $3, $4, $5)`,
    [event.attributionId, event.fromStatus, event.toStatus, event.reason, event.personId],
  );
}

export type AttributionEventRow = {
  fromStatus: AttributionStatus | null;
  toStatus: AttributionStatus;
  reason: string;
  personName: string | null;
  occurredAt: Date;
};

export async function attributionEvents(
  db: Queryable,
  attributionId: number,
): Promise<AttributionEventRow[]> {
  const result = await db.query<AttributionEventRow>(
    `select e.from_status as "fromStatus", e.to_status as "toStatus", e.reason,
            p.display_name as "personName", e.occurred_at as "occurredAt"
       from attribution_events e left join persons p on p.id = e.person_id
      where e.attribution_id = $1 order by e.id limit 500`,
    [attributionId],
  );
  return result.rows;
}

export async function personNames(
  db: Queryable,
  personIds: number[],
): Promise<Map<number, string>> {
  const result = await db.query<{ id: number; name: string }>(
    `select id, display_name as name from persons where id = any($1)`,
    [personIds],
  );
  return new Map(result.rows.map((row) => [row.id, row.name]));
}

export async function organisationName(db: Queryable, organisationId: number): Promise<string> {
  const result = await db.query<{ name: string }>(`select name from organisations where id = $1`, [
    organisationId,
  ]);
  return result.rows[0]?.name ?? '';
}

// Any constant works; it only has to differ from the other advisory locks of the platform.
const CAMPAIGN_LOCK_CLASS = 74_150_205;

/** Session-level: held by this connection until released, or until the connection dies. */
export async function tryCampaignLock(client: pg.ClientBase, campaignId: number): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>(
    'select pg_try_advisory_lock($1, $2) as locked',
    [CAMPAIGN_LOCK_CLASS, campaignId],
  );
  return result.rows[0]?.locked === true;
}

export async function releaseCampaignLock(
  client: pg.ClientBase,
  campaignId: number,
): Promise<void> {
  await client.query('select pg_advisory_unlock($1, $2)', [CAMPAIGN_LOCK_CLASS, campaignId]);
}
