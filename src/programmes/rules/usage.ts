import {
  DAY_MS,
  MINUTE_MS,
  addMonths,
  dateOfDayNumberText,
  dayNumberOfDate,
  isoWeekdayOfDayNumber,
  minutesOfClock,
  parisDayNumber,
  parisMidnightMs,
  parisOffsetMs,
  parseInstant,
} from './calendar.js';
import { zoneSets } from './conditions.js';
import { type RuleReference, type UsageRules, type Validity } from './schema.js';
import { REFUSAL_OBJECTS, type UsageRefusal } from './usage-refusals.js';

// Whether an envelope may pay a payment, and how much of it: compiled once into closures over
// sets, with memos for what depends only on the merchant (its groups, its zone). Local day and
// hour come from the UTC instant and the EU summer-time rule, never from `Intl`.

/**
 * What the ledger knows of an envelope when a payment arrives. The caller sums what was spent
 * in the current day, ISO week and month (Europe/Paris) and by category group.
 */
export type EnvelopeState = {
  /** ISO instant. */
  creditedAt: string;
  balanceCents: number;
  spentTodayCents: number;
  spentThisWeekCents: number;
  spentThisMonthCents: number;
  spentLifetimeCents: number;
  spentByGroupCents: Partial<Record<string, number>>;
};

export type PaymentContext = {
  amountCents: number;
  /** ISO instant with its offset. */
  at: string;
  merchant: {
    id: string;
    mcc: string | null;
    naf: string | null;
    communeCode: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  items?: { productCategory: string; amountCents: number }[];
};

/**
 * `allowed` is true when the envelope covers part of the payment at least: `coverableCents > 0`.
 * `refusals` lists every reason found, blocking (then nothing is covered) or limiting (the
 * amount covered is lower than the payment), even when the payment is allowed.
 */
export type UsageDecision = { allowed: boolean; coverableCents: number; refusals: UsageRefusal[] };

type Merchant = PaymentContext['merchant'];
export type BlockingCheck = (
  envelope: EnvelopeState,
  payment: PaymentContext,
  atMs: number,
) => UsageRefusal | null;

const MAX_MEMO_ENTRIES = 50_000;
const EARTH_RADIUS_KILOMETRES = 6371.0088;

function normaliseMcc(mcc: string): string {
  const trimmed = mcc.trim();
  return /^\d{1,3}$/.test(trimmed) ? trimmed.padStart(4, '0') : trimmed;
}

/** '4761Z', '47.61z' and ' 47.61Z ' name the NAF sous-classe '47.61Z'. */
export function normaliseNafCode(naf: string): string {
  const compact = naf.trim().toUpperCase().replace('.', '');
  return /^\d{4}[A-Z]$/.test(compact) ? `${compact.slice(0, 2)}.${compact.slice(2)}` : compact;
}

/** Exclusive end of validity in ms (Infinity when none) for an envelope credited at `creditedAtMs`. */
export function validityEndMs(validity: Validity | undefined, creditedAtMs: number): number {
  let end = Number.POSITIVE_INFINITY;
  if (validity?.untilDate !== undefined)
    end = parisMidnightMs(dayNumberOfDate(validity.untilDate) + 1);
  const duration = validity?.afterCrediting;
  if (duration !== undefined) {
    const creditDay = parisDayNumber(creditedAtMs);
    const endDay =
      duration.unit === 'days'
        ? creditDay + duration.count
        : dayNumberOfDate(addMonths(dateOfDayNumberText(creditDay), duration.count));
    end = Math.min(end, parisMidnightMs(endDay));
  }
  return end;
}

function compileValidity(validity: Validity | undefined): BlockingCheck | null {
  if (validity === undefined) return null;
  const startMs =
    validity.fromDate === undefined
      ? Number.NEGATIVE_INFINITY
      : parisMidnightMs(dayNumberOfDate(validity.fromDate));
  // The end depends only on the crediting instant: computed once per envelope.
  const endByCreditedAt = new Map<string, number>();
  return (envelope, _payment, atMs) => {
    let endMs = endByCreditedAt.get(envelope.creditedAt);
    if (endMs === undefined) {
      const creditedMs = parseInstant(envelope.creditedAt);
      if (Number.isNaN(creditedMs)) return REFUSAL_OBJECTS.invalid_payment;
      endMs = validityEndMs(validity, creditedMs);
      if (endByCreditedAt.size >= MAX_MEMO_ENTRIES) endByCreditedAt.clear();
      endByCreditedAt.set(envelope.creditedAt, endMs);
    }
    if (atMs < startMs) return REFUSAL_OBJECTS.envelope_not_yet_valid;
    return atMs >= endMs ? REFUSAL_OBJECTS.envelope_expired : null;
  };
}

export type MerchantCategory = { allowed: boolean; groups: readonly string[] };

/** The groups of a merchant and whether its category is allowed, memoised by (MCC, NAF). */
export function compileCategoryLookup(
  usage: UsageRules,
  reference: RuleReference,
): (merchant: Merchant) => MerchantCategory {
  const mccSet = new Set(usage.categories?.mcc ?? []);
  const nafSet = new Set((usage.categories?.naf ?? []).map(normaliseNafCode));
  const groupSet = new Set(usage.categories?.groups ?? []);
  const memo = new Map<string, Map<string, MerchantCategory>>();
  let entries = 0;
  return (merchant) => {
    const mccKey = merchant.mcc ?? '';
    const nafKey = merchant.naf ?? '';
    let byNaf = memo.get(mccKey);
    const known = byNaf?.get(nafKey);
    if (known !== undefined) return known;
    const groups = reference.groupsOfMerchant({ mcc: merchant.mcc, naf: merchant.naf });
    const allowed =
      (merchant.mcc !== null && mccSet.has(normaliseMcc(merchant.mcc))) ||
      (merchant.naf !== null && nafSet.has(normaliseNafCode(merchant.naf))) ||
      groups.some((group) => groupSet.has(group));
    const category = { allowed, groups };
    if (entries >= MAX_MEMO_ENTRIES) {
      memo.clear();
      entries = 0;
      byNaf = undefined;
    }
    if (byNaf === undefined) {
      byNaf = new Map();
      memo.set(mccKey, byNaf);
    }
    byNaf.set(nafKey, category);
    entries += 1;
    return category;
  };
}

function compileMerchantCheck(
  usage: UsageRules,
  categoryOf: (merchant: Merchant) => MerchantCategory,
): BlockingCheck | null {
  const merchantIds = usage.merchantIds === undefined ? null : new Set(usage.merchantIds);
  const hasCategories = usage.categories !== undefined;
  if (merchantIds === null && !hasCategories) return null;
  return (_envelope, payment) => {
    if (merchantIds?.has(payment.merchant.id)) return null;
    if (hasCategories)
      return categoryOf(payment.merchant).allowed
        ? null
        : REFUSAL_OBJECTS.merchant_category_not_allowed;
    return REFUSAL_OBJECTS.merchant_not_allowed;
  };
}

function radians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Great-circle distance on a sphere of the Earth's mean radius. */
export function distanceKilometres(
  latitudeA: number,
  longitudeA: number,
  latitudeB: number,
  longitudeB: number,
): number {
  const halfLatitude = Math.sin(radians(latitudeB - latitudeA) / 2);
  const halfLongitude = Math.sin(radians(longitudeB - longitudeA) / 2);
  const term =
    halfLatitude * halfLatitude +
    Math.cos(radians(latitudeA)) * Math.cos(radians(latitudeB)) * halfLongitude * halfLongitude;
  return 2 * EARTH_RADIUS_KILOMETRES * Math.asin(Math.sqrt(Math.min(1, term)));
}

function compileZoneCheck(usage: UsageRules, reference: RuleReference): BlockingCheck | null {
  if (usage.zones === undefined) return null;
  const territorial = usage.zones.filter((zone) => zone.kind !== 'radius');
  const circles = usage.zones.flatMap((zone) => (zone.kind === 'radius' ? [zone] : []));
  const sets = zoneSets(territorial);
  const insideByCommune = new Map<string, boolean>();
  const communeInside = (code: string): boolean => {
    let inside = insideByCommune.get(code);
    if (inside === undefined) {
      const commune = reference.findCommune(code);
      inside =
        commune !== undefined &&
        (sets.commune.has(commune.code) ||
          sets.departement.has(commune.departementCode) ||
          sets.region.has(commune.regionCode) ||
          (commune.epciCode !== null && sets.epci.has(commune.epciCode)));
      if (insideByCommune.size >= MAX_MEMO_ENTRIES) insideByCommune.clear();
      insideByCommune.set(code, inside);
    }
    return inside;
  };
  return (_envelope, payment) => {
    const merchant = payment.merchant;
    if (
      territorial.length > 0 &&
      merchant.communeCode !== null &&
      communeInside(merchant.communeCode)
    )
      return null;
    if (circles.length === 0)
      return merchant.communeCode === null
        ? REFUSAL_OBJECTS.merchant_location_unknown
        : REFUSAL_OBJECTS.merchant_outside_zone;
    let latitude = merchant.latitude;
    let longitude = merchant.longitude;
    if (latitude === null || longitude === null) {
      const commune =
        merchant.communeCode === null ? undefined : reference.findCommune(merchant.communeCode);
      latitude = commune?.latitude ?? null;
      longitude = commune?.longitude ?? null;
    }
    if (latitude === null || longitude === null)
      return territorial.length > 0 && merchant.communeCode !== null
        ? REFUSAL_OBJECTS.merchant_outside_zone
        : REFUSAL_OBJECTS.merchant_location_unknown;
    for (const circle of circles) {
      if (
        distanceKilometres(latitude, longitude, circle.latitude, circle.longitude) <=
        circle.radiusKilometres
      )
        return null;
    }
    return REFUSAL_OBJECTS.merchant_outside_zone;
  };
}

function compileTimeChecks(usage: UsageRules): BlockingCheck[] {
  const checks: BlockingCheck[] = [];
  if (usage.weekdays !== undefined) {
    const allowed = [false, false, false, false, false, false, false, false];
    for (const weekday of usage.weekdays) allowed[weekday] = true;
    checks.push((_envelope, _payment, atMs) => {
      const weekday = isoWeekdayOfDayNumber(Math.floor((atMs + parisOffsetMs(atMs)) / DAY_MS));
      return allowed[weekday] ? null : REFUSAL_OBJECTS.day_not_allowed;
    });
  }
  if (usage.hours !== undefined) {
    const windows = usage.hours.flatMap((window) => [
      minutesOfClock(window.from),
      minutesOfClock(window.until),
    ]);
    checks.push((_envelope, _payment, atMs) => {
      const localMs = atMs + parisOffsetMs(atMs);
      const minute = Math.floor((localMs - Math.floor(localMs / DAY_MS) * DAY_MS) / MINUTE_MS);
      for (let index = 0; index < windows.length; index += 2) {
        if (minute >= (windows[index] as number) && minute < (windows[index + 1] as number))
          return null;
      }
      return REFUSAL_OBJECTS.outside_allowed_hours;
    });
  }
  const minimum = usage.perPayment?.minimumCents;
  if (minimum !== undefined) {
    checks.push((_envelope, payment) =>
      payment.amountCents < minimum ? REFUSAL_OBJECTS.amount_below_minimum : null,
    );
  }
  return checks;
}

export function compileBlockingChecks(
  usage: UsageRules,
  reference: RuleReference,
  categoryOf: (merchant: Merchant) => MerchantCategory,
): BlockingCheck[] {
  return [
    compileValidity(usage.validity),
    compileMerchantCheck(usage, categoryOf),
    compileZoneCheck(usage, reference),
    ...compileTimeChecks(usage),
  ].filter((check): check is BlockingCheck => check !== null);
}
