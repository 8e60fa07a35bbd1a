import type pg from 'pg';
import type { HouseholdFacts } from './facts.js';
import { newClaimCode, newClaimCodes } from './claim-codes.js';
import { identityKey, type BeneficiaryKind } from './model.js';
import type { BeneficiaryInput } from './schemas.js';

// SQL of the beneficiary registry, and only here. A record belongs to one funder; it is linked
// to a person's account only when that person claims it or signs in with its email.

export type BeneficiaryRecord = {
  id: number;
  organisationId: number;
  funderName: string;
  kind: BeneficiaryKind;
  familyName: string | null;
  givenNames: string | null;
  birthDate: string | null;
  legalName: string | null;
  siret: string | null;
  organisationKind: string | null;
  addressLine: string | null;
  postalCode: string | null;
  communeCode: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  household: HouseholdFacts;
  personId: number | null;
  claimCode: string | null;
  importId: number | null;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
};

export const BENEFICIARY_COLUMNS = `b.id, b.organisation_id as "organisationId",
  o.name as "funderName", b.kind, b.family_name as "familyName",
  b.given_names as "givenNames", to_char(b.birth_date, 'YYYY-MM-DD') as "birthDate",
  b.legal_name as "legalName", b.siret, b.organisation_kind as "organisationKind",
  b.address_line as "addressLine", b.postal_code as "postalCode", b.commune_code as "communeCode",
  b.email, b.phone, b.external_id as "externalId", b.household, b.person_id as "personId",
  b.claim_code as "claimCode", b.import_id as "importId", b.created_at as "createdAt",
  b.updated_at as "updatedAt", b.erased_at as "erasedAt"`;

export const BENEFICIARY_FROM = 'beneficiaries b join organisations o on o.id = b.organisation_id';

function identityKeyOf(input: BeneficiaryInput): string | null {
  return identityKey({
    kind: input.kind,
    familyName: input.familyName ?? null,
    givenNames: input.givenNames ?? null,
    birthDate: input.birthDate ?? null,
    communeCode: input.communeCode ?? null,
    siret: input.siret ?? null,
  });
}

/**
 * A record as a row of `recordSet`: rows travel as one JSON text, which the database reads in
 * one pass, rather than as one parameter per column.
 */
export function recordRow(
  input: BeneficiaryInput,
  identity = identityKeyOf(input),
): Record<string, unknown> {
  return {
    kind: input.kind,
    family_name: input.familyName ?? null,
    given_names: input.givenNames ?? null,
    birth_date: input.birthDate ?? null,
    legal_name: input.legalName ?? null,
    siret: input.siret ?? null,
    organisation_kind: input.organisationKind ?? null,
    address_line: input.addressLine ?? null,
    postal_code: input.postalCode ?? null,
    commune_code: input.communeCode ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    external_id: input.externalId ?? null,
    household: input.household ?? {},
    identity_key: identity,
  };
}

export const RECORD_COLUMNS = `kind, family_name, given_names, birth_date, legal_name, siret,
  organisation_kind, address_line, postal_code, commune_code, email, phone, external_id,
  household, identity_key`;

/**
 * The rows of a JSON array of `recordRow`s (plus `extraColumns`), named `r`: parameter
 * `$source` when a number, else the column named.
 */
export function recordSet(source: number | string, extraColumns = ''): string {
  const json = typeof source === 'number' ? `$${source}::json` : source;
  return `json_to_recordset(${json}) as r (kind text, family_name text,
    given_names text, birth_date date, legal_name text, siret text, organisation_kind text,
    address_line text, postal_code text, commune_code text, email text, phone text,
    external_id text, household jsonb, identity_key text${extraColumns})`;
}

/** Inserts a validated record with a fresh claim code, and answers its id. */
export async function insertBeneficiary(
  client: pg.ClientBase | pg.Pool,
  organisationId: number,
  input: BeneficiaryInput,
  options: { importId?: number | null; personId?: number | null } = {},
): Promise<number> {
  const personId = options.personId ?? null;
  const result = await client.query<{ id: number }>(
    `insert into beneficiaries (organisation_id, ${RECORD_COLUMNS}, person_id, claim_code, import_id)
     select $1, ${RECORD_COLUMNS}, $3::bigint, $4, $5::bigint from ${recordSet(2)}
     returning id`,
    [
      organisationId,
      JSON.stringify([recordRow(input)]),
      personId,
      // A record linked from the start has nothing left to claim.
      personId === null ? newClaimCode() : null,
      options.importId ?? null,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

/** Many validated records in one statement (a seed, a bulk load), each with its claim code. */
export async function insertBeneficiaries(
  client: pg.ClientBase | pg.Pool,
  organisationId: number,
  inputs: BeneficiaryInput[],
): Promise<number> {
  const claimCodes = newClaimCodes(inputs.length);
  const rows = inputs.map((input, index) => ({
    ...recordRow(input),
    claim_code: claimCodes[index],
  }));
  const result = await client.query(
    `insert into beneficiaries (organisation_id, ${RECORD_COLUMNS}, claim_code)
     select $1, ${RECORD_COLUMNS}, claim_code from ${recordSet(2, ', claim_code text')}`,
    [organisationId, JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}

/** The record of that funder linked to that person, if any (erased records are nobody's). */
export async function findBeneficiaryOfPerson(
  client: pg.ClientBase | pg.Pool,
  organisationId: number,
  personId: number,
): Promise<BeneficiaryRecord | undefined> {
  const result = await client.query<BeneficiaryRecord>(
    `select ${BENEFICIARY_COLUMNS} from ${BENEFICIARY_FROM}
      where b.organisation_id = $1 and b.person_id = $2 and b.erased_at is null`,
    [organisationId, personId],
  );
  return result.rows[0];
}

/**
 * Links every not-yet-linked, not-erased record whose email is the account's, at most one per
 * funder (the oldest) and never at a funder where the person already has a record. Answers how
 * many were linked.
 */
export async function linkRecordsByEmail(
  client: pg.ClientBase | pg.Pool,
  personId: number,
  email: string,
): Promise<number> {
  const result = await client.query(
    `update beneficiaries b set person_id = $1, claim_code = null, updated_at = now()
      where b.id in (
        select distinct on (c.organisation_id) c.id from beneficiaries c
         where c.email = lower($2) and c.person_id is null and c.erased_at is null
           and not exists (select 1 from beneficiaries mine
                            where mine.person_id = $1 and mine.organisation_id = c.organisation_id)
         order by c.organisation_id, c.id)`,
    [personId, email],
  );
  return result.rowCount ?? 0;
}

export async function beneficiaryRecordsOfPerson(
  client: pg.ClientBase | pg.Pool,
  personId: number,
): Promise<BeneficiaryRecord[]> {
  const result = await client.query<BeneficiaryRecord>(
    `select ${BENEFICIARY_COLUMNS} from ${BENEFICIARY_FROM}
      where b.person_id = $1 and b.erased_at is null order by b.id limit 200`,
    [personId],
  );
  return result.rows;
}

/** Whether an aid runs, and when the last one received ended: what retention depends on. */
export type RetentionColumns = { aidRunning: boolean; lastAidEndedAt: Date | null };

export type RegistryRow = BeneficiaryRecord & RetentionColumns;

const RETENTION_LATERAL = `cross join lateral (
  select coalesce(bool_or(a.status in ('proposed', 'approved', 'suspended')
                          or (a.status = 'credited' and (a.valid_until is null or a.valid_until > now()))),
                  false)
         or exists (select 1 from applications ap
                     where ap.organisation_id = b.organisation_id
                       and ap.status in ('submitted', 'information_requested')
                       and ap.beneficiary_id = b.id) as "aidRunning",
         max(case when a.credited_at is null then null
                  when a.status in ('revoked', 'expired') then a.status_changed_at
                  when a.status = 'credited' and a.valid_until <= now() then a.valid_until end)
           as "lastAidEndedAt"
    from attributions a where a.beneficiary_id = b.id) r`;

const REGISTRY_SELECT = `select ${BENEFICIARY_COLUMNS}, r."aidRunning", r."lastAidEndedAt"
  from ${BENEFICIARY_FROM} ${RETENTION_LATERAL}`;

/** A record of these funders (`funderIds` null: every funder), with its retention facts. */
export async function findBeneficiaryInScope(
  client: pg.ClientBase | pg.Pool,
  funderIds: number[] | null,
  beneficiaryId: number,
  options: { lock?: boolean } = {},
): Promise<RegistryRow | undefined> {
  if (options.lock === true) {
    await client.query('select 1 from beneficiaries where id = $1 for update', [beneficiaryId]);
  }
  const result = await client.query<RegistryRow>(
    `${REGISTRY_SELECT} where b.id = $2 and ($1::bigint[] is null or b.organisation_id = any($1))`,
    [funderIds, beneficiaryId],
  );
  return result.rows[0];
}

export type RegistrySearch = {
  funderIds: number[] | null;
  /** Folded (lower case, no accents): a family name (or « nom prénoms ») prefix. */
  foldedSearch: string | null;
  /** As typed: an exact identifier, or part of a legal name. */
  search: string | null;
  communeCode: string | null;
  importId: number | null;
  offset: number;
  limit: number;
};

const SEARCH_FILTER = `($1::bigint[] is null or b.organisation_id = any($1))
  and ($2::text is null or replace(b.identity_key, '|', ' ') like $2 || '%'
       or b.external_id = $3 or b.siret = $3 or lower(b.legal_name) like '%' || lower($3) || '%')
  and ($4::text is null or b.commune_code = $4)
  and ($5::bigint is null or b.import_id = $5)`;

export async function searchBeneficiaries(
  pool: pg.Pool,
  search: RegistrySearch,
): Promise<{ rows: RegistryRow[]; total: number }> {
  const parameters = [
    search.funderIds,
    search.foldedSearch,
    search.search,
    search.communeCode,
    search.importId,
  ];
  const result = await pool.query<RegistryRow>(
    `${REGISTRY_SELECT} where ${SEARCH_FILTER} order by b.id desc offset $6 limit $7`,
    [...parameters, search.offset, search.limit],
  );
  const count = await pool.query<{ total: number }>(
    `select count(*)::int as total from beneficiaries b where ${SEARCH_FILTER}`,
    parameters,
  );
  return { rows: result.rows, total: (count.rows[0] as { total: number }).total };
}

/** Rewrites every field of a record (already merged and validated) and its identity key. */
export async function updateBeneficiary(
  client: pg.ClientBase,
  beneficiaryId: number,
  input: BeneficiaryInput,
): Promise<void> {
  await client.query(
    `update beneficiaries set (${RECORD_COLUMNS}, updated_at)
       = (select ${RECORD_COLUMNS}, now() from ${recordSet(2)})
      where id = $1`,
    [beneficiaryId, JSON.stringify([recordRow(input)])],
  );
}

/** The duplicate a new record would make at this funder: same identifier, or same identity. */
export async function findDuplicate(
  client: pg.ClientBase | pg.Pool,
  organisationId: number,
  input: BeneficiaryInput,
  exceptId: number | null,
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `select id from beneficiaries
      where organisation_id = $1 and id is distinct from $4::bigint and erased_at is null
        and (external_id = $2 or identity_key = $3) limit 1`,
    [organisationId, input.externalId ?? null, identityKeyOf(input), exceptId],
  );
  return result.rows[0]?.id;
}

/** Personal columns emptied; the row, its funder, kind and commune stay for the accounts. */
export async function eraseBeneficiary(
  client: pg.ClientBase,
  beneficiaryId: number,
): Promise<void> {
  await client.query(
    `update beneficiaries set family_name = null, given_names = null, birth_date = null,
            legal_name = null, siret = null, address_line = null, postal_code = null, email = null,
            phone = null, external_id = null, household = '{}'::jsonb, identity_key = null,
            person_id = null, claim_code = null, erased_at = now(), updated_at = now()
      where id = $1`,
    [beneficiaryId],
  );
}

/** The record a claim code opens: not linked yet, not erased, locked for the link. */
export async function findClaimable(
  client: pg.ClientBase,
  claimCode: string,
): Promise<BeneficiaryRecord | undefined> {
  const result = await client.query<BeneficiaryRecord>(
    `select ${BENEFICIARY_COLUMNS} from ${BENEFICIARY_FROM}
      where b.claim_code = $1 and b.person_id is null and b.erased_at is null
      for update of b`,
    [claimCode],
  );
  return result.rows[0];
}

export async function linkRecord(
  client: pg.ClientBase,
  beneficiaryId: number,
  personId: number,
): Promise<void> {
  await client.query(
    `update beneficiaries set person_id = $2, claim_code = null, updated_at = now() where id = $1`,
    [beneficiaryId, personId],
  );
}

export async function countRecentClaimFailures(
  client: pg.ClientBase | pg.Pool,
  personId: number,
  windowSeconds: number,
): Promise<number> {
  const result = await client.query<{ failures: number }>(
    `select count(*)::int as failures from beneficiary_claim_attempts
      where person_id = $1 and attempted_at > now() - make_interval(secs => $2)`,
    [personId, windowSeconds],
  );
  return (result.rows[0] as { failures: number }).failures;
}

/** Written outside the refused request's transaction, so that the refusal does not undo it. */
export async function recordClaimFailure(
  pool: pg.Pool,
  personId: number,
  windowSeconds: number,
): Promise<void> {
  await pool.query(
    `with purged as (delete from beneficiary_claim_attempts
                      where person_id = $1 and attempted_at <= now() - make_interval(secs => $2))
     insert into beneficiary_claim_attempts (person_id) values ($1)`,
    [personId, windowSeconds],
  );
}
