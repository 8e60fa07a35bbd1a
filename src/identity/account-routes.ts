import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import type { TypedApp } from '../platform/http.js';
import { personOf } from './access.js';
import { identityError } from './errors.js';
import { journaledRequest } from './journal.js';
import { completeLoginWithTotp, loginWithPassword, type LoginSettings } from './login.js';
import { membershipsOfPerson } from './people-store.js';
import { ROLE_LABELS } from './roles.js';
import {
  emailSchema,
  errorResponses,
  identifierSchema,
  membershipViewSchema,
  passwordSchema,
} from './schemas.js';
import {
  clearSessionCookie,
  csrfTokenOf,
  isCsrfTokenValid,
  CSRF_HEADER,
  sessionTokenOf,
  setSessionCookie,
  tokenHashOf,
  type SessionSettings,
} from './sessions.js';
import { findLiveSession, listLiveSessions, revokeSession } from './session-store.js';
import { findPersonById } from './people-store.js';
import { registerSecurityRoutes } from './security-routes.js';

// Login, logout and the session as the web app sees it.

export type AccountRoutesOptions = {
  pool: pg.Pool;
  sessions: SessionSettings;
  login: LoginSettings;
};

const tags = ['identité'];
const loginStatusSchema = z.object({
  status: z.enum(['connecte', 'second_facteur_requis']),
  csrfToken: z.string(),
});

export const accountRoutes: FastifyPluginAsync<AccountRoutesOptions> = async (plugin, options) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerLoginRoutes(app, options);
  registerSessionRoutes(app, options);
  registerSecurityRoutes(app, options);
};

function registerLoginRoutes(app: TypedApp, options: AccountRoutesOptions): void {
  registerPasswordLogin(app, options);
  registerTotpLogin(app, options);
  registerLogout(app, options);
}

/** The cookie's session, even one still waiting for its second factor. */
async function sessionOfRequest(pool: pg.Pool, request: FastifyRequest, settings: SessionSettings) {
  const token = sessionTokenOf(request);
  const session =
    token === undefined
      ? undefined
      : await findLiveSession(pool, tokenHashOf(token), settings.idleMinutes);
  return { token, session };
}

async function closeSession(pool: pg.Pool, request: FastifyRequest, sessionId: number) {
  const actor = personOf(request);
  await journaledRequest(pool, request, async (client, journal) => {
    if (!(await revokeSession(client, actor.personId, sessionId))) {
      throw identityError('resource_not_found');
    }
    await journal({
      organisationId: null,
      action: 'session.close',
      targetType: 'session',
      targetId: sessionId,
    });
  });
}

const sessionViewSchema = z.union([
  z.object({ authenticated: z.literal(false) }),
  z.object({
    authenticated: z.literal(true),
    secondFactorPending: z.boolean(),
    csrfToken: z.string(),
    expiresAt: z.date(),
    person: z.object({
      id: z.number(),
      email: z.string(),
      displayName: z.string(),
      totpEnabled: z.boolean(),
    }),
    memberships: membershipViewSchema.array(),
  }),
]);

function registerSessionRoutes(app: TypedApp, options: AccountRoutesOptions): void {
  registerSessionView(app, options);
  registerSessionList(app, options);
  registerSessionClosing(app, options);
}

function registerPasswordLogin(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/login',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Se connecter avec adresse électronique et mot de passe',
        description:
          'Limité par adresse électronique et par adresse IP ; ouvre une session (cookie httpOnly) et renvoie le jeton anti-falsification à joindre aux requêtes qui modifient.',
        tags,
        body: z.strictObject({ email: emailSchema, password: passwordSchema }),
        response: { 200: loginStatusSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const outcome = await loginWithPassword(pool, options, { ...request.body, request });
      setSessionCookie(reply, options.sessions, outcome.session);
      return {
        status: outcome.secondFactorPending ? 'second_facteur_requis' : 'connecte',
        csrfToken: csrfTokenOf(outcome.session.token),
      } as const;
    },
  );
}

function registerTotpLogin(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/login/totp',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Terminer la connexion avec le code de l’application d’authentification',
        tags,
        body: z.strictObject({ code: z.string().max(10) }),
        response: { 200: loginStatusSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { token, session } = await sessionOfRequest(pool, request, options.sessions);
      if (token === undefined || session === undefined) {
        throw identityError('authentication_required');
      }
      if (!isCsrfTokenValid(token, request.headers[CSRF_HEADER])) {
        throw identityError('csrf_token_invalid');
      }
      if (session.secondFactorPending) {
        await completeLoginWithTotp(
          pool,
          options.login,
          { sessionId: session.sessionId, personId: session.personId, request },
          request.body.code,
        );
      }
      return { status: 'connecte', csrfToken: csrfTokenOf(token) } as const;
    },
  );
}

function registerLogout(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/logout',
    {
      config: { permission: 'authenticated' },
      schema: { summary: 'Se déconnecter', tags, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const actor = personOf(request);
      await closeSession(pool, request, actor.sessionId);
      clearSessionCookie(reply, options.sessions);
      return reply.status(204).send(null);
    },
  );
}

function registerSessionView(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.get(
    '/api/identity/session',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'La session en cours, ses rôles et son jeton anti-falsification',
        tags,
        response: { 200: sessionViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { token, session } = await sessionOfRequest(pool, request, options.sessions);
      const person =
        session === undefined ? undefined : await findPersonById(pool, session.personId);
      if (token === undefined || session === undefined || person === undefined) {
        return { authenticated: false } as const;
      }
      const memberships = await membershipsOfPerson(pool, person.id);
      return {
        authenticated: true,
        secondFactorPending: session.secondFactorPending,
        csrfToken: csrfTokenOf(token),
        expiresAt: session.expiresAt,
        person: {
          id: person.id,
          email: person.email,
          displayName: person.displayName,
          totpEnabled: person.totpSecret !== null,
        },
        memberships: memberships.map((membership) => ({
          id: membership.membershipId,
          organisationId: membership.organisationId,
          organisationName: membership.organisationName,
          organisationKind: membership.organisationKind,
          role: membership.role,
          roleLabel: ROLE_LABELS[membership.role],
        })),
      } as const;
    },
  );
}

function registerSessionList(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.get(
    '/api/identity/sessions',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Mes sessions ouvertes',
        tags,
        response: {
          200: z
            .object({
              id: z.number(),
              createdAt: z.date(),
              lastSeenAt: z.date(),
              expiresAt: z.date(),
              userAgent: z.string().nullable(),
              authenticationMethod: z.string(),
              current: z.boolean(),
            })
            .array(),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = personOf(request);
      const sessions = await listLiveSessions(pool, actor.personId);
      return sessions.map((session) => ({ ...session, current: session.id === actor.sessionId }));
    },
  );
}

function registerSessionClosing(app: TypedApp, options: AccountRoutesOptions): void {
  const { pool } = options;
  app.delete(
    '/api/identity/sessions/:sessionId',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Fermer une de mes sessions (effet immédiat)',
        tags,
        params: z.strictObject({ sessionId: identifierSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await closeSession(pool, request, request.params.sessionId);
      return reply.status(204).send(null);
    },
  );
}
