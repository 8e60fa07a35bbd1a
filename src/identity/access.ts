import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { accessToOrganisation, tenantScopeOf, type Actor, type PersonActor } from './actor.js';
import { identityError } from './errors.js';
import type { Action } from './permissions.js';
import { findOrganisationInScope, type OrganisationRow } from './store.js';

// What routes ask before touching an organisation's data: the organisation, if the caller may
// see it, else a 404 that reveals nothing about whether it exists.

export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) throw identityError('authentication_required');
  return request.actor;
}

export function personOf(request: FastifyRequest): PersonActor {
  const actor = actorOf(request);
  if (actor.type !== 'personne') throw identityError('action_not_allowed');
  return actor;
}

/** The organisation ids a caller's queries are limited to; null when platform-wide. */
export function visibleOrganisationIds(actor: Actor): number[] | null {
  const scope = tenantScopeOf(actor);
  return scope.everything ? null : scope.organisationIds;
}

export async function organisationFor(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
  organisationId: number,
): Promise<OrganisationRow> {
  const actor = actorOf(request);
  const access = accessToOrganisation(actor, action, organisationId);
  if (access === 'not_visible') throw identityError('resource_not_found');
  const organisation = await findOrganisationInScope(
    pool,
    visibleOrganisationIds(actor),
    organisationId,
  );
  if (organisation === undefined) throw identityError('resource_not_found');
  if (access === 'forbidden') throw identityError('action_not_allowed');
  return organisation;
}

/** The same, for routes whose path names the organisation (`:organisationId`). */
export function organisationOfRoute(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
): Promise<OrganisationRow> {
  const { organisationId } = request.params as { organisationId: number };
  return organisationFor(pool, request, action, organisationId);
}
