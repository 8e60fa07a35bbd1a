import type { AttributionStatus } from '../beneficiaries/types.js';
import type { SimulationReport } from '../programmes/types.js';

// The JSON the campaigns, attributions and wallet API answers (src/attributions/schemas.ts):
// amounts in integer cents, days as YYYY-MM-DD, instants as ISO strings.

export type { AttributionStatus };

export type CampaignStatus =
  | 'simulating'
  | 'simulated'
  | 'awaiting_second_approval'
  | 'approved'
  | 'crediting'
  | 'completed'
  | 'stopped'
  | 'cancelled'
  | 'failed';

export type Population =
  | { kind: 'all' }
  | { kind: 'import'; importId: number }
  | { kind: 'communes'; communeCodes: string[] };

export interface CampaignSimulation extends SimulationReport {
  byCommune: (SimulationReport['byCommune'][number] & { communeName?: string })[];
}

export interface CampaignApproval {
  personId: number;
  displayName: string;
  at: string;
}

export interface CampaignView {
  id: number;
  organisationId: number;
  programmeId: number;
  programmeName: string;
  ruleVersion: number;
  name: string;
  population: Population;
  referenceDate: string;
  status: CampaignStatus;
  statusLabel: string;
  simulation: CampaignSimulation | null;
  examinedCount: number;
  /** Those to credit: eligible and without a live aid of the programme yet. */
  eligibleCount: number;
  alreadyAttributedCount: number;
  totalCents: number;
  fourEyesThresholdCents: number;
  needsSecondApproval: boolean;
  approvals: CampaignApproval[];
  creditedCount: number;
  creditedCents: number;
  lotsDone: number;
  stopReason: string | null;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewCampaign {
  programmeId: number;
  name: string;
  population: Population;
  referenceDate?: string;
  ruleVersion?: number;
}

export interface CampaignAttributionRow {
  id: number;
  beneficiaryId: number;
  beneficiaryName: string;
  communeCode: string | null;
  amountCents: number;
  status: AttributionStatus;
  statusLabel: string;
  explanation: string[];
}

export interface CampaignAttributionPage {
  attributions: CampaignAttributionRow[];
  total: number;
}

export interface AttributionEvent {
  fromStatus: AttributionStatus | null;
  toStatus: AttributionStatus;
  reason: string;
  personName: string | null;
  occurredAt: string;
}

export interface AttributionView {
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
  statusLabel: string;
  referenceDate: string;
  creditedAt: string | null;
  validUntil: string | null;
  remainingCents: number | null;
  explanation: string[];
  events: AttributionEvent[];
}

/** What a case worker may do to an attribution, each with the reason it asks for. */
export type StatusChange = 'suspend' | 'reinstate' | 'revoke';

export interface Envelope {
  attributionId: number;
  programmeName: string;
  funderName: string;
  status: AttributionStatus;
  statusLabel: string;
  creditedCents: number;
  remainingCents: number;
  creditedAt: string | null;
  validUntil: string | null;
  usage: { places: string[]; sentences: string[] };
  explanation: string[];
  merchants: { id: number; name: string; communeName: string | null }[];
}

export interface EnvelopeMovement {
  kind: string;
  label: string;
  amountCents: number;
  balanceAfterCents: number;
  at: string;
}

export interface EnvelopeDetails extends Envelope {
  movements: EnvelopeMovement[];
}

export interface FunderSettings {
  fourEyesThresholdCents: number;
}
