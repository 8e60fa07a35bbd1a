import { hasRole, holdsRoleIn } from '../identity/roles.js';
import type { Membership } from '../identity/types.js';

// Who may do what with funds and programmes. The server decides; these only keep the pages from
// offering what it would refuse.

const inOrganisation = (organisationId: number) => ({ id: organisationId, parentId: null });

/** Managers create funds and programmes, allocate money and change the rules. */
export const canManage = (memberships: readonly Membership[], organisationId: number) =>
  holdsRoleIn(memberships, inOrganisation(organisationId), ['gestionnaire']);

/** Financial controllers and managers record what contributors pay in. */
export const canRecordContributions = (
  memberships: readonly Membership[],
  organisationId: number,
) =>
  holdsRoleIn(memberships, inOrganisation(organisationId), [
    'gestionnaire',
    'controleur_financier',
  ]);

/** The organisations in which the person may create a fund or a programme. */
export function managedOrganisations(
  memberships: readonly Membership[],
): { id: number; name: string }[] {
  return memberships
    .filter(
      (membership) => membership.role === 'gestionnaire' && membership.organisationId !== null,
    )
    .map((membership) => ({
      id: membership.organisationId as number,
      name: membership.organisationName ?? `Organisation n° ${membership.organisationId}`,
    }));
}

export const managesAny = (memberships: readonly Membership[]) =>
  managedOrganisations(memberships).length > 0;

/** Instructors read programmes, not funds. */
export const readsFunds = (memberships: readonly Membership[]) =>
  hasRole(
    memberships,
    'administrateur_plateforme',
    'gestionnaire',
    'controleur_financier',
    'auditeur',
  );
