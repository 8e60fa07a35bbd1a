// The shapes the beneficiaries API answers with, as the web app reads them: dates arrive as
// ISO strings, where the server's own types hold Date objects.

import type { BeneficiaryKind } from '../../../src/beneficiaries/model.js';
import type { ImportField, ImportStatus } from '../../../src/beneficiaries/schemas.js';

export type { BeneficiaryKind };

/** The household facts the programmes' rules read, as the record holds them. */
export interface Household {
  householdQuotientEuros?: number;
  dependentChildren?: number;
  statuses?: string[];
  custom?: Record<string, string | number | boolean>;
}

export interface BeneficiaryView {
  id: number;
  organisationId: number;
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
  communeName: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  household: Household;
  linked: boolean;
  importId: number | null;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
  retentionUntil: string | null;
}

/** What a case worker may change on a record: every field, each one optional. */
export interface BeneficiaryChanges {
  familyName?: string | null;
  givenNames?: string | null;
  birthDate?: string | null;
  legalName?: string | null;
  siret?: string | null;
  organisationKind?: string | null;
  addressLine?: string | null;
  postalCode?: string | null;
  communeCode?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  household?: Household;
}

export type AttributionStatus =
  'proposed' | 'approved' | 'credited' | 'suspended' | 'revoked' | 'expired';

export interface BeneficiaryAttribution {
  id: number;
  programmeId: number;
  programmeName: string;
  amountCents: number;
  status: AttributionStatus;
  creditedAt: string | null;
  validUntil: string | null;
}

export type ApplicationStatus =
  'submitted' | 'information_requested' | 'accepted' | 'refused' | 'withdrawn';

export interface BeneficiaryApplication {
  id: number;
  programmeName: string;
  status: ApplicationStatus;
  createdAt: string;
}

export interface BeneficiaryDetails {
  beneficiary: BeneficiaryView;
  attributions: BeneficiaryAttribution[];
  applications: BeneficiaryApplication[];
}

export interface BeneficiarySearch {
  organisationId?: number;
  search?: string;
  communeCode?: string;
  importId?: number;
  offset: number;
  limit: number;
}

export interface BeneficiaryPage {
  beneficiaries: BeneficiaryView[];
  total: number;
}

/** The fields of a file's columns; the server's own names (type-only: nothing of it is bundled). */
export type MappingField = ImportField;

/** For each field, the index of the column it is read from, or null when the file has none. */
export type ImportMapping = Partial<Record<MappingField, number | null>>;

export type { ImportStatus };

export interface ImportView {
  id: number;
  organisationId: number;
  fileName: string;
  fileFormat: 'csv' | 'xlsx';
  fileBytes: number;
  /** How far the analysis has read the file, to compare with `fileBytes`. */
  bytesRead: number;
  kind: BeneficiaryKind;
  status: ImportStatus;
  linesRead: number;
  validLines: number;
  rejectedLines: number;
  duplicateLines: number;
  problemsFound: number;
  failure: string | null;
  failureCode: string | null;
  createdAt: string;
  finishedAt: string | null;
  confirmedAt: string | null;
  columns: string[];
  preview: string[][];
  suggestedMapping: ImportMapping;
  mapping: ImportMapping | null;
}

export interface ImportProblem {
  line: number;
  field: string;
  code: string;
  reason: string;
}

export interface ImportProblemPage {
  problems: ImportProblem[];
  total: number;
}

/** A record a funder holds about the person, as that person sees and corrects it. */
export interface OwnRecord {
  id: number;
  organisationId: number;
  funderName: string;
  kind: BeneficiaryKind;
  familyName: string | null;
  givenNames: string | null;
  legalName: string | null;
  email: string | null;
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  communeCode: string | null;
  communeName: string | null;
}

export interface ContactChanges {
  email?: string | null;
  phone?: string | null;
  addressLine?: string | null;
  postalCode?: string | null;
  communeCode?: string | null;
}
