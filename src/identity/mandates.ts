import type pg from 'pg';
import { queuePersonNotices } from '../notifications/outbox.js';
import type { Journal } from './journal.js';
import { journaled, SYSTEM_JOURNAL_CONTEXT } from './journal.js';
import {
  claimMandatesToRemind,
  insertMandate,
  markMandateReminded,
  type MandateDuration,
  type MandateRecord,
} from './mandate-store.js';
import { MANDATE_SCOPE_LABELS, type MandateScope } from './permissions.js';
import type { Refused } from './people.js';
import { findPersonByEmail, membershipsOfPerson } from './people-store.js';

// Aidant mandates, as Aidants Connect does: named scopes, a fixed duration, recorded consent,
// revocable at any time, and the beneficiary told before the end.

export const MANDATE_DURATION_LABELS: Record<MandateDuration, string> = {
  '1_jour': '1 jour',
  '1_mois': '1 mois',
  '6_mois': '6 mois',
  '1_an': '1 an',
};

/** The words the beneficiary reads and accepts; stored with the mandate as they were. */
export function consentText(
  aidantDisplayName: string,
  scopes: readonly MandateScope[],
  duration: MandateDuration,
): string {
  const scopeLines = scopes.map((scope) => `- ${MANDATE_SCOPE_LABELS[scope]}`).join('\n');
  return (
    `J’autorise ${aidantDisplayName} à agir en mon nom sur Fléchage pour :\n${scopeLines}\n` +
    `pendant ${MANDATE_DURATION_LABELS[duration]}. Je peux révoquer ce mandat à tout moment. ` +
    `Tout ce que fait l’aidant en mon nom est enregistré avec son identité et la mienne.`
  );
}

export function mandateStatus(mandate: MandateRecord, now: Date): 'actif' | 'expire' | 'revoque' {
  if (mandate.revokedAt !== null) return 'revoque';
  return mandate.endsAt <= now ? 'expire' : 'actif';
}

export async function grantMandate(
  client: pg.ClientBase,
  journal: Journal,
  grant: {
    beneficiaryPersonId: number;
    aidantEmail: string;
    scopes: MandateScope[];
    duration: MandateDuration;
  },
): Promise<MandateRecord | Refused> {
  const aidant = await findPersonByEmail(client, grant.aidantEmail);
  if (aidant === undefined || aidant.id === grant.beneficiaryPersonId) {
    return { refused: 'aidant_unknown' };
  }
  const roles = await membershipsOfPerson(client, aidant.id);
  if (!roles.some((membership) => membership.role === 'aidant')) {
    return { refused: 'aidant_unknown' };
  }
  const scopes = [...new Set(grant.scopes)];
  const mandate = await insertMandate(client, {
    beneficiaryPersonId: grant.beneficiaryPersonId,
    aidantPersonId: aidant.id,
    scopes,
    duration: grant.duration,
    consentText: consentText(aidant.displayName, scopes, grant.duration),
  });
  await journal({
    organisationId: null,
    action: 'mandate.grant',
    targetType: 'mandate',
    targetId: mandate.id,
    after: { aidantPersonId: aidant.id, scopes, duration: grant.duration, endsAt: mandate.endsAt },
  });
  return mandate;
}

const REMINDER_BATCH = 100;

/**
 * Tells beneficiaries that a mandate ends soon (within a week, or the last quarter of a short
 * one). Safe to run often and on several servers: each mandate is claimed and told once.
 */
export async function sendMandateReminders(pool: pg.Pool): Promise<number> {
  return journaled(pool, SYSTEM_JOURNAL_CONTEXT, async (client, journal) => {
    const due = await claimMandatesToRemind(client, REMINDER_BATCH);
    for (const mandate of due) {
      await queuePersonNotices(client, 'mandate_expiring', [
        {
          personId: mandate.beneficiaryPersonId,
          eventKey: `mandate:${mandate.id}:fin_proche`,
          payload: {
            otherPartyName: mandate.aidantDisplayName,
            endsAt: mandate.endsAt.toISOString(),
          },
        },
      ]);
      await markMandateReminded(client, mandate.id);
      await journal({
        organisationId: null,
        action: 'mandate.reminder',
        targetType: 'mandate',
        targetId: mandate.id,
        after: { beneficiaryPersonId: mandate.beneficiaryPersonId, endsAt: mandate.endsAt },
      });
    }
    return due.length;
  });
}
