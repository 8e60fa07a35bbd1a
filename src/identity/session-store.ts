import type pg from 'pg';
import type { ActiveMembership } from './actor.js';

// SQL of sessions. Only the SHA-256 of a session token is stored: a copy of the table opens
// no session.

export type SessionRecord = {
  sessionId: number;
  personId: number;
  secondFactorPending: boolean;
  expiresAt: Date;
  lastSeenAt: Date;
  memberships: ActiveMembership[];
  services: { id: number; parentId: number }[];
};

export async function insertSession(
  client: pg.ClientBase,
  session: {
    tokenHash: Buffer;
    personId: number;
    authenticationMethod: string;
    secondFactorPending: boolean;
    expiresAt: Date;
    userAgent: string | null;
    ipAddress: string | null;
  },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into sessions (token_hash, person_id, authentication_method, second_factor_pending,
                           expires_at, user_agent, ip_address)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      session.tokenHash,
      session.personId,
      session.authenticationMethod,
      session.secondFactorPending,
      session.expiresAt,
      session.userAgent,
      session.ipAddress,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

/**
 * One round trip per request: the live session, its person's active memberships and the services
 * under the organisations they belong to. Expired, idle, revoked or disabled: nothing.
 */
export async function findLiveSession(
  pool: pg.Pool,
  tokenHash: Buffer,
  idleMinutes: number,
): Promise<SessionRecord | undefined> {
  const result = await pool.query<SessionRecord>(
    `select s.id as "sessionId", s.person_id as "personId",
            s.second_factor_pending as "secondFactorPending", s.expires_at as "expiresAt",
            s.last_seen_at as "lastSeenAt",
            coalesce((select json_agg(json_build_object('id', m.id, 'organisationId', m.organisation_id,
                                                        'role', m.role) order by m.id)
                        from memberships m where m.person_id = s.person_id and m.ended_at is null),
                     '[]') as memberships,
            coalesce((select json_agg(json_build_object('id', o.id, 'parentId', o.parent_id))
                        from organisations o
                       where o.parent_id in (select m.organisation_id from memberships m
                                              where m.person_id = s.person_id and m.ended_at is null)),
                     '[]') as services
       from sessions s join persons p on p.id = s.person_id
      where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now()
        and s.last_seen_at > now() - make_interval(mins => $2) and p.disabled_at is null`,
    [tokenHash, idleMinutes],
  );
  return result.rows[0];
}

export const SESSION_TOUCH_INTERVAL_MS = 60_000;

/** At most one write a minute per session: enough for the idle timeout, cheap for reads. */
export async function touchSession(pool: pg.Pool, sessionId: number): Promise<void> {
  await pool.query(
    `update sessions set last_seen_at = now()
      where id = $1 and last_seen_at < now() - make_interval(secs => $2)`,
    [sessionId, SESSION_TOUCH_INTERVAL_MS / 1000],
  );
}

export async function completeSecondFactor(
  client: pg.ClientBase,
  sessionId: number,
): Promise<void> {
  await client.query('update sessions set second_factor_pending = false where id = $1', [
    sessionId,
  ]);
}

/** Revokes one session of a person; answers whether there was one to revoke. */
export async function revokeSession(
  client: pg.ClientBase,
  personId: number,
  sessionId: number,
): Promise<boolean> {
  const result = await client.query(
    `update sessions set revoked_at = now()
      where id = $1 and person_id = $2 and revoked_at is null`,
    [sessionId, personId],
  );
  return result.rowCount === 1;
}

export async function revokeOtherSessions(
  client: pg.ClientBase,
  personId: number,
  keptSessionId: number,
): Promise<number> {
  const result = await client.query(
    `update sessions set revoked_at = now()
      where person_id = $1 and id <> $2 and revoked_at is null`,
    [personId, keptSessionId],
  );
  return result.rowCount ?? 0;
}

export type SessionSummary = {
  id: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  authenticationMethod: string;
};

export async function listLiveSessions(pool: pg.Pool, personId: number): Promise<SessionSummary[]> {
  const result = await pool.query<SessionSummary>(
    `select id, created_at as "createdAt", last_seen_at as "lastSeenAt", expires_at as "expiresAt",
            user_agent as "userAgent", authentication_method as "authenticationMethod"
       from sessions
      where person_id = $1 and revoked_at is null and expires_at > now()
      order by id desc limit 50`,
    [personId],
  );
  return result.rows;
}

export async function purgeStaleSessions(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    `delete from sessions where expires_at < now() - interval '30 days'`,
  );
  return result.rowCount ?? 0;
}
