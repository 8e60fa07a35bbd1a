import { describe, expect, it } from 'vitest';
import { validateRuleSet, type RuleSet } from './schema.js';
import { testReference } from './test-reference.js';

const reference = testReference();

/** Valid rules that each test breaks in one place. */
function baseRules(): RuleSet {
  return {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'age', minimumYears: 18, maximumYears: 24 },
        { type: 'residence', zones: [{ kind: 'region', code: '84' }] },
      ],
    },
    amount: { type: 'fixed', amountCents: 30_000, rounding: 'down' },
    usage: {
      categories: { groups: ['culture'], mcc: ['5942'], naf: ['4761Z'] },
      zones: [{ kind: 'departement', code: '69' }],
      validity: { fromDate: '2026-09-01', untilDate: '2027-08-31' },
    },
    stacking: { priority: 10 },
  };
}

function problemsOf(input: unknown): { field: string; message: string }[] {
  const result = validateRuleSet(input, reference);
  return result.valid ? [] : result.problems;
}

/** The base rules with values replaced at dotted paths (« usage.zones.0.code »). */
function mutated(changes: Record<string, unknown>): unknown {
  const rules: unknown = structuredClone(baseRules());
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let target = rules as Record<string, unknown>;
    for (const key of keys) target = target[key] as Record<string, unknown>;
    target[last] = value;
  }
  return rules;
}

describe('validation des règles', () => {
  it('accepte des règles bien formées', () => {
    const result = validateRuleSet(baseRules(), reference);
    expect(result).toEqual({ valid: true, rules: baseRules() });
  });

  it.each([
    [
      'une zone inconnue',
      { 'usage.zones.0.code': '99' },
      'usage.zones.0.code',
      /aucun département de code « 99 »/,
    ],
    [
      'une zone de résidence inconnue',
      { 'eligibility.conditions.1.zones.0': { kind: 'commune', code: '99999' } },
      'eligibility.conditions.1.zones.0.code',
      /aucune commune de code « 99999 »/,
    ],
    [
      'un montant négatif',
      { 'amount.amountCents': -100 },
      'amount.amountCents',
      /strictement positif/,
    ],
    [
      'un montant en euros décimaux',
      { 'amount.amountCents': 12.5 },
      'amount.amountCents',
      /centimes entiers/,
    ],
    [
      'des dates contradictoires',
      { 'usage.validity.untilDate': '2026-08-31' },
      'usage.validity.untilDate',
      /Dates contradictoires/,
    ],
    [
      'une date qui n’existe pas',
      { 'usage.validity.fromDate': '2026-02-30' },
      'usage.validity.fromDate',
      /jour doit exister/,
    ],
    [
      'un code MCC inconnu',
      { 'usage.categories.mcc': ['5942', '9999'] },
      'usage.categories.mcc.1',
      /Code MCC inconnu : « 9999 »/,
    ],
    [
      'un code MCC mal formé',
      { 'usage.categories.mcc': ['59'] },
      'usage.categories.mcc.0',
      /4 chiffres/,
    ],
    [
      'un code NAF inconnu',
      { 'usage.categories.naf': ['99.99Z'] },
      'usage.categories.naf.0',
      /Code NAF inconnu/,
    ],
    [
      'un groupe inconnu',
      { 'usage.categories.groups': ['casino'] },
      'usage.categories.groups.0',
      /Groupe de catégories inconnu : « casino »/,
    ],
    [
      'un plafond de groupe inconnu',
      { 'usage.groupCaps': [{ group: 'jeux', maximumCents: 100 }] },
      'usage.groupCaps.0.group',
      /inconnu/,
    ],
    [
      'un âge maximal sous l’âge minimal',
      { 'eligibility.conditions.0.maximumYears': 16 },
      'eligibility.conditions.0.maximumYears',
      /inférieur au minimum/,
    ],
    [
      'un plancher au-dessus du plafond',
      { 'amount.floorCents': 500, 'amount.ceilingCents': 100 },
      'amount.ceilingCents',
      /inférieur au minimum/,
    ],
    [
      'une clé inconnue',
      { 'amount.amountCent': 5 },
      'amount.amountCent',
      /Champ inconnu : « amountCent »/,
    ],
    [
      'un type de condition inconnu',
      { 'eligibility.conditions.0': { type: 'revenu' } },
      'eligibility.conditions.0.type',
      /Valeur inconnue : une valeur parmi « all »/,
    ],
    [
      'une plage horaire vide',
      { 'usage.hours': [{ from: '20:00', until: '08:00' }] },
      'usage.hours.0.until',
      /Plage horaire vide/,
    ],
    [
      'une heure mal écrite',
      { 'usage.hours': [{ from: '8h', until: '20:00' }] },
      'usage.hours.0.from',
      /HH:MM/,
    ],
    ['un jour en double', { 'usage.weekdays': [1, 1] }, 'usage.weekdays', /double/],
    [
      'un taux au-delà de 100 %',
      { 'usage.maximumShareBasisPoints': 12_000 },
      'usage.maximumShareBasisPoints',
      /100 %/,
    ],
    [
      'un statut inconnu',
      { 'eligibility.conditions.0': { type: 'status', anyOf: ['rentier'] } },
      'eligibility.conditions.0.anyOf.0',
      /.+/,
    ],
    [
      'un « any » vide',
      { eligibility: { type: 'any', conditions: [] } },
      'eligibility.conditions',
      /au moins une condition/,
    ],
    [
      'un minimum par paiement au-dessus du maximum',
      { 'usage.perPayment': { minimumCents: 500, maximumCents: 100 } },
      'usage.perPayment.maximumCents',
      /inférieur au minimum/,
    ],
    ['une priorité négative', { 'stacking.priority': -1 }, 'stacking.priority', /.+/],
    [
      'une durée nulle',
      { 'usage.validity': { afterCrediting: { unit: 'months', count: 0 } } },
      'usage.validity.afterCrediting.count',
      /au moins 1/,
    ],
  ])('refuse %s en nommant le champ', (_label, changes, field, message) => {
    const problems = problemsOf(mutated(changes));
    const problem = problems.find((candidate) => candidate.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.message).toMatch(message);
  });

  it('refuse des tranches qui ne croissent pas ou une tranche ouverte avant la fin', () => {
    const problems = problemsOf(
      mutated({
        amount: {
          type: 'brackets',
          attribute: 'household_quotient',
          brackets: [
            { upTo: 700, amountCents: 100 },
            { upTo: 700, amountCents: 50 },
            { upTo: null, amountCents: 20 },
            { upTo: 2_000, amountCents: 10 },
          ],
          rounding: 'down',
        },
      }),
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      'amount.brackets.1.upTo',
      'amount.brackets.2.upTo',
    ]);
    expect(problems[0]?.message).toMatch(/doivent croître/);
  });

  it('exige de déclarer un attribut personnalisé avant de s’en servir, avec le bon type', () => {
    const undeclared = problemsOf(
      mutated({
        eligibility: {
          type: 'custom',
          attribute: 'proprietaire',
          operator: 'equals',
          value: true,
        },
      }),
    );
    expect(undeclared).toEqual([
      { field: 'eligibility.attribute', message: expect.stringMatching(/non déclaré/) },
    ]);
    const mistyped = problemsOf(
      mutated({
        customAttributes: [{ key: 'surface', label: 'Surface', type: 'number' }],
        eligibility: {
          type: 'custom',
          attribute: 'surface',
          operator: 'at_least',
          value: '30',
        },
      }),
    );
    expect(mistyped).toEqual([
      { field: 'eligibility.value', message: 'Valeur numérique attendue' },
    ]);
    const outsideValues = problemsOf(
      mutated({
        customAttributes: [
          { key: 'occupation', label: 'Occupation', type: 'text', values: ['locataire'] },
        ],
        eligibility: {
          type: 'custom',
          attribute: 'occupation',
          operator: 'one_of',
          value: ['locataire', 'squatteur'],
        },
      }),
    );
    expect(outsideValues[0]?.message).toMatch(/« squatteur » absente/);
    const perUnit = problemsOf(
      mutated({
        amount: {
          type: 'per_unit',
          unit: 'custom',
          customAttribute: 'personnes',
          unitAmount: { type: 'fixed', amountCents: 100 },
          rounding: 'down',
        },
      }),
    );
    expect(perUnit).toEqual([
      { field: 'amount.customAttribute', message: expect.stringMatching(/non déclaré/) },
    ]);
  });

  it('rapporte tous les problèmes à la fois, en français', () => {
    const problems = problemsOf({
      eligibility: { type: 'all', conditions: [] },
      amount: {},
      usage: {},
      stacking: {},
    });
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const problem of problems) expect(problem.message).not.toMatch(/Invalid|expected/);
  });

  it('refuse des conditions trop imbriquées sans épuiser la pile', () => {
    let eligibility: unknown = { type: 'age', minimumYears: 18 };
    for (let depth = 0; depth < 100_000; depth += 1)
      eligibility = { type: 'not', condition: eligibility };
    const problems = problemsOf({ ...baseRules(), eligibility });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toMatch(/^eligibility(\.condition)+$/);
    expect(problems[0]?.message).toMatch(/trop imbriquées/);
    let shallow: unknown = { type: 'age', minimumYears: 18 };
    for (let depth = 0; depth < 10; depth += 1) shallow = { type: 'not', condition: shallow };
    expect(validateRuleSet({ ...baseRules(), eligibility: shallow }, reference).valid).toBe(true);
  });

  it('refuse ce qui n’est pas un objet', () => {
    expect(problemsOf(null)).toEqual([{ field: '', message: expect.any(String) }]);
    expect(problemsOf('règles')[0]?.message).toMatch(/attendu/);
  });
});
