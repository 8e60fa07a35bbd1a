import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRules,
  explanationSentences,
  USAGE_REFUSALS,
  USAGE_REFUSAL_EFFECTS,
  type EnvelopeState,
  type ExplanationStep,
  type PaymentContext,
} from './engine.js';
import type { BeneficiaryFacts } from './facts.js';
import { formatCents } from './format.js';
import {
  validateRuleSet,
  MAX_AMOUNT_CENTS,
  type AmountRule,
  type Condition,
  type RuleSet,
  type UsageRules,
} from './schema.js';
import { testReference } from './test-reference.js';

// Properties over random rules, beneficiaries, envelopes and payments: the explanation never
// contradicts the decision, amounts are whole cents within their bounds, and a payment is never
// covered beyond the payment, the balance or a cap.

const reference = testReference();
const NUM_RUNS = Number(process.env.FLECHAGE_PROPERTY_RUNS ?? 300);
const COMMUNES = ['69123', '69266', '33063', '44109', '59350', '2A004', '97411', '99999'];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

function ordered(arbitrary: fc.Arbitrary<number>) {
  return fc
    .tuple(optional(arbitrary), optional(arbitrary))
    .map(([first, second]) =>
      first !== undefined && second !== undefined && second < first
        ? [second, first]
        : [first, second],
    );
}

const leafCondition: fc.Arbitrary<Condition> = fc.oneof(
  ordered(fc.integer({ min: 0, max: 100 })).map(([minimumYears, maximumYears]) => ({
    type: 'age' as const,
    minimumYears,
    maximumYears,
  })),
  fc.constantFrom<Condition>(
    { type: 'residence', zones: [{ kind: 'region', code: '84' }] },
    {
      type: 'residence',
      zones: [
        { kind: 'epci', code: '244400404' },
        { kind: 'departement', code: '2A' },
      ],
    },
    { type: 'residence', zones: [{ kind: 'commune', code: '33063' }] },
    { type: 'status', anyOf: ['etudiant', 'apprenti'] },
    { type: 'organisation_kind', anyOf: ['association'] },
    { type: 'age', minimumYears: 18, maximumYears: 18, at: 'end_of_reference_year' },
  ),
  ordered(fc.integer({ min: 0, max: 2_000 })).map(([minimumEuros, maximumEuros]) => ({
    type: 'household_quotient' as const,
    minimumEuros,
    maximumEuros,
  })),
  ordered(fc.integer({ min: 0, max: 6 })).map(([minimum, maximum]) => ({
    type: 'dependent_children' as const,
    minimum,
    maximum,
  })),
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafCondition,
    fc.record({
      type: fc.constant('all' as const),
      conditions: fc.array(tie('node'), { maxLength: 4 }),
    }),
    fc.record({
      type: fc.constant('any' as const),
      conditions: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ type: fc.constant('not' as const), condition: tie('node') }),
  ),
})).node;

const increasingBounds = fc
  .uniqueArray(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 5 })
  .map((bounds) => bounds.sort((left, right) => left - right));
const openEnded = fc.boolean();
const cents = fc.integer({ min: 0, max: 500_000 });

const formula: fc.Arbitrary<Omit<AmountRule, 'rounding'>> = fc.oneof(
  fc
    .integer({ min: 1, max: 500_000 })
    .map((amountCents) => ({ type: 'fixed' as const, amountCents })),
  fc
    .tuple(increasingBounds, openEnded, fc.array(cents, { minLength: 5, maxLength: 5 }))
    .map(([bounds, open, amounts]) => ({
      type: 'brackets' as const,
      attribute: 'household_quotient' as const,
      brackets: bounds.map((upTo, index) => ({
        upTo: open && index === bounds.length - 1 ? null : upTo,
        amountCents: amounts[index] as number,
      })),
    })),
  fc.record({
    type: fc.constant('per_unit' as const),
    unit: fc.constant('dependent_child' as const),
    baseAmountCents: optional(cents),
    unitAmount: fc
      .integer({ min: 1, max: 50_000 })
      .map((amountCents) => ({ type: 'fixed' as const, amountCents })),
    maximumUnits: optional(fc.integer({ min: 1, max: 6 })),
  }),
  fc.record({
    type: fc.constant('expense_share' as const),
    rate: fc.oneof(
      fc
        .integer({ min: 0, max: 10_000 })
        .map((rateBasisPoints) => ({ type: 'fixed' as const, rateBasisPoints })),
      fc
        .tuple(
          increasingBounds,
          fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 5, maxLength: 5 }),
        )
        .map(([bounds, rates]) => ({
          type: 'brackets' as const,
          attribute: 'age' as const,
          brackets: bounds
            .map((upTo, index) => ({
              upTo: Math.min(upTo, 130),
              rateBasisPoints: rates[index] as number,
            }))
            .filter(
              (bracket, index, all) =>
                index === 0 || bracket.upTo > (all[index - 1] as { upTo: number }).upTo,
            ),
        })),
    ),
    maximumExpenseCents: optional(fc.integer({ min: 1, max: 10_000_000 })),
  }),
);

const amountRule: fc.Arbitrary<AmountRule> = fc
  .record({
    formula,
    rounding: fc.constantFrom('down' as const, 'nearest' as const, 'up' as const),
    limits: ordered(fc.integer({ min: 1, max: 600_000 })),
    share: optional(fc.integer({ min: 1, max: 10_000 })),
  })
  .map(
    ({ formula: base, rounding, limits: [floorCents, ceilingCents], share }) =>
      ({
        ...base,
        rounding,
        floorCents,
        ceilingCents,
        expenseShareCeilingBasisPoints: share,
      }) as AmountRule,
  );

const date = fc
  .date({
    min: new Date('1930-01-01T00:00:00Z'),
    max: new Date('2040-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((value) => value.toISOString().slice(0, 10));

const facts: fc.Arbitrary<BeneficiaryFacts> = fc.record(
  {
    birthDate: fc.oneof(date, fc.constantFrom('2008-02-29', '2007-02-30', 'inconnue')),
    communeCode: fc.constantFrom(...COMMUNES),
    householdQuotientEuros: fc.oneof(
      fc.integer({ min: 0, max: 2_500 }),
      fc.double({ min: -10, max: 2_500, noNaN: false }),
    ),
    dependentChildren: fc.oneof(
      fc.integer({ min: 0, max: 8 }),
      fc.constantFrom(-1, 1.5, Number.NaN),
    ),
    statuses: fc.subarray(['etudiant', 'apprenti', 'retraite', 'inconnu']),
    organisationKind: fc.constantFrom('association', 'entreprise'),
    declaredExpenseCents: fc.oneof(
      fc.integer({ min: 0, max: 20_000_000 }),
      fc.constantFrom(-5, 10.5, MAX_AMOUNT_CENTS + 1),
    ),
  },
  { requiredKeys: [] },
);

function rulesOf(eligibility: Condition, amount: AmountRule, usage: UsageRules = {}): RuleSet {
  return { eligibility, amount, usage, stacking: { priority: 0 } };
}

type Node = { step: ExplanationStep; children: Node[] };

/** The tree of condition steps, rebuilt from their paths alone. */
function treeOf(steps: readonly ExplanationStep[]): Node | undefined {
  const byPath = new Map<string, Node>();
  let root: Node | undefined;
  for (const step of steps) {
    const path = step.data.path;
    if (step.kind !== 'condition' || typeof path !== 'string' || !path.startsWith('eligibility'))
      continue;
    const node: Node = { step, children: [] };
    byPath.set(path, node);
    if (path === 'eligibility') root = node;
    else byPath.get(path.replace(/\.(conditions\.\d+|condition)$/, ''))?.children.push(node);
  }
  return root;
}

/** Three-valued outcome recomputed from the leaves: true, false or null when unverifiable. */
function outcomeOf(node: Node): boolean | null {
  const { step, children } = node;
  if (step.code === 'all' || step.code === 'any' || step.code === 'not') {
    const outcomes = children.map(outcomeOf);
    if (step.code === 'not')
      return outcomes[0] === null || outcomes[0] === undefined ? null : !outcomes[0];
    const decisive = step.code === 'any';
    if (outcomes.includes(decisive)) return decisive;
    return outcomes.includes(null) ? null : !decisive;
  }
  return step.data.unverifiable === true ? null : (step.fulfilled as boolean);
}

function countNodes(node: Node): number {
  return 1 + node.children.reduce((sum, child) => sum + countNodes(child), 0);
}

describe('propriétés de l’éligibilité et du montant', () => {
  it('les règles générées sont valables', () => {
    fc.assert(
      fc.property(condition, amountRule, (eligibility, amount) => {
        const result = validateRuleSet(rulesOf(eligibility, amount), reference);
        expect(result.valid ? [] : result.problems).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('l’explication et la décision s’accordent toujours', () => {
    fc.assert(
      fc.property(
        condition,
        amountRule,
        facts,
        date,
        (eligibility, amount, beneficiary, referenceDate) => {
          const decision = compileRules(rulesOf(eligibility, amount), reference).evaluate(
            beneficiary,
            referenceDate,
          );
          const tree = treeOf(decision.explanation);
          expect(tree).toBeDefined();
          const root = tree as Node;
          const conditionSteps = decision.explanation.filter((step) => step.kind === 'condition');
          const amountConditions = conditionSteps.filter((step) => step.data.path === 'amount');
          // Every condition of the rules is explained once, in the order of the rules.
          expect(countNodes(root) + amountConditions.length).toBe(conditionSteps.length);
          const walk = (node: Node): void => {
            const recomputed = outcomeOf(node);
            expect(node.step.fulfilled).toBe(recomputed === true);
            expect(node.step.data.unverifiable === true).toBe(recomputed === null);
            if (node.step.code === 'all' || node.step.code === 'any')
              expect(node.children).toHaveLength(node.step.data.total as number);
            else if (node.step.code !== 'not')
              expect(node.step.sentence).toMatch(
                node.step.fulfilled
                  ? /» remplie\.$/
                  : /» non remplie\.$|ne peut pas être vérifiée\.$/,
              );
            node.children.forEach(walk);
          };
          walk(root);
          expect(decision.eligible).toBe(
            root.step.fulfilled === true && amountConditions.every((step) => step.fulfilled),
          );
          const last = decision.explanation.at(-1) as ExplanationStep;
          expect(last.kind).toBe('amount');
          expect(last.data.amountCents).toBe(decision.amountCents);
          expect(last.code).toBe(decision.eligible ? 'total' : 'not_eligible');
          if (decision.eligible) expect(last.sentence).toContain(formatCents(decision.amountCents));
          expect(explanationSentences(decision)).toEqual(
            decision.explanation.map((step) => step.sentence),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('les montants sont des centimes entiers entre plancher et plafond', () => {
    fc.assert(
      fc.property(
        condition,
        amountRule,
        facts,
        date,
        (eligibility, amount, beneficiary, referenceDate) => {
          const compiled = compileRules(
            rulesOf({ type: 'all', conditions: [] }, amount),
            reference,
          );
          const decision = compiled.evaluate(beneficiary, referenceDate);
          expect(Number.isSafeInteger(decision.amountCents)).toBe(true);
          if (!decision.eligible) {
            expect(decision.amountCents).toBe(0);
            return;
          }
          expect(decision.amountCents).toBeGreaterThanOrEqual(Math.max(1, amount.floorCents ?? 1));
          expect(decision.amountCents).toBeLessThanOrEqual(amount.ceilingCents ?? MAX_AMOUNT_CENTS);
          for (const step of decision.explanation) {
            if (step.kind === 'amount' && step.data.amountCents !== undefined)
              expect(Number.isSafeInteger(step.data.amountCents)).toBe(true);
          }
          expect(compiled.evaluate(beneficiary, referenceDate)).toEqual(decision);
          expect(
            compileRules(rulesOf(eligibility, amount), reference).evaluate(
              beneficiary,
              referenceDate,
            ).amountCents,
          ).toBeOneOf([0, decision.amountCents]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

const usageRules: fc.Arbitrary<UsageRules> = fc.record(
  {
    categories: fc.constantFrom(
      { groups: ['culture'] },
      { mcc: ['5411'], naf: ['01.13Z'] },
      { groups: ['culture', 'biens_numeriques'] },
    ),
    merchantIds: fc.constant(['m-1']),
    zones: fc.constantFrom(
      [{ kind: 'region' as const, code: '84' }],
      [{ kind: 'radius' as const, latitude: 45.76, longitude: 4.84, radiusKilometres: 50 }],
    ),
    validity: fc.constantFrom(
      { untilDate: '2026-12-31' },
      { afterCrediting: { unit: 'months' as const, count: 2 } },
      { fromDate: '2026-10-01' },
    ),
    perPayment: ordered(fc.integer({ min: 1, max: 10_000 })).map(
      ([minimumCents, maximumCents]) => ({ minimumCents, maximumCents }),
    ),
    caps: fc.record(
      {
        dailyCents: fc.integer({ min: 1, max: 10_000 }),
        weeklyCents: fc.integer({ min: 1, max: 20_000 }),
        monthlyCents: fc.integer({ min: 1, max: 30_000 }),
        lifetimeCents: fc.integer({ min: 1, max: 50_000 }),
      },
      { requiredKeys: [] },
    ),
    groupCaps: fc.constant([{ group: 'biens_numeriques', maximumCents: 10_000 }]),
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    hours: fc.constantFrom(
      [{ from: '08:00', until: '20:00' }],
      [{ from: '00:00', until: '24:00' }],
    ),
    productCategories: fc.constant(['livres', 'biens_numeriques']),
    maximumShareBasisPoints: fc.integer({ min: 1, max: 10_000 }),
  },
  { requiredKeys: [] },
);

const spent = fc.integer({ min: 0, max: 60_000 });
const envelopes: fc.Arbitrary<EnvelopeState> = fc.record({
  creditedAt: fc.constantFrom('2026-09-01T08:00:00Z', '2026-10-31T23:30:00Z'),
  balanceCents: fc.integer({ min: -100, max: 40_000 }),
  spentTodayCents: spent,
  spentThisWeekCents: spent,
  spentThisMonthCents: spent,
  spentLifetimeCents: spent,
  spentByGroupCents: fc.record({ biens_numeriques: spent }, { requiredKeys: [] }),
});

const payments: fc.Arbitrary<PaymentContext> = fc.record(
  {
    amountCents: fc.integer({ min: 1, max: 20_000 }),
    at: fc
      .date({
        min: new Date('2026-08-01T00:00:00Z'),
        max: new Date('2027-02-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((value) => value.toISOString()),
    merchant: fc.record({
      id: fc.constantFrom('m-1', 'm-2'),
      mcc: fc.constantFrom('5942', '5411', '5816', null),
      naf: fc.constantFrom('47.61Z', '01.13Z', null),
      communeCode: fc.constantFrom('69123', '33063', null),
      latitude: fc.constantFrom(45.8, null),
      longitude: fc.constantFrom(4.9, null),
    }),
    items: fc.array(
      fc.record({
        productCategory: fc.constantFrom('livres', 'biens_numeriques', 'papeterie'),
        amountCents: fc.integer({ min: 1, max: 10_000 }),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['amountCents', 'at', 'merchant'] },
);

describe('propriétés du contrôle d’usage', () => {
  it('ne couvre jamais plus que le paiement, le solde, les plafonds et la part permise', () => {
    fc.assert(
      fc.property(usageRules, envelopes, payments, (usage, envelope, payment) => {
        expect(
          validateRuleSet(
            rulesOf(
              { type: 'all', conditions: [] },
              { type: 'fixed', amountCents: 100, rounding: 'down' },
              usage,
            ),
            reference,
          ).valid,
        ).toBe(true);
        const decision = compileRules(
          rulesOf(
            { type: 'all', conditions: [] },
            { type: 'fixed', amountCents: 100, rounding: 'down' },
            usage,
          ),
          reference,
        ).checkUsage(envelope, payment);
        const { coverableCents, refusals } = decision;
        expect(Number.isSafeInteger(coverableCents)).toBe(true);
        expect(decision.allowed).toBe(coverableCents > 0);
        const bounds = [payment.amountCents, Math.max(0, envelope.balanceCents)];
        if (usage.perPayment?.maximumCents !== undefined)
          bounds.push(usage.perPayment.maximumCents);
        if (usage.maximumShareBasisPoints !== undefined)
          bounds.push(Math.floor((payment.amountCents * usage.maximumShareBasisPoints) / 10_000));
        const caps = usage.caps ?? {};
        if (caps.dailyCents !== undefined)
          bounds.push(Math.max(0, caps.dailyCents - envelope.spentTodayCents));
        if (caps.weeklyCents !== undefined)
          bounds.push(Math.max(0, caps.weeklyCents - envelope.spentThisWeekCents));
        if (caps.monthlyCents !== undefined)
          bounds.push(Math.max(0, caps.monthlyCents - envelope.spentThisMonthCents));
        if (caps.lifetimeCents !== undefined)
          bounds.push(Math.max(0, caps.lifetimeCents - envelope.spentLifetimeCents));
        const digitalCap = usage.groupCaps?.[0];
        if (digitalCap !== undefined) {
          const remaining = Math.max(
            0,
            digitalCap.maximumCents - (envelope.spentByGroupCents.biens_numeriques ?? 0),
          );
          const items = payment.items ?? [];
          if (
            items.length === 0 &&
            reference.groupsOfMerchant(payment.merchant).includes(digitalCap.group)
          )
            bounds.push(remaining);
          const digitalLines = items
            .filter((item) => item.productCategory === digitalCap.group)
            .reduce((sum, item) => sum + item.amountCents, 0);
          if (items.length > 0)
            bounds.push(Math.max(0, payment.amountCents - Math.max(0, digitalLines - remaining)));
        }
        expect(coverableCents).toBeGreaterThanOrEqual(0);
        expect(coverableCents).toBeLessThanOrEqual(Math.min(...bounds));
        if (coverableCents < payment.amountCents) expect(refusals.length).toBeGreaterThan(0);
        if (refusals.some((refusal) => USAGE_REFUSAL_EFFECTS[refusal.code] === 'blocking'))
          expect(coverableCents).toBe(0);
        expect(new Set(refusals.map((refusal) => refusal.code)).size).toBe(refusals.length);
        for (const refusal of refusals) expect(refusal.message).toBe(USAGE_REFUSALS[refusal.code]);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
