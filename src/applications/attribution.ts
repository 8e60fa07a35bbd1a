import type pg from 'pg';
import { attributeIndividually } from '../attributions/service.js';
import type { JournalContext } from '../identity/journal-store.js';
import type { Ledger } from '../ledger/service.js';
import type { ApplicationRecord } from './store.js';

// An accepted application becomes an attribution of the programme, on the rule version, facts
// and day it was evaluated on, credited from the programme's reserve when it can pay.

export type ApplicationAttribution = { id: number; status: string };

export async function attributeForApplication(
  pool: pg.Pool,
  ledger: Ledger,
  context: JournalContext,
  decision: {
    application: ApplicationRecord;
    amountCents: number;
    decidedByPersonId: number;
    reason: string;
  },
): Promise<ApplicationAttribution> {
  const { application } = decision;
  // An acceptance whose recording failed after the attribution was made is retried: the
  // attribution already made is the one to record, never a second one.
  if (application.attributionId !== null && application.attributionStatus !== null) {
    return { id: application.attributionId, status: application.attributionStatus };
  }
  const attribution = await attributeIndividually(pool, ledger, context, {
    programmeId: application.programmeId,
    ruleVersion: application.ruleVersion,
    beneficiaryId: application.beneficiaryId,
    facts: application.facts,
    referenceDate: application.referenceDate,
    amountCents: decision.amountCents,
    applicationId: application.id,
    decidedByPersonId: decision.decidedByPersonId,
    reason: decision.reason,
  });
  return { id: attribution.attributionId, status: attribution.status };
}
