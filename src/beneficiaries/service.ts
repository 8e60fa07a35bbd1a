import type pg from 'pg';
import { identityError } from '../identity/errors.js';
import type { Journal } from '../identity/journal.js';
import { HttpError, PLATFORM_ERRORS } from '../platform/errors.js';
import { findCommune } from '../reference/zones.js';
import { beneficiaryError } from './errors.js';
import {
  normaliseBeneficiary,
  type BeneficiaryData,
  type Problem,
  type RawBeneficiary,
} from './model.js';
import { erasureDecision, retentionUntil } from './retention.js';
import type { BeneficiaryInput, BeneficiaryView } from './schemas.js';
import {
  eraseBeneficiary,
  findBeneficiaryInScope,
  findDuplicate,
  insertBeneficiary,
  updateBeneficiary,
  type BeneficiaryRecord,
  type RegistryRow,
} from './store.js';

// The registry's changes: create, correct, erase. Each checks the whole record with the model
// and journals what changed, by field name only: the journal is append-only and must not keep
// personal data that an erasure would have to remove.

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function presentBeneficiary(row: RegistryRow): BeneficiaryView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    kind: row.kind,
    familyName: row.familyName,
    givenNames: row.givenNames,
    birthDate: row.birthDate,
    legalName: row.legalName,
    siret: row.siret,
    organisationKind: row.organisationKind,
    addressLine: row.addressLine,
    postalCode: row.postalCode,
    communeCode: row.communeCode,
    communeName: row.communeCode === null ? null : (findCommune(row.communeCode)?.name ?? null),
    email: row.email,
    phone: row.phone,
    externalId: row.externalId,
    household: row.household,
    linked: row.personId !== null,
    importId: row.importId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
    retentionUntil: retentionUntil(row),
  };
}

const HOUSEHOLD_FIELDS = ['householdQuotientEuros', 'dependentChildren', 'statuses'];

/** The model's problems as the platform's validation answer: one detail per field, in French. */
export function validationError(problems: Problem[]): HttpError {
  return new HttpError(
    400,
    'validation_failed',
    PLATFORM_ERRORS.validation_failed.message,
    problems.map((found) => ({
      field: HOUSEHOLD_FIELDS.includes(found.field)
        ? `body.household.${found.field}`
        : `body.${found.field}`,
      code: found.code,
      message: found.reason,
    })),
  );
}

/** A date as French readers write it: 2031-05-01 → 01/05/2031. */
function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

export function validRecord(raw: RawBeneficiary): BeneficiaryData {
  const normalised = normaliseBeneficiary(raw, today());
  if ('data' in normalised) return normalised.data;
  throw validationError(normalised.problems);
}

/** A stored record in the model's input terms, to be merged with a correction and checked again. */
function rawOfRecord(record: BeneficiaryRecord): RawBeneficiary {
  const { household } = record;
  const raw: RawBeneficiary = {
    kind: record.kind,
    familyName: record.familyName,
    givenNames: record.givenNames,
    birthDate: record.birthDate,
    legalName: record.legalName,
    siret: record.siret,
    organisationKind: record.organisationKind,
    addressLine: record.addressLine,
    postalCode: record.postalCode,
    communeCode: record.communeCode,
    email: record.email,
    phone: record.phone,
    externalId: record.externalId,
    householdQuotientEuros: household.householdQuotientEuros ?? null,
    dependentChildren: household.dependentChildren ?? null,
    statuses: household.statuses ?? null,
  };
  if (household.custom !== undefined) raw.custom = household.custom;
  return raw;
}

function dataOfRecord(record: BeneficiaryRecord): BeneficiaryData {
  return {
    kind: record.kind,
    familyName: record.familyName,
    givenNames: record.givenNames,
    birthDate: record.birthDate,
    legalName: record.legalName,
    siret: record.siret,
    organisationKind: record.organisationKind,
    addressLine: record.addressLine,
    postalCode: record.postalCode,
    communeCode: record.communeCode,
    email: record.email,
    phone: record.phone,
    externalId: record.externalId,
    household: record.household,
  };
}

/** The names of the fields a correction changed, for the journal (never their values). */
function changedFields(before: BeneficiaryData, after: BeneficiaryData): string[] {
  return (Object.keys(after) as (keyof BeneficiaryData)[]).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}

async function refuseDuplicate(
  client: pg.ClientBase,
  organisationId: number,
  record: BeneficiaryInput,
  exceptId: number | null,
): Promise<void> {
  const duplicateId = await findDuplicate(client, organisationId, record, exceptId);
  if (duplicateId !== undefined) throw beneficiaryError('beneficiary_exists', { duplicateId });
}

export async function createBeneficiary(
  client: pg.ClientBase,
  journal: Journal,
  organisationId: number,
  record: BeneficiaryData,
): Promise<number> {
  await refuseDuplicate(client, organisationId, record, null);
  const id = await insertBeneficiary(client, organisationId, record);
  await journal({
    organisationId,
    action: 'beneficiary.create',
    targetType: 'beneficiary',
    targetId: id,
    after: { kind: record.kind },
  });
  return id;
}

/** Merges a correction into the record, checks the whole, and writes it if anything changed. */
export async function correctBeneficiary(
  client: pg.ClientBase,
  journal: Journal,
  record: BeneficiaryRecord,
  correction: Partial<RawBeneficiary>,
  action: 'beneficiary.update' | 'beneficiary.contact_update',
): Promise<void> {
  if (record.erasedAt !== null) throw beneficiaryError('record_erased');
  const corrected = validRecord({ ...rawOfRecord(record), ...correction, kind: record.kind });
  const fields = changedFields(dataOfRecord(record), corrected);
  if (fields.length === 0) return;
  await refuseDuplicate(client, record.organisationId, corrected, record.id);
  await updateBeneficiary(client, record.id, corrected);
  await journal({
    organisationId: record.organisationId,
    action,
    targetType: 'beneficiary',
    targetId: record.id,
    after: { fields },
  });
}

/** Erases the personal data once the law allows it; the reason goes to the journal. */
export async function eraseRecord(
  client: pg.ClientBase,
  journal: Journal,
  funderIds: number[] | null,
  beneficiaryId: number,
  reason: string,
): Promise<void> {
  const locked = await findBeneficiaryInScope(client, funderIds, beneficiaryId, { lock: true });
  if (locked === undefined) throw identityError('resource_not_found');
  if (locked.erasedAt !== null) return;
  const decision = erasureDecision(locked, today());
  if (!decision.allowed) {
    if (decision.refusal === 'aid_in_progress') throw beneficiaryError('aid_in_progress');
    throw beneficiaryError(
      'retention_running',
      { retentionUntil: decision.retentionUntil },
      `Effacement possible à partir du ${frenchDate(decision.retentionUntil)}.`,
    );
  }
  await eraseBeneficiary(client, beneficiaryId);
  await journal({
    organisationId: locked.organisationId,
    action: 'beneficiary.erase',
    targetType: 'beneficiary',
    targetId: beneficiaryId,
    after: { reason },
  });
}
