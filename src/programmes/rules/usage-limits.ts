import { parseInstant } from './calendar.js';
import { FULL_SHARE_BASIS_POINTS, type RuleReference, type UsageRules } from './schema.js';
import {
  compileBlockingChecks,
  compileCategoryLookup,
  type EnvelopeState,
  type MerchantCategory,
  type PaymentContext,
  type UsageDecision,
} from './usage.js';
import { REFUSAL_OBJECTS, type UsageRefusal } from './usage-refusals.js';

// How much of an accepted payment the envelope covers: the eligible part of the basket, group
// sub-caps, the share of the purchase, the per-payment maximum, period caps and the balance.
// Each limit below the payment amount is listed, whether or not it is the lowest. Refusal
// objects are resolved at compile time: this runs a million times a second.

type Check = (envelope: EnvelopeState, payment: PaymentContext) => UsageDecision;
/** A limit on the amount covered, for one envelope and one payment amount. */
type Limit = {
  refusal: UsageRefusal;
  of: (envelope: EnvelopeState, amountCents: number) => number;
};
type Items = readonly { productCategory: string; amountCents: number }[];

/** What remains under a cap; an unreadable amount spent leaves nothing, never everything. */
function remainingUnder(capCents: number, spentCents: number): number {
  return Number.isFinite(spentCents) ? Math.max(0, capCents - spentCents) : 0;
}

function blocked(refusal: UsageRefusal): UsageDecision {
  return { allowed: false, coverableCents: 0, refusals: [refusal] };
}

function validLine(amountCents: number): boolean {
  return Number.isSafeInteger(amountCents) && amountCents > 0;
}

function compileAmountLimits(usage: UsageRules): Limit[] {
  const limits: Limit[] = [];
  const share = usage.maximumShareBasisPoints;
  if (share !== undefined) {
    limits.push({
      refusal: REFUSAL_OBJECTS.maximum_share_exceeded,
      of: (_envelope, amountCents) => Math.floor((amountCents * share) / FULL_SHARE_BASIS_POINTS),
    });
  }
  const maximum = usage.perPayment?.maximumCents;
  if (maximum !== undefined)
    limits.push({ refusal: REFUSAL_OBJECTS.amount_above_maximum, of: () => maximum });
  const caps = usage.caps ?? {};
  const { dailyCents, weeklyCents, monthlyCents, lifetimeCents } = caps;
  if (dailyCents !== undefined) {
    limits.push({
      refusal: REFUSAL_OBJECTS.daily_cap_reached,
      of: (envelope) => remainingUnder(dailyCents, envelope.spentTodayCents),
    });
  }
  if (weeklyCents !== undefined) {
    limits.push({
      refusal: REFUSAL_OBJECTS.weekly_cap_reached,
      of: (envelope) => remainingUnder(weeklyCents, envelope.spentThisWeekCents),
    });
  }
  if (monthlyCents !== undefined) {
    limits.push({
      refusal: REFUSAL_OBJECTS.monthly_cap_reached,
      of: (envelope) => remainingUnder(monthlyCents, envelope.spentThisMonthCents),
    });
  }
  if (lifetimeCents !== undefined) {
    limits.push({
      refusal: REFUSAL_OBJECTS.lifetime_cap_reached,
      of: (envelope) => remainingUnder(lifetimeCents, envelope.spentLifetimeCents),
    });
  }
  limits.push({
    refusal: REFUSAL_OBJECTS.insufficient_balance,
    of: (envelope) =>
      Number.isFinite(envelope.balanceCents) ? Math.max(0, envelope.balanceCents) : 0,
  });
  return limits;
}

/** The part of the payment the basket allows: 0 when no line may be paid, -1 without lines. */
function eligibleBasket(allowed: ReadonlySet<string>, payment: PaymentContext): number {
  const items = payment.items;
  if (items === undefined || items.length === 0) return -1;
  let eligible = 0;
  for (const item of items) {
    if (allowed.has(item.productCategory) && validLine(item.amountCents))
      eligible += item.amountCents;
  }
  return Math.min(eligible, payment.amountCents);
}

/** The basket lines of a product category. */
function linesInGroup(group: string, items: Items): number {
  let inGroup = 0;
  for (const item of items) {
    if (item.productCategory === group && validLine(item.amountCents)) inGroup += item.amountCents;
  }
  return inGroup;
}

/**
 * A group sub-cap counts the basket lines of that product category when the payment has them
 * (a digital book at a bookshop), otherwise the whole payment at a merchant of the group.
 * Returns the base lowered accordingly.
 */
function applyGroupCaps(
  groupCaps: readonly { group: string; maximumCents: number }[],
  envelope: EnvelopeState,
  payment: PaymentContext,
  category: MerchantCategory,
  base: number,
): number {
  const items = payment.items;
  let limited = base;
  for (const cap of groupCaps) {
    const remaining = remainingUnder(cap.maximumCents, envelope.spentByGroupCents[cap.group] ?? 0);
    if (items === undefined || items.length === 0) {
      if (category.groups.includes(cap.group) && remaining < limited) limited = remaining;
    } else {
      const excess = linesInGroup(cap.group, items) - remaining;
      if (excess > 0) limited -= excess;
    }
  }
  return limited;
}

function compileLimits(
  usage: UsageRules,
  categoryOf: (merchant: PaymentContext['merchant']) => MerchantCategory,
): Check {
  const productCategories =
    usage.productCategories === undefined ? null : new Set(usage.productCategories);
  const groupCaps = usage.groupCaps ?? [];
  const limits = compileAmountLimits(usage);
  return (envelope, payment) => {
    const amount = payment.amountCents;
    let refusals: UsageRefusal[] | null = null;
    let base = amount;
    if (productCategories !== null) {
      const basket = eligibleBasket(productCategories, payment);
      if (basket < 0) return blocked(REFUSAL_OBJECTS.item_detail_missing);
      if (basket === 0) return blocked(REFUSAL_OBJECTS.no_eligible_items);
      if (basket < amount) refusals = [REFUSAL_OBJECTS.items_partially_eligible];
      base = basket;
    }
    if (groupCaps.length > 0) {
      const limited = applyGroupCaps(
        groupCaps,
        envelope,
        payment,
        categoryOf(payment.merchant),
        base,
      );
      if (limited < base) (refusals ??= []).push(REFUSAL_OBJECTS.group_cap_reached);
      base = limited;
    }
    let coverable = base;
    for (const limit of limits) {
      const value = limit.of(envelope, amount);
      if (value >= amount) continue;
      (refusals ??= []).push(limit.refusal);
      if (value < coverable) coverable = value;
    }
    if (coverable < 0) coverable = 0;
    return { allowed: coverable > 0, coverableCents: coverable, refusals: refusals ?? [] };
  };
}

/** The compiled usage rules: one envelope against one payment. */
export function compileUsageCheck(usage: UsageRules, reference: RuleReference): Check {
  const categoryOf = compileCategoryLookup(usage, reference);
  const checks = compileBlockingChecks(usage, reference, categoryOf);
  const limits = compileLimits(usage, categoryOf);
  return (envelope, payment) => {
    const atMs = parseInstant(payment.at);
    if (!validLine(payment.amountCents) || Number.isNaN(atMs))
      return blocked(REFUSAL_OBJECTS.invalid_payment);
    let refusals: UsageRefusal[] | null = null;
    for (const check of checks) {
      const refusal = check(envelope, payment, atMs);
      if (refusal !== null) (refusals ??= []).push(refusal);
    }
    if (refusals !== null) return { allowed: false, coverableCents: 0, refusals };
    return limits(envelope, payment);
  };
}
