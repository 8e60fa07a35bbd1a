import type {
  ApiKey,
  ApiKeyRole,
  CreatedApiKey,
  CreatedInvitation,
  Invitation,
  InvitationPreview,
  JournalPage,
  JournalQuery,
  LoginAnswer,
  Mandate,
  MandateDuration,
  MandateScope,
  Member,
  OidcProvider,
  OpenSession,
  Organisation,
  OrganisationDetails,
  PersonNotification,
  Profile,
  Role,
  SessionAnswer,
  TotpSetup,
} from './types.js';

const apiRoot = '/api/identity';

/** An answer the server refused: its French message is written for the person using the app. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the server adds to some refusals: for invalid rules, the problem of each field. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const unreachableServer = new ApiError(
  0,
  'serveur_injoignable',
  'Le serveur ne répond pas : vérifiez votre connexion à internet, puis réessayez.',
);

/** Any failure as something to show: a bug in the page must not leave the user without a word. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'erreur_inattendue', 'Une erreur inattendue est survenue : réessayez.');
}

// The session cookie is httpOnly, so the page cannot read it; the server hands the token that
// proves a request comes from this page (not from another site) in its JSON answers instead.
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** The beneficiary an aidant acts for, when the request is made in their name. */
  onBehalfOf?: number;
}

function requestHeaders(method: string, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Fastify refuses a JSON content type with an empty body, so it only goes with a body.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (options.onBehalfOf !== undefined) headers['x-flechage-au-nom-de'] = `${options.onBehalfOf}`;
  return headers;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (typeof body === 'object' && body !== null && 'message' in body && 'code' in body) {
    const details = 'details' in body ? body.details : undefined;
    return new ApiError(response.status, String(body.code), String(body.message), details);
  }
  return new ApiError(
    response.status,
    'reponse_illisible',
    `Le serveur a répondu par une erreur (HTTP ${response.status}) : réessayez dans un instant.`,
  );
}

/** A request to the platform's API, `path` starting with `/api/`; refusals become `ApiError`s. */
export async function apiRequest<Answer>(
  path: string,
  options: RequestOptions = {},
): Promise<Answer> {
  const method = options.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: requestHeaders(method, options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch {
    throw unreachableServer;
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as Answer;
  return (await response.json()) as Answer;
}

const request = <Answer>(path: string, options: RequestOptions = {}) =>
  apiRequest<Answer>(`${apiRoot}${path}`, options);

const post = <Answer>(path: string, body?: unknown) =>
  request<Answer>(path, { method: 'POST', body });
const remove = (path: string) => request<void>(path, { method: 'DELETE' });
const segment = (value: string | number) => encodeURIComponent(`${value}`);
const organisationPath = (organisationId: number) => `/organisations/${segment(organisationId)}`;

export const identityApi = {
  session: () => request<SessionAnswer>('/session'),
  login: (email: string, password: string) => post<LoginAnswer>('/login', { email, password }),
  loginTotp: (code: string) => post<LoginAnswer>('/login/totp', { code }),
  logout: () => post<void>('/logout'),
  oidcProviders: () => request<OidcProvider[]>('/oidc/providers'),
  /** Not fetched: the browser leaves for the provider, which sends it back to the server. */
  oidcStartUrl: (providerId: string, returnTo: string) =>
    `${apiRoot}/oidc/${segment(providerId)}/start?returnTo=${encodeURIComponent(returnTo)}`,
  changePassword: (currentPassword: string, newPassword: string) =>
    post<void>('/password', { currentPassword, newPassword }),
  openSessions: () => request<OpenSession[]>('/sessions'),
  endSession: (sessionId: number) => remove(`/sessions/${segment(sessionId)}`),
  setupTotp: () => post<TotpSetup>('/totp/setup'),
  confirmTotp: (code: string) => post<void>('/totp/confirm', { code }),
  disableTotp: (code: string) => post<void>('/totp/disable', { code }),
  notifications: () => request<PersonNotification[]>('/notifications'),
  profile: (onBehalfOf?: number) => request<Profile>('/profile', { onBehalfOf }),
  updateProfile: (changes: { displayName: string; phone: string | null }, onBehalfOf?: number) =>
    request<Profile>('/profile', { method: 'PATCH', body: changes, onBehalfOf }),
  organisations: () => request<Organisation[]>('/organisations'),
  organisation: (id: number) => request<OrganisationDetails>(organisationPath(id)),
  members: (id: number) => request<Member[]>(`${organisationPath(id)}/members`),
  removeMember: (id: number, membershipId: number) =>
    remove(`${organisationPath(id)}/members/${segment(membershipId)}`),
  invitations: (id: number) => request<Invitation[]>(`${organisationPath(id)}/invitations`),
  invite: (id: number, email: string, role: Role) =>
    post<CreatedInvitation>(`${organisationPath(id)}/invitations`, { email, role }),
  cancelInvitation: (id: number, invitationId: number) =>
    remove(`${organisationPath(id)}/invitations/${segment(invitationId)}`),
  invitationPreview: (token: string) =>
    request<InvitationPreview>(`/invitations/${segment(token)}`),
  acceptInvitation: (token: string, displayName: string, password: string) =>
    post<{ personId: number }>(`/invitations/${segment(token)}/accept`, { displayName, password }),
  apiKeys: (id: number) => request<ApiKey[]>(`${organisationPath(id)}/api-keys`),
  createApiKey: (id: number, label: string, role: ApiKeyRole) =>
    post<CreatedApiKey>(`${organisationPath(id)}/api-keys`, { label, role }),
  rotateApiKey: (id: number, apiKeyId: number) =>
    post<CreatedApiKey>(`${organisationPath(id)}/api-keys/${segment(apiKeyId)}/rotate`),
  revokeApiKey: (id: number, apiKeyId: number) =>
    post<void>(`${organisationPath(id)}/api-keys/${segment(apiKeyId)}/revoke`),
  mandates: () => request<{ given: Mandate[]; received: Mandate[] }>('/mandates'),
  /** The text names what the mandate allows and for how long: it follows the choices made. */
  mandateConsentText: (scopes: MandateScope[], duration: MandateDuration) => {
    const query = new URLSearchParams({ duration });
    if (scopes.length > 0) query.set('scopes', scopes.join(','));
    return request<{ text: string }>(`/mandates/consent-text?${query.toString()}`);
  },
  grantMandate: (grant: {
    aidantEmail: string;
    scopes: MandateScope[];
    duration: MandateDuration;
  }) => post<Mandate>('/mandates', { ...grant, consent: true }),
  revokeMandate: (mandateId: number) => post<void>(`/mandates/${segment(mandateId)}/revoke`),
  journal: (query: JournalQuery) =>
    request<JournalPage>(`/journal?${new URLSearchParams(query).toString()}`),
};
