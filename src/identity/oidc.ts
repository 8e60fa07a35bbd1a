import * as openid from 'openid-client';
import { z } from 'zod';

// OpenID Connect login: agents through ProConnect, citizens through FranceConnect, or any
// standard provider (Keycloak…). Pure configuration and return-address rules, then the client
// side of the authorization code flow with PKCE, state and nonce.

export const OIDC_PROVIDER_KINDS = ['proconnect', 'franceconnect', 'generique'] as const;
export const OIDC_AUDIENCES = ['agents', 'citoyens'] as const;

export type OidcProviderKind = (typeof OIDC_PROVIDER_KINDS)[number];
export type OidcAudience = (typeof OIDC_AUDIENCES)[number];

export type OidcProviderConfiguration = {
  id: string;
  label: string;
  kind: OidcProviderKind;
  audience: OidcAudience;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  acrValues: string | undefined;
};

export type ExternalIdentity = {
  providerId: string;
  audience: OidcAudience;
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
};

/** A browser has this long between leaving for the provider and coming back. */
export const OIDC_TRANSACTION_LIFETIME_SECONDS = 600;
/** Each call to a provider (discovery, token, userinfo) gives up after this. */
export const OIDC_REQUEST_TIMEOUT_SECONDS = 10;
/** Discovered metadata is refreshed this often, so a provider's endpoint changes are picked up. */
export const OIDC_DISCOVERY_CACHE_MILLISECONDS = 3_600_000;
export const DEFAULT_OIDC_SCOPES = 'openid email profile';
export const DEFAULT_RETURN_TO = '/espace';
export const RETURN_TO_MAX_LENGTH = 500;
const MAX_PROVIDERS = 20;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Every way a login can fail, each with the French message the login page shows. */
export const OIDC_LOGIN_ERRORS = {
  provider_unknown: 'Ce fournisseur d’identité n’est pas proposé sur cette plateforme.',
  provider_unreachable:
    'Le fournisseur d’identité ne répond pas. Réessayez dans quelques instants.',
  too_many_logins_in_progress:
    'Trop de connexions sont en cours. Réessayez dans quelques instants.',
  login_cancelled: 'La connexion a été annulée auprès du fournisseur d’identité.',
  provider_refused: 'Le fournisseur d’identité a refusé la connexion.',
  state_invalid:
    'Cette tentative de connexion a expiré ou a déjà servi. Recommencez depuis la page de connexion.',
  code_exchange_refused:
    'Le fournisseur d’identité n’a pas confirmé la connexion. Réessayez ou contactez l’assistance.',
  response_invalid:
    'La réponse du fournisseur d’identité n’a pas pu être vérifiée. Recommencez la connexion.',
  internal_error: 'La connexion n’a pas pu aboutir à cause d’une erreur interne, journalisée.',
} as const;

export type OidcLoginErrorCode = keyof typeof OIDC_LOGIN_ERRORS;

/** A refused login: the code and French message go to the user, the cause only to the logs. */
export class OidcLoginError extends Error {
  constructor(
    readonly code: OidcLoginErrorCode,
    options: { cause?: unknown } = {},
  ) {
    super(OIDC_LOGIN_ERRORS[code], options);
    this.name = 'OidcLoginError';
  }
}

function isAcceptableIssuer(issuer: string): boolean {
  if (!URL.canParse(issuer)) return false;
  const url = new URL(issuer);
  // The spec forbids query and fragment in an issuer identifier.
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    return false;
  if (url.protocol === 'https:') return true;
  // Plain HTTP only to this machine: a test provider or a developer's local Keycloak.
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const PRINTABLE_TOKENS = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/;

const providerEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'identifiant de 1 à 40 caractères a-z, 0-9 ou tiret'),
  label: z
    .string()
    .trim()
    .min(1, 'libellé obligatoire')
    .max(80, 'libellé de 80 caractères au plus'),
  kind: z.enum(OIDC_PROVIDER_KINDS),
  audience: z.enum(OIDC_AUDIENCES),
  issuer: z
    .string()
    .max(500, 'adresse de 500 caractères au plus')
    .refine(
      isAcceptableIssuer,
      'adresse HTTPS attendue, sans paramètres (HTTP accepté seulement pour 127.0.0.1, ::1 ou localhost)',
    ),
  clientId: z.string().min(1, 'identifiant client obligatoire').max(200, '200 caractères au plus'),
  clientSecret: z.string().min(1, 'secret client obligatoire').max(500, '500 caractères au plus'),
  scopes: z
    .string()
    .max(500, '500 caractères au plus')
    .regex(PRINTABLE_TOKENS, 'portées séparées par une espace')
    .refine((scopes) => scopes.split(' ').includes('openid'), 'la portée openid est obligatoire')
    .default(DEFAULT_OIDC_SCOPES),
  acrValues: z
    .string()
    .max(200, '200 caractères au plus')
    .regex(PRINTABLE_TOKENS, 'valeurs séparées par une espace')
    .optional(),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'entrée' : issue.path.join('.');
  if (issue.path.length > 0 && issue.input === undefined) return `${field} : champ obligatoire`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `champ(s) inconnu(s) : ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return `${field} : type incorrect (${issue.expected} attendu)`;
    case 'invalid_value':
      return `${field} : valeur attendue parmi ${issue.values.map(String).join(', ')}`;
    default:
      return `${field} : ${issue.message}`;
  }
}

function parseEntry(entry: unknown, index: number): OidcProviderConfiguration {
  // The input is kept on each issue only to tell a missing field from a wrong one; it is never
  // printed, since it may be the client secret.
  const result = providerEntrySchema.safeParse(entry, { reportInput: true });
  if (result.success) return { ...result.data, acrValues: result.data.acrValues };
  const id =
    typeof entry === 'object' && entry !== null && 'id' in entry && typeof entry.id === 'string'
      ? ` (« ${entry.id.slice(0, 40)} »)`
      : '';
  const reasons = result.error.issues.map(describeIssue).join(' ; ');
  throw new Error(
    `FLECHAGE_OIDC_PROVIDERS : fournisseur n° ${index + 1}${id} invalide : ${reasons}`,
  );
}

/** Reads FLECHAGE_OIDC_PROVIDERS; absent or blank means no OpenID login is offered. */
export function parseOidcProviders(json: string | undefined): OidcProviderConfiguration[] {
  if (json === undefined || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`FLECHAGE_OIDC_PROVIDERS n’est pas un JSON valide : ${reason}`);
  }
  if (!Array.isArray(parsed))
    throw new Error('FLECHAGE_OIDC_PROVIDERS doit être une liste JSON de fournisseurs.');
  if (parsed.length > MAX_PROVIDERS)
    throw new Error(`FLECHAGE_OIDC_PROVIDERS : ${MAX_PROVIDERS} fournisseurs au plus.`);
  const providers = parsed.map(parseEntry);
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.id))
      throw new Error(`FLECHAGE_OIDC_PROVIDERS : identifiant « ${provider.id} » en double.`);
    seen.add(provider.id);
  }
  return providers;
}

/**
 * Where to send the browser after login: a path on this site only. Anything else (another
 * origin, `//host`, backslashes that browsers read as slashes, control characters that they
 * strip) falls back to the default, so the login cannot be turned into an open redirect.
 */
export function sanitiseReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > RETURN_TO_MAX_LENGTH) return DEFAULT_RETURN_TO;
  if (!/^\/[\x21-\x7e]*$/.test(value) || value.startsWith('//') || value.includes('\\'))
    return DEFAULT_RETURN_TO;
  const base = 'https://flechage.invalid';
  return new URL(value, base).origin === base ? value : DEFAULT_RETURN_TO;
}

/** What must survive the trip to the provider, to check its answer when the browser returns. */
export type OidcLoginSecrets = { state: string; codeVerifier: string; nonce: string };

export type OidcClient = {
  beginLogin(
    provider: OidcProviderConfiguration,
    redirectUri: string,
  ): Promise<{ authorizationUrl: URL; secrets: OidcLoginSecrets }>;
  finishLogin(
    provider: OidcProviderConfiguration,
    callbackUrl: URL,
    secrets: OidcLoginSecrets,
  ): Promise<ExternalIdentity>;
};

export type OidcClientOptions = { timeoutSeconds?: number; cacheMilliseconds?: number };

/**
 * The client secret goes in the Authorization header unless the provider lists only the form
 * body method (RFC 8414 makes the header the default when the provider lists nothing).
 */
function clientSecretAuthentication(clientSecret: string): openid.ClientAuth {
  const basic = openid.ClientSecretBasic(clientSecret);
  const post = openid.ClientSecretPost(clientSecret);
  return (server, client, body, headers) => {
    const supported = server.token_endpoint_auth_methods_supported;
    const useBasic =
      supported === undefined ||
      supported.includes('client_secret_basic') ||
      !supported.includes('client_secret_post');
    return useBasic ? basic(server, client, body, headers) : post(server, client, body, headers);
  };
}

/** A network failure or a timeout: the provider did not answer at all. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** The provider answered and said no (bad client secret, code already used, expired code…). */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof openid.ResponseBodyError ||
    error instanceof openid.WWWAuthenticateChallengeError ||
    error instanceof openid.AuthorizationResponseError
  );
}

function toLoginError(error: unknown, fallback: OidcLoginErrorCode): OidcLoginError {
  if (error instanceof OidcLoginError) return error;
  if (isUnreachable(error)) return new OidcLoginError('provider_unreachable', { cause: error });
  if (isRefusal(error)) return new OidcLoginError('code_exchange_refused', { cause: error });
  return new OidcLoginError(fallback, { cause: error });
}

type CachedDiscovery = { configuration: Promise<openid.Configuration>; fetchedAt: number };

function discover(
  provider: OidcProviderConfiguration,
  timeoutSeconds: number,
): Promise<openid.Configuration> {
  const issuer = new URL(provider.issuer);
  // openid-client refuses plain HTTP; the configuration parser admitted it for loopback only.
  const execute = issuer.protocol === 'http:' ? [openid.allowInsecureRequests] : [];
  return openid.discovery(
    issuer,
    provider.clientId,
    { client_secret: provider.clientSecret },
    clientSecretAuthentication(provider.clientSecret),
    { timeout: timeoutSeconds, execute },
  );
}

function textClaim(value: unknown, maximumLength: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length === 0 || trimmed.length > maximumLength ? null : trimmed;
}

function emailClaim(value: unknown): string | null {
  const email = textClaim(value, 254)?.toLowerCase() ?? null;
  return email !== null && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

type Claims = Record<string, unknown>;

/** The identity a provider vouches for, from its ID token and userinfo claims together. */
export function identityFromClaims(
  provider: OidcProviderConfiguration,
  claims: Claims,
): ExternalIdentity {
  const subject = claims.sub;
  const issuer = claims.iss;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255)
    throw new OidcLoginError('response_invalid', { cause: new Error('sub absent ou trop long') });
  if (typeof issuer !== 'string' || issuer.length > 500)
    throw new OidcLoginError('response_invalid', { cause: new Error('iss absent ou trop long') });
  return {
    providerId: provider.id,
    audience: provider.audience,
    issuer,
    subject,
    email: emailClaim(claims.email),
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    givenName: textClaim(claims.given_name, 200),
    // ProConnect names the family name usual_name.
    familyName: textClaim(claims.family_name, 200) ?? textClaim(claims.usual_name, 200),
  };
}

async function exchangeCode(
  configuration: openid.Configuration,
  provider: OidcProviderConfiguration,
  callbackUrl: URL,
  secrets: OidcLoginSecrets,
): Promise<ExternalIdentity> {
  const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
    pkceCodeVerifier: secrets.codeVerifier,
    expectedState: secrets.state,
    expectedNonce: secrets.nonce,
    idTokenExpected: true,
  });
  const idTokenClaims = tokens.claims();
  if (idTokenClaims === undefined)
    throw new OidcLoginError('response_invalid', { cause: new Error('jeton d’identité absent') });
  // ProConnect and FranceConnect put only the subject in the ID token; the rest is in userinfo.
  if (typeof idTokenClaims.email === 'string') return identityFromClaims(provider, idTokenClaims);
  const userInfo = await openid.fetchUserInfo(
    configuration,
    tokens.access_token,
    idTokenClaims.sub,
  );
  return identityFromClaims(provider, {
    ...userInfo,
    sub: idTokenClaims.sub,
    iss: idTokenClaims.iss,
  });
}

export function createOidcClient(options: OidcClientOptions = {}): OidcClient {
  const timeoutSeconds = options.timeoutSeconds ?? OIDC_REQUEST_TIMEOUT_SECONDS;
  const cacheMilliseconds = options.cacheMilliseconds ?? OIDC_DISCOVERY_CACHE_MILLISECONDS;
  // One entry per configured provider at most: the map cannot grow beyond the configuration.
  const cache = new Map<string, CachedDiscovery>();

  function configurationOf(provider: OidcProviderConfiguration): Promise<openid.Configuration> {
    const cached = cache.get(provider.id);
    if (cached !== undefined && Date.now() - cached.fetchedAt < cacheMilliseconds)
      return cached.configuration;
    const configuration = discover(provider, timeoutSeconds);
    const entry = { configuration, fetchedAt: Date.now() };
    cache.set(provider.id, entry);
    // A failed discovery is not remembered: the next login tries again.
    configuration.catch(() => {
      if (cache.get(provider.id) === entry) cache.delete(provider.id);
    });
    return configuration;
  }

  return {
    async beginLogin(provider, redirectUri) {
      try {
        const configuration = await configurationOf(provider);
        const secrets: OidcLoginSecrets = {
          state: openid.randomState(),
          codeVerifier: openid.randomPKCECodeVerifier(),
          nonce: openid.randomNonce(),
        };
        const parameters: Record<string, string> = {
          redirect_uri: redirectUri,
          scope: provider.scopes,
          code_challenge: await openid.calculatePKCECodeChallenge(secrets.codeVerifier),
          code_challenge_method: 'S256',
          state: secrets.state,
          nonce: secrets.nonce,
        };
        if (provider.acrValues !== undefined) parameters.acr_values = provider.acrValues;
        return {
          authorizationUrl: openid.buildAuthorizationUrl(configuration, parameters),
          secrets,
        };
      } catch (error) {
        throw toLoginError(error, 'provider_unreachable');
      }
    },
    async finishLogin(provider, callbackUrl, secrets) {
      try {
        const configuration = await configurationOf(provider);
        return await exchangeCode(configuration, provider, callbackUrl, secrets);
      } catch (error) {
        throw toLoginError(error, 'response_invalid');
      }
    },
  };
}
