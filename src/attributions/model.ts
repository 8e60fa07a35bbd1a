import { splitProRata } from '../funds/model.js';
import { MAX_ENTRIES_PER_TRANSFER } from '../ledger/limits.js';
import type { TransferRequest } from '../ledger/model.js';

// The pure core of attributions and campaigns: which status may follow which, who may approve a
// campaign and when a second person is needed, and how a lot of envelopes is paid from the
// reserve in one balanced transfer. No I/O.

export const ATTRIBUTION_STATUSES = [
  'proposed',
  'approved',
  'credited',
  'suspended',
  'revoked',
  'expired',
] as const;
export type AttributionStatus = (typeof ATTRIBUTION_STATUSES)[number];

export const ATTRIBUTION_STATUS_LABELS: Record<AttributionStatus, string> = {
  proposed: 'proposée',
  approved: 'approuvée',
  credited: 'créditée',
  suspended: 'suspendue',
  revoked: 'révoquée',
  expired: 'expirée',
};

/** The statuses each status may move to; anything else is refused. */
const TRANSITIONS: Record<AttributionStatus, readonly AttributionStatus[]> = {
  proposed: ['approved', 'revoked'],
  approved: ['credited', 'revoked'],
  credited: ['suspended', 'revoked', 'expired'],
  suspended: ['credited', 'revoked', 'expired'],
  revoked: [],
  expired: [],
};

export function mayMove(from: AttributionStatus, to: AttributionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const CAMPAIGN_STATUSES = [
  'simulating',
  'simulated',
  'awaiting_second_approval',
  'approved',
  'crediting',
  'completed',
  'stopped',
  'cancelled',
  'failed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  simulating: 'simulation en cours',
  simulated: 'simulée, en attente d’approbation',
  awaiting_second_approval: 'en attente d’une seconde approbation',
  approved: 'approuvée',
  crediting: 'crédit des enveloppes en cours',
  completed: 'terminée',
  stopped: 'arrêtée : réserve épuisée',
  cancelled: 'annulée',
  failed: 'en échec',
};

export const ATTRIBUTION_REFUSALS = {
  campaign_not_approvable: 'Cette campagne n’attend pas d’approbation.',
  second_approver_required:
    'Une seconde approbation est nécessaire, par une autre personne que la première.',
  campaign_not_cancellable: 'Cette campagne ne peut plus être annulée : le crédit a commencé.',
  campaign_not_resumable: 'Cette campagne n’a pas de crédit à reprendre.',
  campaign_empty: 'Aucun bénéficiaire éligible : il n’y a rien à approuver.',
  programme_not_published: 'Ce dispositif n’a pas de version publiée : publiez ses règles d’abord.',
  population_invalid: 'La population choisie est invalide.',
  status_transition_refused: 'Ce changement de statut n’est pas possible depuis le statut actuel.',
  reserve_insufficient: 'La réserve du dispositif ne suffit pas pour créditer cette enveloppe.',
  ledger_unavailable: 'Le registre est momentanément indisponible : réessayez.',
  reference_date_invalid: 'Date de référence invalide (AAAA-MM-JJ attendu).',
} as const;
export type AttributionRefusal = keyof typeof ATTRIBUTION_REFUSALS;

export type Approval = { personId: number };

export type ApprovalState = {
  status: CampaignStatus;
  totalCents: number;
  eligibleCount: number;
  fourEyesThresholdCents: number;
  firstApproverPersonId: number | null;
};

/** Above the funder's threshold, two different people must approve. */
export function needsSecondApproval(totalCents: number, thresholdCents: number): boolean {
  return totalCents > thresholdCents;
}

/**
 * What an approval by `personId` does: the next status, or the refusal. The first approval of
 * a campaign above the threshold only waits for the second, which must come from someone else.
 */
export function decideApproval(
  state: ApprovalState,
  approval: Approval,
):
  { next: 'awaiting_second_approval' | 'approved'; role: 'first' | 'second' } | AttributionRefusal {
  if (state.status === 'simulated') {
    if (state.eligibleCount === 0) return 'campaign_empty';
    return needsSecondApproval(state.totalCents, state.fourEyesThresholdCents)
      ? { next: 'awaiting_second_approval', role: 'first' }
      : { next: 'approved', role: 'first' };
  }
  if (state.status === 'awaiting_second_approval') {
    if (state.firstApproverPersonId === approval.personId) return 'second_approver_required';
    return { next: 'approved', role: 'second' };
  }
  return 'campaign_not_approvable';
}

export function mayCancel(status: CampaignStatus): boolean {
  return status === 'simulated' || status === 'awaiting_second_approval' || status === 'failed';
}

/** Contributor id → cents. */
export type Funding = Record<string, number>;
export type FundingWeight = { contributorId: number; weightCents: number };

/**
 * How one envelope is paid by the contributors: in proportion to what each had in the
 * reserve when crediting started. Undefined when the weights cannot cover the amount.
 */
export function fundingOf(
  amountCents: number,
  weights: readonly FundingWeight[],
): Funding | undefined {
  const shares = splitProRata(
    amountCents,
    weights.map((weight) => ({ key: weight.contributorId, availableCents: weight.weightCents })),
  );
  if (shares === undefined) return undefined;
  const funding: Funding = {};
  for (const share of shares) {
    if (share.amountCents > 0) funding[String(share.key)] = share.amountCents;
  }
  return funding;
}

export type LotItem = { attributionId: number; envelopeAccountId: number; funding: Funding };
export type ReserveAccount = { contributorId: number; accountId: number };

/** Envelopes per lot: one transfer has one entry per reserve and one per envelope. */
export function lotCapacity(reserveCount: number): number {
  const capacity = MAX_ENTRIES_PER_TRANSFER - reserveCount;
  if (capacity < 1) throw new RangeError('trop de contributeurs pour un lot');
  return capacity;
}

/**
 * One balanced transfer that debits each contributor's reserve by what its share of the lot
 * adds up to, and credits each envelope: the whole lot is credited, or none of it.
 */
export function lotTransfer(
  clientId: string,
  items: readonly LotItem[],
  reserves: readonly ReserveAccount[],
): TransferRequest {
  if (items.length === 0 || items.length > lotCapacity(reserves.length)) {
    throw new RangeError(`lot de ${items.length} enveloppes hors limites`);
  }
  const debits = new Map<number, number>();
  const credits = items.map((item) => {
    let amountCents = 0;
    for (const [contributorId, cents] of Object.entries(item.funding)) {
      debits.set(Number(contributorId), (debits.get(Number(contributorId)) ?? 0) + cents);
      amountCents += cents;
    }
    return { accountId: item.envelopeAccountId, amountCents };
  });
  const reserveEntries = reserves
    .filter((reserve) => (debits.get(reserve.contributorId) ?? 0) > 0)
    .map((reserve) => ({
      accountId: reserve.accountId,
      amountCents: -(debits.get(reserve.contributorId) as number),
    }));
  const debited = reserveEntries.reduce((total, entry) => total - entry.amountCents, 0);
  const credited = credits.reduce((total, entry) => total + entry.amountCents, 0);
  if (debited !== credited)
    throw new RangeError('un contributeur du financement n’a pas de réserve');
  return {
    clientId,
    kind: 'envelope_credit',
    phase: 'posted',
    currency: 'EUR',
    entries: [...reserveEntries, ...credits],
  };
}

/**
 * Gives back what is left on an envelope to the reserves it came from, in proportion to what
 * each contributor put in it (largest remainder, to the cent).
 */
export function returnShares(remainingCents: number, funding: Funding): Funding {
  const shares = splitProRata(
    remainingCents,
    Object.entries(funding).map(([contributorId, cents]) => ({
      key: contributorId,
      availableCents: cents,
    })),
  );
  if (shares === undefined) throw new RangeError('il reste plus sur l’enveloppe qu’elle n’a reçu');
  const returned: Funding = {};
  for (const share of shares) if (share.amountCents > 0) returned[share.key] = share.amountCents;
  return returned;
}
