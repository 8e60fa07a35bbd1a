import { roleAllows, scopesAllow, type Action, type MandateScope } from './permissions.js';
import type { MachineRole, PersonRole, Role } from './roles.js';

// Who is calling, and what they may reach. Pure: built from rows the stores read, consulted by
// the routes and by the stores' tenant filters.

export type ActiveMembership = {
  id: number;
  organisationId: number | null;
  role: PersonRole;
};

export type ActingFor = { personId: number; mandateId: number; scopes: MandateScope[] };

export type PersonActor = {
  type: 'personne';
  personId: number;
  sessionId: number;
  memberships: ActiveMembership[];
  /** Organisation id → roles held there, services inheriting the roles held in their funder. */
  organisationRoles: Map<number, PersonRole[]>;
  actingFor: ActingFor | null;
};

export type MachineActor = {
  type: 'cle_api';
  apiKeyId: number;
  organisationId: number;
  role: MachineRole;
};

export type OperatorActor = { type: 'operateur' };

export type Actor = PersonActor | MachineActor | OperatorActor;

/** What the stores filter by. `everything` is for platform administrators and the operator. */
export type TenantScope =
  { everything: true } | { everything: false; organisationIds: number[]; personId: number | null };

export function rolesOf(actor: Actor): Role[] {
  switch (actor.type) {
    case 'personne':
      return actor.memberships.map((membership) => membership.role);
    case 'cle_api':
      return [actor.role];
    case 'operateur':
      return ['operateur'];
  }
}

export function isPlatformWide(actor: Actor): boolean {
  return rolesOf(actor).some(
    (role) => role === 'administrateur_plateforme' || role === 'operateur',
  );
}

/**
 * Whether some role of the actor allows the action somewhere. Acting for a beneficiary, a
 * person may do only what the mandate's scopes open, whatever their own roles.
 */
export function actorMay(actor: Actor, action: Action): boolean {
  if (actor.type === 'personne' && actor.actingFor !== null) {
    return scopesAllow(actor.actingFor.scopes, action);
  }
  return rolesOf(actor).some((role) => roleAllows(role, action));
}

export type OrganisationAccess = 'allowed' | 'forbidden' | 'not_visible';

/** An organisation the actor cannot see answers 404, so that ids reveal nothing. */
export function accessToOrganisation(
  actor: Actor,
  action: Action,
  organisationId: number,
): OrganisationAccess {
  if (actor.type === 'personne' && actor.actingFor !== null) return 'not_visible';
  if (isPlatformWide(actor) || actor.type === 'operateur') {
    return actorMay(actor, action) ? 'allowed' : 'forbidden';
  }
  const roles: Role[] =
    actor.type === 'cle_api'
      ? actor.organisationId === organisationId
        ? [actor.role]
        : []
      : (actor.organisationRoles.get(organisationId) ?? []);
  if (roles.length === 0) return 'not_visible';
  return roles.some((role) => roleAllows(role, action)) ? 'allowed' : 'forbidden';
}

export function tenantScopeOf(actor: Actor): TenantScope {
  if (isPlatformWide(actor)) return { everything: true };
  if (actor.type === 'cle_api') {
    return { everything: false, organisationIds: [actor.organisationId], personId: null };
  }
  if (actor.type === 'operateur') return { everything: true };
  if (actor.actingFor !== null) {
    return { everything: false, organisationIds: [], personId: actor.actingFor.personId };
  }
  return {
    everything: false,
    organisationIds: [...actor.organisationRoles.keys()],
    personId: actor.personId,
  };
}

/** The person whose own data a request reads or changes: the beneficiary when acting for one. */
export function subjectPersonId(actor: PersonActor): number {
  return actor.actingFor?.personId ?? actor.personId;
}

export function organisationRolesFrom(
  memberships: ActiveMembership[],
  servicesOfMemberOrganisations: { id: number; parentId: number }[],
): Map<number, PersonRole[]> {
  const roles = new Map<number, PersonRole[]>();
  const add = (organisationId: number, role: PersonRole) => {
    const held = roles.get(organisationId) ?? [];
    if (!held.includes(role)) held.push(role);
    roles.set(organisationId, held);
  };
  for (const membership of memberships) {
    if (membership.organisationId !== null) add(membership.organisationId, membership.role);
  }
  for (const service of servicesOfMemberOrganisations) {
    for (const role of roles.get(service.parentId) ?? []) add(service.id, role);
  }
  return roles;
}
