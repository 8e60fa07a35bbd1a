import { describe, expect, it } from 'vitest';
import { compileRules, explanationSentences, type EligibilityDecision } from './engine.js';
import type { BeneficiaryFacts } from './facts.js';
import type { AmountRule, Condition, CustomAttribute, RuleSet } from './schema.js';
import { testReference } from './test-reference.js';

const reference = testReference();
const NBSP = '\u00a0';
const NNBSP = '\u202f';

function rulesWith(
  eligibility: Condition,
  amount?: AmountRule,
  customAttributes?: CustomAttribute[],
): RuleSet {
  return {
    eligibility,
    amount: amount ?? { type: 'fixed', amountCents: 120_000, rounding: 'down' },
    usage: {},
    stacking: { priority: 1 },
    ...(customAttributes === undefined ? {} : { customAttributes }),
  };
}

function evaluate(
  rules: RuleSet,
  facts: BeneficiaryFacts,
  referenceDate = '2026-09-01',
): EligibilityDecision {
  return compileRules(rules, reference).evaluate(facts, referenceDate);
}

const UNDER_25: Condition = { type: 'age', maximumYears: 24 };

describe('éligibilité', () => {
  it('explique une condition d’âge comme dans la demande', () => {
    const decision = evaluate(rulesWith(UNDER_25), { birthDate: '2007-05-14' });
    expect(decision.eligible).toBe(true);
    expect(decision.explanation[0]).toEqual({
      kind: 'condition',
      code: 'age',
      fulfilled: true,
      data: {
        path: 'eligibility',
        birthDate: '2007-05-14',
        atDate: '2026-09-01',
        ageYears: 19,
        minimumYears: undefined,
        maximumYears: 24,
      },
      sentence: 'Vous avez 19 ans au 1er septembre 2026 : condition « moins de 25 ans » remplie.',
    });
    expect(explanationSentences(decision)).toEqual([
      'Vous avez 19 ans au 1er septembre 2026 : condition « moins de 25 ans » remplie.',
      `Montant forfaitaire : 1${NNBSP}200,00${NBSP}€.`,
      `Montant de l’aide : 1${NNBSP}200,00${NBSP}€.`,
    ]);
  });

  it('cesse d’être « moins de 25 ans » le jour des 25 ans', () => {
    const facts = { birthDate: '2001-09-01' };
    expect(evaluate(rulesWith(UNDER_25), facts, '2026-08-31').eligible).toBe(true);
    const birthday = evaluate(rulesWith(UNDER_25), facts, '2026-09-01');
    expect(birthday.eligible).toBe(false);
    expect(birthday.amountCents).toBe(0);
    expect(birthday.explanation[0]?.sentence).toBe(
      'Vous avez 25 ans au 1er septembre 2026 : condition « moins de 25 ans » non remplie.',
    );
    expect(birthday.explanation.at(-1)).toMatchObject({
      kind: 'amount',
      code: 'not_eligible',
      data: { amountCents: 0 },
    });
  });

  it('prend l’âge au 31 décembre ou à une date fixe quand les règles le disent', () => {
    const yearOf18: Condition = {
      type: 'age',
      minimumYears: 18,
      maximumYears: 18,
      at: 'end_of_reference_year',
    };
    const decision = evaluate(rulesWith(yearOf18), { birthDate: '2008-12-31' }, '2026-01-15');
    expect(decision.eligible).toBe(true);
    expect(decision.explanation[0]?.sentence).toBe(
      'Vous avez 18 ans au 31 décembre 2026 : condition « 18 ans » remplie.',
    );
    const fixed: Condition = {
      type: 'age',
      minimumYears: 3,
      maximumYears: 5,
      at: { date: '2026-09-01' },
    };
    expect(evaluate(rulesWith(fixed), { birthDate: '2023-09-01' }, '2026-01-01').eligible).toBe(
      true,
    );
    expect(
      evaluate(rulesWith(fixed), { birthDate: '2023-09-02' }, '2026-01-01').explanation[0]
        ?.sentence,
    ).toBe(
      'Vous avez 2 ans au 1er septembre 2026 : condition « de 3 ans à moins de 6 ans » non remplie.',
    );
  });

  it('ne conclut rien d’une donnée manquante, même sous « not »', () => {
    const missing = evaluate(rulesWith(UNDER_25), {});
    expect(missing.eligible).toBe(false);
    expect(missing.explanation[0]?.sentence).toBe(
      'Votre date de naissance n’est pas connue : la condition « moins de 25 ans » ne peut pas être vérifiée.',
    );
    const negated = evaluate(rulesWith({ type: 'not', condition: UNDER_25 }), {});
    expect(negated.eligible).toBe(false);
    expect(negated.explanation[0]).toMatchObject({ code: 'not', fulfilled: false });
    expect(
      evaluate(rulesWith({ type: 'not', condition: UNDER_25 }), { birthDate: '1990-01-01' })
        .eligible,
    ).toBe(true);
    const invalid = evaluate(rulesWith(UNDER_25), { birthDate: '2007-02-30' });
    expect(invalid.explanation[0]?.sentence).toMatch(/« 2007-02-30 » n’est pas valable/);
  });

  it('combine avec « all » et « any » et explique chaque condition, même après l’issue connue', () => {
    const rules = rulesWith({
      type: 'all',
      conditions: [
        { type: 'residence', zones: [{ kind: 'epci', code: '200046977' }] },
        {
          type: 'any',
          conditions: [
            { type: 'household_quotient', maximumEuros: 500 },
            { type: 'status', anyOf: ['beneficiaire_rsa', 'demandeur_emploi'] },
          ],
        },
      ],
    });
    const decision = evaluate(rules, {
      communeCode: '33063',
      householdQuotientEuros: 612.5,
      statuses: ['demandeur_emploi'],
    });
    expect(decision.eligible).toBe(false);
    expect(explanationSentences(decision).slice(0, 5)).toEqual([
      'Toutes les conditions suivantes sont exigées (1 sur 2 remplie) : ensemble non rempli.',
      'Vous résidez à Bordeaux (33063) : condition « résider dans l’intercommunalité Métropole de Lyon » non remplie.',
      'Au moins une des conditions suivantes est exigée (1 sur 2 remplie) : ensemble rempli.',
      `Votre quotient familial est de 612,50${NBSP}€ : condition « quotient familial de 500${NBSP}€ au plus » non remplie.`,
      'Vous avez déclaré le statut demandeur d’emploi : condition « bénéficiaire du RSA ou demandeur d’emploi » remplie.',
    ]);
    expect(decision.explanation.slice(0, 5).map((step) => step.data.path)).toEqual([
      'eligibility',
      'eligibility.conditions.0',
      'eligibility.conditions.1',
      'eligibility.conditions.1.conditions.0',
      'eligibility.conditions.1.conditions.1',
    ]);
    expect(
      evaluate(rules, {
        communeCode: '69266',
        householdQuotientEuros: 900,
        statuses: ['demandeur_emploi'],
      }).eligible,
    ).toBe(true);
  });

  it('reconnaît une commune par sa commune, son EPCI, son département ou sa région', () => {
    const zones = (kind: 'commune' | 'epci' | 'departement' | 'region', code: string) =>
      rulesWith({ type: 'residence', zones: [{ kind, code }] });
    expect(evaluate(zones('commune', '69123'), { communeCode: '69123' }).eligible).toBe(true);
    expect(evaluate(zones('departement', '2A'), { communeCode: '2A004' }).eligible).toBe(true);
    expect(evaluate(zones('region', '84'), { communeCode: '69266' }).eligible).toBe(true);
    expect(evaluate(zones('region', '84'), { communeCode: '44109' }).eligible).toBe(false);
    const unknown = evaluate(zones('region', '84'), { communeCode: '99999' });
    expect(unknown.explanation[0]?.sentence).toBe(
      'La commune « 99999 » est inconnue du référentiel : la condition « résider dans la région Auvergne-Rhône-Alpes » ne peut pas être vérifiée.',
    );
  });

  it('explique les enfants à charge, les statuts, le type d’organisation et les attributs déclarés', () => {
    expect(
      evaluate(rulesWith({ type: 'dependent_children', minimum: 1 }), { dependentChildren: 0 })
        .explanation[0]?.sentence,
    ).toBe(
      'Vous n’avez aucun enfant à charge : condition « au moins 1 enfant à charge » non remplie.',
    );
    expect(
      evaluate(rulesWith({ type: 'dependent_children', minimum: 2, maximum: 4 }), {
        dependentChildren: 3,
      }).explanation[0]?.sentence,
    ).toBe(
      'Vous avez 3 enfants à charge : condition « entre 2 enfants à charge et 4 enfants à charge inclus » remplie.',
    );
    expect(
      evaluate(rulesWith({ type: 'status', anyOf: ['etudiant'] }), { statuses: [] }).explanation[0]
        ?.sentence,
    ).toBe('Vous n’avez déclaré aucun statut : condition « étudiant » non remplie.');
    expect(
      evaluate(rulesWith({ type: 'organisation_kind', anyOf: ['association'] }), {
        organisationKind: 'entreprise',
      }).explanation[0]?.sentence,
    ).toBe('Votre organisation est de type entreprise : condition « association » non remplie.');
    const attributes: CustomAttribute[] = [
      { key: 'proprietaire', label: 'Propriétaire occupant', type: 'boolean' },
      { key: 'surface', label: 'Surface habitable (m²)', type: 'number' },
      { key: 'energie', label: 'Chauffage', type: 'text' },
    ];
    const custom = (condition: Condition, facts: BeneficiaryFacts) =>
      evaluate(rulesWith(condition, undefined, attributes), facts);
    expect(
      custom(
        { type: 'custom', attribute: 'proprietaire', operator: 'equals', value: true },
        { custom: { proprietaire: true } },
      ).explanation[0]?.sentence,
    ).toBe(
      'Vous avez déclaré « Propriétaire occupant » : oui ; condition « Propriétaire occupant : oui » remplie.',
    );
    expect(
      custom(
        { type: 'custom', attribute: 'surface', operator: 'at_most', value: 90 },
        { custom: { surface: 95.5 } },
      ).eligible,
    ).toBe(false);
    expect(
      custom(
        { type: 'custom', attribute: 'surface', operator: 'at_least', value: 90 },
        { custom: { surface: 95.5 } },
      ).eligible,
    ).toBe(true);
    expect(
      custom(
        { type: 'custom', attribute: 'energie', operator: 'one_of', value: ['fioul', 'gaz'] },
        { custom: { energie: 'fioul' } },
      ).eligible,
    ).toBe(true);
    expect(
      custom(
        { type: 'custom', attribute: 'energie', operator: 'not_equals', value: 'bois' },
        { custom: { energie: 'bois' } },
      ).eligible,
    ).toBe(false);
    const mistyped = custom(
      { type: 'custom', attribute: 'surface', operator: 'at_least', value: 90 },
      { custom: { surface: '95' } },
    );
    expect(mistyped.explanation[0]?.sentence).toMatch(/n’est pas valable/);
  });

  it('refuse une date de référence qui n’en est pas une', () => {
    const compiled = compileRules(rulesWith(UNDER_25), reference);
    expect(() => compiled.evaluate({}, '2026-02-30')).toThrow(/Date de référence invalide/);
    expect(() => compiled.evaluate({}, '01/09/2026')).toThrow(RangeError);
  });
});

describe('montant', () => {
  const everyone: Condition = { type: 'all', conditions: [] };
  const amountOf = (amount: AmountRule, facts: BeneficiaryFacts) =>
    evaluate(rulesWith(everyone, amount), facts);

  it('applique les tranches bornes comprises, la tranche suivante commençant juste au-dessus', () => {
    const amount: AmountRule = {
      type: 'brackets',
      attribute: 'household_quotient',
      brackets: [
        { upTo: 450, amountCents: 15_000 },
        { upTo: 700, amountCents: 10_000 },
      ],
      rounding: 'down',
    };
    expect(amountOf(amount, { householdQuotientEuros: 0 }).amountCents).toBe(15_000);
    expect(amountOf(amount, { householdQuotientEuros: 450 }).amountCents).toBe(15_000);
    expect(amountOf(amount, { householdQuotientEuros: 450.01 }).amountCents).toBe(10_000);
    const top = amountOf(amount, { householdQuotientEuros: 700 });
    expect(top.amountCents).toBe(10_000);
    expect(top.explanation[1]?.sentence).toBe(
      `Votre quotient familial (700${NBSP}€) relève de la tranche « plus de 450${NBSP}€ et jusqu’à 700${NBSP}€ inclus » : 100,00${NBSP}€.`,
    );
    const above = amountOf(amount, { householdQuotientEuros: 701 });
    expect(above.eligible).toBe(false);
    expect(above.explanation[1]).toMatchObject({
      kind: 'condition',
      code: 'amount_bracket',
      fulfilled: false,
      data: { path: 'amount' },
    });
    expect(above.explanation[1]?.sentence).toBe(
      `Votre quotient familial (701${NBSP}€) dépasse la dernière tranche du barème (« plus de 450${NBSP}€ et jusqu’à 700${NBSP}€ inclus ») : aucun montant ne peut être calculé.`,
    );
    expect(amountOf(amount, {}).explanation[1]).toMatchObject({
      code: 'amount_data',
      fulfilled: false,
    });
  });

  it('multiplie par le nombre d’enfants, base comprise, dans la limite fixée', () => {
    const amount: AmountRule = {
      type: 'per_unit',
      unit: 'dependent_child',
      baseAmountCents: 15_000,
      unitAmount: { type: 'fixed', amountCents: 5_000 },
      maximumUnits: 4,
      rounding: 'down',
    };
    const decision = amountOf(amount, { dependentChildren: 6 });
    expect(decision.amountCents).toBe(35_000);
    expect(decision.explanation[1]?.sentence).toBe(
      `Pour 6 enfants à charge, dont 4 au plus pris en compte : 150,00${NBSP}€ + 4 × 50,00${NBSP}€ = 350,00${NBSP}€.`,
    );
    const none = amountOf({ ...amount, baseAmountCents: undefined }, { dependentChildren: 0 });
    expect(none.eligible).toBe(false);
    expect(none.explanation.find((step) => step.code === 'amount_positive')?.sentence).toBe(
      'Le montant calculé est nul : aucune aide ne peut être attribuée.',
    );
  });

  it('arrondit une part de la dépense au centime comme les règles le disent', () => {
    const share = (rounding: 'down' | 'nearest' | 'up', declaredExpenseCents: number) =>
      amountOf(
        { type: 'expense_share', rate: { type: 'fixed', rateBasisPoints: 3_000 }, rounding },
        { declaredExpenseCents },
      );
    // 30 % de 1 234,57 € = 370,371 €.
    expect(share('down', 123_457).amountCents).toBe(37_037);
    expect(share('nearest', 123_457).amountCents).toBe(37_037);
    expect(share('up', 123_457).amountCents).toBe(37_038);
    // 30 % de 0,05 € = 1,5 centime : le demi-centime monte.
    expect(share('down', 5).amountCents).toBe(1);
    expect(share('nearest', 5).amountCents).toBe(2);
    expect(share('up', 5).amountCents).toBe(2);
    expect(share('up', 123_457).explanation[1]?.sentence).toBe(
      `Dépense déclarée : 1${NNBSP}234,57${NBSP}€ ; 30${NBSP}% de 1${NNBSP}234,57${NBSP}€ = 370,38${NBSP}€ (arrondi au centime supérieur).`,
    );
  });

  it('retient la dépense dans sa limite et prend le taux de la tranche', () => {
    const decision = amountOf(
      {
        type: 'expense_share',
        rate: {
          type: 'brackets',
          attribute: 'household_quotient',
          brackets: [
            { upTo: 900, rateBasisPoints: 7_000 },
            { upTo: null, rateBasisPoints: 5_000 },
          ],
        },
        maximumExpenseCents: 2_200_000,
        rounding: 'down',
      },
      { householdQuotientEuros: 1_200, declaredExpenseCents: 3_000_000 },
    );
    expect(decision.amountCents).toBe(1_100_000);
    expect(explanationSentences(decision)).toEqual([
      'Aucune condition d’éligibilité n’est exigée.',
      `Votre quotient familial (1${NNBSP}200${NBSP}€) relève de la tranche « plus de 900${NBSP}€ » : taux de 50${NBSP}%.`,
      `Dépense déclarée : 30${NNBSP}000,00${NBSP}€, retenue dans la limite de 22${NNBSP}000,00${NBSP}€ ; 50${NBSP}% de 22${NNBSP}000,00${NBSP}€ = 11${NNBSP}000,00${NBSP}€.`,
      `Montant de l’aide : 11${NNBSP}000,00${NBSP}€.`,
    ]);
  });

  it('applique la part maximale de la dépense, le plancher puis le plafond', () => {
    const amount: AmountRule = {
      type: 'fixed',
      amountCents: 1_500_000,
      expenseShareCeilingBasisPoints: 4_000,
      floorCents: 50_000,
      ceilingCents: 1_200_000,
      rounding: 'down',
    };
    const capped = amountOf(amount, { declaredExpenseCents: 2_500_000 });
    expect(capped.amountCents).toBe(1_000_000);
    expect(capped.explanation.map((step) => step.code)).toEqual([
      'all',
      'fixed',
      'expense_share_ceiling',
      'floor',
      'ceiling',
      'total',
    ]);
    expect(capped.explanation[2]?.sentence).toBe(
      `Plafond de 40${NBSP}% de la dépense déclarée (25${NNBSP}000,00${NBSP}€), soit 10${NNBSP}000,00${NBSP}€ : montant ramené à 10${NNBSP}000,00${NBSP}€.`,
    );
    expect(amountOf(amount, { declaredExpenseCents: 10_000_000 }).amountCents).toBe(1_200_000);
    const floored = amountOf(amount, { declaredExpenseCents: 100_000 });
    expect(floored.amountCents).toBe(50_000);
    expect(floored.explanation[3]?.sentence).toBe(
      `Montant minimal de 500,00${NBSP}€ : montant porté à 500,00${NBSP}€.`,
    );
    expect(amountOf(amount, {}).eligible).toBe(false);
  });

  it('lit un attribut déclaré pour les tranches et les unités', () => {
    const attributes: CustomAttribute[] = [
      { key: 'personnes', label: 'Personnes au foyer', type: 'number' },
    ];
    const decision = evaluate(
      rulesWith(
        everyone,
        {
          type: 'per_unit',
          unit: 'custom',
          customAttribute: 'personnes',
          unitAmount: {
            type: 'brackets',
            attribute: 'age',
            brackets: [
              { upTo: 25, amountCents: 2_000 },
              { upTo: null, amountCents: 1_000 },
            ],
          },
          rounding: 'down',
        },
        attributes,
      ),
      { custom: { personnes: 3 }, birthDate: '1980-01-01' },
    );
    expect(decision.amountCents).toBe(3_000);
    expect(decision.explanation[2]?.sentence).toBe(
      `Pour « Personnes au foyer » égal à 3 : 3 × 10,00${NBSP}€ = 30,00${NBSP}€.`,
    );
  });
});
