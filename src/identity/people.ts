import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { identityError, type IdentityErrorCode } from './errors.js';
import type { Journal } from './journal.js';
import type { OrganisationKind } from './organisations.js';
import { hashPassword, isAcceptablePassword } from './passwords.js';
import { findPersonByEmail, insertMembership, insertPerson } from './people-store.js';
import {
  findOpenInvitationByToken,
  insertInvitation,
  markInvitationAccepted,
  type InvitationRecord,
} from './invitation-store.js';
import { organisationKindsFor, ROLE_LABELS, type PersonRole } from './roles.js';
import { findOrganisation } from './store.js';

// People and their roles: accounts, memberships and invitations.

export const INVITATION_VALIDITY_DAYS = 7;

export type Refused = { refused: IdentityErrorCode };

export function isRefused(value: unknown): value is Refused {
  return typeof value === 'object' && value !== null && 'refused' in value;
}

/** Inside a transaction, a refusal throws, so that nothing written before it commits. */
export function accepted<T>(result: T | Refused): T {
  if (isRefused(result)) throw identityError(result.refused);
  return result;
}

export async function createPerson(
  client: pg.ClientBase,
  journal: Journal,
  person: { email: string; displayName: string; password: string | null },
): Promise<number | Refused> {
  if (person.password !== null && !isAcceptablePassword(person.password)) {
    return { refused: 'password_rejected' };
  }
  const passwordHash = person.password === null ? null : await hashPassword(person.password);
  const personId = await insertPerson(client, { ...person, passwordHash });
  if (personId === undefined) return { refused: 'email_already_registered' };
  await journal({
    organisationId: null,
    action: 'person.create',
    targetType: 'person',
    targetId: personId,
    after: { email: person.email, displayName: person.displayName },
  });
  return personId;
}

export function isRoleValidIn(
  role: PersonRole,
  organisationKind: OrganisationKind | null,
): boolean {
  const kinds = organisationKindsFor(role);
  if (organisationKind === null) return role === 'beneficiaire' || role === 'aidant';
  return kinds.includes(organisationKind);
}

export async function grantRole(
  client: pg.ClientBase,
  journal: Journal,
  grant: { personId: number; organisationId: number | null; role: PersonRole },
): Promise<number | Refused> {
  const organisation =
    grant.organisationId === null ? null : await findOrganisation(client, grant.organisationId);
  if (organisation === undefined) return { refused: 'resource_not_found' };
  if (!isRoleValidIn(grant.role, organisation?.kind ?? null)) {
    return { refused: 'role_not_valid_here' };
  }
  const membershipId = await insertMembership(client, grant);
  if (membershipId === undefined) return { refused: 'already_member' };
  await journal({
    organisationId: grant.organisationId,
    action: 'membership.grant',
    targetType: 'membership',
    targetId: membershipId,
    after: { personId: grant.personId, role: grant.role },
  });
  return membershipId;
}

export function invitationTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export async function createInvitation(
  client: pg.ClientBase,
  journal: Journal,
  invitation: {
    organisationId: number;
    organisationKind: OrganisationKind;
    email: string;
    role: PersonRole;
    invitedByPersonId: number | null;
  },
): Promise<{ id: number; token: string; expiresAt: Date } | Refused> {
  if (!isRoleValidIn(invitation.role, invitation.organisationKind)) {
    return { refused: 'role_not_valid_here' };
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITATION_VALIDITY_DAYS * 86_400_000);
  const id = await insertInvitation(client, {
    ...invitation,
    tokenHash: invitationTokenHash(token),
    expiresAt,
  });
  await journal({
    organisationId: invitation.organisationId,
    action: 'invitation.create',
    targetType: 'invitation',
    targetId: id,
    after: { email: invitation.email, role: invitation.role },
  });
  return { id, token, expiresAt };
}

/**
 * Accepting creates the account with the password chosen now. An email that already has an
 * account is refused: linking it would let whoever holds the link take over that account.
 */
export async function acceptInvitation(
  client: pg.ClientBase,
  journal: Journal,
  token: string,
  account: { displayName: string; password: string },
): Promise<{ personId: number; invitation: InvitationRecord } | Refused> {
  const invitation = await findOpenInvitationByToken(client, invitationTokenHash(token), {
    forUpdate: true,
  });
  if (invitation === undefined) return { refused: 'invitation_invalid' };
  const existing = await findPersonByEmail(client, invitation.email);
  if (existing !== undefined) return { refused: 'email_already_registered' };
  const personId = await createPerson(client, journal, {
    email: invitation.email,
    displayName: account.displayName,
    password: account.password,
  });
  if (isRefused(personId)) return personId;
  const membership = await grantRole(client, journal, {
    personId,
    organisationId: invitation.organisationId,
    role: invitation.role,
  });
  if (isRefused(membership)) return membership;
  await markInvitationAccepted(client, invitation.id, personId);
  await journal({
    organisationId: invitation.organisationId,
    action: 'invitation.accept',
    targetType: 'invitation',
    targetId: invitation.id,
    after: { personId, role: invitation.role, roleLabel: ROLE_LABELS[invitation.role] },
  });
  return { personId, invitation };
}
