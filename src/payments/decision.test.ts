import { describe, expect, it } from 'vitest';
import { seededRandom } from '../platform/seeded-random.js';
import {
  USAGE_REFUSALS,
  compareForPayment,
  compileRules,
  envelopeValidUntil,
  type EnvelopeState,
} from '../programmes/rules/engine.js';
import type { RuleSet, UsageRules } from '../programmes/rules/schema.js';
import { testReference } from '../programmes/rules/test-reference.js';
import {
  benchmarkDecisions,
  decidePayment,
  type ItemCoverage,
  type MerchantFacts,
  type PaymentDecision,
  type PaymentRequest,
  type WalletEnvelope,
} from './decision.js';
import {
  MAX_PAYMENT_ITEMS,
  PAYMENT_REFUSALS,
  PAYMENT_REFUSAL_PRECEDENCE,
  type PaymentRefusalCode,
} from './refusals.js';

const reference = testReference();
const AT = '2026-10-10T10:00:00Z'; // a Saturday, 12:00 in Paris
const NBSP = '\u00a0';

type EnvelopeOptions = {
  name?: string;
  priority?: number;
  balanceCents?: number;
  availableCents?: number;
  creditedAt?: string;
  status?: WalletEnvelope['status'];
  spent?: Partial<Omit<EnvelopeState, 'creditedAt' | 'balanceCents'>>;
};

let nextId = 1;

function ruleSet(usage: UsageRules, priority: number): RuleSet {
  return {
    eligibility: { type: 'all', conditions: [] },
    amount: { type: 'fixed', amountCents: 30_000, rounding: 'down' },
    usage,
    stacking: { priority },
  };
}

/** A real envelope: its rules compiled by the engine, its end of validity computed by it. */
function envelope(usage: UsageRules, options: EnvelopeOptions = {}): WalletEnvelope {
  const id = nextId;
  nextId += 1;
  const priority = options.priority ?? 1;
  const rules = ruleSet(usage, priority);
  const creditedAt = options.creditedAt ?? '2026-09-01T08:00:00Z';
  const balanceCents = options.balanceCents ?? 30_000;
  return {
    attributionId: id,
    envelopeAccountId: 1_000 + id,
    programmeId: 100 + id,
    programmeName: options.name ?? `Aide ${id}`,
    funderOrganisationId: 7,
    priority,
    creditedAt,
    validUntil: envelopeValidUntil(rules, creditedAt),
    status: options.status ?? 'credited',
    availableCents: options.availableCents ?? balanceCents,
    state: {
      creditedAt,
      balanceCents,
      spentTodayCents: 0,
      spentThisWeekCents: 0,
      spentThisMonthCents: 0,
      spentLifetimeCents: 0,
      spentByGroupCents: {},
      ...options.spent,
    },
    checkUsage: compileRules(rules, reference).checkUsage,
  };
}

const BOOKSHOP = {
  id: 'librairie-1',
  mcc: '5942',
  naf: '47.61Z',
  communeCode: '69123',
  latitude: null,
  longitude: null,
};
const GROCERY = { ...BOOKSHOP, id: 'epicerie-1', mcc: '5411', naf: '47.11D' };

/** The merchant, approved for every programme of the wallet except those named. */
function merchantFor(
  envelopes: readonly WalletEnvelope[],
  site: Omit<MerchantFacts, 'approvedProgrammeIds'> = BOOKSHOP,
  notApproved: readonly WalletEnvelope[] = [],
): MerchantFacts {
  const approved = new Set(envelopes.map((candidate) => candidate.programmeId));
  for (const excluded of notApproved) approved.delete(excluded.programmeId);
  return { ...site, approvedProgrammeIds: approved };
}

function request(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return { amountCents: 2_000, at: AT, partialAllowed: true, ...overrides };
}

function decide(
  envelopes: WalletEnvelope[],
  payment: Partial<PaymentRequest> = {},
  site: Omit<MerchantFacts, 'approvedProgrammeIds'> = BOOKSHOP,
  notApproved: readonly WalletEnvelope[] = [],
): PaymentDecision {
  return decidePayment(envelopes, merchantFor(envelopes, site, notApproved), request(payment));
}

function splitsOf(decision: PaymentDecision): [string, number][] {
  return decision.splits.map((split) => {
    const entry = decision.considered.find((item) => item.attributionId === split.attributionId);
    return [entry?.programmeName ?? '?', split.amountCents];
  });
}

function euros(text: string): string {
  return text.replace(/ €/g, `${NBSP}€`);
}

type ReasonRow = {
  name: string;
  code: PaymentRefusalCode;
  wallet: () => WalletEnvelope[];
  payment?: Partial<PaymentRequest>;
  site?: Omit<MerchantFacts, 'approvedProgrammeIds'>;
  notApproved?: boolean;
  outcome: PaymentDecision['outcome'];
  approvedCents: number;
  /** When it says more than the reason's sentence. */
  summary?: string;
};

const full = (): WalletEnvelope[] => [envelope({})];
const REASON_ROWS: ReasonRow[] = [
  {
    name: 'refuse un montant nul',
    code: 'invalid_payment',
    wallet: full,
    payment: { amountCents: 0 },
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un panier dont le total n’est pas le montant',
    code: 'invalid_basket',
    wallet: full,
    payment: { items: [{ productCategory: 'livres', amountCents: 1_500 }] },
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un portefeuille vide',
    code: 'no_envelope',
    wallet: () => [],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse une aide suspendue',
    code: 'envelope_suspended',
    wallet: () => [envelope({}, { status: 'suspended' })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse une aide pas encore valable',
    code: 'envelope_not_yet_valid',
    wallet: () => [envelope({ validity: { fromDate: '2026-11-01' } })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse une aide expirée',
    code: 'envelope_expired',
    wallet: () => [envelope({ validity: { untilDate: '2026-10-09' } })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un commerce non conventionné',
    code: 'merchant_not_approved',
    wallet: full,
    notApproved: true,
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un commerce absent de la liste de l’aide',
    code: 'merchant_not_allowed',
    wallet: () => [envelope({ merchantIds: ['autre-commerce'] })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse une catégorie de commerce non autorisée',
    code: 'merchant_category_not_allowed',
    wallet: () => [envelope({ categories: { groups: ['alimentation'] } })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un commerce hors zone',
    code: 'merchant_outside_zone',
    wallet: () => [envelope({ zones: [{ kind: 'commune', code: '33063' }] })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un commerce sans localisation quand l’aide a une zone',
    code: 'merchant_location_unknown',
    wallet: () => [envelope({ zones: [{ kind: 'departement', code: '69' }] })],
    site: { ...BOOKSHOP, communeCode: null },
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un jour non autorisé',
    code: 'day_not_allowed',
    wallet: () => [envelope({ weekdays: [1, 2, 3, 4, 5] })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse hors des heures autorisées',
    code: 'outside_allowed_hours',
    wallet: () => [envelope({ hours: [{ from: '14:00', until: '18:00' }] })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un montant sous le minimum',
    code: 'amount_below_minimum',
    wallet: () => [envelope({ perPayment: { minimumCents: 5_000 } })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse sans détail du panier quand l’aide le demande',
    code: 'item_detail_missing',
    wallet: () => [envelope({ productCategories: ['livres'] })],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'refuse un panier sans article couvert',
    code: 'no_eligible_items',
    wallet: () => [envelope({ productCategories: ['livres'] })],
    payment: { items: [{ productCategory: 'alimentation', amountCents: 2_000 }] },
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'ne couvre que les articles éligibles',
    code: 'items_partially_eligible',
    wallet: () => [envelope({ productCategories: ['livres'] })],
    payment: {
      items: [
        { productCategory: 'livres', amountCents: 1_500 },
        { productCategory: 'alimentation', amountCents: 500 },
      ],
    },
    outcome: 'partially_approved',
    approvedCents: 1_500,
  },
  {
    name: 'ne couvre qu’une part de l’achat',
    code: 'maximum_share_exceeded',
    wallet: () => [envelope({ maximumShareBasisPoints: 5_000 })],
    outcome: 'partially_approved',
    approvedCents: 1_000,
  },
  {
    name: 'ne couvre que le maximum par paiement',
    code: 'amount_above_maximum',
    wallet: () => [envelope({ perPayment: { maximumCents: 1_500 } })],
    outcome: 'partially_approved',
    approvedCents: 1_500,
  },
  {
    name: 'ne couvre que le reste du plafond journalier',
    code: 'daily_cap_reached',
    wallet: () => [
      envelope({ caps: { dailyCents: 3_000 } }, { spent: { spentTodayCents: 2_500 } }),
    ],
    outcome: 'partially_approved',
    approvedCents: 500,
  },
  {
    name: 'ne couvre que le reste du plafond hebdomadaire',
    code: 'weekly_cap_reached',
    wallet: () => [
      envelope({ caps: { weeklyCents: 3_000 } }, { spent: { spentThisWeekCents: 2_400 } }),
    ],
    outcome: 'partially_approved',
    approvedCents: 600,
  },
  {
    name: 'ne couvre que le reste du plafond mensuel',
    code: 'monthly_cap_reached',
    wallet: () => [
      envelope({ caps: { monthlyCents: 3_000 } }, { spent: { spentThisMonthCents: 2_300 } }),
    ],
    outcome: 'partially_approved',
    approvedCents: 700,
  },
  {
    name: 'refuse quand le plafond total est atteint',
    code: 'lifetime_cap_reached',
    wallet: () => [
      envelope({ caps: { lifetimeCents: 3_000 } }, { spent: { spentLifetimeCents: 3_000 } }),
    ],
    outcome: 'declined',
    approvedCents: 0,
  },
  {
    name: 'ne couvre que le reste du plafond d’une catégorie',
    code: 'group_cap_reached',
    wallet: () => [
      envelope(
        { groupCaps: [{ group: 'livres', maximumCents: 1_000 }] },
        { spent: { spentByGroupCents: { livres: 200 } } },
      ),
    ],
    outcome: 'partially_approved',
    approvedCents: 800,
  },
  {
    name: 'ne couvre que le solde',
    code: 'insufficient_balance',
    wallet: () => [envelope({}, { balanceCents: 800 })],
    outcome: 'partially_approved',
    approvedCents: 800,
  },
  {
    name: 'refuse une couverture partielle quand le terminal ne l’accepte pas',
    code: 'partial_not_accepted',
    wallet: () => [envelope({}, { balanceCents: 800 })],
    payment: { partialAllowed: false },
    outcome: 'declined',
    approvedCents: 0,
    summary: euros(
      'Paiement refusé — l’aide ne couvre que 8,00 € sur 20,00 € et le paiement partiel n’est pas accepté.',
    ),
  },
];

describe('un code par raison, avec sa phrase', () => {
  it.each(REASON_ROWS)('$name ($code)', (row) => {
    const wallet = row.wallet();
    const decision = decide(wallet, row.payment, row.site, row.notApproved ? wallet : []);
    expect(decision.outcome).toBe(row.outcome);
    expect(decision.approvedCents).toBe(row.approvedCents);
    const codes = decision.considered.flatMap((entry) => entry.refusals.map((item) => item.code));
    if (row.code === 'no_envelope' || row.code === 'partial_not_accepted') {
      expect(decision.declineCode).toBe(row.code);
    } else {
      expect(codes).toContain(row.code);
    }
    if (row.outcome === 'declined') {
      expect(decision.declineCode).toBe(row.code);
      expect(decision.splits).toEqual([]);
      const message = PAYMENT_REFUSALS[row.code];
      expect(decision.summary).toBe(
        row.summary ?? `Paiement refusé — ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
      );
    } else {
      expect(decision.declineCode).toBeNull();
    }
    for (const entry of decision.considered) {
      for (const refusal of entry.refusals)
        expect(refusal.message).toBe(PAYMENT_REFUSALS[refusal.code]);
    }
  });

  it('la table couvre chaque raison des règles d’usage et chaque raison propre au paiement', () => {
    const tested = new Set(REASON_ROWS.map((row) => row.code));
    const decisionCodes: PaymentRefusalCode[] = [
      'merchant_not_approved',
      'envelope_suspended',
      'no_envelope',
      'partial_not_accepted',
      'invalid_basket',
    ];
    const expected = [...Object.keys(USAGE_REFUSALS), ...decisionCodes];
    expect(expected.filter((code) => !tested.has(code as PaymentRefusalCode))).toEqual([]);
  });

  it('l’ordre de précédence nomme chaque code une fois, et chaque code a sa phrase', () => {
    const codes = Object.keys(PAYMENT_REFUSALS).sort();
    expect([...PAYMENT_REFUSAL_PRECEDENCE].sort()).toEqual(codes);
    expect(new Set(PAYMENT_REFUSAL_PRECEDENCE).size).toBe(PAYMENT_REFUSAL_PRECEDENCE.length);
    for (const code of codes) expect(PAYMENT_REFUSALS[code as PaymentRefusalCode]).toMatch(/\.$/);
  });
});

describe('répartition sur plusieurs aides', () => {
  it('prend d’abord l’aide de plus petite priorité, puis la suivante', () => {
    const later = envelope({}, { name: 'Chèque loisirs', priority: 2, balanceCents: 5_000 });
    const first = envelope({}, { name: 'Pass Culture', priority: 1, balanceCents: 1_000 });
    const decision = decide([later, first], { amountCents: 3_000 });
    expect(decision.outcome).toBe('approved');
    expect(splitsOf(decision)).toEqual([
      ['Pass Culture', 1_000],
      ['Chèque loisirs', 2_000],
    ]);
    expect(decision.summary).toBe(
      euros('Paiement accepté : 10,00 € pris sur Pass Culture et 20,00 € sur Chèque loisirs.'),
    );
    expect(decision.considered.map((entry) => entry.usedCents)).toEqual([1_000, 2_000]);
    expect(decision.itemsCovered).toBeNull();
  });

  it('à priorité égale, prend d’abord l’aide qui expire la première', () => {
    const lasting = envelope({ validity: { untilDate: '2026-12-31' } }, { name: 'Longue' });
    const expiring = envelope({ validity: { untilDate: '2026-10-31' } }, { name: 'Courte' });
    const forever = envelope({}, { name: 'Sans fin', creditedAt: '2026-01-01T08:00:00Z' });
    const decision = decide([forever, lasting, expiring], { amountCents: 500 });
    expect(decision.considered.map((entry) => entry.programmeName)).toEqual([
      'Courte',
      'Longue',
      'Sans fin',
    ]);
    expect(splitsOf(decision)).toEqual([['Courte', 500]]);
    expect(decision.considered.map((entry) => entry.reached)).toEqual([true, false, false]);
  });

  it('passe une aide dont la catégorie ne convient pas et paie avec l’autre', () => {
    const food = envelope(
      { categories: { groups: ['alimentation'] } },
      { name: 'Chèque alimentation' },
    );
    const culture = envelope(
      { categories: { groups: ['culture'] } },
      { name: 'Pass Culture', priority: 2 },
    );
    const decision = decide([food, culture]);
    expect(splitsOf(decision)).toEqual([['Pass Culture', 2_000]]);
    expect(decision.considered[0]?.refusals.map((refusal) => refusal.code)).toEqual([
      'merchant_category_not_allowed',
    ]);
    expect(decision.considered[0]?.usedCents).toBe(0);
  });

  it('complète une aide au plafond journalier par une autre', () => {
    const capped = envelope(
      { caps: { dailyCents: 2_000 } },
      { name: 'Plafonnée', spent: { spentTodayCents: 1_500 } },
    );
    const other = envelope({}, { name: 'Autre', priority: 2 });
    const decision = decide([capped, other]);
    expect(splitsOf(decision)).toEqual([
      ['Plafonnée', 500],
      ['Autre', 1_500],
    ]);
    expect(decision.considered[0]?.refusals.map((refusal) => refusal.code)).toEqual([
      'daily_cap_reached',
    ]);
  });

  it('répartit sur trois aides aux règles différentes : solde, part de l’achat, sans limite', () => {
    const small = envelope({}, { name: 'Petite', priority: 1, balanceCents: 1_000 });
    const share = envelope({ maximumShareBasisPoints: 5_000 }, { name: 'Moitié', priority: 2 });
    const rest = envelope(
      { zones: [{ kind: 'departement', code: '69' }] },
      { name: 'Rhône', priority: 3 },
    );
    const decision = decide([rest, share, small], { amountCents: 4_000 });
    // The share applies to what is left to pay when the envelope's turn comes (3 000).
    expect(splitsOf(decision)).toEqual([
      ['Petite', 1_000],
      ['Moitié', 1_500],
      ['Rhône', 1_500],
    ]);
    expect(decision.summary).toBe(
      euros('Paiement accepté : 10,00 € pris sur Petite, 15,00 € sur Moitié et 15,00 € sur Rhône.'),
    );
  });

  it('ne paie pas avec une aide suspendue ni avec une aide d’un dispositif non conventionné', () => {
    const suspended = envelope({}, { name: 'Suspendue', status: 'suspended' });
    const foreign = envelope({}, { name: 'Non conventionnée' });
    const good = envelope({}, { name: 'Bonne', priority: 3 });
    const decision = decide([suspended, foreign, good], {}, BOOKSHOP, [foreign]);
    expect(splitsOf(decision)).toEqual([['Bonne', 2_000]]);
    expect(
      decision.considered.map((entry) => entry.refusals.map((refusal) => refusal.code)),
    ).toEqual([['envelope_suspended'], ['merchant_not_approved'], []]);
  });

  it('prend le solde le plus bas entre les compteurs et le grand livre', () => {
    const ledgerLower = envelope(
      {},
      { name: 'Grand livre', balanceCents: 5_000, availableCents: 1_200 },
    );
    const countersLower = envelope(
      {},
      { name: 'Compteurs', priority: 2, balanceCents: 300, availableCents: 9_000 },
    );
    const third = envelope({}, { name: 'Négatif', priority: 3, availableCents: -50 });
    const decision = decide([ledgerLower, countersLower, third]);
    expect(splitsOf(decision)).toEqual([
      ['Grand livre', 1_200],
      ['Compteurs', 300],
    ]);
    expect(decision.outcome).toBe('partially_approved');
    expect(decision.considered[2]?.refusals.map((refusal) => refusal.code)).toEqual([
      'insufficient_balance',
    ]);
  });

  it('refuse de compter deux fois la même aide', () => {
    const once = envelope({});
    expect(() => decide([once, { ...once }])).toThrow(/deux fois/);
  });
});

describe('paiement partiel', () => {
  const wallet = () => [
    envelope({}, { name: 'Pass Culture', balanceCents: 800 }),
    envelope({ categories: { groups: ['alimentation'] } }, { name: 'Chèque alimentation' }),
  ];

  it('accepte en partie quand le terminal le permet', () => {
    const decision = decide(wallet(), { amountCents: 1_250, partialAllowed: true });
    expect(decision.outcome).toBe('partially_approved');
    expect(decision.approvedCents).toBe(800);
    expect(decision.summary).toBe(
      euros(
        'Paiement accepté en partie : 8,00 € pris sur Pass Culture ; reste à payer par un autre moyen : 4,50 €.',
      ),
    );
  });

  it('refuse tout sinon, sans rien prendre, en disant ce qui aurait été couvert', () => {
    const decision = decide(wallet(), { amountCents: 1_250, partialAllowed: false });
    expect(decision).toMatchObject({
      outcome: 'declined',
      approvedCents: 0,
      splits: [],
      declineCode: 'partial_not_accepted',
    });
    expect(decision.considered.map((entry) => [entry.coverableCents, entry.usedCents])).toEqual([
      [800, 0],
      [0, 0],
    ]);
    expect(decision.summary).toBe(
      euros(
        'Paiement refusé — l’aide ne couvre que 8,00 € sur 12,50 € et le paiement partiel n’est pas accepté.',
      ),
    );
  });

  it('accepte en entier même sans paiement partiel quand les aides suffisent', () => {
    expect(decide(wallet(), { amountCents: 800, partialAllowed: false }).outcome).toBe('approved');
  });
});

describe('raison principale d’un refus', () => {
  it('nomme la raison de l’aide qui est allée le plus loin : le solde épuisé plutôt que la catégorie', () => {
    const culture = envelope({ categories: { groups: ['culture'] } }, { name: 'Pass Culture' });
    const food = envelope(
      { categories: { groups: ['alimentation'] } },
      { name: 'Alimentation', balanceCents: 0 },
    );
    const decision = decide([culture, food], {}, GROCERY);
    expect(decision.declineCode).toBe('insufficient_balance');
  });

  it('décrit une aide par sa raison la plus fondamentale : expirée plutôt que hors catégorie', () => {
    const decision = decide([
      envelope({ validity: { untilDate: '2026-10-01' }, categories: { groups: ['alimentation'] } }),
    ]);
    expect(decision.considered[0]?.refusals.map((refusal) => refusal.code)).toEqual([
      'envelope_expired',
      'merchant_category_not_allowed',
    ]);
    expect(decision.declineCode).toBe('envelope_expired');
  });

  it('désigne le plafond qui bloque et non un solde encore disponible', () => {
    const decision = decide([
      envelope(
        { caps: { dailyCents: 1_000 } },
        { balanceCents: 500, spent: { spentTodayCents: 1_000 } },
      ),
    ]);
    expect(decision.declineCode).toBe('daily_cap_reached');
  });

  it('désigne le solde épuisé quand seul un plafond partiel s’y ajoute', () => {
    const decision = decide([
      envelope(
        { caps: { dailyCents: 1_500 } },
        { balanceCents: 0, spent: { spentTodayCents: 200 } },
      ),
    ]);
    expect(decision.declineCode).toBe('insufficient_balance');
  });

  it('préfère une aide suspendue à un portefeuille vide, et un commerce non conventionné à une aide suspendue', () => {
    const suspended = envelope({}, { status: 'suspended' });
    const foreign = envelope({}, { priority: 2 });
    expect(decide([suspended]).declineCode).toBe('envelope_suspended');
    expect(decide([suspended, foreign], {}, BOOKSHOP, [foreign]).declineCode).toBe(
      'merchant_not_approved',
    );
  });
});

describe('panier : chaque ligne payée une fois, par les aides qui la couvrent', () => {
  const coverage = (decision: PaymentDecision) =>
    decision.itemsCovered?.map((item) => [item.coverage, item.coveredCents]);

  it('répartit les lignes entre deux aides aux catégories de produits différentes', () => {
    const culture = envelope({ productCategories: ['livres'] }, { name: 'Pass Culture' });
    const food = envelope(
      { productCategories: ['alimentation'] },
      { name: 'Alimentation', priority: 2 },
    );
    const decision = decide([culture, food], {
      amountCents: 3_000,
      items: [
        { productCategory: 'alimentation', amountCents: 1_000 },
        { productCategory: 'livres', amountCents: 1_500 },
        { productCategory: 'equipement_maison', amountCents: 500 },
      ],
    });
    expect(decision.outcome).toBe('partially_approved');
    expect(splitsOf(decision)).toEqual([
      ['Pass Culture', 1_500],
      ['Alimentation', 1_000],
    ]);
    expect(coverage(decision)).toEqual([
      ['full', 1_000],
      ['full', 1_500],
      ['none', 0],
    ]);
  });

  it('sur trois aides, ne présente à la suivante que le reste de chaque ligne', () => {
    const culture = envelope(
      { productCategories: ['livres'] },
      { name: 'Culture', balanceCents: 1_000 },
    );
    const general = envelope({}, { name: 'Générale', priority: 2, balanceCents: 800 });
    const food = envelope(
      { productCategories: ['alimentation'] },
      { name: 'Alimentation', priority: 3 },
    );
    const decision = decide([food, general, culture], {
      amountCents: 2_500,
      items: [
        { productCategory: 'livres', amountCents: 1_500 },
        { productCategory: 'alimentation', amountCents: 1_000 },
      ],
    });
    // Culture pays 10 € of the books; the general aid the 5 € of books left, then 3 € of food.
    expect(splitsOf(decision)).toEqual([
      ['Culture', 1_000],
      ['Générale', 800],
      ['Alimentation', 700],
    ]);
    expect(decision.outcome).toBe('approved');
    expect(coverage(decision)).toEqual([
      ['full', 1_500],
      ['full', 1_000],
    ]);
    expect(decision.itemsCovered?.map((line) => line.paidBy)).toEqual([
      [
        { attributionId: culture.attributionId, amountCents: 1_000 },
        { attributionId: general.attributionId, amountCents: 500 },
      ],
      [
        { attributionId: general.attributionId, amountCents: 300 },
        { attributionId: food.attributionId, amountCents: 700 },
      ],
    ]);
  });

  it('respecte le sous-plafond d’une catégorie en répartissant sur les lignes', () => {
    const culture = envelope(
      {
        productCategories: ['livres', 'biens_numeriques'],
        groupCaps: [{ group: 'biens_numeriques', maximumCents: 500 }],
      },
      { name: 'Culture' },
    );
    const digital = envelope(
      { productCategories: ['biens_numeriques'] },
      { name: 'Numérique', priority: 2 },
    );
    const decision = decide([culture, digital], {
      amountCents: 3_000,
      items: [
        { productCategory: 'biens_numeriques', amountCents: 2_000 },
        { productCategory: 'livres', amountCents: 1_000 },
      ],
    });
    // Culture pays 5 € of the digital line (its sub-cap) and the books; the rest goes on.
    expect(splitsOf(decision)).toEqual([
      ['Culture', 1_500],
      ['Numérique', 1_500],
    ]);
    expect(coverage(decision)).toEqual([
      ['full', 2_000],
      ['full', 1_000],
    ]);
  });

  it('dit quelles lignes sont couvertes en partie quand le solde manque', () => {
    const culture = envelope({ productCategories: ['livres', 'cinema'] }, { balanceCents: 1_200 });
    const decision = decide([culture], {
      amountCents: 2_000,
      items: [
        { productCategory: 'livres', amountCents: 1_000 },
        { productCategory: 'cinema', amountCents: 1_000 },
      ],
    });
    expect(coverage(decision)).toEqual([
      ['full', 1_000],
      ['partial', 200],
    ]);
  });

  it('ne couvre aucune ligne quand le paiement est refusé', () => {
    const decision = decide([envelope({ productCategories: ['livres'] }, { balanceCents: 100 })], {
      partialAllowed: false,
      items: [{ productCategory: 'livres', amountCents: 2_000 }],
    });
    expect(decision.declineCode).toBe('partial_not_accepted');
    expect(coverage(decision)).toEqual([['none', 0]]);
  });

  it.each([
    [
      'trop de lignes',
      Array.from({ length: MAX_PAYMENT_ITEMS + 1 }, () => ({
        productCategory: 'livres',
        amountCents: 10,
      })),
    ],
    [
      'une ligne à zéro',
      [
        { productCategory: 'livres', amountCents: 0 },
        { productCategory: 'livres', amountCents: 2_000 },
      ],
    ],
    ['une catégorie vide', [{ productCategory: '', amountCents: 2_000 }]],
    [
      'des centimes non entiers',
      [
        { productCategory: 'livres', amountCents: 1_999.5 },
        { productCategory: 'livres', amountCents: 0.5 },
      ],
    ],
  ])('refuse un panier invalide : %s', (_name, items) => {
    const amountCents = items.reduce((total, item) => total + item.amountCents, 0);
    const decision = decide([envelope({})], { amountCents, items });
    expect(decision.declineCode).toBe('invalid_basket');
    expect(decision.itemsCovered).toBeNull();
  });
});

describe('propriétés sur des portefeuilles tirés au hasard (graine fixe)', () => {
  const TEMPLATES: UsageRules[] = [
    {},
    { categories: { groups: ['culture'] } },
    { categories: { groups: ['alimentation'] } },
    { productCategories: ['livres'] },
    { productCategories: ['alimentation', 'circuits_courts'] },
    {
      productCategories: ['livres', 'biens_numeriques'],
      groupCaps: [{ group: 'biens_numeriques', maximumCents: 1_000 }],
    },
    { caps: { dailyCents: 2_000, weeklyCents: 5_000 } },
    { caps: { monthlyCents: 8_000, lifetimeCents: 20_000 } },
    { perPayment: { minimumCents: 300, maximumCents: 2_500 } },
    { maximumShareBasisPoints: 7_000 },
    { validity: { untilDate: '2026-10-31' } },
    { validity: { fromDate: '2026-10-15' } },
    { hours: [{ from: '09:00', until: '19:00' }], weekdays: [1, 2, 3, 4, 5, 6] },
    { groupCaps: [{ group: 'livres', maximumCents: 1_500 }] },
  ];
  const COMPILED = TEMPLATES.map((usage) => compileRules(ruleSet(usage, 1), reference).checkUsage);
  const SITES = [BOOKSHOP, GROCERY, { ...BOOKSHOP, id: 'cinema-1', mcc: '7832', naf: '59.14Z' }];
  const INSTANTS = [AT, '2026-10-12T06:00:00Z', '2026-10-20T15:00:00Z', '2026-11-02T10:00:00Z'];
  const CATEGORIES = ['livres', 'alimentation', 'biens_numeriques', 'cinema', 'circuits_courts'];
  const FIRST_LIMITING = PAYMENT_REFUSAL_PRECEDENCE.indexOf('items_partially_eligible');

  type Generated = {
    wallet: WalletEnvelope[];
    templates: Map<number, UsageRules>;
    merchant: MerchantFacts;
    payment: PaymentRequest;
  };

  function generate(random: () => number, round: number): Generated {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const upTo = (maximum: number) => Math.floor(random() * (maximum + 1));
    const templates = new Map<number, UsageRules>();
    const wallet = Array.from({ length: 1 + upTo(3) }, (_, index) => {
      const template = Math.floor(random() * TEMPLATES.length);
      const attributionId = round * 10 + index;
      templates.set(attributionId, TEMPLATES[template] as UsageRules);
      const spentTodayCents = upTo(2_500);
      const balanceCents = upTo(10_000);
      const creditedAt = pick(['2026-09-01T08:00:00Z', '2026-10-01T08:00:00Z']);
      return {
        attributionId,
        envelopeAccountId: attributionId + 1_000_000,
        programmeId: attributionId,
        programmeName: `Aide ${attributionId}`,
        funderOrganisationId: 1,
        priority: 1 + upTo(2),
        creditedAt,
        validUntil:
          random() < 0.5 ? null : pick(['2026-10-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z']),
        status: random() < 0.1 ? 'suspended' : 'credited',
        availableCents: random() < 0.7 ? balanceCents : upTo(10_000) - 500,
        state: {
          creditedAt,
          balanceCents,
          spentTodayCents,
          spentThisWeekCents: spentTodayCents + upTo(3_000),
          spentThisMonthCents: spentTodayCents + upTo(8_000),
          spentLifetimeCents: spentTodayCents + upTo(20_000),
          spentByGroupCents: { biens_numeriques: upTo(1_200), livres: upTo(1_600) },
        },
        checkUsage: COMPILED[template] as WalletEnvelope['checkUsage'],
      } satisfies WalletEnvelope;
    });
    const approved = new Set(wallet.filter(() => random() < 0.9).map((item) => item.programmeId));
    let items: PaymentRequest['items'];
    let amountCents = 1 + upTo(6_000);
    if (random() < 0.5) {
      items = Array.from({ length: 1 + upTo(4) }, () => ({
        productCategory: pick(CATEGORIES),
        amountCents: 1 + upTo(2_000),
      }));
      amountCents = items.reduce((total, item) => total + item.amountCents, 0);
    }
    return {
      wallet,
      templates,
      merchant: { ...pick(SITES), approvedProgrammeIds: approved },
      payment: { amountCents, at: pick(INSTANTS), partialAllowed: random() < 0.5, items },
    };
  }

  function capsRespected(usage: UsageRules, envelope: WalletEnvelope, paidCents: number): boolean {
    const state = envelope.state;
    const limits = [
      Math.max(0, Math.min(state.balanceCents, envelope.availableCents)),
      (usage.caps?.dailyCents ?? Infinity) - state.spentTodayCents,
      (usage.caps?.weeklyCents ?? Infinity) - state.spentThisWeekCents,
      (usage.caps?.monthlyCents ?? Infinity) - state.spentThisMonthCents,
      (usage.caps?.lifetimeCents ?? Infinity) - state.spentLifetimeCents,
      usage.perPayment?.maximumCents ?? Infinity,
    ];
    return limits.every((limit) => paidCents <= limit);
  }

  function checkInvariants(generated: Generated, decision: PaymentDecision): void {
    const { wallet, templates, merchant, payment } = generated;
    const byId = new Map(wallet.map((item) => [item.attributionId, item]));
    const total = decision.splits.reduce((sum, split) => sum + split.amountCents, 0);
    expect(total).toBe(decision.approvedCents);
    expect(decision.approvedCents).toBeLessThanOrEqual(payment.amountCents);
    expect(new Set(decision.splits.map((split) => split.attributionId)).size).toBe(
      decision.splits.length,
    );
    expect(decision.considered.reduce((sum, entry) => sum + entry.usedCents, 0)).toBe(total);
    expect(decision.considered).toHaveLength(wallet.length);
    for (let index = 1; index < decision.considered.length; index += 1) {
      const before = byId.get(decision.considered[index - 1]?.attributionId ?? -1);
      const after = byId.get(decision.considered[index]?.attributionId ?? -1);
      if (before === undefined || after === undefined) throw new Error('aide inconnue');
      const candidate = (item: WalletEnvelope) => ({ ...item, envelopeId: item.attributionId });
      expect(compareForPayment(candidate(before), candidate(after))).toBeLessThan(0);
    }
    for (const split of decision.splits) {
      const envelope = byId.get(split.attributionId) as WalletEnvelope;
      expect(split.envelopeAccountId).toBe(envelope.envelopeAccountId);
      expect(envelope.status).toBe('credited');
      expect(merchant.approvedProgrammeIds.has(envelope.programmeId)).toBe(true);
      expect(
        capsRespected(templates.get(split.attributionId) ?? {}, envelope, split.amountCents),
      ).toBe(true);
    }
    for (const entry of decision.considered) {
      if (entry.usedCents === 0) continue;
      const ranks = entry.refusals.map((refusal) =>
        PAYMENT_REFUSAL_PRECEDENCE.indexOf(refusal.code),
      );
      expect(ranks.every((rank) => rank >= FIRST_LIMITING)).toBe(true);
      expect(entry.usedCents).toBeLessThanOrEqual(entry.coverableCents);
    }
    checkOutcome(generated, decision);
    checkLines(generated, decision);
  }

  function checkOutcome({ payment }: Generated, decision: PaymentDecision): void {
    if (decision.outcome === 'approved') expect(decision.approvedCents).toBe(payment.amountCents);
    if (decision.outcome === 'partially_approved') {
      expect(payment.partialAllowed).toBe(true);
      expect(decision.approvedCents).toBeGreaterThan(0);
      expect(decision.approvedCents).toBeLessThan(payment.amountCents);
    }
    if (decision.outcome === 'declined') {
      expect(decision.approvedCents).toBe(0);
      expect(decision.declineCode).not.toBeNull();
      expect(decision.summary.startsWith('Paiement refusé — ')).toBe(true);
    } else {
      expect(decision.declineCode).toBeNull();
      expect(decision.summary.startsWith('Paiement accepté')).toBe(true);
    }
  }

  /** What an envelope pays on the lines of a capped group stays under that group's sub-cap. */
  function checkGroupCaps(
    { wallet, templates }: Generated,
    lines: readonly ItemCoverage[],
    attributionId: number,
  ): void {
    const envelope = wallet.find((item) => item.attributionId === attributionId);
    for (const cap of templates.get(attributionId)?.groupCaps ?? []) {
      const paidCents = lines
        .filter((line) => line.productCategory === cap.group)
        .flatMap((line) => line.paidBy.filter((payer) => payer.attributionId === attributionId))
        .reduce((sum, payer) => sum + payer.amountCents, 0);
      const spentCents = envelope?.state.spentByGroupCents[cap.group] ?? 0;
      expect(paidCents).toBeLessThanOrEqual(Math.max(0, cap.maximumCents - spentCents));
    }
  }

  /** Each line is paid once in all, only by envelopes that accept its category. */
  function checkLines(generated: Generated, decision: PaymentDecision): void {
    const { templates, payment } = generated;
    if (payment.items === undefined) return expect(decision.itemsCovered).toBeNull();
    const lines = decision.itemsCovered ?? [];
    expect(lines.reduce((sum, line) => sum + line.coveredCents, 0)).toBe(decision.approvedCents);
    const paidByEnvelope = new Map<number, number>();
    for (const line of lines) {
      expect(line.coveredCents).toBeLessThanOrEqual(line.amountCents);
      expect(line.paidBy.reduce((sum, payer) => sum + payer.amountCents, 0)).toBe(
        line.coveredCents,
      );
      for (const payer of line.paidBy) {
        const allowed = templates.get(payer.attributionId)?.productCategories;
        expect(allowed === undefined || allowed.includes(line.productCategory)).toBe(true);
        paidByEnvelope.set(
          payer.attributionId,
          (paidByEnvelope.get(payer.attributionId) ?? 0) + payer.amountCents,
        );
      }
    }
    for (const split of decision.splits) checkGroupCaps(generated, lines, split.attributionId);
    expect(Object.fromEntries(paidByEnvelope)).toEqual(
      Object.fromEntries(decision.splits.map((split) => [split.attributionId, split.amountCents])),
    );
  }

  it('les parts s’additionnent, rien ne dépasse solde, plafonds ni règles, quel que soit l’ordre donné', () => {
    const random = seededRandom(20_261_010);
    const outcomes = { approved: 0, partially_approved: 0, declined: 0 };
    for (let round = 0; round < 2_000; round += 1) {
      const generated = generate(random, round);
      const decision = decidePayment(generated.wallet, generated.merchant, generated.payment);
      checkInvariants(generated, decision);
      const reversed = decidePayment(
        [...generated.wallet].reverse(),
        generated.merchant,
        generated.payment,
      );
      expect(reversed).toEqual(decision);
      outcomes[decision.outcome] += 1;
    }
    // The generator reaches every outcome often enough for the invariants to mean something.
    expect(Math.min(...Object.values(outcomes))).toBeGreaterThan(200);
  });
});

describe('mesure', () => {
  it('mesure le nombre de décisions par seconde sur un portefeuille de trois aides', () => {
    const wallet = [
      envelope(
        { categories: { groups: ['culture'] }, caps: { dailyCents: 5_000 } },
        { balanceCents: 1_000 },
      ),
      envelope(
        { zones: [{ kind: 'departement', code: '69' }] },
        { priority: 2, balanceCents: 800 },
      ),
      envelope({ validity: { untilDate: '2026-12-31' } }, { priority: 3 }),
    ];
    const result = benchmarkDecisions(2_000, [
      {
        envelopes: wallet,
        merchant: merchantFor(wallet),
        payment: request({ amountCents: 2_500 }),
      },
    ]);
    expect(result).toMatchObject({ decisions: 2_000, approved: 2_000 });
    expect(result.decisionsPerSecond).toBeGreaterThan(0);
  });
});
