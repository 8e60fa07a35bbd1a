import { createHash, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type pg from 'pg';
import { HttpError } from '../platform/errors.js';
import { actorMay, organisationRolesFrom, type Actor, type PersonActor } from './actor.js';
import { findUsableSigningKey, claimNonce } from './api-key-store.js';
import { identityError, signatureError } from './errors.js';
import { findLiveMandate } from './mandate-store.js';
import { ACTION_LABELS, isRoutePermission, type RoutePermission } from './permissions.js';
import {
  hasSignatureHeaders,
  isSignatureValid,
  parseSignedRequestHeaders,
} from './request-signature.js';
import { CSRF_HEADER, isCsrfTokenValid, sessionTokenOf, tokenHashOf } from './sessions.js';
import { findLiveSession, SESSION_TOUCH_INTERVAL_MS, touchSession } from './session-store.js';

// Every request is tied to a person, a machine or the operator before its route runs, and
// every route declares what it needs. A route that declares nothing stops the server.

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    actor: Actor | null;
    rawBody: string | undefined;
  }
  interface FastifyInstance {
    /** Every route with the permission it declared, for tests and documentation. */
    declaredRoutes(): DeclaredRoute[];
  }
}

export type DeclaredRoute = { method: string; url: string; permission: RoutePermission };

export const ACTING_FOR_HEADER = 'x-flechage-au-nom-de';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AuthenticationOptions = {
  pool: pg.Pool;
  operatorToken: string | undefined;
  sessionIdleMinutes: number;
};

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function checkDeclaredPermissions(routes: RouteOptions[]): void {
  const undeclared = routes
    .filter((route) => !isRoutePermission(route.config?.permission))
    .map((route) => `${String(route.method)} ${route.url}`);
  if (undeclared.length > 0) {
    throw new Error(
      `Routes sans permission déclarée (config.permission) : ${undeclared.join(', ')}`,
    );
  }
}

async function operatorActor(
  request: FastifyRequest,
  operatorTokenDigest: Buffer | undefined,
): Promise<Actor> {
  if (operatorTokenDigest === undefined) throw HttpError.of('operator_access_disabled');
  const header = request.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!timingSafeEqual(digest(presented), operatorTokenDigest)) {
    throw identityError('operator_token_invalid');
  }
  return { type: 'operateur' };
}

async function machineActor(request: FastifyRequest, pool: pg.Pool): Promise<Actor> {
  const headers = parseSignedRequestHeaders(request.headers, Math.floor(Date.now() / 1000));
  if (typeof headers === 'string') throw signatureError(headers);
  const key = await findUsableSigningKey(pool, headers.keyId);
  if (key === undefined) throw signatureError('api_key_unknown');
  const body = request.rawBody ?? '';
  if (!isSignatureValid(key.signingKey, headers, request.method, request.url, body)) {
    throw signatureError('signature_invalid');
  }
  // Claimed only once the signature holds: a forger cannot burn a terminal's nonces.
  if (!(await claimNonce(pool, key.id, headers.nonce))) throw signatureError('nonce_replayed');
  return { type: 'cle_api', apiKeyId: key.id, organisationId: key.organisationId, role: key.role };
}

async function personActor(
  request: FastifyRequest,
  options: AuthenticationOptions,
  token: string,
): Promise<PersonActor> {
  const session = await findLiveSession(
    options.pool,
    tokenHashOf(token),
    options.sessionIdleMinutes,
  );
  if (session === undefined) throw identityError('authentication_required');
  if (session.secondFactorPending) throw identityError('second_factor_required');
  if (!SAFE_METHODS.has(request.method) && !isCsrfTokenValid(token, request.headers[CSRF_HEADER])) {
    throw identityError('csrf_token_invalid');
  }
  // Most requests skip the write: the session was seen less than a minute ago.
  if (Date.now() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await touchSession(options.pool, session.sessionId);
  }
  return {
    type: 'personne',
    personId: session.personId,
    sessionId: session.sessionId,
    memberships: session.memberships,
    organisationRoles: organisationRolesFrom(session.memberships, session.services),
    actingFor: null,
  };
}

async function resolveActor(
  request: FastifyRequest,
  options: AuthenticationOptions,
  operatorTokenDigest: Buffer | undefined,
): Promise<Actor> {
  if (request.headers.authorization !== undefined) {
    return operatorActor(request, operatorTokenDigest);
  }
  const token = sessionTokenOf(request);
  if (token === undefined) throw identityError('authentication_required');
  const actor = await personActor(request, options, token);
  const actingFor = request.headers[ACTING_FOR_HEADER];
  if (actingFor === undefined) return actor;
  return withMandate(actor, actingFor, options.pool);
}

/** An aidant names the beneficiary in a header; only a live mandate lets the request through. */
async function withMandate(
  actor: PersonActor,
  beneficiaryHeader: string | string[],
  pool: pg.Pool,
): Promise<PersonActor> {
  const text = Array.isArray(beneficiaryHeader) ? '' : beneficiaryHeader;
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw identityError('mandate_missing');
  const mandate = await findLiveMandate(pool, actor.personId, Number(text));
  if (mandate === undefined) throw identityError('mandate_missing');
  return {
    ...actor,
    actingFor: { personId: Number(text), mandateId: mandate.id, scopes: mandate.scopes },
  };
}

/**
 * The 404 handler is the only route without a declared permission (the server refuses to start
 * otherwise), and anyone may be told that an address does not exist.
 */
function permissionOf(request: FastifyRequest): RoutePermission {
  return request.routeOptions.config.permission ?? 'public';
}

function authorise(actor: Actor, permission: RoutePermission): void {
  if (permission === 'public' || permission === 'authenticated') return;
  if (actorMay(actor, permission)) return;
  const acting = actor.type === 'personne' && actor.actingFor !== null;
  throw identityError(acting ? 'mandate_scope_missing' : 'action_not_allowed', {
    action: permission,
    actionLabel: ACTION_LABELS[permission],
  });
}

/**
 * Installs, on the root server: cookies, the raw body kept for signatures, the check that every
 * route declares a permission, and the authentication and authorisation of every request.
 */
export async function installAuthentication(
  server: FastifyInstance,
  options: AuthenticationOptions,
): Promise<void> {
  await server.register(cookie);
  server.decorateRequest('rawBody', undefined);
  const routes: RouteOptions[] = [];
  server.addHook('onRoute', (route) => {
    routes.push(route);
  });
  server.addHook('onReady', async () => checkDeclaredPermissions(routes));
  server.decorate('declaredRoutes', () =>
    routes.flatMap((route) =>
      [route.method].flat().map((method) => ({
        method,
        url: route.url,
        permission: route.config?.permission as RoutePermission,
      })),
    ),
  );
  server.decorateRequest('actor', null);
  const operatorTokenDigest =
    options.operatorToken === undefined ? undefined : digest(options.operatorToken);
  // Sessions and the operator's token are checked before the body is read: an anonymous
  // payload costs nothing. Signatures cover the body, so they are checked once it is parsed,
  // still before validation, so that an unsigned caller learns nothing about a route's schema.
  server.addHook('onRequest', async (request) => {
    const permission = permissionOf(request);
    if (permission === 'public' || hasSignatureHeaders(request.headers)) return;
    const actor = await resolveActor(request, options, operatorTokenDigest);
    authorise(actor, permission);
    request.actor = actor;
  });
  server.addHook('preValidation', async (request) => {
    const permission = permissionOf(request);
    if (permission === 'public' || request.actor !== null) return;
    const actor = await machineActor(request, options.pool);
    authorise(actor, permission);
    request.actor = actor;
  });
}
