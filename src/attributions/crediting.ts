import type pg from 'pg';
import { availableCents } from '../ledger/model.js';
import { PLATFORM_CLIENT_ID_PREFIX } from '../ledger/validation.js';
import { openAccountsWithin, type Ledger } from '../ledger/service.js';
import { MAX_NOTICES_PER_CALL, queueBeneficiaryNotices } from '../notifications/outbox.js';
import { withTransaction } from '../platform/database.js';
import { envelopeValidUntil } from '../programmes/rules/engine.js';
import type { RuleSet } from '../programmes/rules/schema.js';
import {
  fundingOf,
  lotCapacity,
  lotTransfer,
  type Funding,
  type FundingWeight,
  type ReserveAccount,
} from './model.js';
import {
  addCredited,
  campaignLots,
  creditAttributions,
  insertLots,
  markLots,
  nextProposals,
  proposalsLeftByRefusedLots,
  type CreditedEnvelope,
  type CreditedRow,
  type LotRow,
  type Proposal,
} from './store.js';

// Crediting, lot by lot: one balanced ledger transfer pays up to 60-odd envelopes from the
// reserve. Each lot's request is written down before it is submitted, and a resumed run submits
// the written requests again: the ledger's idempotency on the client id credits a lot once,
// however often the process dies in the middle.

/** Lots per round: one transaction writes them, one ledger call holds them, one settles them. */
const LOTS_PER_ROUND = 32;

export type CreditTarget = {
  /** Names the lots' client ids: `campagne:<id>` or `attribution:<id>`. */
  scope: string;
  campaignId: number | null;
  programmeName: string;
  funderName: string;
  rules: RuleSet;
  reserves: ReserveAccount[];
  weights: FundingWeight[];
};

export type CreditingContext = {
  pool: pg.Pool;
  ledger: Ledger;
  target: CreditTarget;
  /** Asked between rounds: a process shutting down leaves the rest to the next run. */
  interrupted?: () => boolean;
};

export type CreditingOutcome = { status: 'completed' | 'stopped' | 'interrupted' };

export type LotOutcome = 'credited' | 'refused';

/** Each contributor's weight: what it has in the programme reserve now. */
export async function reserveWeights(
  ledger: Ledger,
  reserves: readonly ReserveAccount[],
): Promise<FundingWeight[]> {
  const accounts = await ledger.findAccounts(reserves.map((reserve) => reserve.accountId));
  return reserves.map((reserve) => {
    const account = accounts.find((candidate) => candidate.id === reserve.accountId);
    return {
      contributorId: reserve.contributorId,
      weightCents: account === undefined ? 0 : availableCents(account),
    };
  });
}

/**
 * Opens the envelopes of a round of lots and writes their requests down, in one transaction.
 * A lot is undefined when the reserve, as weighed at the start, could never pay one of its
 * proposals. The attributions themselves change once, when their lot is credited.
 */
export async function prepareLots(
  context: CreditingContext,
  firstLot: number,
  groups: Proposal[][],
): Promise<(LotRow | undefined)[]> {
  const { target } = context;
  const fundings = groups.map((group) =>
    group.map((proposal) => fundingOf(proposal.amountCents, target.weights)),
  );
  const fundable = fundings.map((group) => group.every((funding) => funding !== undefined));
  return withTransaction(context.pool, async (client) => {
    const opened = await openEnvelopes(
      client,
      target,
      groups.filter((_group, index) => fundable[index]).flat(),
    );
    const lots = groups.map((group, index) =>
      fundable[index]
        ? lotOf(target, firstLot + index, group, fundings[index] as Funding[], opened)
        : undefined,
    );
    const written = lots.filter((lot): lot is LotRow => lot !== undefined);
    if (target.campaignId !== null) await insertLots(client, target.campaignId, written);
    return lots;
  });
}

function lotOf(
  target: CreditTarget,
  lot: number,
  proposals: Proposal[],
  fundings: Funding[],
  opened: Map<number, number>,
): LotRow {
  const items = proposals.map((proposal, index) => ({
    attributionId: proposal.id,
    envelopeAccountId: opened.get(proposal.id) as number,
    funding: fundings[index] as Funding,
  }));
  const clientId = `${PLATFORM_CLIENT_ID_PREFIX}${target.scope}:lot:${lot}`;
  return {
    lot,
    clientId,
    lastPosition: Math.max(0, ...proposals.map((proposal) => proposal.position)),
    fundings,
    request: lotTransfer(clientId, items, target.reserves),
    attributionIds: proposals.map((proposal) => proposal.id),
    status: 'pending',
  };
}

/** The envelopes a lot credits, from its written request: envelope entries come last, in order. */
function envelopesOf(lot: LotRow): CreditedEnvelope[] {
  const entries = lot.request.entries ?? [];
  const envelopeEntries = entries.slice(entries.length - lot.attributionIds.length);
  return lot.attributionIds.map((attributionId, index) => ({
    attributionId,
    accountId: (envelopeEntries[index] as { accountId: number }).accountId,
    funding: lot.fundings[index] as Funding,
  }));
}

async function openEnvelopes(
  client: pg.ClientBase,
  target: CreditTarget,
  proposals: Proposal[],
): Promise<Map<number, number>> {
  const accounts = await openAccountsWithin(
    client,
    proposals.map((proposal) => ({
      kind: 'beneficiary_envelope' as const,
      ownerType: 'attribution',
      ownerId: String(proposal.id),
      label: target.programmeName.slice(0, 200),
      currency: 'EUR' as const,
      mayGoNegative: false,
    })),
  );
  return new Map(
    proposals.map((proposal, index) => [proposal.id, (accounts[index] as { id: number }).id]),
  );
}

function notices(target: CreditTarget, credited: CreditedRow[], validUntil: string | null) {
  return credited.map((row) => ({
    beneficiaryId: row.beneficiaryId,
    eventKey: `attribution:${row.id}:credited`,
    payload: {
      programmeName: target.programmeName,
      funderName: target.funderName,
      amountCents: row.amountCents,
      validUntil,
    },
  }));
}

/**
 * Submits written lots in one call (the writer commits them together); marks the attributions
 * of those the ledger holds credited, and queues their notifications, in one transaction. The
 * reserve running out is an answer, not an error: such a lot is marked refused.
 */
export async function settleLots(
  context: CreditingContext,
  lots: LotRow[],
  afterCredit?: (client: pg.ClientBase, credited: CreditedRow[]) => Promise<void>,
): Promise<LotOutcome[]> {
  const { target } = context;
  if (lots.length === 0) return [];
  const results = await context.ledger.submit(
    lots.map((lot) => lot.request),
    'platform',
  );
  const outcomes = results.map((result, index): LotOutcome => {
    if (result.code === 'insufficient_funds') return 'refused';
    if (result.code !== 'created' && result.code !== 'already_exists') {
      throw new Error(`le registre a refusé le lot ${lots[index]?.lot} : ${result.code}`);
    }
    return 'credited';
  });
  const creditedLots = lots.filter((_lot, index) => outcomes[index] === 'credited');
  const creditedAt = new Date();
  const validUntil = envelopeValidUntil(target.rules, creditedAt.toISOString());
  await withTransaction(context.pool, async (client) => {
    const envelopes = creditedLots.flatMap(envelopesOf);
    const credited = await creditAttributions(client, envelopes, creditedAt, validUntil);
    if (target.campaignId !== null) {
      await markLots(client, target.campaignId, lots, outcomes);
      const cents = credited.reduce((total, row) => total + row.amountCents, 0);
      await addCredited(client, target.campaignId, {
        count: credited.length,
        cents,
        lots: creditedLots.length,
      });
    }
    for (const part of chunk(notices(target, credited, validUntil), MAX_NOTICES_PER_CALL)) {
      await queueBeneficiaryNotices(client, 'attribution_credited', part);
    }
    await afterCredit?.(client, credited);
  });
  return outcomes;
}

/**
 * A campaign's run: the lots a previous run wrote and did not settle, then, in turn, what a
 * refused lot left (one by one, until one does not fit) and the next round of lots.
 */
export async function creditCampaign(
  context: CreditingContext,
  onProgress: (lotsDone: number) => void = () => undefined,
): Promise<CreditingOutcome> {
  const campaignId = context.target.campaignId as number;
  const lots = await campaignLots(context.pool, campaignId);
  await settleLots(
    context,
    lots.filter((candidate) => candidate.status === 'pending'),
  );
  const cursor = {
    nextLot: (lots.at(-1)?.lot ?? -1) + 1,
    lastPosition: Math.max(-1, ...lots.map((lot) => lot.lastPosition)),
  };
  const capacity = lotCapacity(context.target.reserves.length);
  for (;;) {
    if (context.interrupted?.() === true) return { status: 'interrupted' };
    if (!(await creditWhatRefusalsLeft(context, cursor))) return { status: 'stopped' };
    const proposals = await nextProposals(
      context.pool,
      campaignId,
      cursor.lastPosition,
      capacity * LOTS_PER_ROUND,
    );
    if (proposals.length === 0) return { status: 'completed' };
    cursor.lastPosition = (proposals.at(-1) as Proposal).position;
    const groups = chunk(proposals, capacity);
    const prepared = await prepareLots(context, cursor.nextLot, groups);
    cursor.nextLot += groups.length;
    await settleLots(
      context,
      prepared.filter((lot): lot is LotRow => lot !== undefined),
    );
    onProgress(cursor.nextLot);
    if (prepared.includes(undefined)) return { status: 'stopped' };
  }
}

/**
 * Credits one at a time the proposals of lots the reserve refused; false as soon as one does
 * not fit, which is where the campaign stops: exactly as many as fit, and no more.
 */
async function creditWhatRefusalsLeft(
  context: CreditingContext,
  cursor: { nextLot: number; lastPosition: number },
): Promise<boolean> {
  const left = await proposalsLeftByRefusedLots(context.pool, context.target.campaignId as number);
  for (const proposal of left) {
    const [lot] = await prepareLots(context, cursor.nextLot, [[proposal]]);
    cursor.nextLot += 1;
    if (lot === undefined) return false;
    const [outcome] = await settleLots(context, [lot]);
    if (outcome === 'refused') return false;
  }
  return true;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
