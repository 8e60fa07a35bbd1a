import type { Membership, Role } from './types.js';

/** Labels for the roles a form offers; roles the server sends come with their own label. */
export const roleLabels: Record<Role, string> = {
  administrateur_plateforme: 'Administrateur de la plateforme',
  gestionnaire: 'Gestionnaire de dispositif',
  instructeur: 'Instructeur',
  controleur_financier: 'Contrôleur financier',
  auditeur: 'Auditeur',
  commercant_responsable: 'Responsable commerçant',
  caissier: 'Caissier',
  beneficiaire: 'Bénéficiaire',
  aidant: 'Aidant',
};

/** The people working for a funder: the only ones offered a second factor. */
const funderStaffRoles: readonly Role[] = [
  'administrateur_plateforme',
  'gestionnaire',
  'instructeur',
  'controleur_financier',
  'auditeur',
];

const funderKinds: readonly string[] = [
  'etat',
  'region',
  'departement',
  'commune',
  'epci',
  'caisse_allocations_familiales',
  'caisse_retraite',
  'mutuelle',
  'union_europeenne',
  'cofinanceur_prive',
];

/**
 * The roles an invitation may give in an organisation of this kind. The server checks it too;
 * the list only spares the person a choice it would refuse.
 */
export function rolesForOrganisationKind(kind: string): Role[] {
  if (funderKinds.includes(kind) || kind === 'service') {
    return ['gestionnaire', 'instructeur', 'controleur_financier', 'auditeur'];
  }
  if (kind === 'commercant') return ['commercant_responsable', 'caissier'];
  if (kind === 'operateur') return ['administrateur_plateforme'];
  return ['aidant'];
}

export function hasRole(memberships: readonly Membership[], ...roles: Role[]): boolean {
  return memberships.some((membership) => roles.includes(membership.role));
}

export function isFunderStaff(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ...funderStaffRoles);
}

/**
 * Whether the person holds one of these roles in the organisation, or in the funder a service
 * belongs to; the platform's administrators hold them everywhere. The server decides; this only
 * keeps the pages from offering what it would refuse.
 */
export function holdsRoleIn(
  memberships: readonly Membership[],
  organisation: { id: number; parentId: number | null },
  roles: readonly Role[],
): boolean {
  if (hasRole(memberships, 'administrateur_plateforme')) return true;
  return memberships.some(
    (membership) =>
      roles.includes(membership.role) &&
      membership.organisationId !== null &&
      (membership.organisationId === organisation.id ||
        membership.organisationId === organisation.parentId),
  );
}

type OrganisationRef = { id: number; parentId: number | null };

export const canSeeMembers = (memberships: readonly Membership[], organisation: OrganisationRef) =>
  holdsRoleIn(memberships, organisation, ['gestionnaire', 'auditeur', 'commercant_responsable']);

/** Those who invite and remove members: an organisation's managers. */
export const canManageOrganisation = (
  memberships: readonly Membership[],
  organisation: OrganisationRef,
) => holdsRoleIn(memberships, organisation, ['gestionnaire', 'commercant_responsable']);

/** A merchant's owner holds the API keys its tills and payment processor sign with. */
export const holdsApiKeys = (memberships: readonly Membership[], organisation: OrganisationRef) =>
  holdsRoleIn(memberships, organisation, ['commercant_responsable']);
