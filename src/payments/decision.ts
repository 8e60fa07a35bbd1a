import { parseInstant } from '../programmes/rules/calendar.js';
import {
  compareForPayment,
  type CompiledRules,
  type EnvelopeState,
  type PaymentContext,
  type UsageDecision,
} from '../programmes/rules/engine.js';
import { formatCents, joinFrench } from '../programmes/rules/format.js';
import { MAX_AMOUNT_CENTS } from '../programmes/rules/schema.js';
import {
  MAX_PAYMENT_ITEMS,
  PAYMENT_REFUSAL_OBJECTS,
  PAYMENT_REFUSAL_RANK,
  type PaymentRefusal,
  type PaymentRefusalCode,
} from './refusals.js';

// The payment decision: which of a wallet's envelopes pay, and how much each, for one payment
// at one merchant at one instant. Pure: the caller loads the wallet (balances from the ledger,
// spent counters on pending plus posted amounts) and the merchant, then writes the splits.
// It runs on every authorization (≥ 10 000 a second): the common case, a payment without basket
// lines, allocates one context object for the whole wallet and reuses the rules' refusals.

export type WalletEnvelope = {
  attributionId: number;
  envelopeAccountId: number;
  programmeId: number;
  programmeName: string;
  funderOrganisationId: number;
  priority: number;
  creditedAt: string;
  validUntil: string | null;
  status: 'credited' | 'suspended';
  /** Ledger posted − pending debits. */
  availableCents: number;
  /** Spent counters on pending + posted amounts (rules/usage.ts). */
  state: EnvelopeState;
  checkUsage: CompiledRules['checkUsage'];
};

export type PaymentItem = { productCategory: string; amountCents: number };

export type PaymentRequest = {
  amountCents: number;
  /** ISO instant with its offset: the decision never reads the clock. */
  at: string;
  partialAllowed: boolean;
  /** Basket lines; when given, their amounts add up to `amountCents`. */
  items?: PaymentItem[];
};

export type MerchantFacts = PaymentContext['merchant'] & {
  approvedProgrammeIds: ReadonlySet<number>;
};

export type EnvelopeConsidered = {
  attributionId: number;
  programmeId: number;
  programmeName: string;
  /** What the envelope could pay of the amount still to cover when its turn came. */
  coverableCents: number;
  /** What it pays in this decision (0 when declined). */
  usedCents: number;
  refusals: { code: PaymentRefusalCode; message: string }[];
  /** False when earlier envelopes had covered everything: then it was not checked at all. */
  reached: boolean;
};

export type ItemPayer = { attributionId: number; amountCents: number };

/** One basket line, by its index in the request. */
export type ItemCoverage = {
  index: number;
  productCategory: string;
  amountCents: number;
  coveredCents: number;
  coverage: 'full' | 'partial' | 'none';
  /** The envelopes that pay this line and how much each, in stacking order. */
  paidBy: ItemPayer[];
};

export type PaymentDecision = {
  outcome: 'approved' | 'partially_approved' | 'declined';
  requestedCents: number;
  approvedCents: number;
  splits: { attributionId: number; envelopeAccountId: number; amountCents: number }[];
  /** Every envelope of the wallet, in stacking order. */
  considered: EnvelopeConsidered[];
  /** Main reason when declined. */
  declineCode: PaymentRefusalCode | null;
  /** One French sentence for the till and the beneficiary. */
  summary: string;
  /** Null when the request had no basket lines; with lines, all `none` when declined. */
  itemsCovered: ItemCoverage[] | null;
};

type Split = PaymentDecision['splits'][number];
type Walk = {
  considered: EnvelopeConsidered[];
  splits: Split[];
  approvedCents: number;
  basket: Basket | null;
};
/** The basket lines during the walk: what each still has to pay, and who paid it so far. */
type Basket = { items: readonly PaymentItem[]; remainingCents: number[]; paidBy: ItemPayer[][] };

/** Longest product category a basket line may name. */
const MAX_PRODUCT_CATEGORY_LENGTH = 100;
/** From here on in the precedence, reasons only lower what an envelope pays. */
const FIRST_LIMITING_RANK = PAYMENT_REFUSAL_RANK.items_partially_eligible;

/**
 * Which envelopes pay this payment and how much each. Envelopes are taken in stacking order
 * (`compareForPayment`); each pays what its rules allow of what is still to pay, up to its
 * balance, which is the lower of the spent counters' balance and the ledger's available amount
 * (`availableCents` counts pending holds the counters may not know yet). With basket lines,
 * an envelope pays only its eligible lines, in line order, and a line paid by one envelope is
 * not offered to the next. Each envelope's rules see the amount still to pay as the payment:
 * a share of the purchase or a minimum applies to what is left when its turn comes.
 */
export function decidePayment(
  envelopes: WalletEnvelope[],
  merchant: MerchantFacts,
  payment: PaymentRequest,
): PaymentDecision {
  assertDistinctEnvelopes(envelopes);
  const ordered = stackingOrder(envelopes);
  const problem = requestProblem(payment);
  if (problem !== null) return declinedRequest(ordered, payment, problem);
  if (ordered.length === 0)
    return declinedRequest(ordered, payment, PAYMENT_REFUSAL_OBJECTS.no_envelope);
  const walk = walkEnvelopes(ordered, merchant, payment);
  assertWalk(walk, payment.amountCents);
  const requestedCents = payment.amountCents;
  if (walk.approvedCents === 0) {
    const declineCode = declineReason(ordered, walk.considered);
    return declined(walk, payment, declineCode, refusedSentence(declineCode));
  }
  if (walk.approvedCents < requestedCents && !payment.partialAllowed) {
    for (const entry of walk.considered) entry.usedCents = 0;
    const covering = walk.splits.length === 1 ? 'l’aide ne couvre' : 'les aides ne couvrent';
    const sentence = `Paiement refusé — ${covering} que ${formatCents(walk.approvedCents)} sur ${formatCents(requestedCents)} et le paiement partiel n’est pas accepté.`;
    return declined(walk, payment, 'partial_not_accepted', sentence);
  }
  const complete = walk.approvedCents === requestedCents;
  return {
    outcome: complete ? 'approved' : 'partially_approved',
    requestedCents,
    approvedCents: walk.approvedCents,
    splits: walk.splits,
    considered: walk.considered,
    declineCode: null,
    summary: acceptedSentence(ordered, walk, requestedCents),
    itemsCovered: itemsCovered(payment.items, walk.basket),
  };
}

function walkEnvelopes(
  ordered: readonly WalletEnvelope[],
  merchant: MerchantFacts,
  payment: PaymentRequest,
): Walk {
  const items = linesOf(payment);
  const basket: Basket | null =
    items === null
      ? null
      : {
          items,
          remainingCents: items.map((item) => item.amountCents),
          paidBy: items.map(() => []),
        };
  // One context for the whole wallet: only the amount and the lines left change.
  const context: PaymentContext = { amountCents: payment.amountCents, at: payment.at, merchant };
  const considered: EnvelopeConsidered[] = [];
  const splits: Split[] = [];
  let remainingCents = payment.amountCents;
  for (const envelope of ordered) {
    if (remainingCents === 0) {
      considered.push(consideredEntry(envelope, 0, 0, [], false));
      continue;
    }
    const refusal = envelopeRefusal(envelope, merchant);
    if (refusal !== null) {
      considered.push(consideredEntry(envelope, 0, 0, [refusal], true));
      continue;
    }
    const state = spendableState(envelope);
    context.amountCents = remainingCents;
    if (basket !== null) context.items = linesLeft(basket);
    const usage = envelope.checkUsage(state, context);
    const usedCents = Math.min(usage.coverableCents, remainingCents);
    if (usedCents > 0) {
      if (usedCents > state.balanceCents) throw new Error('Une aide paierait plus que son solde');
      if (basket !== null) allocateOverLines(envelope, state, context, usedCents, basket);
      splits.push({
        attributionId: envelope.attributionId,
        envelopeAccountId: envelope.envelopeAccountId,
        amountCents: usedCents,
      });
      remainingCents -= usedCents;
    }
    considered.push(
      consideredEntry(envelope, usage.coverableCents, usedCents, usage.refusals, true),
    );
  }
  return { considered, splits, approvedCents: payment.amountCents - remainingCents, basket };
}

function consideredEntry(
  envelope: WalletEnvelope,
  coverableCents: number,
  usedCents: number,
  refusals: UsageDecision['refusals'] | PaymentRefusal[],
  reached: boolean,
): EnvelopeConsidered {
  return {
    attributionId: envelope.attributionId,
    programmeId: envelope.programmeId,
    programmeName: envelope.programmeName,
    coverableCents,
    usedCents,
    refusals: refusals as EnvelopeConsidered['refusals'],
    reached,
  };
}

/** Reasons that stop an envelope before its rules are read. */
function envelopeRefusal(envelope: WalletEnvelope, merchant: MerchantFacts): PaymentRefusal | null {
  if (envelope.status !== 'credited') return PAYMENT_REFUSAL_OBJECTS.envelope_suspended;
  if (!merchant.approvedProgrammeIds.has(envelope.programmeId))
    return PAYMENT_REFUSAL_OBJECTS.merchant_not_approved;
  return null;
}

/** The ledger is the truth: the counters' balance never exceeds what is available. */
function spendableBalance(envelope: WalletEnvelope): number {
  const available = Number.isFinite(envelope.availableCents)
    ? Math.max(0, envelope.availableCents)
    : 0;
  const counted = envelope.state.balanceCents;
  return Number.isFinite(counted) && counted < available ? Math.max(0, counted) : available;
}

function spendableState(envelope: WalletEnvelope): EnvelopeState {
  const balanceCents = spendableBalance(envelope);
  return balanceCents === envelope.state.balanceCents
    ? envelope.state
    : { ...envelope.state, balanceCents };
}

function stackingOrder(envelopes: readonly WalletEnvelope[]): readonly WalletEnvelope[] {
  if (envelopes.length < 2) return envelopes;
  const candidates = envelopes.map((envelope) => ({
    envelopeId: envelope.attributionId,
    priority: envelope.priority,
    validUntil: envelope.validUntil,
    creditedAt: envelope.creditedAt,
    envelope,
  }));
  candidates.sort(compareForPayment);
  return candidates.map((candidate) => candidate.envelope);
}

function linesOf(payment: PaymentRequest): readonly PaymentItem[] | null {
  const items = payment.items;
  return items === undefined || items.length === 0 ? null : items;
}

function requestProblem(payment: PaymentRequest): PaymentRefusal | null {
  const amountCents = payment.amountCents;
  if (
    !Number.isSafeInteger(amountCents) ||
    amountCents <= 0 ||
    amountCents > MAX_AMOUNT_CENTS ||
    typeof payment.at !== 'string' ||
    Number.isNaN(parseInstant(payment.at))
  )
    return PAYMENT_REFUSAL_OBJECTS.invalid_payment;
  const items = linesOf(payment);
  if (items === null) return null;
  if (items.length > MAX_PAYMENT_ITEMS) return PAYMENT_REFUSAL_OBJECTS.invalid_basket;
  let totalCents = 0;
  for (const item of items) {
    const category = item.productCategory;
    if (
      typeof category !== 'string' ||
      category.length === 0 ||
      category.length > MAX_PRODUCT_CATEGORY_LENGTH ||
      !Number.isSafeInteger(item.amountCents) ||
      item.amountCents <= 0
    )
      return PAYMENT_REFUSAL_OBJECTS.invalid_basket;
    totalCents += item.amountCents;
  }
  return totalCents === amountCents ? null : PAYMENT_REFUSAL_OBJECTS.invalid_basket;
}

/** The lines still to pay, as the next envelope's rules see them. */
function linesLeft(basket: Basket): PaymentItem[] {
  const left: PaymentItem[] = [];
  for (let index = 0; index < basket.items.length; index += 1) {
    const amountCents = basket.remainingCents[index] as number;
    if (amountCents > 0)
      left.push({
        productCategory: (basket.items[index] as PaymentItem).productCategory,
        amountCents,
      });
  }
  return left;
}

/**
 * Spreads what an envelope pays over the lines it may pay, in line order. What it may pay of
 * one product category is asked of its own rules with the whole amount on a single line of
 * that category: the answer is the category's eligibility and sub-cap under the same period
 * caps, share and balance, so the spread always reaches the amount the rules granted.
 */
function allocateOverLines(
  envelope: WalletEnvelope,
  state: EnvelopeState,
  context: PaymentContext,
  usedCents: number,
  basket: Basket,
): void {
  const everything = usedCents === context.amountCents;
  const probeLine: PaymentItem = { productCategory: '', amountCents: context.amountCents };
  const probe: PaymentContext = { ...context, items: [probeLine] };
  const ceilings = new Map<string, number>();
  let leftCents = usedCents;
  for (let index = 0; index < basket.items.length && leftCents > 0; index += 1) {
    const lineCents = basket.remainingCents[index] as number;
    if (lineCents === 0) continue;
    const category = (basket.items[index] as PaymentItem).productCategory;
    let ceiling = everything ? lineCents : ceilings.get(category);
    if (ceiling === undefined) {
      probeLine.productCategory = category;
      ceiling = envelope.checkUsage(state, probe).coverableCents;
    }
    const paidCents = Math.min(lineCents, ceiling, leftCents);
    if (paidCents === 0) continue;
    basket.remainingCents[index] = lineCents - paidCents;
    (basket.paidBy[index] as ItemPayer[]).push({
      attributionId: envelope.attributionId,
      amountCents: paidCents,
    });
    ceilings.set(category, ceiling - paidCents);
    leftCents -= paidCents;
  }
  if (leftCents !== 0) throw new Error('Répartition sur les lignes du panier incomplète');
}

function itemsCovered(
  items: readonly PaymentItem[] | undefined,
  basket: Basket | null,
): ItemCoverage[] | null {
  if (items === undefined || items.length === 0) return null;
  return items.map((item, index) => {
    const remainingCents =
      basket === null ? item.amountCents : (basket.remainingCents[index] as number);
    const coveredCents = item.amountCents - remainingCents;
    return {
      index,
      productCategory: item.productCategory,
      amountCents: item.amountCents,
      coveredCents,
      coverage: coveredCents === 0 ? 'none' : remainingCents === 0 ? 'full' : 'partial',
      paidBy: basket === null ? [] : (basket.paidBy[index] as ItemPayer[]),
    };
  });
}

/**
 * Each refused envelope by its most fundamental reason (an empty balance when only limits
 * remain), then the payment by the envelope that came closest to paying.
 */
function declineReason(
  ordered: readonly WalletEnvelope[],
  considered: readonly EnvelopeConsidered[],
): PaymentRefusalCode {
  let reason: PaymentRefusalCode = 'no_envelope';
  let reasonRank = -1;
  for (let index = 0; index < considered.length; index += 1) {
    const refusals = (considered[index] as EnvelopeConsidered).refusals;
    if (refusals.length === 0) continue;
    let main = (refusals[0] as PaymentRefusal).code;
    for (const refusal of refusals) {
      if (PAYMENT_REFUSAL_RANK[refusal.code] < PAYMENT_REFUSAL_RANK[main]) main = refusal.code;
    }
    if (
      PAYMENT_REFUSAL_RANK[main] >= FIRST_LIMITING_RANK &&
      spendableBalance(ordered[index] as WalletEnvelope) === 0
    )
      main = 'insufficient_balance';
    if (PAYMENT_REFUSAL_RANK[main] > reasonRank) {
      reason = main;
      reasonRank = PAYMENT_REFUSAL_RANK[main];
    }
  }
  return reason;
}

function declined(
  walk: Walk,
  payment: PaymentRequest,
  declineCode: PaymentRefusalCode,
  summary: string,
): PaymentDecision {
  return {
    outcome: 'declined',
    requestedCents: payment.amountCents,
    approvedCents: 0,
    splits: [],
    considered: walk.considered,
    declineCode,
    summary,
    itemsCovered: itemsCovered(payment.items, null),
  };
}

/** A request the rules cannot read, or an empty wallet: every envelope carries the reason. */
function declinedRequest(
  ordered: readonly WalletEnvelope[],
  payment: PaymentRequest,
  refusal: PaymentRefusal,
): PaymentDecision {
  const considered = ordered.map((envelope) => consideredEntry(envelope, 0, 0, [refusal], true));
  const walk: Walk = { considered, splits: [], approvedCents: 0, basket: null };
  const items = refusal.code === 'invalid_basket' ? undefined : payment.items;
  return declined(walk, { ...payment, items }, refusal.code, refusedSentence(refusal.code));
}

/** « Paiement refusé — l’aide a expiré : sa période de validité est terminée. » */
export function refusedSentence(code: PaymentRefusalCode): string {
  const message = PAYMENT_REFUSAL_OBJECTS[code].message;
  return `Paiement refusé — ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** « Paiement accepté : 12,50 € pris sur Pass Culture et 3,00 € sur Chèque alimentation. » */
function acceptedSentence(
  ordered: readonly WalletEnvelope[],
  walk: Walk,
  requestedCents: number,
): string {
  const parts: string[] = [];
  for (const split of walk.splits) {
    const envelope = ordered.find((candidate) => candidate.attributionId === split.attributionId);
    const name = envelope?.programmeName ?? '';
    parts.push(`${formatCents(split.amountCents)}${parts.length === 0 ? ' pris' : ''} sur ${name}`);
  }
  if (walk.approvedCents === requestedCents) return `Paiement accepté : ${joinFrench(parts)}.`;
  const restCents = requestedCents - walk.approvedCents;
  return `Paiement accepté en partie : ${joinFrench(parts)} ; reste à payer par un autre moyen : ${formatCents(restCents)}.`;
}

function assertDistinctEnvelopes(envelopes: readonly WalletEnvelope[]): void {
  for (let left = 0; left < envelopes.length; left += 1) {
    const envelope = envelopes[left] as WalletEnvelope;
    for (let right = left + 1; right < envelopes.length; right += 1) {
      const other = envelopes[right] as WalletEnvelope;
      if (
        other.attributionId === envelope.attributionId ||
        other.envelopeAccountId === envelope.envelopeAccountId
      )
        throw new Error(`Aide présente deux fois dans le portefeuille : ${envelope.attributionId}`);
    }
  }
}

/** Splits add up to what is approved, never more than asked, never one envelope twice. */
function assertWalk(walk: Walk, requestedCents: number): void {
  let totalCents = 0;
  for (const split of walk.splits) {
    if (!Number.isSafeInteger(split.amountCents) || split.amountCents <= 0)
      throw new Error(`Part invalide : ${split.amountCents}`);
    totalCents += split.amountCents;
  }
  if (totalCents !== walk.approvedCents || totalCents > requestedCents)
    throw new Error(`Parts incohérentes : ${totalCents} pour ${walk.approvedCents} accordés`);
}

export type DecisionCase = {
  envelopes: WalletEnvelope[];
  merchant: MerchantFacts;
  payment: PaymentRequest;
};

/** Decides the cases in turn `iterations` times in all: the engine's own speed, without I/O. */
export function benchmarkDecisions(
  iterations: number,
  cases: readonly DecisionCase[],
): { decisions: number; approved: number; elapsedMs: number; decisionsPerSecond: number } {
  if (cases.length === 0 || !(iterations > 0)) throw new RangeError('Aucune décision à mesurer');
  let approved = 0;
  const startMs = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    const decisionCase = cases[index % cases.length] as DecisionCase;
    const decision = decidePayment(
      decisionCase.envelopes,
      decisionCase.merchant,
      decisionCase.payment,
    );
    if (decision.outcome !== 'declined') approved += 1;
  }
  const elapsedMs = performance.now() - startMs;
  return {
    decisions: iterations,
    approved,
    elapsedMs,
    decisionsPerSecond: Math.round((iterations * 1000) / Math.max(elapsedMs, 0.001)),
  };
}
