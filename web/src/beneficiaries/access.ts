import type { Membership, Role } from '../identity/types.js';

// Who may do what with beneficiary records. The server decides (beneficiary.read and
// beneficiary.manage); these only keep the pages from offering what it would refuse.

const readerRoles: readonly Role[] = [
  'gestionnaire',
  'instructeur',
  'controleur_financier',
  'auditeur',
];
const managerRoles: readonly Role[] = ['gestionnaire', 'instructeur'];

/** Staff who read a funder's beneficiaries; the server decides, this only spares a refusal. */
export const readsBeneficiaries = (memberships: readonly Membership[]) =>
  memberships.some((membership) => readerRoles.includes(membership.role));

/** Those who import, correct, export and erase the records of this organisation. */
export const managesBeneficiaries = (memberships: readonly Membership[], organisationId: number) =>
  memberships.some(
    (membership) =>
      managerRoles.includes(membership.role) && membership.organisationId === organisationId,
  );

/** The organisations in which the person holds one of these roles, each named once. */
function organisationsWith(
  memberships: readonly Membership[],
  roles: readonly Role[],
): { id: number; name: string }[] {
  const found = memberships.filter(
    (membership) => roles.includes(membership.role) && membership.organisationId !== null,
  );
  const unique = found.filter(
    (membership, index) =>
      found.findIndex((other) => other.organisationId === membership.organisationId) === index,
  );
  return unique.map((membership) => ({
    id: membership.organisationId as number,
    name: membership.organisationName ?? `Organisation n° ${membership.organisationId}`,
  }));
}

/** The funders whose beneficiaries the person reads. */
export const readingOrganisations = (memberships: readonly Membership[]) =>
  organisationsWith(memberships, readerRoles);

/** The funders whose beneficiaries the person may import. */
export const importingOrganisations = (memberships: readonly Membership[]) =>
  organisationsWith(memberships, managerRoles);
