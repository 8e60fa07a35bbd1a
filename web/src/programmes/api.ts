import { apiRequest, type ApiError } from '../identity/api.js';
import type {
  BeneficiaryFacts,
  Explanation,
  FundView,
  MovementAnswer,
  NewFund,
  NewProgramme,
  ProgrammeTemplate,
  ProgrammeView,
  RuleProblem,
  SimulationAnswer,
  SimulationRequest,
} from './types.js';
import type { RuleSet } from './rules.js';

const post = <Answer>(path: string, body: unknown) =>
  apiRequest<Answer>(path, { method: 'POST', body });
const segment = (value: string | number) => encodeURIComponent(`${value}`);
const fundPath = (fundId: number) => `/api/funds/${segment(fundId)}`;
const programmePath = (programmeId: number) => `/api/programmes/${segment(programmeId)}`;

/** An amount that moves once only: retrying with the same `clientKey` does not move it twice. */
export interface Movement {
  amountCents: number;
  clientKey: string;
}

export const fundsApi = {
  funds: () => apiRequest<FundView[]>('/api/funds'),
  fund: (fundId: number) => apiRequest<FundView>(fundPath(fundId)),
  createFund: (fund: NewFund) => post<FundView>('/api/funds', fund),
  recordContribution: (fundId: number, movement: Movement & { contributorId: number }) =>
    post<MovementAnswer>(`${fundPath(fundId)}/contributions`, movement),
  allocate: (fundId: number, movement: Movement & { axisId: number }) =>
    post<MovementAnswer>(`${fundPath(fundId)}/allocations`, movement),
};

export const programmesApi = {
  templates: () => apiRequest<ProgrammeTemplate[]>('/api/programme-templates'),
  programmes: () => apiRequest<ProgrammeView[]>('/api/programmes'),
  programme: (programmeId: number) => apiRequest<ProgrammeView>(programmePath(programmeId)),
  createProgramme: (programme: NewProgramme) => post<ProgrammeView>('/api/programmes', programme),
  version: (programmeId: number, version: number) =>
    apiRequest<{ version: number; rules: RuleSet }>(
      `${programmePath(programmeId)}/versions/${segment(version)}`,
    ),
  saveVersion: (programmeId: number, rules: RuleSet) =>
    post<{ version: number }>(`${programmePath(programmeId)}/versions`, { rules }),
  publish: (programmeId: number, version: number) =>
    post<ProgrammeView>(`${programmePath(programmeId)}/publish`, { version }),
  reserveBudget: (programmeId: number, movement: Movement) =>
    post<MovementAnswer>(`${programmePath(programmeId)}/budget`, movement),
  explain: (
    programmeId: number,
    request: { version?: number; referenceDate: string; facts: BeneficiaryFacts },
  ) => post<Explanation>(`${programmePath(programmeId)}/explain`, request),
  simulate: (programmeId: number, request: SimulationRequest) =>
    post<SimulationAnswer>(`${programmePath(programmeId)}/simulations`, request),
};

/** The problems of each field when the server refused rules (`rules_invalid`), else none. */
export function ruleProblemsOf(error: ApiError | null): RuleProblem[] {
  if (error === null || error.code !== 'rules_invalid' || !Array.isArray(error.details)) return [];
  return error.details.filter(
    (detail): detail is RuleProblem =>
      typeof detail === 'object' &&
      detail !== null &&
      typeof (detail as RuleProblem).field === 'string' &&
      typeof (detail as RuleProblem).message === 'string',
  );
}
