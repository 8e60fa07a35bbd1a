// The shapes of the applications' API, as the server sends them (src/applications/schemas.ts).

export type ApplicationStatus =
  'submitted' | 'information_requested' | 'accepted' | 'refused' | 'withdrawn';

export type QuestionInput =
  | 'text'
  | 'date'
  | 'commune'
  | 'decimal'
  | 'integer'
  | 'amount_cents'
  | 'boolean'
  | 'choice'
  | 'choices';

export interface Question {
  key: string;
  label: string;
  hint?: string;
  input: QuestionInput;
  required: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  choices?: { value: string; label: string }[];
}

export type AnswerValue = string | number | boolean | string[];

export interface OpenProgramme {
  id: number;
  name: string;
  description: string;
  funderName: string;
  publishedVersion: number;
  questions: Question[];
  openApplicationId: number | null;
}

export interface CommuneChoice {
  code: string;
  name: string;
  departementCode: string;
}

export interface ApplicationSummary {
  id: number;
  programmeId: number;
  programmeName: string;
  funderName: string;
  organisationId: number;
  applicantName: string;
  status: ApplicationStatus;
  statusLabel: string;
  eligible: boolean;
  evaluatedAmountCents: number;
  decidedAmountCents: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Evaluation {
  eligible: boolean;
  amountCents: number;
  sentences: string[];
  explanation: { kind: string; code: string; fulfilled?: boolean; sentence: string }[];
}

export interface ApplicationDocument {
  id: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface ApplicationMessage {
  id: number;
  authorName: string;
  authorSide: 'instruction' | 'demandeur';
  body: string;
  createdAt: string;
}

export interface ApplicationEvent {
  id: number;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  toStatusLabel: string;
  reason: string | null;
  personName: string | null;
  occurredAt: string;
}

export interface ApplicationDecision {
  decision: 'accepted' | 'refused';
  reason: string;
  amountCents: number | null;
  decidedAt: string;
  attributionId: number | null;
  attributionStatus: string | null;
}

export interface ApplicationDetail {
  application: ApplicationSummary & {
    ruleVersion: number;
    referenceDate: string;
    beneficiaryId: number;
    submittedByName: string;
    answers: { key: string; label: string; value: unknown; text: string }[];
    decision: ApplicationDecision | null;
  };
  evaluation: Evaluation;
  documents: ApplicationDocument[];
  messages: ApplicationMessage[];
  history: ApplicationEvent[];
}

export interface ApplicationPage {
  applications: ApplicationSummary[];
  total: number;
}

export interface DecisionRequest {
  decision: 'accepted' | 'refused';
  reason: string;
  amountCents?: number;
}
