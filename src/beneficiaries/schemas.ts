import { z } from 'zod';
import { identifierSchema } from '../identity/schemas.js';
import { storableText } from '../platform/text.js';
import type { HouseholdFacts } from './facts.js';
import {
  BENEFICIARY_KINDS,
  MAX_STATUSES,
  type BeneficiaryData,
  type BeneficiaryKind,
  type RawBeneficiary,
} from './model.js';

// The shapes of the beneficiaries' HTTP API and of the record other domains insert. Bodies are
// bounded here; the model then normalises and checks each field, naming faults in French.

const MAX_RAW_TEXT = 1_000;
const rawText = z.string().max(MAX_RAW_TEXT).nullable().optional();

const customSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/)
      .max(60),
    z.union([storableText(200), z.number(), z.boolean()]),
  )
  .refine((record) => Object.keys(record).length <= 50, 'Au plus 50 attributs.');

const rawHouseholdSchema = z.strictObject({
  householdQuotientEuros: z.number().nullable().optional(),
  dependentChildren: z.number().nullable().optional(),
  statuses: z.array(z.string().max(MAX_RAW_TEXT)).max(MAX_STATUSES).nullable().optional(),
  custom: customSchema.optional(),
});

const rawFields = {
  familyName: rawText,
  givenNames: rawText,
  birthDate: rawText.describe('AAAA-MM-JJ ou JJ/MM/AAAA'),
  legalName: rawText,
  siret: rawText,
  organisationKind: rawText,
  addressLine: rawText,
  postalCode: rawText,
  communeCode: rawText.describe('Code commune INSEE, ex. 33063'),
  email: rawText,
  phone: rawText,
  externalId: rawText.describe('Identifiant du bénéficiaire chez le financeur'),
  household: rawHouseholdSchema.optional(),
};

export type RawBeneficiaryBody = {
  kind: BeneficiaryKind;
  household?: z.infer<typeof rawHouseholdSchema> | undefined;
} & Partial<Record<Exclude<keyof typeof rawFields, 'household'>, string | null | undefined>>;

/** The body fields in the model's terms: the household's parts sit beside the others there. */
export function rawBeneficiaryOf(body: RawBeneficiaryBody): RawBeneficiary {
  const { household, ...text } = body;
  const raw: RawBeneficiary = { ...text, kind: body.kind };
  if (household?.householdQuotientEuros != null) {
    raw.householdQuotientEuros = household.householdQuotientEuros;
  }
  if (household?.dependentChildren != null) raw.dependentChildren = household.dependentChildren;
  if (household?.statuses != null) raw.statuses = household.statuses;
  if (household?.custom !== undefined) raw.custom = household.custom;
  return raw;
}

/**
 * A correction in the model's terms: the fields sent, and, when a household is sent, the whole
 * household (its parts left out become unknown).
 */
export function correctionOf(patch: Omit<RawBeneficiaryBody, 'kind'>): Partial<RawBeneficiary> {
  const { household, ...fields } = patch;
  if (household === undefined) return fields;
  return {
    ...fields,
    householdQuotientEuros: household.householdQuotientEuros ?? null,
    dependentChildren: household.dependentChildren ?? null,
    statuses: household.statuses ?? null,
    custom: household.custom ?? {},
  };
}

export const rawBeneficiarySchema = z.strictObject({
  kind: z.enum(BENEFICIARY_KINDS),
  ...rawFields,
});

/**
 * The validated shape the registry stores: what `normaliseBeneficiary` answers (absent fields
 * are unknown). A body of `rawBeneficiarySchema` becomes one through `validRecord`.
 */
export type BeneficiaryInput = { kind: BeneficiaryKind } & Partial<
  Omit<BeneficiaryData, 'kind' | 'household'>
> & { household?: HouseholdFacts };

/** A correction: only the fields sent change, and the whole record is checked again. */
export const beneficiaryPatchSchema = z.strictObject(rawFields);

export const contactPatchSchema = z.strictObject({
  email: rawText,
  phone: rawText,
  addressLine: rawText,
  postalCode: rawText,
  communeCode: rawText,
});

export const beneficiaryParamsSchema = z.strictObject({ beneficiaryId: identifierSchema });
export const importParamsSchema = z.strictObject({ importId: identifierSchema });

const householdViewSchema = z.object({
  householdQuotientEuros: z.number().optional(),
  dependentChildren: z.number().optional(),
  statuses: z.array(z.string()).optional(),
  custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const beneficiaryViewSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  kind: z.enum(BENEFICIARY_KINDS),
  familyName: z.string().nullable(),
  givenNames: z.string().nullable(),
  birthDate: z.string().nullable(),
  legalName: z.string().nullable(),
  siret: z.string().nullable(),
  organisationKind: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  communeCode: z.string().nullable(),
  communeName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  externalId: z.string().nullable(),
  household: householdViewSchema,
  linked: z.boolean(),
  importId: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  erasedAt: z.date().nullable(),
  retentionUntil: z
    .string()
    .nullable()
    .describe('Date à partir de laquelle l’effacement est permis ; absente tant qu’une aide court'),
});

export type BeneficiaryView = z.infer<typeof beneficiaryViewSchema>;

export const IMPORT_FIELDS = [
  'familyName',
  'givenNames',
  'birthDate',
  'legalName',
  'siret',
  'organisationKind',
  'addressLine',
  'postalCode',
  'communeCode',
  'email',
  'phone',
  'externalId',
  'householdQuotientEuros',
  'dependentChildren',
  'statuses',
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → index of the column that holds it, or null when the file has none. */
export type ImportMapping = Partial<Record<ImportField, number | null>>;

export const IMPORT_STATUSES = [
  'uploaded',
  'analysing',
  'analysed',
  'failed',
  'imported',
  'abandoned',
] as const;

export type ImportStatus = (typeof IMPORT_STATUSES)[number];

const mappingViewSchema = z.record(z.string(), z.number().nullable());

export const importViewSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  fileName: z.string(),
  fileFormat: z.enum(['csv', 'xlsx']),
  fileBytes: z.number(),
  bytesRead: z.number().describe('Octets lus par l’analyse : l’avancement, rapporté à fileBytes'),
  kind: z.enum(BENEFICIARY_KINDS),
  status: z.enum(IMPORT_STATUSES),
  linesRead: z.number(),
  validLines: z.number(),
  rejectedLines: z.number(),
  duplicateLines: z.number(),
  problemsFound: z.number(),
  failure: z.string().nullable().describe('Pourquoi le fichier entier est refusé, en français'),
  failureCode: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  confirmedAt: z.date().nullable(),
  columns: z.array(z.string()),
  preview: z.array(z.array(z.string())),
  suggestedMapping: mappingViewSchema,
  mapping: mappingViewSchema.nullable(),
});

export type ImportView = z.infer<typeof importViewSchema>;

export const mappingBodySchema = z.strictObject({
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.int().min(0).max(1_000).nullable()),
  kind: z.enum(BENEFICIARY_KINDS),
});

export const problemViewSchema = z.object({
  line: z.number(),
  field: z.string(),
  code: z.string(),
  reason: z.string(),
});
