import type pg from 'pg';
import type { PersonRole } from './roles.js';

// SQL of invitations. The token travels in the link; only its SHA-256 is stored.

export type InvitationRecord = {
  id: number;
  organisationId: number;
  organisationName: string;
  email: string;
  role: PersonRole;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  cancelledAt: Date | null;
};

const INVITATION_SELECT = `select i.id, i.organisation_id as "organisationId",
  o.name as "organisationName", i.email, i.role, i.created_at as "createdAt",
  i.expires_at as "expiresAt", i.accepted_at as "acceptedAt", i.cancelled_at as "cancelledAt"
  from invitations i join organisations o on o.id = i.organisation_id`;

export async function insertInvitation(
  client: pg.ClientBase,
  invitation: {
    organisationId: number;
    email: string;
    role: PersonRole;
    tokenHash: Buffer;
    invitedByPersonId: number | null;
    expiresAt: Date;
  },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into invitations (organisation_id, email, role, token_hash, invited_by_person_id, expires_at)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [
      invitation.organisationId,
      invitation.email,
      invitation.role,
      invitation.tokenHash,
      invitation.invitedByPersonId,
      invitation.expiresAt,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function listInvitations(
  pool: pg.Pool,
  organisationId: number,
): Promise<InvitationRecord[]> {
  const result = await pool.query<InvitationRecord>(
    `${INVITATION_SELECT} where i.organisation_id = $1 order by i.id desc limit 200`,
    [organisationId],
  );
  return result.rows;
}

/** An invitation still open (not accepted, cancelled or expired), locked for acceptance. */
export async function findOpenInvitationByToken(
  client: pg.Pool | pg.ClientBase,
  tokenHash: Buffer,
  options: { forUpdate?: boolean } = {},
): Promise<InvitationRecord | undefined> {
  const result = await client.query<InvitationRecord>(
    `${INVITATION_SELECT}
      where i.token_hash = $1 and i.accepted_at is null and i.cancelled_at is null
        and i.expires_at > now()${options.forUpdate === true ? ' for update of i' : ''}`,
    [tokenHash],
  );
  return result.rows[0];
}

export async function markInvitationAccepted(
  client: pg.ClientBase,
  invitationId: number,
  personId: number,
): Promise<void> {
  await client.query(
    'update invitations set accepted_at = now(), accepted_person_id = $2 where id = $1',
    [invitationId, personId],
  );
}

/** Cancels an open invitation of this organisation; answers whether there was one. */
export async function cancelInvitation(
  client: pg.ClientBase,
  organisationId: number,
  invitationId: number,
): Promise<boolean> {
  const result = await client.query(
    `update invitations set cancelled_at = now()
      where id = $1 and organisation_id = $2 and accepted_at is null and cancelled_at is null`,
    [invitationId, organisationId],
  );
  return result.rowCount === 1;
}
