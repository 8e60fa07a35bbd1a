// The shapes the funds and programmes API answers with, as the web app reads them. Amounts are
// integer cents, dates YYYY-MM-DD.

export interface FundContributor {
  id: number;
  organisationId: number;
  organisationName: string;
  committedCents: number;
  paidCents: number;
  unallocatedCents: number;
}

export interface FundAxis {
  id: number;
  name: string;
  budgetCents: number;
  allocatedCents: number;
  availableCents: number;
  byContributor: { contributorId: number; availableCents: number }[];
}

export interface FundView {
  id: number;
  organisationId: number;
  name: string;
  startsOn: string;
  endsOn: string;
  contributors: FundContributor[];
  axes: FundAxis[];
}

export interface NewFund {
  organisationId: number;
  name: string;
  startsOn: string;
  endsOn: string;
  contributors: { organisationId: number; committedCents: number }[];
  axes: { name: string; budgetCents: number }[];
}

/** What an idempotent money movement answers: done now, or already done by an earlier try. */
export interface MovementAnswer {
  status: 'created' | 'already_exists';
}

export interface ProgrammeView {
  id: number;
  fundId: number;
  axisId: number;
  organisationId: number;
  name: string;
  description: string;
  templateId: string | null;
  publishedVersion: number | null;
  versions: { version: number; createdAt: string }[];
  reservedCents: number;
  reserves: { contributorId: number; availableCents: number }[];
}

export interface BeneficiaryFacts {
  birthDate?: string;
  communeCode?: string;
  householdQuotientEuros?: number;
  dependentChildren?: number;
  statuses?: string[];
  organisationKind?: string;
  declaredExpenseCents?: number;
  custom?: Record<string, string | number | boolean>;
}

export interface ProgrammeTemplate {
  id: string;
  name: string;
  description: string;
  rules: unknown;
  sampleFacts: BeneficiaryFacts;
}

export interface NewProgramme {
  fundId: number;
  axisId: number;
  name: string;
  description: string;
  templateId?: string;
  rules?: unknown;
}

export interface ExplanationStep {
  kind: string;
  code: string;
  fulfilled?: boolean;
  data: Record<string, unknown>;
  sentence: string;
}

export interface Explanation {
  version: number;
  eligible: boolean;
  amountCents: number;
  explanation: ExplanationStep[];
  sentences: string[];
}

export interface ZoneTotals {
  evaluated: number;
  eligible: number;
  totalCents: number;
}

/** Stands for a commune or département the facts do not give. */
export const unknownZoneCode = 'inconnue';

export interface SimulationReport {
  referenceDate: string;
  evaluated: number;
  eligible: number;
  totalCents: number;
  byCommune: (ZoneTotals & { communeCode: string })[];
  byDepartement: (ZoneTotals & { departementCode: string })[];
  /** Distinct amounts granted, lowest first. */
  amountDistribution: { amountCents: number; count: number }[];
  /** Conditions that were not met, by their path in the rules, most frequent first. */
  unmetConditions: { path: string; code: string; count: number }[];
}

export interface ZoneComparison {
  baseEligible: number;
  candidateEligible: number;
  eligibleDelta: number;
  baseTotalCents: number;
  candidateTotalCents: number;
  totalCentsDelta: number;
}

export interface SimulationComparison {
  eligibleDelta: number;
  totalCentsDelta: number;
  byDepartement: (ZoneComparison & { departementCode: string })[];
  byCommune: (ZoneComparison & { communeCode: string })[];
}

export interface SimulationAnswer {
  report: SimulationReport;
  baseline: SimulationReport | null;
  comparison: SimulationComparison | null;
}

export interface SimulationRequest {
  version: number;
  compareWithVersion?: number;
  referenceDate: string;
  beneficiaries: { facts: BeneficiaryFacts }[];
}

/** A problem the server found in submitted rules: the dotted path of the field, and why. */
export interface RuleProblem {
  field: string;
  message: string;
}
