import { describe, expect, it } from 'vitest';
import {
  compileRules,
  envelopeValidUntil,
  explanationSentences,
  type CompiledRules,
  type EnvelopeState,
  type PaymentContext,
} from './rules/engine.js';
import type { BeneficiaryFacts } from './rules/facts.js';
import { platformRuleReference } from './rules/reference.js';
import { validateRuleSet, type RuleSet } from './rules/schema.js';
import { PROGRAMME_TEMPLATES, type ProgrammeTemplate } from './templates.js';

// Golden cases for each template, computed by hand, against the platform's reference data:
// the boundaries (birthdays, bracket edges, last valid day, summer-time changes) included.

const reference = platformRuleReference();
const NBSP = '\u00a0';
const NNBSP = '\u202f';

function template(id: string): ProgrammeTemplate {
  const found = PROGRAMME_TEMPLATES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`modèle ${id} absent`);
  return found;
}

const compiledById = new Map<string, CompiledRules>();
function compiled(id: string): CompiledRules {
  let rules = compiledById.get(id);
  if (rules === undefined) {
    rules = compileRules(template(id).rules, reference);
    compiledById.set(id, rules);
  }
  return rules;
}

function amountOf(id: string, facts: BeneficiaryFacts, referenceDate = '2026-09-01'): number {
  const decision = compiled(id).evaluate(facts, referenceDate);
  expect(decision.amountCents === 0).toBe(!decision.eligible);
  return decision.amountCents;
}

function envelope(overrides: Partial<EnvelopeState> = {}): EnvelopeState {
  return {
    creditedAt: '2026-09-01T08:00:00Z',
    balanceCents: 100_000_000,
    spentTodayCents: 0,
    spentThisWeekCents: 0,
    spentThisMonthCents: 0,
    spentLifetimeCents: 0,
    spentByGroupCents: {},
    ...overrides,
  };
}

function payment(
  amountCents: number,
  at: string,
  merchant: Partial<PaymentContext['merchant']>,
  items?: PaymentContext['items'],
): PaymentContext {
  return {
    amountCents,
    at,
    merchant: {
      id: 'commerce',
      mcc: null,
      naf: null,
      communeCode: null,
      latitude: null,
      longitude: null,
      ...merchant,
    },
    ...(items === undefined ? {} : { items }),
  };
}

function checkUsage(
  id: string,
  paymentContext: PaymentContext,
  envelopeState = envelope(),
): { coverableCents: number; codes: string[] } {
  const decision = compiled(id).checkUsage(envelopeState, paymentContext);
  expect(decision.allowed).toBe(decision.coverableCents > 0);
  return {
    coverableCents: decision.coverableCents,
    codes: decision.refusals.map((refusal) => refusal.code),
  };
}

describe('modèles de dispositifs', () => {
  it('offre sept modèles aux identifiants distincts, valables avec le référentiel de la plateforme', () => {
    expect(PROGRAMME_TEMPLATES).toHaveLength(7);
    expect(new Set(PROGRAMME_TEMPLATES.map((candidate) => candidate.id)).size).toBe(7);
    for (const candidate of PROGRAMME_TEMPLATES) {
      const result = validateRuleSet(candidate.rules, reference);
      expect(result.valid ? [] : result.problems, candidate.id).toEqual([]);
      expect(candidate.name.length).toBeGreaterThan(5);
      expect(candidate.description.length).toBeGreaterThan(40);
      // Rules travel as JSON: nothing in them is lost on the way.
      expect(JSON.parse(JSON.stringify(candidate.rules)) as RuleSet).toEqual(candidate.rules);
    }
  });

  it('rend chaque exemple de bénéficiaire éligible, explication à l’appui', () => {
    for (const candidate of PROGRAMME_TEMPLATES) {
      const decision = compiled(candidate.id).evaluate(candidate.sampleFacts, '2026-09-01');
      expect(
        decision.eligible,
        `${candidate.id} : ${explanationSentences(decision).join(' ')}`,
      ).toBe(true);
      expect(explanationSentences(decision).at(-1)).toMatch(/^Montant de l’aide : .+\u00a0€\.$/);
    }
  });
});

describe('aide au permis de conduire', () => {
  const id = 'permis-conduire-jeunes';
  const lille = { communeCode: '59350' };

  it('vaut 1 200 € de 17 ans à la veille des 25 ans, dans la région', () => {
    expect(amountOf(id, { ...lille, birthDate: '2001-09-01' }, '2026-08-31')).toBe(120_000);
    expect(amountOf(id, { ...lille, birthDate: '2001-09-01' }, '2026-09-01')).toBe(0);
    expect(amountOf(id, { ...lille, birthDate: '2009-09-02' }, '2026-09-01')).toBe(0);
    expect(amountOf(id, { ...lille, birthDate: '2009-09-02' }, '2026-09-02')).toBe(120_000);
    expect(amountOf(id, { communeCode: '33063', birthDate: '2005-01-01' })).toBe(0);
    const decision = compiled(id).evaluate({ ...lille, birthDate: '2001-09-01' }, '2026-09-01');
    expect(explanationSentences(decision)).toContain(
      'Vous avez 25 ans au 1er septembre 2026 : condition « moins de 25 ans » non remplie.',
    );
  });

  it('paie les auto-écoles de la région pendant 12 mois', () => {
    const at = '2027-03-15T10:00:00Z';
    expect(checkUsage(id, payment(80_000, at, { naf: '85.53Z', communeCode: '59183' }))).toEqual({
      coverableCents: 80_000,
      codes: [],
    });
    expect(
      checkUsage(id, payment(80_000, at, { mcc: '8299', communeCode: '59350' })).codes,
    ).toEqual([]);
    expect(
      checkUsage(id, payment(80_000, at, { mcc: '8299', naf: '85.59A', communeCode: '59350' }))
        .codes,
    ).toEqual(['merchant_category_not_allowed']);
    expect(
      checkUsage(id, payment(80_000, at, { naf: '85.53Z', communeCode: '33063' })).codes,
    ).toEqual(['merchant_outside_zone']);
    expect(envelopeValidUntil(template(id).rules, '2026-09-01T08:00:00Z')).toBe(
      '2027-08-31T22:00:00.000Z',
    );
    expect(
      checkUsage(
        id,
        payment(1_000, '2027-08-31T21:59:59Z', { naf: '85.53Z', communeCode: '59350' }),
      ).codes,
    ).toEqual([]);
    expect(
      checkUsage(
        id,
        payment(1_000, '2027-08-31T22:00:00Z', { naf: '85.53Z', communeCode: '59350' }),
      ).codes,
    ).toEqual(['envelope_expired']);
  });
});

describe('adaptation du logement des seniors', () => {
  const id = 'adaptation-logement-seniors';
  const senior = {
    birthDate: '1950-03-02',
    communeCode: '35238',
    declaredExpenseCents: 840_000,
    custom: { perte_autonomie: false, occupation: 'propriétaire occupant' },
  };

  it('prend 70 % jusqu’à 900 € de quotient familial inclus, 50 % jusqu’à 1 400 €', () => {
    expect(amountOf(id, { ...senior, householdQuotientEuros: 850 })).toBe(588_000);
    expect(amountOf(id, { ...senior, householdQuotientEuros: 900 })).toBe(588_000);
    expect(amountOf(id, { ...senior, householdQuotientEuros: 900.5 })).toBe(420_000);
    expect(amountOf(id, { ...senior, householdQuotientEuros: 1_400 })).toBe(420_000);
    expect(amountOf(id, { ...senior, householdQuotientEuros: 1_400.01 })).toBe(0);
  });

  it('retient 22 000 € de travaux au plus et arrondit au centime inférieur', () => {
    expect(
      amountOf(id, { ...senior, householdQuotientEuros: 500, declaredExpenseCents: 3_000_000 }),
    ).toBe(1_540_000);
    // 70 % de 1 234,57 € = 864,199 €.
    expect(
      amountOf(id, { ...senior, householdQuotientEuros: 500, declaredExpenseCents: 123_457 }),
    ).toBe(86_419);
  });

  it('admet dès 60 ans en cas de perte d’autonomie, et exige d’occuper le logement', () => {
    const sixtyFive = { ...senior, birthDate: '1961-06-01', householdQuotientEuros: 800 };
    expect(amountOf(id, sixtyFive)).toBe(0);
    expect(
      amountOf(id, { ...sixtyFive, custom: { perte_autonomie: true, occupation: 'locataire' } }),
    ).toBe(588_000);
    expect(
      amountOf(id, {
        ...senior,
        householdQuotientEuros: 800,
        custom: { perte_autonomie: false, occupation: 'hébergé à titre gratuit' },
      }),
    ).toBe(0);
    expect(
      amountOf(
        id,
        { ...senior, birthDate: '1956-09-02', householdQuotientEuros: 800 },
        '2026-09-01',
      ),
    ).toBe(0);
    expect(
      amountOf(
        id,
        { ...senior, birthDate: '1956-09-01', householdQuotientEuros: 800 },
        '2026-09-01',
      ),
    ).toBe(588_000);
  });

  it('paie les artisans de l’adaptation du logement, 50 € au moins par paiement', () => {
    const at = '2027-01-10T10:00:00Z';
    expect(checkUsage(id, payment(250_000, at, { mcc: '5211' })).codes).toEqual([]);
    expect(checkUsage(id, payment(4_999, at, { mcc: '5211' })).codes).toEqual([
      'amount_below_minimum',
    ]);
    expect(checkUsage(id, payment(10_000, at, { mcc: '5411', naf: '47.11D' })).codes).toEqual([
      'merchant_category_not_allowed',
    ]);
  });
});

describe('allocation de rentrée scolaire', () => {
  const id = 'allocation-rentree-scolaire';
  const bordeaux = { communeCode: '33063', dependentChildren: 2 };

  it('donne par enfant le montant de la tranche, bornes comprises, six enfants au plus', () => {
    expect(amountOf(id, { ...bordeaux, householdQuotientEuros: 450 })).toBe(30_000);
    expect(amountOf(id, { ...bordeaux, householdQuotientEuros: 450.5 })).toBe(20_000);
    expect(amountOf(id, { ...bordeaux, householdQuotientEuros: 1_000 })).toBe(12_000);
    expect(amountOf(id, { ...bordeaux, householdQuotientEuros: 1_000.5 })).toBe(0);
    expect(amountOf(id, { ...bordeaux, dependentChildren: 7, householdQuotientEuros: 300 })).toBe(
      90_000,
    );
    expect(amountOf(id, { ...bordeaux, dependentChildren: 0, householdQuotientEuros: 300 })).toBe(
      0,
    );
    expect(amountOf(id, { ...bordeaux, communeCode: '44109', householdQuotientEuros: 300 })).toBe(
      0,
    );
    const decision = compiled(id).evaluate(
      { ...bordeaux, householdQuotientEuros: 612 },
      '2026-09-01',
    );
    expect(explanationSentences(decision).slice(-3)).toEqual([
      `Votre quotient familial (612${NBSP}€) relève de la tranche « plus de 450${NBSP}€ et jusqu’à 700${NBSP}€ inclus » : 100,00${NBSP}€.`,
      `Pour 2 enfants à charge : 2 × 100,00${NBSP}€ = 200,00${NBSP}€.`,
      `Montant de l’aide : 200,00${NBSP}€.`,
    ]);
  });

  it('vaut du 15 août au 31 octobre inclus, heure de Paris, dans le département', () => {
    const shop = { mcc: '5641', communeCode: '33281' };
    expect(checkUsage(id, payment(5_000, '2026-08-14T21:59:59Z', shop)).codes).toEqual([
      'envelope_not_yet_valid',
    ]);
    expect(checkUsage(id, payment(5_000, '2026-08-14T22:00:00Z', shop)).codes).toEqual([]);
    expect(checkUsage(id, payment(5_000, '2026-10-31T22:59:59Z', shop)).codes).toEqual([]);
    expect(checkUsage(id, payment(5_000, '2026-10-31T23:00:00Z', shop)).codes).toEqual([
      'envelope_expired',
    ]);
    expect(
      checkUsage(
        id,
        payment(5_000, '2026-09-10T10:00:00Z', { naf: '47.62Z', communeCode: '33063' }),
      ).codes,
    ).toEqual([]);
    expect(
      checkUsage(id, payment(5_000, '2026-09-10T10:00:00Z', { ...shop, communeCode: '44109' }))
        .codes,
    ).toEqual(['merchant_outside_zone']);
  });
});

describe('mise en conformité énergétique', () => {
  const id = 'conformite-energetique-batiments';
  const association = {
    organisationKind: 'association',
    communeCode: '44109',
    custom: { surface_m2: 1_450 },
  };

  it('verse 15 000 € au plus, et jamais plus de 40 % de la facture', () => {
    expect(amountOf(id, { ...association, declaredExpenseCents: 2_500_000 })).toBe(1_000_000);
    expect(amountOf(id, { ...association, declaredExpenseCents: 3_750_000 })).toBe(1_500_000);
    expect(amountOf(id, { ...association, declaredExpenseCents: 5_000_000 })).toBe(1_500_000);
    expect(amountOf(id, { ...association, declaredExpenseCents: 3_333 })).toBe(1_333);
    expect(amountOf(id, association)).toBe(0);
    const decision = compiled(id).evaluate(
      { ...association, declaredExpenseCents: 2_500_000 },
      '2026-09-01',
    );
    expect(explanationSentences(decision)).toContain(
      `Plafond de 40${NBSP}% de la dépense déclarée (25${NNBSP}000,00${NBSP}€), soit 10${NNBSP}000,00${NBSP}€ : montant ramené à 10${NNBSP}000,00${NBSP}€.`,
    );
  });

  it('réserve l’aide aux bâtiments de 1 000 m² et plus des organisations admises de la région', () => {
    const facts = { ...association, declaredExpenseCents: 2_500_000 };
    expect(amountOf(id, { ...facts, custom: { surface_m2: 1_000 } })).toBe(1_000_000);
    expect(amountOf(id, { ...facts, custom: { surface_m2: 999 } })).toBe(0);
    expect(amountOf(id, { ...facts, organisationKind: 'collectivite' })).toBe(0);
    expect(amountOf(id, { ...facts, communeCode: '69123' })).toBe(0);
  });

  it('couvre 40 % de chaque facture de travaux, 100 € au moins', () => {
    const installer = { naf: '43.22B', communeCode: '44109' };
    expect(checkUsage(id, payment(1_200_000, '2027-02-01T10:00:00Z', installer))).toEqual({
      coverableCents: 480_000,
      codes: ['maximum_share_exceeded'],
    });
    expect(checkUsage(id, payment(9_999, '2027-02-01T10:00:00Z', installer)).codes).toEqual([
      'amount_below_minimum',
    ]);
  });
});

describe('pass culture', () => {
  const id = 'pass-culture-jeunes';

  it('vaut 300 € l’année des 18 ans, de l’anniversaire à la veille des 19 ans', () => {
    expect(amountOf(id, { birthDate: '2008-09-01' }, '2026-09-01')).toBe(30_000);
    expect(amountOf(id, { birthDate: '2008-09-02' }, '2026-09-01')).toBe(0);
    expect(amountOf(id, { birthDate: '2007-09-01' }, '2026-09-01')).toBe(0);
    expect(amountOf(id, { birthDate: '2007-09-02' }, '2026-09-01')).toBe(30_000);
  });

  it('fait avoir 18 ans le 1er mars aux personnes nées un 29 février', () => {
    expect(amountOf(id, { birthDate: '2008-02-29' }, '2026-02-28')).toBe(0);
    expect(amountOf(id, { birthDate: '2008-02-29' }, '2026-03-01')).toBe(30_000);
  });

  it('plafonne les biens numériques à 100 €, chez le commerçant ou sur la ligne du panier', () => {
    const at = '2027-05-01T10:00:00Z';
    expect(checkUsage(id, payment(2_500, at, { mcc: '7832', naf: '59.14Z' }))).toEqual({
      coverableCents: 2_500,
      codes: [],
    });
    const spent = envelope({ spentByGroupCents: { biens_numeriques: 9_000 } });
    expect(checkUsage(id, payment(3_000, at, { mcc: '5816', naf: '58.21Z' }), spent)).toEqual({
      coverableCents: 1_000,
      codes: ['group_cap_reached'],
    });
    const basket = [
      { productCategory: 'livres', amountCents: 2_000 },
      { productCategory: 'biens_numeriques', amountCents: 3_000 },
    ];
    expect(
      checkUsage(id, payment(5_000, at, { mcc: '5942', naf: '47.61Z' }, basket), spent),
    ).toEqual({
      coverableCents: 3_000,
      codes: ['group_cap_reached'],
    });
    expect(checkUsage(id, payment(2_000, at, { mcc: '5411', naf: '47.11D' })).codes).toEqual([
      'merchant_category_not_allowed',
    ]);
  });

  it('reste valable 24 mois, jusqu’au dernier jour inclus', () => {
    expect(envelopeValidUntil(template(id).rules, '2026-09-01T08:00:00Z')).toBe(
      '2028-08-31T22:00:00.000Z',
    );
    expect(checkUsage(id, payment(1_000, '2028-08-31T21:59:59Z', { mcc: '7832' })).codes).toEqual(
      [],
    );
    expect(checkUsage(id, payment(1_000, '2028-08-31T22:00:00Z', { mcc: '7832' })).codes).toEqual([
      'envelope_expired',
    ]);
  });
});

describe('chèque circuits courts', () => {
  const id = 'circuits-courts-territoire';
  const farm = { naf: '01.13Z', communeCode: '44143' };

  it('est réservé aux habitants de la métropole', () => {
    expect(amountOf(id, { communeCode: '44143' })).toBe(6_000);
    expect(amountOf(id, { communeCode: '49007' })).toBe(0);
  });

  it('couvre la moitié de l’achat, 20 € par achat et 30 € par mois au plus, chez les producteurs du territoire', () => {
    const saturday = '2026-10-24T08:00:00Z';
    expect(checkUsage(id, payment(3_000, saturday, farm))).toEqual({
      coverableCents: 1_500,
      codes: ['maximum_share_exceeded', 'amount_above_maximum'],
    });
    expect(checkUsage(id, payment(1_000, saturday, farm))).toEqual({
      coverableCents: 500,
      codes: ['maximum_share_exceeded'],
    });
    expect(checkUsage(id, payment(5_000, saturday, farm))).toEqual({
      coverableCents: 2_000,
      codes: ['maximum_share_exceeded', 'amount_above_maximum', 'monthly_cap_reached'],
    });
    expect(
      checkUsage(id, payment(3_000, saturday, farm), envelope({ spentThisMonthCents: 2_000 })),
    ).toEqual({
      coverableCents: 1_000,
      codes: ['maximum_share_exceeded', 'amount_above_maximum', 'monthly_cap_reached'],
    });
    expect(
      checkUsage(id, payment(3_000, saturday, { ...farm, communeCode: '49007' })).codes,
    ).toEqual(['merchant_outside_zone']);
    expect(
      checkUsage(id, payment(3_000, saturday, { mcc: '5411', naf: '47.11D', communeCode: '44109' }))
        .codes,
    ).toEqual(['merchant_category_not_allowed']);
  });

  it('ouvre du lundi au samedi de 7 h à 20 h, heure de Paris, aux deux changements d’heure', () => {
    const codesAt = (at: string) => checkUsage(id, payment(1_000, at, farm)).codes;
    expect(codesAt('2026-10-25T09:00:00Z')).toEqual(['day_not_allowed']);
    expect(codesAt('2026-10-24T05:30:00Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-10-26T05:30:00Z')).toEqual(['outside_allowed_hours']);
    expect(codesAt('2026-10-26T06:00:00Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-10-24T17:59:59Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-10-24T18:00:00Z')).toEqual(['outside_allowed_hours']);
    expect(codesAt('2026-10-26T18:59:59Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-03-28T05:30:00Z')).toEqual(['outside_allowed_hours']);
    expect(codesAt('2026-03-30T05:30:00Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-03-28T18:59:00Z')).toEqual(['maximum_share_exceeded']);
    expect(codesAt('2026-03-30T18:00:00Z')).toEqual(['outside_allowed_hours']);
  });

  it('reste valable six mois', () => {
    expect(envelopeValidUntil(template(id).rules, '2026-09-01T08:00:00Z')).toBe(
      '2027-02-28T23:00:00.000Z',
    );
  });
});

describe('aide d’urgence communale', () => {
  const id = 'aide-urgence-communale';
  const lyon = { communeCode: '69123', householdQuotientEuros: 430, dependentChildren: 1 };

  it('verse 150 € et 50 € par enfant, quatre enfants au plus', () => {
    expect(amountOf(id, lyon)).toBe(20_000);
    expect(amountOf(id, { ...lyon, dependentChildren: 0 })).toBe(15_000);
    expect(amountOf(id, { ...lyon, dependentChildren: 6 })).toBe(35_000);
    expect(
      amountOf(id, {
        ...lyon,
        householdQuotientEuros: 800,
        statuses: ['beneficiaire_rsa'],
        dependentChildren: 3,
      }),
    ).toBe(30_000);
  });

  it('exige de résider dans la commune et un quotient de 500 € au plus ou le RSA', () => {
    expect(amountOf(id, { ...lyon, householdQuotientEuros: 500 })).toBe(20_000);
    expect(amountOf(id, { ...lyon, householdQuotientEuros: 500.5 })).toBe(0);
    expect(amountOf(id, { ...lyon, communeCode: '69266' })).toBe(0);
    expect(
      amountOf(id, { ...lyon, householdQuotientEuros: undefined, statuses: ['beneficiaire_rsa'] }),
    ).toBe(20_000);
    expect(amountOf(id, { ...lyon, householdQuotientEuros: undefined })).toBe(0);
  });

  it('paie l’alimentation, l’énergie et la santé dans la métropole pendant trois mois', () => {
    const at = '2026-12-15T10:00:00Z';
    const usage = (paymentContext: PaymentContext) =>
      checkUsage(id, paymentContext, envelope({ creditedAt: '2026-11-30T10:00:00Z' }));
    expect(
      usage(payment(4_000, at, { mcc: '5411', naf: '47.11D', communeCode: '69266' })).codes,
    ).toEqual([]);
    expect(
      usage(payment(4_000, at, { mcc: '5912', naf: '47.73Z', communeCode: '69123' })).codes,
    ).toEqual([]);
    expect(
      usage(payment(4_000, at, { mcc: '5942', naf: '47.61Z', communeCode: '69123' })).codes,
    ).toEqual(['merchant_category_not_allowed']);
    expect(
      usage(payment(4_000, at, { mcc: '5411', naf: '47.11D', communeCode: '33063' })).codes,
    ).toEqual(['merchant_outside_zone']);
    expect(envelopeValidUntil(template(id).rules, '2026-11-30T10:00:00Z')).toBe(
      '2027-02-27T23:00:00.000Z',
    );
  });
});
