import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { actorOf, organisationFor, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation, type Actor } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { FUNDER_KINDS } from '../identity/organisations.js';
import type { Action } from '../identity/permissions.js';
import { listOrganisationsInScope, type OrganisationRow } from '../identity/store.js';
import { beneficiaryError } from './errors.js';

// Beneficiary records belong to a funder. A funder's services work on their funder's records:
// whoever may act for the service (or for the funder) may act on them. Other records answer
// 404, exactly like records that do not exist.

/** The funder an organisation's records belong to: itself, or the funder of a service. */
export function funderOf(organisation: OrganisationRow): number | null {
  if ((FUNDER_KINDS as readonly string[]).includes(organisation.kind)) return organisation.id;
  if (organisation.kind === 'service') return organisation.parentId;
  return null;
}

export type FunderScope = {
  /** Funders whose records the caller may see at all; null: every funder. */
  visible: number[] | null;
  /** Funders whose records the caller may do the action on; null: every funder. */
  allowed: number[] | null;
};

export async function funderScope(
  pool: pg.Pool,
  actor: Actor,
  action: Action,
): Promise<FunderScope> {
  const visibleIds = visibleOrganisationIds(actor);
  if (visibleIds === null) return { visible: null, allowed: null };
  const organisations = await listOrganisationsInScope(pool, visibleIds);
  const visible = new Set<number>();
  const allowed = new Set<number>();
  for (const organisation of organisations) {
    const funder = funderOf(organisation);
    if (funder === null) continue;
    visible.add(funder);
    if (accessToOrganisation(actor, action, organisation.id) === 'allowed') allowed.add(funder);
  }
  return { visible: [...visible], allowed: [...allowed] };
}

/** Checks a record's (or an import's) funder against the caller's scope: 404, then 403. */
export function requireFunderAccess(scope: FunderScope, organisationId: number): void {
  if (scope.visible !== null && !scope.visible.includes(organisationId)) {
    throw identityError('resource_not_found');
  }
  if (scope.allowed !== null && !scope.allowed.includes(organisationId)) {
    throw identityError('action_not_allowed');
  }
}

/** The funder named by a request (`organisationId`, a funder or one of its services). */
export async function requestedFunder(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
  organisationId: number,
): Promise<number> {
  const organisation = await organisationFor(pool, request, action, organisationId);
  const funder = funderOf(organisation);
  if (funder === null) throw beneficiaryError('organisation_not_funder');
  return funder;
}

/** The funders a list covers: the one asked for, or every one the caller may read. */
export async function listedFunders(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
  organisationId: number | undefined,
): Promise<number[] | null> {
  if (organisationId !== undefined) {
    return [await requestedFunder(pool, request, action, organisationId)];
  }
  return (await funderScope(pool, actorOf(request), action)).allowed;
}
