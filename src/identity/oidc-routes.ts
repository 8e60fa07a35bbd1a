import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import {
  createOidcClient,
  OIDC_AUDIENCES,
  OIDC_LOGIN_ERRORS,
  OIDC_PROVIDER_KINDS,
  OIDC_TRANSACTION_LIFETIME_SECONDS,
  OidcLoginError,
  sanitiseReturnTo,
  type ExternalIdentity,
  type OidcClient,
  type OidcProviderConfiguration,
} from './oidc.js';
import { consumeOidcTransaction, saveOidcTransaction } from './oidc-store.js';

export type OidcLoginOutcome = { ok: true } | { ok: false; code: string; message: string };

export type OidcRoutesOptions = {
  pool: pg.Pool;
  providers: OidcProviderConfiguration[];
  /** The address users reach, without trailing slash; redirect URIs are built on it. */
  publicUrl: string;
  /** Links the identity to a person, opens the session and sets its cookie. */
  completeLogin: (
    identity: ExternalIdentity,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<OidcLoginOutcome>;
  /** Another client, for shorter timeouts; one with the default limits otherwise. */
  client?: OidcClient;
  /** Logins in progress allowed at once (10 000 unless told). */
  maxPendingTransactions?: number;
};

export const OIDC_ROUTES_PREFIX = '/api/identity/oidc';
/** Ties a login in progress to the browser that started it, against login forgery. */
export const OIDC_STATE_COOKIE = 'flechage_oidc_etat';
export const LOGIN_PAGE_PATH = '/connexion';
const DEFAULT_MAX_PENDING_TRANSACTIONS = 10_000;

export function oidcRedirectUri(publicUrl: string, providerId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${OIDC_ROUTES_PREFIX}/${providerId}/callback`;
}

/** The login page, told why the login failed; what completeLogin says is bounded in length. */
export function loginFailureLocation(code: string, message: string): string {
  const erreur = encodeURIComponent(code.slice(0, 60));
  return `${LOGIN_PAGE_PATH}?erreur=${erreur}&message=${encodeURIComponent(message.slice(0, 300))}`;
}

type RouteContext = {
  pool: pg.Pool;
  providers: Map<string, OidcProviderConfiguration>;
  publicUrl: string;
  completeLogin: OidcRoutesOptions['completeLogin'];
  client: OidcClient;
  maxPendingTransactions: number;
  secureCookie: boolean;
};

type OidcApp = FastifyInstance;

const tags = ['identité'];
const publicRoute = { permission: 'public' } as const;
const errorSchema = z.object({ code: z.string(), message: z.string() });
const redirectSchema = z.null().describe('Redirection (en-tête Location)');
const providerParamsSchema = z.object({ providerId: z.string() });

function stateCookie(state: string, secure: boolean, maxAgeSeconds: number): string {
  const attributes = [`Path=${OIDC_ROUTES_PREFIX}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly'];
  // Lax: the provider sends the browser back with a top-level GET from another site.
  attributes.push('SameSite=Lax');
  if (secure) attributes.push('Secure');
  return [`${OIDC_STATE_COOKIE}=${state}`, ...attributes].join('; ');
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name)
      return pair.slice(separator + 1).trim();
  }
  return undefined;
}

function sameText(left: string | undefined, right: string): boolean {
  if (left === undefined) return false;
  const leftBytes = Buffer.from(left);
  const rightBytes = Buffer.from(right);
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}

/** Logs the technical cause and sends the browser to the login page with the French reason. */
function refuseLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  providerId: string,
  error: unknown,
): FastifyReply {
  if (error instanceof OidcLoginError) {
    request.log.warn(
      { providerId, code: error.code, err: error.cause },
      'connexion OpenID refusée',
    );
    return reply.redirect(loginFailureLocation(error.code, error.message));
  }
  request.log.error({ providerId, err: error }, 'connexion OpenID en erreur');
  return reply.redirect(loginFailureLocation('internal_error', OIDC_LOGIN_ERRORS.internal_error));
}

function registerProviderList(app: OidcApp, context: RouteContext): void {
  const listed = [...context.providers.values()].map(({ id, label, kind, audience }) => ({
    id,
    label,
    kind,
    audience,
  }));
  app.withTypeProvider<ZodTypeProvider>().get(
    `${OIDC_ROUTES_PREFIX}/providers`,
    {
      config: publicRoute,
      schema: {
        summary: 'Lister les fournisseurs d’identité proposés pour se connecter',
        tags,
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              label: z.string(),
              kind: z.enum(OIDC_PROVIDER_KINDS),
              audience: z.enum(OIDC_AUDIENCES),
            }),
          ),
        },
      },
    },
    async () => listed,
  );
}

function registerStart(app: OidcApp, context: RouteContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${OIDC_ROUTES_PREFIX}/:providerId/start`,
    {
      config: publicRoute,
      schema: {
        summary: 'Commencer une connexion chez un fournisseur d’identité (redirection)',
        tags,
        params: providerParamsSchema,
        // Any text: an unacceptable return address falls back to the default, never fails.
        querystring: z.object({ returnTo: z.string().optional() }),
        response: { 302: redirectSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const provider = context.providers.get(request.params.providerId);
      if (provider === undefined) {
        return reply
          .status(404)
          .send({ code: 'provider_unknown', message: OIDC_LOGIN_ERRORS.provider_unknown });
      }
      try {
        const redirectUri = oidcRedirectUri(context.publicUrl, provider.id);
        const { authorizationUrl, secrets } = await context.client.beginLogin(
          provider,
          redirectUri,
        );
        const transaction = {
          ...secrets,
          providerId: provider.id,
          returnTo: sanitiseReturnTo(request.query.returnTo),
        };
        const saved = await saveOidcTransaction(context.pool, transaction, {
          lifetimeSeconds: OIDC_TRANSACTION_LIFETIME_SECONDS,
          maxPending: context.maxPendingTransactions,
        });
        if (!saved) throw new OidcLoginError('too_many_logins_in_progress');
        const cookie = stateCookie(
          secrets.state,
          context.secureCookie,
          OIDC_TRANSACTION_LIFETIME_SECONDS,
        );
        return reply.header('set-cookie', cookie).redirect(authorizationUrl.href);
      } catch (error) {
        return refuseLogin(request, reply, provider.id, error);
      }
    },
  );
}

const callbackQuerySchema = z.object({
  code: z.string().max(4_096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2_000).optional(),
  iss: z.string().max(500).optional(),
});

type CallbackQuery = z.infer<typeof callbackQuerySchema>;

/** Checks the provider's answer against the login this browser started; throws why not. */
async function authenticateCallback(
  context: RouteContext,
  request: FastifyRequest,
  provider: OidcProviderConfiguration,
  query: CallbackQuery,
): Promise<{ identity: ExternalIdentity; returnTo: string }> {
  const state = query.state ?? '';
  const acceptableState = state.length >= 16 && state.length <= 128;
  // Consumed whatever happens next: a state answers once, even with an error.
  const transaction = acceptableState
    ? await consumeOidcTransaction(context.pool, state)
    : undefined;
  if (query.error !== undefined) {
    const code = query.error === 'access_denied' ? 'login_cancelled' : 'provider_refused';
    const cause = new Error(`${query.error} : ${query.error_description ?? ''}`);
    throw new OidcLoginError(code, { cause });
  }
  const boundToBrowser = sameText(readCookie(request.headers.cookie, OIDC_STATE_COOKIE), state);
  if (transaction === undefined || transaction.providerId !== provider.id || !boundToBrowser) {
    const reason =
      transaction === undefined
        ? 'état inconnu, expiré ou déjà utilisé'
        : transaction.providerId !== provider.id
          ? `état émis pour le fournisseur ${transaction.providerId}`
          : 'état absent du cookie de ce navigateur';
    throw new OidcLoginError('state_invalid', { cause: new Error(reason) });
  }
  // Rebuilt on the public address: the Host header of a request behind a proxy is not trusted.
  const callbackUrl = new URL(oidcRedirectUri(context.publicUrl, provider.id));
  const queryStart = request.url.indexOf('?');
  callbackUrl.search = queryStart === -1 ? '' : request.url.slice(queryStart);
  const identity = await context.client.finishLogin(provider, callbackUrl, transaction);
  return { identity, returnTo: transaction.returnTo };
}

function registerCallback(app: OidcApp, context: RouteContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${OIDC_ROUTES_PREFIX}/:providerId/callback`,
    {
      config: publicRoute,
      schema: {
        summary: 'Retour du fournisseur d’identité : ouvre la session (redirection)',
        tags,
        params: providerParamsSchema,
        querystring: callbackQuerySchema,
        response: { 302: redirectSchema },
      },
    },
    async (request, reply) => {
      const providerId = request.params.providerId;
      // Whatever the outcome, this login in progress is over for the browser.
      void reply.header('set-cookie', stateCookie('', context.secureCookie, 0));
      const provider = context.providers.get(providerId);
      if (provider === undefined)
        return refuseLogin(request, reply, providerId, new OidcLoginError('provider_unknown'));
      try {
        const { identity, returnTo } = await authenticateCallback(
          context,
          request,
          provider,
          request.query,
        );
        const outcome = await context.completeLogin(identity, request, reply);
        if (reply.sent) return reply;
        if (outcome.ok) return reply.redirect(returnTo);
        request.log.warn(
          { providerId, code: outcome.code, issuer: identity.issuer, subject: identity.subject },
          'connexion OpenID refusée par la plateforme',
        );
        return reply.redirect(loginFailureLocation(outcome.code, outcome.message));
      } catch (error) {
        return refuseLogin(request, reply, providerId, error);
      }
    },
  );
}

/** OpenID Connect login routes, all public: they are how a person gets a session. */
export const oidcRoutes: FastifyPluginAsync<OidcRoutesOptions> = async (app, options) => {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol))
    throw new Error(`oidcRoutes : adresse publique invalide (« ${publicUrl} »), http(s) attendue.`);
  const context: RouteContext = {
    pool: options.pool,
    providers: new Map(options.providers.map((provider) => [provider.id, provider])),
    publicUrl,
    completeLogin: options.completeLogin,
    client: options.client ?? createOidcClient(),
    maxPendingTransactions: options.maxPendingTransactions ?? DEFAULT_MAX_PENDING_TRANSACTIONS,
    secureCookie: new URL(publicUrl).protocol === 'https:',
  };
  registerProviderList(app, context);
  registerStart(app, context);
  registerCallback(app, context);
};
