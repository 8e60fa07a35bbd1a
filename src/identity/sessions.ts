import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { appendJournalEntry } from './journal-store.js';
import { insertSession } from './session-store.js';

// Server-side sessions: a random token in an httpOnly cookie, its hash in PostgreSQL, and an
// anti-forgery token derived from it that scripts of our own origin send back in a header.

export const SESSION_COOKIE = 'flechage_session';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TOKEN_BYTES = 32;

export type SessionSettings = { idleMinutes: number; maxHours: number; secureCookie: boolean };

export function tokenHashOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Derived, not stored: only a script that can read our pages' answers learns it. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('flechage-csrf').digest('base64url');
}

export function isCsrfTokenValid(sessionToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length > 100) return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE];
  return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

export type OpenedSession = { token: string; sessionId: number; expiresAt: Date };

/** Opens a session and journals it, within the caller's transaction. */
export async function openSession(
  client: pg.ClientBase,
  settings: SessionSettings,
  session: {
    personId: number;
    authenticationMethod: string;
    secondFactorPending: boolean;
    request: FastifyRequest;
  },
): Promise<OpenedSession> {
  const token = randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
  const expiresAt = new Date(Date.now() + settings.maxHours * 3_600_000);
  const sessionId = await insertSession(client, {
    tokenHash: tokenHashOf(token),
    personId: session.personId,
    authenticationMethod: session.authenticationMethod,
    secondFactorPending: session.secondFactorPending,
    expiresAt,
    userAgent: session.request.headers['user-agent']?.slice(0, 300) ?? null,
    ipAddress: session.request.ip.slice(0, 64),
  });
  await appendJournalEntry(
    client,
    {
      actorType: 'personne',
      actorPersonId: session.personId,
      actorApiKeyId: null,
      onBehalfOfPersonId: null,
      requestId: session.request.id,
    },
    {
      organisationId: null,
      action: 'session.open',
      targetType: 'session',
      targetId: sessionId,
      after: {
        method: session.authenticationMethod,
        secondFactorPending: session.secondFactorPending,
      },
    },
  );
  return { token, sessionId, expiresAt };
}

export function setSessionCookie(
  reply: FastifyReply,
  settings: SessionSettings,
  session: OpenedSession,
): void {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secureCookie,
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: SessionSettings): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secureCookie,
  });
}
