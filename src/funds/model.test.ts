import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitProRata, validateFund, type FundRequest } from './model.js';

const FUND: FundRequest = {
  name: 'Fonds régional pour la mobilité',
  startsOn: '2026-01-01',
  endsOn: '2028-12-31',
  contributors: [
    { organisationId: 1, committedCents: 60_000_000_00 },
    { organisationId: 2, committedCents: 28_000_000_00 },
  ],
  axes: [
    { name: 'Permis de conduire', budgetCents: 24_000_000_00 },
    { name: 'Transports', budgetCents: 34_000_000_00 },
    { name: 'Vélo', budgetCents: 30_000_000_00 },
  ],
};

describe('fonds : règles', () => {
  it('accepte un fonds de 88 M€ réparti 24 + 34 + 30', () => {
    expect(validateFund(FUND)).toBeUndefined();
  });

  it.each([
    ['un nom vide', { ...FUND, name: ' ' }, 'name_invalid'],
    ['une fin avant le début', { ...FUND, endsOn: '2025-12-31' }, 'period_invalid'],
    ['sans contributeur', { ...FUND, contributors: [] }, 'contributors_missing'],
    [
      'un contributeur en double',
      { ...FUND, contributors: [FUND.contributors[0]!, FUND.contributors[0]!] },
      'contributor_duplicate',
    ],
    ['sans axe', { ...FUND, axes: [] }, 'axes_missing'],
    [
      'deux axes du même nom',
      { ...FUND, axes: [FUND.axes[0]!, { ...FUND.axes[1]!, name: 'PERMIS DE CONDUIRE' }] },
      'axis_name_duplicate',
    ],
    [
      'un engagement négatif',
      { ...FUND, contributors: [{ organisationId: 1, committedCents: -5 }] },
      'amount_invalid',
    ],
    [
      'un montant à virgule',
      { ...FUND, axes: [{ name: 'A', budgetCents: 10.5 }] },
      'amount_invalid',
    ],
    [
      'un montant hors de la plage sûre',
      { ...FUND, contributors: [{ organisationId: 1, committedCents: 2 ** 60 }] },
      'amount_invalid',
    ],
    [
      'des axes au-delà des engagements',
      { ...FUND, axes: [{ name: 'Tout', budgetCents: 88_000_000_01 }] },
      'axes_exceed_commitments',
    ],
  ])('refuse %s', (_name, request, refusal) => {
    expect(validateFund(request as FundRequest)).toBe(refusal);
  });
});

describe('partage au prorata', () => {
  it('partage entre 2/3 et 1/3 au centime près', () => {
    expect(
      splitProRata(150_00, [
        { key: 'etat', availableCents: 200_00 },
        { key: 'region', availableCents: 100_00 },
      ]),
    ).toEqual([
      { key: 'etat', amountCents: 100_00 },
      { key: 'region', amountCents: 50_00 },
    ]);
    expect(
      splitProRata(100, [
        { key: 'a', availableCents: 1_000 },
        { key: 'b', availableCents: 1_000 },
        { key: 'c', availableCents: 1_000 },
      ])?.map((share) => share.amountCents),
    ).toEqual([34, 33, 33]);
  });

  it('refuse de prendre plus que ce que les détenteurs ont', () => {
    expect(splitProRata(301, [{ key: 'a', availableCents: 300 }])).toBeUndefined();
    expect(splitProRata(-1, [{ key: 'a', availableCents: 300 }])).toBeUndefined();
  });

  it('la somme est exacte, chaque part entière et jamais au-delà de ce que chacun détient', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000_000_00 }), { minLength: 1, maxLength: 16 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (availables, fraction) => {
          const held = availables.reduce((total, value) => total + value, 0);
          const total = Math.floor(held * fraction);
          const shares = splitProRata(
            total,
            availables.map((availableCents, key) => ({ key, availableCents })),
          );
          expect(shares).toBeDefined();
          const amounts = (shares ?? []).map((share) => share.amountCents);
          expect(amounts.reduce((sum, value) => sum + value, 0)).toBe(total);
          amounts.forEach((amount, index) => {
            expect(Number.isSafeInteger(amount)).toBe(true);
            expect(amount).toBeGreaterThanOrEqual(0);
            expect(amount).toBeLessThanOrEqual(availables[index]!);
            // Within one cent of the exact proportion.
            if (held > 0)
              expect(Math.abs(amount - (total * availables[index]!) / held)).toBeLessThan(1.000001);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
