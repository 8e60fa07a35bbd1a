import { apiRequest, ApiError, asApiError } from '../identity/api.js';
import type {
  AnswerValue,
  ApplicationDetail,
  ApplicationDocument,
  ApplicationPage,
  ApplicationStatus,
  ApplicationSummary,
  CommuneChoice,
  DecisionRequest,
  OpenProgramme,
} from './types.js';

const segment = (value: string | number) => encodeURIComponent(`${value}`);
const mine = (applicationId: number) => `/api/me/applications/${segment(applicationId)}`;
const instructed = (applicationId: number) => `/api/applications/${segment(applicationId)}`;

/** The limits the server applies, repeated here so that a file is refused before it is sent. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_APPLICATION = 10;
export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

async function uploadDocument(
  applicationId: number,
  file: File,
  options: { csrfToken: string; onBehalfOf?: number },
): Promise<ApplicationDocument> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': file.type,
    'x-file-name': encodeURIComponent(file.name),
    'x-csrf-token': options.csrfToken,
  };
  if (options.onBehalfOf !== undefined) headers['x-flechage-au-nom-de'] = `${options.onBehalfOf}`;
  let response: Response;
  try {
    response = await fetch(`${mine(applicationId)}/documents`, {
      method: 'POST',
      headers,
      body: file,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw asApiError(error);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 201) return body as ApplicationDocument;
  if (typeof body === 'object' && body !== null && 'code' in body && 'message' in body) {
    throw new ApiError(response.status, String(body.code), String(body.message));
  }
  throw new ApiError(response.status, 'reponse_illisible', 'Le document n’a pas pu être envoyé.');
}

export const applicantApi = {
  openProgrammes: (onBehalfOf?: number) =>
    apiRequest<{ programmes: OpenProgramme[] }>('/api/me/programmes-open', { onBehalfOf }),
  communes: (search: string, onBehalfOf?: number) =>
    apiRequest<{ communes: CommuneChoice[] }>(
      `/api/me/communes?${new URLSearchParams({ search }).toString()}`,
      { onBehalfOf },
    ),
  applications: (onBehalfOf?: number) =>
    apiRequest<{ applications: ApplicationSummary[] }>('/api/me/applications', { onBehalfOf }),
  application: (applicationId: number, onBehalfOf?: number) =>
    apiRequest<ApplicationDetail>(mine(applicationId), { onBehalfOf }),
  apply: (programmeId: number, answers: Record<string, AnswerValue>, onBehalfOf?: number) =>
    apiRequest<ApplicationDetail>('/api/me/applications', {
      method: 'POST',
      body: { programmeId, answers },
      onBehalfOf,
    }),
  sendMessage: (applicationId: number, body: string, onBehalfOf?: number) =>
    apiRequest<ApplicationDetail>(`${mine(applicationId)}/messages`, {
      method: 'POST',
      body: { body },
      onBehalfOf,
    }),
  withdraw: (applicationId: number, onBehalfOf?: number) =>
    apiRequest<ApplicationDetail>(`${mine(applicationId)}/withdraw`, {
      method: 'POST',
      onBehalfOf,
    }),
  uploadDocument,
};

export interface ApplicationSearch {
  status?: ApplicationStatus | undefined;
  organisationId?: number | undefined;
  offset: number;
  limit: number;
}

export const instructionApi = {
  applications: (search: ApplicationSearch) => {
    const query = new URLSearchParams({ offset: `${search.offset}`, limit: `${search.limit}` });
    if (search.status !== undefined) query.set('status', search.status);
    if (search.organisationId !== undefined)
      query.set('organisationId', `${search.organisationId}`);
    return apiRequest<ApplicationPage>(`/api/applications?${query.toString()}`);
  },
  application: (applicationId: number) => apiRequest<ApplicationDetail>(instructed(applicationId)),
  documentUrl: (applicationId: number, documentId: number) =>
    `${instructed(applicationId)}/documents/${segment(documentId)}`,
  requestInformation: (applicationId: number, message: string) =>
    apiRequest<ApplicationDetail>(`${instructed(applicationId)}/request-information`, {
      method: 'POST',
      body: { message },
    }),
  decide: (applicationId: number, decision: DecisionRequest) =>
    apiRequest<ApplicationDetail & { attribution: { id: number; status: string } | null }>(
      `${instructed(applicationId)}/decide`,
      { method: 'POST', body: decision },
    ),
};
