import type pg from 'pg';
import { purgeOldNonces } from './api-key-store.js';
import { sendMandateReminders } from './mandates.js';
import { purgeExpiredOidcTransactions } from './oidc-store.js';
import { purgeOldLoginAttempts } from './people-store.js';
import { NONCE_RETENTION_SECONDS } from './request-signature.js';
import { purgeStaleSessions } from './session-store.js';

// The identity domain's periodic work: tell beneficiaries of mandates ending soon, and forget
// what no longer protects anything (old nonces, login attempts, sessions long expired,
// abandoned OpenID logins).

export type MaintenanceReport = {
  mandateReminders: number;
  noncesPurged: number;
  loginAttemptsPurged: number;
  sessionsPurged: number;
  oidcTransactionsPurged: number;
};

export async function runIdentityMaintenance(pool: pg.Pool): Promise<MaintenanceReport> {
  return {
    mandateReminders: await sendMandateReminders(pool),
    noncesPurged: await purgeOldNonces(pool, NONCE_RETENTION_SECONDS),
    loginAttemptsPurged: await purgeOldLoginAttempts(pool),
    sessionsPurged: await purgeStaleSessions(pool),
    oidcTransactionsPurged: await purgeExpiredOidcTransactions(pool),
  };
}

/** Runs the maintenance every interval; a failed run is logged and the next one tries again. */
export function scheduleIdentityMaintenance(
  pool: pg.Pool,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = runIdentityMaintenance(pool).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
