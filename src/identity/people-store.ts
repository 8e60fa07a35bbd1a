import type pg from 'pg';
import type { PersonRole } from './roles.js';

// SQL of people, their memberships and invitations, login attempts and notifications.

export type PersonRecord = {
  id: number;
  email: string;
  displayName: string;
  phone: string | null;
  passwordHash: string | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
  disabledAt: Date | null;
};

const PERSON_COLUMNS = `id, email, display_name as "displayName", phone, password_hash as "passwordHash",
  totp_secret as "totpSecret", totp_pending_secret as "totpPendingSecret",
  totp_last_step as "totpLastStep", disabled_at as "disabledAt"`;

export async function findPersonByEmail(
  pool: pg.Pool | pg.ClientBase,
  email: string,
): Promise<PersonRecord | undefined> {
  const result = await pool.query<PersonRecord>(
    `select ${PERSON_COLUMNS} from persons where email = $1`,
    [email],
  );
  return result.rows[0];
}

export async function findPersonById(
  pool: pg.Pool | pg.ClientBase,
  personId: number,
  options: { forUpdate?: boolean } = {},
): Promise<PersonRecord | undefined> {
  const result = await pool.query<PersonRecord>(
    `select ${PERSON_COLUMNS} from persons where id = $1${options.forUpdate === true ? ' for update' : ''}`,
    [personId],
  );
  return result.rows[0];
}

/** Inserts, or answers undefined when the email is taken (unique index). */
export async function insertPerson(
  client: pg.ClientBase,
  person: { email: string; displayName: string; passwordHash: string | null },
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `insert into persons (email, display_name, password_hash) values ($1, $2, $3)
     on conflict (email) do nothing returning id`,
    [person.email, person.displayName, person.passwordHash],
  );
  return result.rows[0]?.id;
}

export async function updatePersonFields(
  client: pg.Pool | pg.ClientBase,
  personId: number,
  fields: Partial<{
    displayName: string;
    phone: string | null;
    passwordHash: string;
    totpSecret: string | null;
    totpPendingSecret: string | null;
    totpLastStep: number | null;
  }>,
): Promise<void> {
  const columns: Record<keyof typeof fields, string> = {
    displayName: 'display_name',
    phone: 'phone',
    passwordHash: 'password_hash',
    totpSecret: 'totp_secret',
    totpPendingSecret: 'totp_pending_secret',
    totpLastStep: 'totp_last_step',
  };
  const names = Object.keys(fields) as (keyof typeof fields)[];
  if (names.length === 0) return;
  const assignments = names.map((name, index) => `${columns[name]} = $${index + 2}`);
  await client.query(`update persons set ${assignments.join(', ')} where id = $1`, [
    personId,
    ...names.map((name) => fields[name]),
  ]);
}

export type MembershipRecord = {
  membershipId: number;
  personId: number;
  email: string;
  displayName: string;
  organisationId: number | null;
  role: PersonRole;
  createdAt: Date;
};

/** Inserts, or answers undefined when the person already holds this role there. */
export async function insertMembership(
  client: pg.ClientBase,
  membership: { personId: number; organisationId: number | null; role: PersonRole },
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `insert into memberships (person_id, organisation_id, role) values ($1, $2, $3)
     on conflict do nothing returning id`,
    [membership.personId, membership.organisationId, membership.role],
  );
  return result.rows[0]?.id;
}

const MEMBERSHIP_SELECT = `select m.id as "membershipId", m.person_id as "personId", p.email,
  p.display_name as "displayName", m.organisation_id as "organisationId", m.role,
  m.created_at as "createdAt"
  from memberships m join persons p on p.id = m.person_id`;

export async function listMembers(
  pool: pg.Pool,
  organisationId: number,
): Promise<MembershipRecord[]> {
  const result = await pool.query<MembershipRecord>(
    `${MEMBERSHIP_SELECT} where m.organisation_id = $1 and m.ended_at is null
      order by p.display_name, m.id limit 1000`,
    [organisationId],
  );
  return result.rows;
}

export async function membershipsOfPerson(
  pool: pg.Pool | pg.ClientBase,
  personId: number,
): Promise<
  (MembershipRecord & { organisationName: string | null; organisationKind: string | null })[]
> {
  const result = await pool.query<
    MembershipRecord & { organisationName: string | null; organisationKind: string | null }
  >(
    `select m.id as "membershipId", m.person_id as "personId", p.email,
            p.display_name as "displayName", m.organisation_id as "organisationId", m.role,
            m.created_at as "createdAt", o.name as "organisationName", o.kind as "organisationKind"
       from memberships m join persons p on p.id = m.person_id
       left join organisations o on o.id = m.organisation_id
      where m.person_id = $1 and m.ended_at is null order by m.id`,
    [personId],
  );
  return result.rows;
}

/** Ends a membership of this organisation; answers it as it was, or undefined. */
export async function endMembership(
  client: pg.ClientBase,
  organisationId: number,
  membershipId: number,
): Promise<MembershipRecord | undefined> {
  const result = await client.query<MembershipRecord>(
    `with ended as (
       update memberships set ended_at = now()
        where id = $1 and organisation_id = $2 and ended_at is null
        returning id, person_id, organisation_id, role, created_at)
     select e.id as "membershipId", e.person_id as "personId", p.email,
            p.display_name as "displayName", e.organisation_id as "organisationId", e.role,
            e.created_at as "createdAt"
       from ended e join persons p on p.id = e.person_id`,
    [membershipId, organisationId],
  );
  return result.rows[0];
}

export type LoginFailureCounts = {
  byEmail: number;
  byAddress: number;
  oldestInWindow: Date | null;
};

export async function countRecentLoginFailures(
  pool: pg.Pool,
  email: string,
  ipAddress: string,
  windowMinutes: number,
): Promise<LoginFailureCounts> {
  const result = await pool.query<LoginFailureCounts>(
    `select count(*) filter (where email = $1)::bigint as "byEmail",
            count(*) filter (where ip_address = $2)::bigint as "byAddress",
            min(attempted_at) filter (where email = $1) as "oldestInWindow"
       from login_attempts
      where not succeeded and attempted_at > now() - make_interval(mins => $3)
        and (email = $1 or ip_address = $2)`,
    [email, ipAddress, windowMinutes],
  );
  return result.rows[0] as LoginFailureCounts;
}

export async function recordLoginAttempt(
  pool: pg.Pool,
  attempt: { email: string; ipAddress: string; succeeded: boolean },
): Promise<void> {
  await pool.query(
    'insert into login_attempts (email, ip_address, succeeded) values ($1, $2, $3)',
    [attempt.email.slice(0, 254), attempt.ipAddress.slice(0, 64), attempt.succeeded],
  );
}

export async function purgeOldLoginAttempts(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    `delete from login_attempts where attempted_at < now() - interval '1 day'`,
  );
  return result.rowCount ?? 0;
}

export type NotificationRecord = {
  id: number;
  kind: string;
  subject: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
};

export async function listNotifications(
  pool: pg.Pool,
  personId: number,
): Promise<NotificationRecord[]> {
  const result = await pool.query<NotificationRecord>(
    `select id, kind, subject, body, created_at as "createdAt", read_at as "readAt"
       from notifications where person_id = $1 order by id desc limit 100`,
    [personId],
  );
  return result.rows;
}

/** Answers the new notification's id, or undefined when this event was already notified. */
export async function insertNotification(
  client: pg.ClientBase,
  notification: { personId: number; kind: string; subject: string; body: string; eventKey: string },
): Promise<number | undefined> {
  const result = await client.query<{ id: number }>(
    `insert into notifications (person_id, kind, subject, body, event_key)
     values ($1, $2, $3, $4, $5) on conflict (event_key) do nothing returning id`,
    [
      notification.personId,
      notification.kind,
      notification.subject,
      notification.body,
      notification.eventKey,
    ],
  );
  return result.rows[0]?.id;
}

export async function findPersonIdByExternalIdentity(
  pool: pg.Pool | pg.ClientBase,
  issuer: string,
  subject: string,
): Promise<number | undefined> {
  const result = await pool.query<{ personId: number }>(
    `select person_id as "personId" from person_external_identities
      where issuer = $1 and subject = $2`,
    [issuer, subject],
  );
  return result.rows[0]?.personId;
}

export async function insertExternalIdentity(
  client: pg.ClientBase,
  identity: { personId: number; providerId: string; issuer: string; subject: string },
): Promise<void> {
  await client.query(
    `insert into person_external_identities (person_id, provider_id, issuer, subject)
     values ($1, $2, $3, $4) on conflict (issuer, subject) do nothing`,
    [identity.personId, identity.providerId, identity.issuer, identity.subject],
  );
}
