import { z } from 'zod';
import { isValidDate } from './calendar.js';
import {
  BENEFICIARY_STATUSES,
  ORGANISATION_KINDS,
  type BeneficiaryStatus,
  type OrganisationKind,
} from './facts.js';
import { ruleProblems } from './rule-checks.js';

// A programme's rules are data a funder writes: these schemas give their shape, their limits
// and the French message of each refusal; `rule-checks.ts` adds what needs the reference data
// (known zones and categories) or several fields at once (bracket order, dates in order).

/** 1 000 000 000,00 €: a rate in basis points times this stays an exact integer in a double. */
export const MAX_AMOUNT_CENTS = 100_000_000_000;
export const FULL_SHARE_BASIS_POINTS = 10_000;
const MAX_LIST = 1_000;
const MAX_MERCHANTS = 100_000;
const MAX_CONDITIONS = 100;

// --- Types -----------------------------------------------------------------------------------

export type ZoneKind = 'commune' | 'epci' | 'departement' | 'region';
export type ZoneReference = { kind: ZoneKind; code: string };
/** A circle around a point, for merchants: within `radiusKilometres` of it. */
export type RadiusZone = {
  kind: 'radius';
  latitude: number;
  longitude: number;
  radiusKilometres: number;
  label?: string;
};
export type MerchantZone = ZoneReference | RadiusZone;

export type CustomOperator = 'equals' | 'not_equals' | 'one_of' | 'at_least' | 'at_most';

/**
 * Bounds are inclusive: `minimumYears: 18, maximumYears: 24` means from the 18th birthday to
 * the day before the 25th (« moins de 25 ans »). `at` is the day the age is taken on: the
 * reference date of the evaluation (default), the 31 December of its year, or a fixed day.
 */
export type Condition =
  | { type: 'all'; conditions: Condition[] }
  | { type: 'any'; conditions: Condition[] }
  | { type: 'not'; condition: Condition }
  | {
      type: 'age';
      minimumYears?: number;
      maximumYears?: number;
      at?: 'reference_date' | 'end_of_reference_year' | { date: string };
    }
  | { type: 'residence'; zones: ZoneReference[] }
  | { type: 'household_quotient'; minimumEuros?: number; maximumEuros?: number }
  | { type: 'dependent_children'; minimum?: number; maximum?: number }
  | { type: 'status'; anyOf: BeneficiaryStatus[] }
  | { type: 'organisation_kind'; anyOf: OrganisationKind[] }
  | {
      type: 'custom';
      attribute: string;
      operator: CustomOperator;
      value: string | number | boolean | string[];
    };

export type BracketAttribute = 'household_quotient' | 'dependent_children' | 'age' | 'custom';
/**
 * Brackets follow each other without gaps: each covers the values above the previous `upTo`
 * (excluded) up to its own `upTo` (included); the first starts at the lowest value, a last
 * `upTo: null` has no upper bound.
 */
export type AmountBracket = { upTo: number | null; amountCents: number };
export type RateBracket = { upTo: number | null; rateBasisPoints: number };
export type FixedAmount = { type: 'fixed'; amountCents: number };
export type BracketAmount = {
  type: 'brackets';
  attribute: BracketAttribute;
  customAttribute?: string;
  brackets: AmountBracket[];
};
export type FixedRate = { type: 'fixed'; rateBasisPoints: number };
export type BracketRate = {
  type: 'brackets';
  attribute: BracketAttribute;
  customAttribute?: string;
  brackets: RateBracket[];
};
export type PerUnitAmount = {
  type: 'per_unit';
  unit: 'dependent_child' | 'custom';
  customAttribute?: string;
  /** Paid once, before the units. */
  baseAmountCents?: number;
  unitAmount: FixedAmount | BracketAmount;
  maximumUnits?: number;
};
export type ExpenseShareAmount = {
  type: 'expense_share';
  rate: FixedRate | BracketRate;
  /** Expenses above this are not taken into account (« dépense éligible plafonnée »). */
  maximumExpenseCents?: number;
};
export type RoundingMode = 'down' | 'nearest' | 'up';
/**
 * The amount: a formula, then at most `expenseShareCeilingBasisPoints` of the declared expense,
 * then `floorCents` (a guaranteed minimum) and `ceilingCents`. A formula that gives 0 grants
 * nothing: the floor only raises amounts that exist. Fractions of a cent are rounded with
 * `rounding` (`nearest`: half a cent goes up).
 */
export type AmountRule = (FixedAmount | BracketAmount | PerUnitAmount | ExpenseShareAmount) & {
  rounding: RoundingMode;
  floorCents?: number;
  ceilingCents?: number;
  expenseShareCeilingBasisPoints?: number;
};

export type Validity = {
  /** First valid day, from 00:00 Europe/Paris. */
  fromDate?: string;
  /** Last valid day, until 24:00 Europe/Paris. */
  untilDate?: string;
  /** Valid from the day of crediting for this many days or months (the day itself counts). */
  afterCrediting?: { unit: 'days' | 'months'; count: number };
};

/**
 * Where, when and how an envelope may pay. A merchant is accepted when it is named in
 * `merchantIds` or when its category is allowed by `categories`; without either, every
 * merchant is. Hours and days are read in Europe/Paris; a window runs from `from` (included)
 * to `until` (excluded).
 */
export type UsageRules = {
  categories?: { mcc?: string[]; naf?: string[]; groups?: string[] };
  merchantIds?: string[];
  zones?: MerchantZone[];
  validity?: Validity;
  perPayment?: { minimumCents?: number; maximumCents?: number };
  caps?: {
    dailyCents?: number;
    weeklyCents?: number;
    monthlyCents?: number;
    lifetimeCents?: number;
  };
  groupCaps?: { group: string; maximumCents: number }[];
  /** ISO weekdays: 1 = lundi … 7 = dimanche. */
  weekdays?: number[];
  hours?: { from: string; until: string }[];
  /** Product categories (category groups) of the basket lines the envelope may pay. */
  productCategories?: string[];
  maximumShareBasisPoints?: number;
};

/** Lower priorities pay first; among equals, the envelope that expires first. */
export type Stacking = { priority: number };

export type CustomAttribute = {
  key: string;
  label: string;
  type: 'boolean' | 'number' | 'text';
  /** For text attributes: the only values accepted. */
  values?: string[];
};

export type RuleSet = {
  eligibility: Condition;
  amount: AmountRule;
  usage: UsageRules;
  stacking: Stacking;
  customAttributes?: CustomAttribute[];
};

/** The reference data the rules name, injected so that the engine reads nothing by itself. */
export type RuleReference = {
  findCommune(code: string):
    | {
        code: string;
        departementCode: string;
        regionCode: string;
        epciCode: string | null;
        latitude: number | null;
        longitude: number | null;
      }
    | undefined;
  isKnownZone(kind: ZoneKind, code: string): boolean;
  zoneName(kind: ZoneKind, code: string): string | undefined;
  isKnownMcc(code: string): boolean;
  isKnownNaf(code: string): boolean;
  isKnownGroup(group: string): boolean;
  groupLabel(group: string): string | undefined;
  groupsOfMerchant(merchant: { mcc: string | null; naf: string | null }): readonly string[];
};

// --- Schemas ---------------------------------------------------------------------------------

const cents = z
  .int('Montant attendu en centimes entiers')
  .min(0, 'Un montant ne peut pas être négatif')
  .max(MAX_AMOUNT_CENTS, 'Montant trop élevé : 1 milliard d’euros au plus');
const positiveCents = z
  .int('Montant attendu en centimes entiers')
  .min(1, 'Un montant doit être strictement positif (en centimes)')
  .max(MAX_AMOUNT_CENTS, 'Montant trop élevé : 1 milliard d’euros au plus');
const basisPoints = z
  .int('Taux attendu en points de base entiers (1 % = 100)')
  .min(0, 'Un taux ne peut pas être négatif')
  .max(FULL_SHARE_BASIS_POINTS, 'Un taux ne peut pas dépasser 100 % (10 000 points de base)');
const date = z
  .string()
  .refine(isValidDate, 'Date attendue au format AAAA-MM-JJ, et ce jour doit exister');
const clock = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Heure attendue au format HH:MM (00:00 à 24:00)');
const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'Identifiant attendu : minuscules, chiffres et _');
const code = z.string().min(1, 'Code vide').max(32, 'Code trop long');
const years = z.int('Âge attendu en années entières').min(0).max(130);
const count = z.int('Nombre entier attendu').min(0).max(1_000);
const euros = z.number().min(0, 'Un quotient familial ne peut pas être négatif').max(1_000_000);

const zoneKind = z.enum(['commune', 'epci', 'departement', 'region']);
const zoneReference = z.strictObject({ kind: zoneKind, code });
const radiusZone = z.strictObject({
  kind: z.literal('radius'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  radiusKilometres: z.number().gt(0, 'Un rayon doit être positif').max(1_000),
  label: z.string().max(200).optional(),
});

const statusCodes = Object.keys(BENEFICIARY_STATUSES) as [
  BeneficiaryStatus,
  ...BeneficiaryStatus[],
];
const kindCodes = Object.keys(ORGANISATION_KINDS) as [OrganisationKind, ...OrganisationKind[]];

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('all'),
      conditions: z.array(conditionSchema).max(MAX_CONDITIONS),
    }),
    z.strictObject({
      type: z.literal('any'),
      conditions: z
        .array(conditionSchema)
        .min(1, '« any » demande au moins une condition')
        .max(MAX_CONDITIONS),
    }),
    z.strictObject({ type: z.literal('not'), condition: conditionSchema }),
    z.strictObject({
      type: z.literal('age'),
      minimumYears: years.optional(),
      maximumYears: years.optional(),
      at: z
        .union([z.enum(['reference_date', 'end_of_reference_year']), z.strictObject({ date })])
        .optional(),
    }),
    z.strictObject({
      type: z.literal('residence'),
      zones: z.array(zoneReference).min(1, 'Au moins une zone').max(MAX_LIST),
    }),
    z.strictObject({
      type: z.literal('household_quotient'),
      minimumEuros: euros.optional(),
      maximumEuros: euros.optional(),
    }),
    z.strictObject({
      type: z.literal('dependent_children'),
      minimum: count.optional(),
      maximum: count.optional(),
    }),
    z.strictObject({
      type: z.literal('status'),
      anyOf: z.array(z.enum(statusCodes)).min(1, 'Au moins un statut'),
    }),
    z.strictObject({
      type: z.literal('organisation_kind'),
      anyOf: z.array(z.enum(kindCodes)).min(1, 'Au moins un type d’organisation'),
    }),
    z.strictObject({
      type: z.literal('custom'),
      attribute: key,
      operator: z.enum(['equals', 'not_equals', 'one_of', 'at_least', 'at_most']),
      value: z.union([
        z.string().max(200),
        z.number(),
        z.boolean(),
        z.array(z.string().max(200)).min(1).max(MAX_LIST),
      ]),
    }),
  ]),
);

const bracketAttribute = z.enum(['household_quotient', 'dependent_children', 'age', 'custom']);
const bracketBound = z.number().min(0, 'Une borne de tranche ne peut pas être négative').nullable();
const fixedAmount = z.strictObject({ type: z.literal('fixed'), amountCents: positiveCents });
const bracketAmount = z.strictObject({
  type: z.literal('brackets'),
  attribute: bracketAttribute,
  customAttribute: key.optional(),
  brackets: z
    .array(z.strictObject({ upTo: bracketBound, amountCents: cents }))
    .min(1, 'Au moins une tranche')
    .max(100),
});
const rate = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), rateBasisPoints: basisPoints }),
  z.strictObject({
    type: z.literal('brackets'),
    attribute: bracketAttribute,
    customAttribute: key.optional(),
    brackets: z
      .array(z.strictObject({ upTo: bracketBound, rateBasisPoints: basisPoints }))
      .min(1, 'Au moins une tranche')
      .max(100),
  }),
]);
const amountLimits = {
  rounding: z.enum(['down', 'nearest', 'up']),
  floorCents: positiveCents.optional(),
  ceilingCents: positiveCents.optional(),
  expenseShareCeilingBasisPoints: basisPoints.min(1).optional(),
};
const amountSchema = z.discriminatedUnion('type', [
  fixedAmount.extend(amountLimits),
  bracketAmount.extend(amountLimits),
  z.strictObject({
    type: z.literal('per_unit'),
    unit: z.enum(['dependent_child', 'custom']),
    customAttribute: key.optional(),
    baseAmountCents: cents.optional(),
    unitAmount: z.discriminatedUnion('type', [fixedAmount, bracketAmount]),
    maximumUnits: count.min(1).optional(),
    ...amountLimits,
  }),
  z.strictObject({
    type: z.literal('expense_share'),
    rate,
    maximumExpenseCents: positiveCents.optional(),
    ...amountLimits,
  }),
]);

const usageSchema = z.strictObject({
  categories: z
    .strictObject({
      mcc: z
        .array(z.string().regex(/^\d{4}$/, 'Code MCC attendu : 4 chiffres'))
        .max(MAX_LIST)
        .optional(),
      naf: z.array(code).max(MAX_LIST).optional(),
      groups: z.array(key).max(100).optional(),
    })
    .optional(),
  merchantIds: z.array(z.string().min(1).max(128)).min(1).max(MAX_MERCHANTS).optional(),
  zones: z
    .array(z.discriminatedUnion('kind', [zoneReference, radiusZone]))
    .min(1, 'Au moins une zone')
    .max(MAX_LIST)
    .optional(),
  validity: z
    .strictObject({
      fromDate: date.optional(),
      untilDate: date.optional(),
      afterCrediting: z
        .strictObject({
          unit: z.enum(['days', 'months']),
          count: count.min(1, 'Une durée doit être d’au moins 1'),
        })
        .optional(),
    })
    .optional(),
  perPayment: z
    .strictObject({
      minimumCents: positiveCents.optional(),
      maximumCents: positiveCents.optional(),
    })
    .optional(),
  caps: z
    .strictObject({
      dailyCents: positiveCents.optional(),
      weeklyCents: positiveCents.optional(),
      monthlyCents: positiveCents.optional(),
      lifetimeCents: positiveCents.optional(),
    })
    .optional(),
  groupCaps: z
    .array(z.strictObject({ group: key, maximumCents: positiveCents }))
    .max(100)
    .optional(),
  weekdays: z
    .array(
      z.int().min(1, 'Jour de 1 (lundi) à 7 (dimanche)').max(7, 'Jour de 1 (lundi) à 7 (dimanche)'),
    )
    .min(1, 'Au moins un jour')
    .max(7)
    .optional(),
  hours: z
    .array(z.strictObject({ from: clock, until: clock }))
    .min(1)
    .max(24)
    .optional(),
  productCategories: z.array(key).min(1).max(100).optional(),
  maximumShareBasisPoints: basisPoints.min(1, 'Une part maximale doit être positive').optional(),
});

const customAttributeSchema = z.strictObject({
  key,
  label: z.string().min(1, 'Libellé vide').max(200),
  type: z.enum(['boolean', 'number', 'text']),
  values: z.array(z.string().min(1).max(200)).min(1).max(MAX_LIST).optional(),
});

export const ruleSetSchema: z.ZodType<RuleSet> = z.strictObject({
  eligibility: conditionSchema,
  amount: amountSchema,
  usage: usageSchema,
  stacking: z.strictObject({
    priority: z.int('Priorité entière attendue').min(0).max(1_000),
  }),
  customAttributes: z.array(customAttributeSchema).max(50).optional(),
});

export type RuleProblem = { field: string; message: string };

/** Objects and arrays nested deeper than this are refused before parsing: no stack to exhaust. */
export const MAX_RULE_DEPTH = 40;

/** Path of the first value nested deeper than `limit`, walked without recursion; undefined if none. */
function tooDeepPath(input: unknown, limit: number): string | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [
    { value: input, depth: 0, path: '' },
  ];
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop() as (typeof pending)[number];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limit) return path;
    for (const [key, child] of Object.entries(value)) {
      pending.push({ value: child, depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
    }
  }
  return undefined;
}

const FRENCH_ERRORS = z.locales.fr().localeError;

/** One problem per field; an unknown key is named in the path, where the funder looks for it. */
function problemsOfIssue(issue: z.core.$ZodIssue): RuleProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: [...path, key].join('.'),
      message: `Champ inconnu : « ${key} »`,
    }));
  }
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    const options = issue.options.map((option) => `« ${String(option)} »`).join(', ');
    return [
      { field: path.join('.'), message: `Valeur inconnue : une valeur parmi ${options} attendue` },
    ];
  }
  return [{ field: path.join('.'), message: issue.message }];
}

/**
 * The rules if they are well formed and name only known zones and categories; otherwise every
 * problem found, each with the dotted path of its field (« usage.zones.0.code ») and a message
 * in French.
 */
export function validateRuleSet(
  input: unknown,
  reference: RuleReference,
): { valid: true; rules: RuleSet } | { valid: false; problems: RuleProblem[] } {
  const deep = tooDeepPath(input, MAX_RULE_DEPTH);
  if (deep !== undefined) {
    return {
      valid: false,
      problems: [
        { field: deep, message: `Règles trop imbriquées : ${MAX_RULE_DEPTH} niveaux au plus` },
      ],
    };
  }
  const parsed = ruleSetSchema.safeParse(input, { error: FRENCH_ERRORS });
  if (!parsed.success) {
    return { valid: false, problems: parsed.error.issues.flatMap(problemsOfIssue) };
  }
  const problems = ruleProblems(parsed.data, reference);
  return problems.length === 0 ? { valid: true, rules: parsed.data } : { valid: false, problems };
}
