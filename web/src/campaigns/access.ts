import { holdsRoleIn } from '../identity/roles.js';
import type { Membership, Role } from '../identity/types.js';

// Who may do what with campaigns and attributions (src/identity/permissions.ts). The server
// decides; these only keep the pages from offering what it would refuse.

const holds = (memberships: readonly Membership[], organisationId: number, roles: Role[]) =>
  holdsRoleIn(memberships, { id: organisationId, parentId: null }, roles);

/** Managers prepare, simulate and cancel campaigns. */
export const canManageCampaigns = (memberships: readonly Membership[], organisationId: number) =>
  holds(memberships, organisationId, ['gestionnaire']);

/** Managers and financial controllers approve them. */
export const canApproveCampaigns = (memberships: readonly Membership[], organisationId: number) =>
  holds(memberships, organisationId, ['gestionnaire', 'controleur_financier']);

/** Financial controllers set the total above which a second person must approve. */
export const canSetFourEyesThreshold = (
  memberships: readonly Membership[],
  organisationId: number,
) => holds(memberships, organisationId, ['controleur_financier']);

/** Managers and case workers suspend, reinstate and revoke attributions. */
export const canManageAttributions = (memberships: readonly Membership[], organisationId: number) =>
  holds(memberships, organisationId, ['gestionnaire', 'instructeur']);

/** The staff who read campaigns: each organisation they work for, once. */
export function campaignOrganisations(
  memberships: readonly Membership[],
): { id: number; name: string }[] {
  const readers: Role[] = ['gestionnaire', 'instructeur', 'controleur_financier', 'auditeur'];
  const seen = new Map<number, string>();
  for (const membership of memberships) {
    if (membership.organisationId === null || !readers.includes(membership.role)) continue;
    seen.set(
      membership.organisationId,
      membership.organisationName ?? `Organisation n° ${membership.organisationId}`,
    );
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}
