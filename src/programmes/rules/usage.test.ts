import { describe, expect, it } from 'vitest';
import {
  USAGE_REFUSALS,
  USAGE_REFUSAL_EFFECTS,
  compareForPayment,
  compileRules,
  envelopeValidUntil,
  type EnvelopeState,
  type PaymentContext,
  type StackingCandidate,
} from './engine.js';
import type { RuleSet, UsageRules } from './schema.js';
import { testReference } from './test-reference.js';

const reference = testReference();

function rulesWithUsage(usage: UsageRules): RuleSet {
  return {
    eligibility: { type: 'all', conditions: [] },
    amount: { type: 'fixed', amountCents: 30_000, rounding: 'down' },
    usage,
    stacking: { priority: 1 },
  };
}

function envelope(overrides: Partial<EnvelopeState> = {}): EnvelopeState {
  return {
    creditedAt: '2026-09-01T08:00:00Z',
    balanceCents: 30_000,
    spentTodayCents: 0,
    spentThisWeekCents: 0,
    spentThisMonthCents: 0,
    spentLifetimeCents: 0,
    spentByGroupCents: {},
    ...overrides,
  };
}

type MerchantOverrides = Partial<PaymentContext['merchant']>;

function payment(
  overrides: Partial<Omit<PaymentContext, 'merchant'>> = {},
  merchant: MerchantOverrides = {},
): PaymentContext {
  return {
    amountCents: 2_000,
    at: '2026-10-10T10:00:00Z',
    merchant: {
      id: 'librairie-1',
      mcc: '5942',
      naf: '47.61Z',
      communeCode: '69123',
      latitude: null,
      longitude: null,
      ...merchant,
    },
    ...overrides,
  };
}

function check(
  usage: UsageRules,
  paymentContext: PaymentContext = payment(),
  envelopeState: EnvelopeState = envelope(),
) {
  return compileRules(rulesWithUsage(usage), reference).checkUsage(envelopeState, paymentContext);
}

function codes(
  usage: UsageRules,
  paymentContext: PaymentContext = payment(),
  envelopeState: EnvelopeState = envelope(),
): string[] {
  return check(usage, paymentContext, envelopeState).refusals.map((refusal) => refusal.code);
}

describe('catégories et commerçants', () => {
  it('accepte un paiement entier chez un commerce d’une catégorie autorisée', () => {
    expect(check({ categories: { groups: ['culture'] } })).toEqual({
      allowed: true,
      coverableCents: 2_000,
      refusals: [],
    });
  });

  it('reconnaît le MCC, le NAF écrit de deux façons et les groupes', () => {
    expect(codes({ categories: { mcc: ['5942'] } })).toEqual([]);
    expect(codes({ categories: { naf: ['4761Z'] } }, payment({}, { mcc: null }))).toEqual([]);
    expect(
      codes({ categories: { naf: ['47.61Z'] } }, payment({}, { mcc: null, naf: '4761z' })),
    ).toEqual([]);
    const grocery = payment({}, { id: 'epicerie', mcc: '5411', naf: '47.11D' });
    const refused = check({ categories: { groups: ['culture'] } }, grocery);
    expect(refused).toEqual({
      allowed: false,
      coverableCents: 0,
      refusals: [
        {
          code: 'merchant_category_not_allowed',
          message: USAGE_REFUSALS.merchant_category_not_allowed,
        },
      ],
    });
  });

  it('accepte un commerce nommé même hors catégorie, et refuse les autres quand seule la liste existe', () => {
    const grocery = payment({}, { id: 'epicerie', mcc: '5411', naf: '47.11D' });
    expect(
      codes({ categories: { groups: ['culture'] }, merchantIds: ['epicerie'] }, grocery),
    ).toEqual([]);
    expect(codes({ merchantIds: ['epicerie'] })).toEqual(['merchant_not_allowed']);
  });
});

describe('zone du commerce', () => {
  it('situe le commerce par sa commune dans une commune, un EPCI, un département ou une région', () => {
    const metropole: UsageRules = { zones: [{ kind: 'epci', code: '200046977' }] };
    expect(codes(metropole, payment({}, { communeCode: '69266' }))).toEqual([]);
    expect(codes(metropole, payment({}, { communeCode: '33063' }))).toEqual([
      'merchant_outside_zone',
    ]);
    expect(codes(metropole, payment({}, { communeCode: null }))).toEqual([
      'merchant_location_unknown',
    ]);
    expect(
      codes(
        { zones: [{ kind: 'departement', code: '2A' }] },
        payment({}, { communeCode: '2A004' }),
      ),
    ).toEqual([]);
  });

  it('mesure la distance à un point, avec les coordonnées du commerce ou celles de sa commune', () => {
    const aroundLyon: UsageRules = {
      zones: [{ kind: 'radius', latitude: 45.76, longitude: 4.84, radiusKilometres: 10 }],
    };
    expect(
      codes(aroundLyon, payment({}, { communeCode: null, latitude: 45.77, longitude: 4.88 })),
    ).toEqual([]);
    expect(codes(aroundLyon, payment({}, { communeCode: '69266' }))).toEqual([]);
    expect(codes(aroundLyon, payment({}, { communeCode: '44109' }))).toEqual([
      'merchant_outside_zone',
    ]);
    expect(codes(aroundLyon, payment({}, { communeCode: '2A004' }))).toEqual([
      'merchant_location_unknown',
    ]);
  });
});

describe('validité', () => {
  it('vaut jusqu’au dernier jour inclus, minuit à Paris, en hiver comme en été', () => {
    const winter: UsageRules = { validity: { untilDate: '2026-10-31' } };
    expect(codes(winter, payment({ at: '2026-10-31T22:59:59Z' }))).toEqual([]);
    expect(codes(winter, payment({ at: '2026-10-31T23:00:00Z' }))).toEqual(['envelope_expired']);
    const summer: UsageRules = { validity: { fromDate: '2026-06-01', untilDate: '2026-08-31' } };
    expect(codes(summer, payment({ at: '2026-08-31T21:59:59Z' }))).toEqual([]);
    expect(codes(summer, payment({ at: '2026-08-31T22:00:00Z' }))).toEqual(['envelope_expired']);
    expect(codes(summer, payment({ at: '2026-05-31T21:59:59Z' }))).toEqual([
      'envelope_not_yet_valid',
    ]);
    expect(codes(summer, payment({ at: '2026-05-31T22:00:00Z' }))).toEqual([]);
  });

  it('compte les mois et les jours à partir du jour de crédit à Paris', () => {
    const months: UsageRules = { validity: { afterCrediting: { unit: 'months', count: 24 } } };
    expect(envelopeValidUntil(rulesWithUsage(months), '2026-09-01T08:00:00Z')).toBe(
      '2028-08-31T22:00:00.000Z',
    );
    expect(codes(months, payment({ at: '2028-08-31T21:59:59Z' }))).toEqual([]);
    expect(codes(months, payment({ at: '2028-08-31T22:00:00Z' }))).toEqual(['envelope_expired']);
    const days = rulesWithUsage({ validity: { afterCrediting: { unit: 'days', count: 30 } } });
    expect(envelopeValidUntil(days, '2026-10-20T21:30:00Z')).toBe('2026-11-18T23:00:00.000Z');
    // 00:30 à Paris : le crédit date du 21 octobre.
    expect(envelopeValidUntil(days, '2026-10-20T22:30:00Z')).toBe('2026-11-19T23:00:00.000Z');
    expect(
      envelopeValidUntil(
        rulesWithUsage({ validity: { afterCrediting: { unit: 'months', count: 1 } } }),
        '2027-01-31T10:00:00Z',
      ),
    ).toBe('2027-02-27T23:00:00.000Z');
  });

  it('retient la plus proche de la date fixe et de la durée, et rien sans validité', () => {
    const both = rulesWithUsage({
      validity: { untilDate: '2026-12-31', afterCrediting: { unit: 'months', count: 6 } },
    });
    expect(envelopeValidUntil(both, '2026-09-01T08:00:00Z')).toBe('2026-12-31T23:00:00.000Z');
    expect(envelopeValidUntil(both, '2026-03-01T08:00:00Z')).toBe('2026-08-31T22:00:00.000Z');
    expect(envelopeValidUntil(rulesWithUsage({}), '2026-09-01T08:00:00Z')).toBeNull();
    expect(() => envelopeValidUntil(both, '2026-09-01 08:00')).toThrow(
      /Instant de crédit invalide/,
    );
  });
});

describe('jours et heures à Paris', () => {
  const daytime: UsageRules = { hours: [{ from: '08:00', until: '20:00' }] };

  it('suit le passage à l’heure d’été (29 mars 2026)', () => {
    expect(codes(daytime, payment({ at: '2026-03-28T06:59:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    expect(codes(daytime, payment({ at: '2026-03-29T06:59:00Z' }))).toEqual([]);
    expect(codes(daytime, payment({ at: '2026-03-28T18:59:00Z' }))).toEqual([]);
    expect(codes(daytime, payment({ at: '2026-03-29T18:00:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    const missingHour: UsageRules = { hours: [{ from: '02:00', until: '03:00' }] };
    expect(codes(missingHour, payment({ at: '2026-03-29T00:59:59Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    expect(codes(missingHour, payment({ at: '2026-03-29T01:00:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    expect(codes(missingHour, payment({ at: '2026-03-30T00:30:00Z' }))).toEqual([]);
  });

  it('suit le retour à l’heure d’hiver (25 octobre 2026), l’heure répétée comprise', () => {
    expect(codes(daytime, payment({ at: '2026-10-24T18:30:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    expect(codes(daytime, payment({ at: '2026-10-25T18:30:00Z' }))).toEqual([]);
    expect(codes(daytime, payment({ at: '2026-10-26T06:59:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
    expect(codes(daytime, payment({ at: '2026-10-26T07:00:00Z' }))).toEqual([]);
    const repeatedHour: UsageRules = { hours: [{ from: '02:00', until: '03:00' }] };
    expect(codes(repeatedHour, payment({ at: '2026-10-25T00:30:00Z' }))).toEqual([]);
    expect(codes(repeatedHour, payment({ at: '2026-10-25T01:30:00Z' }))).toEqual([]);
    expect(codes(repeatedHour, payment({ at: '2026-10-25T02:00:00Z' }))).toEqual([
      'outside_allowed_hours',
    ]);
  });

  it('change de jour à minuit à Paris', () => {
    const weekdays: UsageRules = { weekdays: [1, 2, 3, 4, 5] };
    expect(codes(weekdays, payment({ at: '2026-10-30T22:59:59Z' }))).toEqual([]);
    expect(codes(weekdays, payment({ at: '2026-10-30T23:00:00Z' }))).toEqual(['day_not_allowed']);
    expect(codes(weekdays, payment({ at: '2026-09-04T21:59:59Z' }))).toEqual([]);
    expect(codes(weekdays, payment({ at: '2026-09-04T22:00:00Z' }))).toEqual(['day_not_allowed']);
    expect(codes(weekdays, payment({ at: '2026-09-06T22:00:00+02:00' }))).toEqual([
      'day_not_allowed',
    ]);
  });

  it('liste toutes les raisons bloquantes', () => {
    const strict: UsageRules = {
      categories: { groups: ['alimentation'] },
      weekdays: [1],
      hours: [{ from: '08:00', until: '09:00' }],
      perPayment: { minimumCents: 5_000 },
    };
    const decision = check(strict);
    expect(decision.allowed).toBe(false);
    expect(decision.coverableCents).toBe(0);
    expect(decision.refusals.map((refusal) => refusal.code)).toEqual([
      'merchant_category_not_allowed',
      'day_not_allowed',
      'outside_allowed_hours',
      'amount_below_minimum',
    ]);
  });
});

describe('montant couvert', () => {
  it('couvre en partie au-delà du maximum par paiement, et refuse sous le minimum', () => {
    expect(check({ perPayment: { minimumCents: 500, maximumCents: 1_500 } })).toEqual({
      allowed: true,
      coverableCents: 1_500,
      refusals: [{ code: 'amount_above_maximum', message: USAGE_REFUSALS.amount_above_maximum }],
    });
    expect(codes({ perPayment: { minimumCents: 500 } }, payment({ amountCents: 499 }))).toEqual([
      'amount_below_minimum',
    ]);
  });

  it('s’arrête au reste de chaque plafond de période', () => {
    const caps: UsageRules = {
      caps: { dailyCents: 5_000, weeklyCents: 10_000, monthlyCents: 20_000, lifetimeCents: 25_000 },
    };
    expect(check(caps, payment(), envelope({ spentTodayCents: 4_000 }))).toMatchObject({
      allowed: true,
      coverableCents: 1_000,
    });
    expect(
      codes(caps, payment(), envelope({ spentThisWeekCents: 9_500, spentThisMonthCents: 19_000 })),
    ).toEqual(['weekly_cap_reached', 'monthly_cap_reached']);
    expect(
      check(caps, payment(), envelope({ spentThisWeekCents: 9_500, spentThisMonthCents: 19_000 }))
        .coverableCents,
    ).toBe(500);
    expect(check(caps, payment(), envelope({ spentLifetimeCents: 25_000 }))).toMatchObject({
      allowed: false,
      coverableCents: 0,
    });
    expect(check(caps, payment(), envelope({ spentTodayCents: Number.NaN }))).toMatchObject({
      allowed: false,
      coverableCents: 0,
    });
  });

  it('limite la part d’un achat et le solde', () => {
    const half: UsageRules = { maximumShareBasisPoints: 5_000 };
    expect(check(half, payment({ amountCents: 3_001 }))).toMatchObject({
      allowed: true,
      coverableCents: 1_500,
    });
    expect(codes(half, payment({ amountCents: 3_001 }))).toEqual(['maximum_share_exceeded']);
    expect(check({}, payment(), envelope({ balanceCents: 1_200 }))).toMatchObject({
      allowed: true,
      coverableCents: 1_200,
    });
    expect(check({}, payment(), envelope({ balanceCents: 0 }))).toEqual({
      allowed: false,
      coverableCents: 0,
      refusals: [{ code: 'insufficient_balance', message: USAGE_REFUSALS.insufficient_balance }],
    });
  });

  it('tient un sous-plafond par catégorie, au niveau du commerce ou des lignes du panier', () => {
    const pass: UsageRules = {
      categories: { groups: ['culture', 'biens_numeriques'] },
      groupCaps: [{ group: 'biens_numeriques', maximumCents: 10_000 }],
    };
    const digital = payment(
      { amountCents: 3_000 },
      { id: 'plateforme', mcc: '5816', naf: '58.21Z' },
    );
    expect(
      check(pass, digital, envelope({ spentByGroupCents: { biens_numeriques: 9_000 } })),
    ).toMatchObject({ allowed: true, coverableCents: 1_000 });
    expect(
      codes(pass, digital, envelope({ spentByGroupCents: { biens_numeriques: 9_000 } })),
    ).toEqual(['group_cap_reached']);
    expect(
      check(pass, digital, envelope({ spentByGroupCents: { biens_numeriques: 10_000 } })),
    ).toMatchObject({ allowed: false, coverableCents: 0 });
    const basket = payment({
      amountCents: 5_000,
      items: [
        { productCategory: 'livres', amountCents: 2_000 },
        { productCategory: 'biens_numeriques', amountCents: 3_000 },
      ],
    });
    expect(
      check(pass, basket, envelope({ spentByGroupCents: { biens_numeriques: 9_000 } })),
    ).toMatchObject({ allowed: true, coverableCents: 3_000 });
    expect(check(pass, payment()).coverableCents).toBe(2_000);
  });

  it('ne paie que les lignes du panier des catégories de produits permises', () => {
    const books: UsageRules = { productCategories: ['livres'] };
    expect(codes(books)).toEqual(['item_detail_missing']);
    const lines = (items: PaymentContext['items']) => payment({ amountCents: 5_000, items });
    expect(
      codes(books, lines([{ productCategory: 'biens_numeriques', amountCents: 5_000 }])),
    ).toEqual(['no_eligible_items']);
    const mixed = check(
      books,
      lines([
        { productCategory: 'livres', amountCents: 1_800 },
        { productCategory: 'papeterie', amountCents: 3_200 },
      ]),
    );
    expect(mixed).toMatchObject({ allowed: true, coverableCents: 1_800 });
    expect(mixed.refusals.map((refusal) => refusal.code)).toEqual(['items_partially_eligible']);
  });

  it('refuse un paiement mal formé', () => {
    for (const broken of [
      payment({ amountCents: 0 }),
      payment({ amountCents: 12.5 }),
      payment({ at: '2026-10-10T10:00:00' }),
    ]) {
      expect(codes({}, broken)).toEqual(['invalid_payment']);
    }
    expect(
      codes({ validity: { untilDate: '2027-01-01' } }, payment(), envelope({ creditedAt: 'hier' })),
    ).toEqual(['invalid_payment']);
  });
});

describe('raisons et ordre de paiement', () => {
  it('nomme chaque raison en français et dit si elle bloque ou limite', () => {
    expect(Object.keys(USAGE_REFUSAL_EFFECTS).sort()).toEqual(Object.keys(USAGE_REFUSALS).sort());
    for (const message of Object.values(USAGE_REFUSALS)) expect(message).toMatch(/^[A-ZÉL].+\.$/);
  });

  it('fait payer d’abord la priorité la plus basse, puis l’enveloppe qui expire la première', () => {
    const candidates: StackingCandidate[] = [
      { envelopeId: 4, priority: 10, validUntil: null, creditedAt: '2026-01-01T00:00:00Z' },
      {
        envelopeId: 3,
        priority: 10,
        validUntil: '2027-01-01T00:00:00Z',
        creditedAt: '2026-02-01T00:00:00Z',
      },
      {
        envelopeId: 2,
        priority: 10,
        validUntil: '2026-12-01T00:00:00+01:00',
        creditedAt: '2026-03-01T00:00:00Z',
      },
      {
        envelopeId: 1,
        priority: 20,
        validUntil: '2026-10-01T00:00:00Z',
        creditedAt: '2026-01-01T00:00:00Z',
      },
      {
        envelopeId: 5,
        priority: 10,
        validUntil: '2027-01-01T00:00:00Z',
        creditedAt: '2026-01-15T00:00:00Z',
      },
      {
        envelopeId: 10,
        priority: 10,
        validUntil: '2027-01-01T00:00:00Z',
        creditedAt: '2026-01-15T00:00:00Z',
      },
    ];
    expect(
      [...candidates].sort(compareForPayment).map((candidate) => candidate.envelopeId),
    ).toEqual([2, 5, 10, 3, 4, 1]);
  });
});
