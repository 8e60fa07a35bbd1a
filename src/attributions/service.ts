import type pg from 'pg';
import { journaled, type Journal } from '../identity/journal.js';
import type { JournalContext } from '../identity/journal-store.js';
import { availableCents } from '../ledger/model.js';
import { PLATFORM_CLIENT_ID_PREFIX } from '../ledger/validation.js';
import type { TransferResultCode } from '../ledger/results.js';
import type { Ledger } from '../ledger/service.js';
import { queueBeneficiaryNotices } from '../notifications/outbox.js';
import { HttpError } from '../platform/errors.js';
import type { BeneficiaryFacts } from '../programmes/rules/facts.js';
import { compiledVersion } from '../programmes/service.js';
import { attributionError, programmeOf } from './campaigns.js';
import { prepareLots, reserveWeights, settleLots } from './crediting.js';
import { mayMove, returnShares, type AttributionStatus } from './model.js';
import {
  findAttributionInScope,
  insertAttribution,
  insertAttributionEvent,
  setAttributionStatus,
  type AttributionRecord,
} from './store.js';

// One attribution at a time: decided on an application (or by hand), credited from the
// reserve, suspended, reinstated or revoked, each change with who and why.

export type IndividualAttribution = {
  programmeId: number;
  ruleVersion: number;
  beneficiaryId: number;
  facts: BeneficiaryFacts;
  referenceDate: string;
  amountCents: number;
  applicationId: number | null;
  decidedByPersonId: number;
  reason: string;
};

/**
 * Approves an attribution and credits it at once from the reserve. When the reserve cannot
 * pay yet, the attribution stays approved, and `creditApproved` pays it later.
 */
export async function attributeIndividually(
  pool: pg.Pool,
  ledger: Ledger,
  context: JournalContext,
  request: IndividualAttribution,
): Promise<{ attributionId: number; status: 'credited' | 'approved' }> {
  const programme = await programmeOf(pool, request.programmeId);
  const attributionId = await journaled(pool, context, async (client, journal) => {
    const id = await insertAttribution(client, {
      ...request,
      organisationId: programme.organisationId,
    });
    if (id === undefined) {
      throw new HttpError(
        409,
        'already_attributed',
        'Ce bénéficiaire a déjà une aide en cours de ce dispositif.',
      );
    }
    await insertAttributionEvent(client, {
      attributionId: id,
      fromStatus: null,
      toStatus: 'approved',
      reason: request.reason,
      personId: request.decidedByPersonId,
    });
    await journal({
      organisationId: programme.organisationId,
      action: 'attribution.approve',
      targetType: 'attribution',
      targetId: id,
      after: { amountCents: request.amountCents, applicationId: request.applicationId },
    });
    return id;
  });
  return { attributionId, status: await creditApproved(pool, ledger, attributionId) };
}

/** Credits an approved attribution; 'approved' again when the reserve still cannot pay. */
export async function creditApproved(
  pool: pg.Pool,
  ledger: Ledger,
  attributionId: number,
): Promise<'credited' | 'approved'> {
  const attribution = (await findAttributionInScope(
    pool,
    null,
    attributionId,
  )) as AttributionRecord;
  if (attribution.status !== 'approved') throw attributionError('status_transition_refused');
  const programme = await programmeOf(pool, attribution.programmeId);
  const { rules } = await compiledVersion(pool, attribution.programmeId, attribution.ruleVersion);
  const context = {
    pool,
    ledger,
    target: {
      scope: `attribution:${attributionId}`,
      campaignId: null,
      programmeName: programme.name,
      funderName: programme.funderName,
      rules,
      reserves: programme.reserves,
      weights: await reserveWeights(ledger, programme.reserves),
    },
  };
  const [lot] = await prepareLots(context, 0, [
    [{ id: attributionId, amountCents: attribution.amountCents, position: 0 }],
  ]);
  if (lot === undefined) return 'approved';
  const [outcome] = await settleLots(context, [lot], async (client, credited) => {
    for (const row of credited) {
      await insertAttributionEvent(client, {
        attributionId: row.id,
        fromStatus: 'approved',
        toStatus: 'credited',
        reason: 'Enveloppe créditée depuis la réserve du dispositif.',
        personId: null,
      });
    }
  });
  return outcome === 'credited' ? 'credited' : 'approved';
}

export type StatusChange = { to: 'suspended' | 'credited' | 'revoked'; reason: string };

const CHANGE_ACTIONS = {
  suspended: 'attribution.suspend',
  credited: 'attribution.reinstate',
  revoked: 'attribution.revoke',
} as const;

/**
 * Suspends, reinstates or revokes. Revoking a credited envelope first gives what is left on it
 * back to the reserves it came from, in the proportions of its funding.
 */
export async function changeStatus(
  client: pg.ClientBase,
  ledger: Ledger,
  journal: Journal,
  attribution: AttributionRecord,
  change: StatusChange & { personId: number | null },
): Promise<AttributionStatus> {
  if (!mayMove(attribution.status, change.to)) throw attributionError('status_transition_refused');
  let returnedCents = 0;
  if (change.to === 'revoked' && attribution.envelopeAccountId !== null) {
    returnedCents = await returnToReserve(client, ledger, attribution);
  }
  await setAttributionStatus(client, attribution.id, change.to);
  await insertAttributionEvent(client, {
    attributionId: attribution.id,
    fromStatus: attribution.status,
    toStatus: change.to,
    reason: change.reason,
    personId: change.personId,
  });
  await journal({
    organisationId: attribution.organisationId,
    action: CHANGE_ACTIONS[change.to],
    targetType: 'attribution',
    targetId: attribution.id,
    before: { status: attribution.status },
    after: { status: change.to, reason: change.reason, returnedCents },
  });
  if (change.to !== 'credited') {
    await queueBeneficiaryNotices(
      client,
      change.to === 'revoked' ? 'attribution_revoked' : 'attribution_suspended',
      [
        {
          beneficiaryId: attribution.beneficiaryId,
          eventKey: `attribution:${attribution.id}:${change.to}:${Date.now()}`,
          payload: {
            programmeName: attribution.programmeName,
            funderName: attribution.funderName,
            reason: change.reason,
          },
        },
      ],
    );
  }
  return change.to;
}

async function returnToReserve(
  client: pg.ClientBase,
  ledger: Ledger,
  attribution: AttributionRecord,
): Promise<number> {
  const [envelope] = await ledger.findAccounts([attribution.envelopeAccountId as number]);
  const remainingCents = envelope === undefined ? 0 : availableCents(envelope);
  if (remainingCents === 0 || attribution.funding === null) return 0;
  const programme = await programmeOf(client, attribution.programmeId);
  const shares = returnShares(remainingCents, attribution.funding);
  const entries = [
    { accountId: attribution.envelopeAccountId as number, amountCents: -remainingCents },
    ...Object.entries(shares).map(([contributorId, amountCents]) => ({
      accountId: (
        programme.reserves.find((reserve) => reserve.contributorId === Number(contributorId)) as {
          accountId: number;
        }
      ).accountId,
      amountCents,
    })),
  ];
  const [result] = await ledger.submit(
    [
      {
        clientId: `${PLATFORM_CLIENT_ID_PREFIX}attribution:${attribution.id}:revocation`,
        kind: 'envelope_revocation',
        phase: 'posted',
        currency: 'EUR',
        entries,
      },
    ],
    'platform',
  );
  const code = (result as { code: TransferResultCode }).code;
  if (code !== 'created' && code !== 'already_exists') throw attributionError('ledger_unavailable');
  return remainingCents;
}
