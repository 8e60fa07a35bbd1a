import { ApiError, apiRequest } from '../identity/api.js';
import type {
  BeneficiaryChanges,
  BeneficiaryDetails,
  BeneficiaryKind,
  BeneficiaryPage,
  BeneficiarySearch,
  BeneficiaryView,
  ContactChanges,
  ImportMapping,
  ImportProblemPage,
  ImportView,
  OwnRecord,
} from './types.js';

const root = '/api/beneficiaries';
const segment = (value: string | number) => encodeURIComponent(`${value}`);
const beneficiaryPath = (beneficiaryId: number) => `${root}/${segment(beneficiaryId)}`;
const importPath = (importId: number) => `${root}/imports/${segment(importId)}`;
const ownRecordsPath = '/api/me/beneficiary-records';

const post = <Answer>(path: string, body?: unknown, onBehalfOf?: number) =>
  apiRequest<Answer>(path, { method: 'POST', body, onBehalfOf });
const patch = <Answer>(path: string, body: unknown, onBehalfOf?: number) =>
  apiRequest<Answer>(path, { method: 'PATCH', body, onBehalfOf });

/** The query string of a search, without the criteria left empty. */
function searchQuery(search: BeneficiarySearch): string {
  const query = new URLSearchParams({ offset: `${search.offset}`, limit: `${search.limit}` });
  if (search.organisationId !== undefined) query.set('organisationId', `${search.organisationId}`);
  if (search.search !== undefined && search.search !== '') query.set('search', search.search);
  if (search.communeCode !== undefined && search.communeCode !== '') {
    query.set('communeCode', search.communeCode);
  }
  if (search.importId !== undefined) query.set('importId', `${search.importId}`);
  return query.toString();
}

/** The content types the server reads an import file as, by the file's extension. */
export const importContentTypes = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function importFormatOf(fileName: string): keyof typeof importContentTypes | null {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return extension === 'csv' || extension === 'xlsx' ? extension : null;
}

function uploadError(request: XMLHttpRequest): ApiError {
  if (request.status === 0) {
    return new ApiError(
      0,
      'serveur_injoignable',
      'Le serveur ne répond pas : vérifiez votre connexion à internet, puis réessayez.',
    );
  }
  const body = JSON.parse(request.responseText || 'null') as unknown;
  if (typeof body === 'object' && body !== null && 'code' in body && 'message' in body) {
    return new ApiError(request.status, String(body.code), String(body.message));
  }
  return new ApiError(
    request.status,
    'reponse_illisible',
    `Le serveur a répondu par une erreur (HTTP ${request.status}) : réessayez dans un instant.`,
  );
}

/**
 * Sends the file as the request's body, the way the server streams it, reporting how much of it
 * has left: a big spreadsheet on a slow line takes long enough to need a progress bar.
 */
function uploadImport(
  upload: { organisationId: number; file: File; csrfToken: string },
  onProgress: (sentFraction: number) => void,
): Promise<ImportView> {
  const format = importFormatOf(upload.file.name) ?? 'csv';
  const query = new URLSearchParams({
    organisationId: `${upload.organisationId}`,
    fileName: upload.file.name,
  });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${root}/imports?${query.toString()}`);
    request.setRequestHeader('content-type', importContentTypes[format]);
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('x-csrf-token', upload.csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(uploadError(request));
    request.onload = () => {
      try {
        if (request.status !== 201) throw uploadError(request);
        resolve((JSON.parse(request.responseText) as { import: ImportView }).import);
      } catch (error) {
        reject(error instanceof ApiError ? error : uploadError(request));
      }
    };
    request.send(upload.file);
  });
}

export const beneficiariesApi = {
  search: (search: BeneficiarySearch) =>
    apiRequest<BeneficiaryPage>(`${root}?${searchQuery(search)}`),
  beneficiary: (beneficiaryId: number) =>
    apiRequest<BeneficiaryDetails>(beneficiaryPath(beneficiaryId)),
  update: async (beneficiaryId: number, changes: BeneficiaryChanges) =>
    (await patch<{ beneficiary: BeneficiaryView }>(beneficiaryPath(beneficiaryId), changes))
      .beneficiary,
  /** Not fetched: the browser downloads the file itself, as the server names it. */
  exportUrl: (beneficiaryId: number) => `${beneficiaryPath(beneficiaryId)}/export`,
  erase: (beneficiaryId: number, reason: string) =>
    post<unknown>(`${beneficiaryPath(beneficiaryId)}/erase`, { reason }),
  imports: async (organisationId: number) =>
    (
      await apiRequest<{ imports: ImportView[] }>(
        `${root}/imports?organisationId=${organisationId}`,
      )
    ).imports,
  importView: (importId: number) => apiRequest<ImportView>(importPath(importId)),
  uploadImport,
  startAnalysis: async (importId: number, mapping: ImportMapping, kind: BeneficiaryKind) =>
    (await post<{ import: ImportView }>(`${importPath(importId)}/mapping`, { mapping, kind }))
      .import,
  problems: (importId: number, offset: number, limit: number) =>
    apiRequest<ImportProblemPage>(
      `${importPath(importId)}/problems?offset=${offset}&limit=${limit}`,
    ),
  confirm: async (importId: number) =>
    (await post<{ import: ImportView }>(`${importPath(importId)}/confirm`)).import,
  abandon: async (importId: number) =>
    (await post<{ import: ImportView }>(`${importPath(importId)}/abandon`)).import,
};

export const ownRecordsApi = {
  records: async (onBehalfOf?: number) =>
    (await apiRequest<{ records: OwnRecord[] }>(ownRecordsPath, { onBehalfOf })).records,
  correct: async (recordId: number, changes: ContactChanges, onBehalfOf?: number) =>
    (
      await patch<{ record: OwnRecord }>(
        `${ownRecordsPath}/${segment(recordId)}`,
        changes,
        onBehalfOf,
      )
    ).record,
  claim: async (claimCode: string, onBehalfOf?: number) =>
    (await post<{ record: OwnRecord }>(`${ownRecordsPath}/claim`, { claimCode }, onBehalfOf))
      .record,
};
