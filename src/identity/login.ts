import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { identityError } from './errors.js';
import { journaled, journalContextOf } from './journal.js';
import { verifyPassword } from './passwords.js';
import {
  countRecentLoginFailures,
  findPersonByEmail,
  findPersonById,
  recordLoginAttempt,
  updatePersonFields,
} from './people-store.js';
import { openSession, type OpenedSession, type SessionSettings } from './sessions.js';
import { completeSecondFactor } from './session-store.js';
import { totpSecretFrom, TOTP_SECRET_BYTES, verifyTotp } from './totp.js';

// Password login with its brute-force limits, and the second factor that may follow it.

export type LoginSettings = {
  maxFailuresPerEmail: number;
  maxFailuresPerAddress: number;
  windowMinutes: number;
};

export type LoginOutcome = { session: OpenedSession; secondFactorPending: boolean };

/**
 * Limits count failures per email and per address over a sliding window. The refusal is the
 * same whether the email exists or not, and takes the same time (a decoy hash is checked).
 */
export async function loginWithPassword(
  pool: pg.Pool,
  settings: { login: LoginSettings; sessions: SessionSettings },
  attempt: { email: string; password: string; request: FastifyRequest },
): Promise<LoginOutcome> {
  const ipAddress = attempt.request.ip;
  const failures = await countRecentLoginFailures(
    pool,
    attempt.email,
    ipAddress,
    settings.login.windowMinutes,
  );
  if (
    failures.byEmail >= settings.login.maxFailuresPerEmail ||
    failures.byAddress >= settings.login.maxFailuresPerAddress
  ) {
    throw identityError('too_many_attempts', { retryAfterMinutes: settings.login.windowMinutes });
  }
  const person = await findPersonByEmail(pool, attempt.email);
  const passwordMatches = await verifyPassword(person?.passwordHash ?? null, attempt.password);
  const succeeded = passwordMatches && person !== undefined && person.disabledAt === null;
  await recordLoginAttempt(pool, { email: attempt.email, ipAddress, succeeded });
  if (!succeeded || person === undefined) throw identityError('invalid_credentials');
  const secondFactorPending = person.totpSecret !== null;
  const session = await journaled(
    pool,
    journalContextOf(null, attempt.request.id),
    async (client) =>
      openSession(client, settings.sessions, {
        personId: person.id,
        authenticationMethod: 'mot_de_passe',
        secondFactorPending,
        request: attempt.request,
      }),
  );
  return { session, secondFactorPending };
}

/**
 * The second step: a TOTP code, never the same one twice. Wrong codes count as failed logins
 * of the person's email, so that the million codes cannot be tried one after another.
 */
export async function completeLoginWithTotp(
  pool: pg.Pool,
  settings: LoginSettings,
  pending: { sessionId: number; personId: number; request: FastifyRequest },
  code: string,
): Promise<void> {
  const person = await findPersonById(pool, pending.personId);
  if (person?.totpSecret === null || person === undefined) {
    throw identityError('second_factor_not_enabled');
  }
  const ipAddress = pending.request.ip;
  const failures = await countRecentLoginFailures(
    pool,
    person.email,
    ipAddress,
    settings.windowMinutes,
  );
  if (failures.byEmail >= settings.maxFailuresPerEmail) {
    throw identityError('too_many_attempts', { retryAfterMinutes: settings.windowMinutes });
  }
  const context = { ...journalContextOf(null, pending.request.id), actorType: 'personne' as const };
  const accepted = await journaled(
    pool,
    { ...context, actorPersonId: person.id },
    async (client, journal) => {
      const locked = await findPersonById(client, person.id, { forUpdate: true });
      if (locked?.totpSecret === null || locked === undefined) return false;
      const check = verifyTotp(locked.totpSecret, code, Date.now() / 1000, locked.totpLastStep);
      if (!check.valid) return false;
      await updatePersonFields(client, locked.id, { totpLastStep: check.step });
      await completeSecondFactor(client, pending.sessionId);
      await journal({
        organisationId: null,
        action: 'session.second_factor',
        targetType: 'session',
        targetId: pending.sessionId,
      });
      return true;
    },
  );
  await recordLoginAttempt(pool, { email: person.email, ipAddress, succeeded: accepted });
  if (!accepted) throw identityError('totp_code_invalid');
}

export function newTotpSecret(): string {
  return totpSecretFrom(randomBytes(TOTP_SECRET_BYTES));
}
