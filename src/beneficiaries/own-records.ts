import type pg from 'pg';
import { identityError } from '../identity/errors.js';
import { journaled } from '../identity/journal.js';
import type { JournalContext } from '../identity/journal-store.js';
import { findPersonById } from '../identity/people-store.js';
import { findCommune } from '../reference/zones.js';
import { normaliseClaimCode } from './claim-codes.js';
import { beneficiaryError } from './errors.js';
import type { RawBeneficiary } from './model.js';
import { correctBeneficiary } from './service.js';
import {
  beneficiaryRecordsOfPerson,
  countRecentClaimFailures,
  findBeneficiaryOfPerson,
  findClaimable,
  linkRecord,
  linkRecordsByEmail,
  recordClaimFailure,
  type BeneficiaryRecord,
} from './store.js';

// A beneficiary's own records at each funder (or those of the person an aidant acts for under
// a mandate): found by the account's email, or claimed with the code of the first
// notification; the person corrects their contact data there.

export const MAX_CLAIM_FAILURES_PER_HOUR = 10;
const CLAIM_WINDOW_SECONDS = 3_600;

export type OwnRecordView = {
  id: number;
  organisationId: number;
  funderName: string;
  kind: 'personne' | 'organisation';
  familyName: string | null;
  givenNames: string | null;
  legalName: string | null;
  email: string | null;
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  communeCode: string | null;
  communeName: string | null;
};

export function presentOwnRecord(record: BeneficiaryRecord): OwnRecordView {
  return {
    id: record.id,
    organisationId: record.organisationId,
    funderName: record.funderName,
    kind: record.kind,
    familyName: record.familyName,
    givenNames: record.givenNames,
    legalName: record.legalName,
    email: record.email,
    phone: record.phone,
    addressLine: record.addressLine,
    postalCode: record.postalCode,
    communeCode: record.communeCode,
    communeName:
      record.communeCode === null ? null : (findCommune(record.communeCode)?.name ?? null),
  };
}

/** Links the records bearing the account's email, then answers every record of the person. */
export async function ownRecords(
  pool: pg.Pool,
  context: JournalContext,
  personId: number,
): Promise<BeneficiaryRecord[]> {
  const person = await findPersonById(pool, personId);
  if (person === undefined) throw identityError('resource_not_found');
  await journaled(pool, context, async (client, journal) => {
    const linked = await linkRecordsByEmail(client, personId, person.email);
    if (linked === 0) return;
    await journal({
      organisationId: null,
      action: 'beneficiary.link_by_email',
      targetType: 'person',
      targetId: personId,
      after: { linked },
    });
  });
  return beneficiaryRecordsOfPerson(pool, personId);
}

export async function correctOwnContact(
  pool: pg.Pool,
  context: JournalContext,
  personId: number,
  beneficiaryId: number,
  correction: Partial<RawBeneficiary>,
): Promise<BeneficiaryRecord> {
  return journaled(pool, context, async (client, journal) => {
    const record = (await beneficiaryRecordsOfPerson(client, personId)).find(
      (candidate) => candidate.id === beneficiaryId,
    );
    if (record === undefined) throw identityError('resource_not_found');
    await correctBeneficiary(client, journal, record, correction, 'beneficiary.contact_update');
    return (await findBeneficiaryOfPerson(
      client,
      record.organisationId,
      personId,
    )) as BeneficiaryRecord;
  });
}

/**
 * Links the record the code opens to the person. Wrong codes are counted per person: past
 * `MAX_CLAIM_FAILURES_PER_HOUR` in an hour, guessing stops there.
 */
export async function claimRecord(
  pool: pg.Pool,
  context: JournalContext,
  personId: number,
  typedCode: string,
): Promise<BeneficiaryRecord> {
  const failures = await countRecentClaimFailures(pool, personId, CLAIM_WINDOW_SECONDS);
  if (failures >= MAX_CLAIM_FAILURES_PER_HOUR) throw beneficiaryError('too_many_claim_attempts');
  const claimed = await journaled(pool, context, async (client, journal) => {
    const record = await findClaimable(client, normaliseClaimCode(typedCode));
    if (record === undefined) return undefined;
    const existing = await findBeneficiaryOfPerson(client, record.organisationId, personId);
    if (existing !== undefined) throw beneficiaryError('already_linked_at_funder');
    await linkRecord(client, record.id, personId);
    await journal({
      organisationId: record.organisationId,
      action: 'beneficiary.claim',
      targetType: 'beneficiary',
      targetId: record.id,
    });
    return (await findBeneficiaryOfPerson(
      client,
      record.organisationId,
      personId,
    )) as BeneficiaryRecord;
  });
  if (claimed !== undefined) return claimed;
  await recordClaimFailure(pool, personId, CLAIM_WINDOW_SECONDS);
  throw beneficiaryError('claim_code_invalid');
}
