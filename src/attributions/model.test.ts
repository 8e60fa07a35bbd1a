import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES_PER_TRANSFER } from '../ledger/limits.js';
import {
  ATTRIBUTION_STATUSES,
  decideApproval,
  fundingOf,
  lotCapacity,
  lotTransfer,
  mayCancel,
  mayMove,
  needsSecondApproval,
  returnShares,
  type ApprovalState,
} from './model.js';

describe('les statuts d’une attribution', () => {
  const allowed = new Set([
    'proposed>approved',
    'proposed>revoked',
    'approved>credited',
    'approved>revoked',
    'credited>suspended',
    'credited>revoked',
    'credited>expired',
    'suspended>credited',
    'suspended>revoked',
    'suspended>expired',
  ]);
  it.each(ATTRIBUTION_STATUSES.flatMap((from) => ATTRIBUTION_STATUSES.map((to) => [from, to])))(
    '%s → %s',
    (from, to) => {
      expect(mayMove(from, to)).toBe(allowed.has(`${from}>${to}`));
    },
  );
});

describe('l’approbation d’une campagne', () => {
  const state: ApprovalState = {
    status: 'simulated',
    totalCents: 10_000_00,
    eligibleCount: 100,
    fourEyesThresholdCents: 5_000_00,
    firstApproverPersonId: null,
  };

  it('au seuil exactement, une seule approbation suffit ; un centime au-delà, deux', () => {
    expect(needsSecondApproval(5_000_00, 5_000_00)).toBe(false);
    expect(needsSecondApproval(5_000_01, 5_000_00)).toBe(true);
  });

  it('sous le seuil, la première approbation approuve', () => {
    expect(
      decideApproval({ ...state, fourEyesThresholdCents: 10_000_00 }, { personId: 1 }),
    ).toEqual({ next: 'approved', role: 'first' });
  });

  it('au-delà, la première attend une seconde personne, jamais la même', () => {
    expect(decideApproval(state, { personId: 1 })).toEqual({
      next: 'awaiting_second_approval',
      role: 'first',
    });
    const waiting = {
      ...state,
      status: 'awaiting_second_approval' as const,
      firstApproverPersonId: 1,
    };
    expect(decideApproval(waiting, { personId: 1 })).toBe('second_approver_required');
    expect(decideApproval(waiting, { personId: 2 })).toEqual({ next: 'approved', role: 'second' });
  });

  it('une campagne vide ou déjà approuvée ne s’approuve pas', () => {
    expect(decideApproval({ ...state, eligibleCount: 0 }, { personId: 1 })).toBe('campaign_empty');
    for (const status of [
      'simulating',
      'approved',
      'crediting',
      'completed',
      'stopped',
      'cancelled',
      'failed',
    ] as const) {
      expect(decideApproval({ ...state, status }, { personId: 1 })).toBe('campaign_not_approvable');
    }
  });

  it('on n’annule que ce qui n’a pas commencé à créditer', () => {
    expect(mayCancel('simulated')).toBe(true);
    expect(mayCancel('awaiting_second_approval')).toBe(true);
    expect(mayCancel('crediting')).toBe(false);
    expect(mayCancel('completed')).toBe(false);
  });
});

const weights = fc
  .array(
    fc.record({
      contributorId: fc.integer({ min: 1, max: 1_000 }),
      weightCents: fc.integer({ min: 0, max: 10 ** 12 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((list) =>
    list.filter(
      (weight, index) =>
        list.findIndex((other) => other.contributorId === weight.contributorId) === index,
    ),
  );

describe('le financement d’une enveloppe et son retour', () => {
  it('le financement fait exactement le montant, jamais plus qu’un contributeur n’a', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 1, max: 10 ** 9 }), (list, amountCents) => {
        const funding = fundingOf(amountCents, list);
        const held = list.reduce((total, weight) => total + weight.weightCents, 0);
        if (held < amountCents) {
          expect(funding).toBeUndefined();
          return;
        }
        const shares = Object.entries(funding!);
        expect(shares.reduce((total, [, cents]) => total + cents, 0)).toBe(amountCents);
        for (const [contributorId, cents] of shares) {
          expect(cents).toBeLessThanOrEqual(
            list.find((weight) => weight.contributorId === Number(contributorId))!.weightCents,
          );
        }
      }),
    );
  });

  it('trois contributeurs, un centime qui reste : le retour tombe juste', () => {
    const funding = fundingOf(100, [
      { contributorId: 1, weightCents: 1_000 },
      { contributorId: 2, weightCents: 1_000 },
      { contributorId: 3, weightCents: 1_000 },
    ])!;
    expect(funding).toEqual({ '1': 34, '2': 33, '3': 33 });
    expect(returnShares(1, funding)).toEqual({ '1': 1 });
    expect(returnShares(99, funding)).toEqual({ '1': 33, '2': 33, '3': 33 });
  });

  it('le retour fait exactement le reste, jamais plus que la part de chacun', () => {
    fc.assert(
      fc.property(
        weights,
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (list, amountCents, spentShare) => {
          const funding = fundingOf(amountCents, list);
          if (funding === undefined) return;
          const remaining = Math.floor(amountCents * spentShare);
          const returned = returnShares(remaining, funding);
          expect(Object.values(returned).reduce((total, cents) => total + cents, 0)).toBe(
            remaining,
          );
          for (const [contributorId, cents] of Object.entries(returned)) {
            expect(cents).toBeLessThanOrEqual(funding[contributorId]!);
          }
        },
      ),
    );
  });
});

describe('un lot d’enveloppes', () => {
  const reserves = [
    { contributorId: 1, accountId: 101 },
    { contributorId: 2, accountId: 102 },
  ];

  it('tient dans un virement : une écriture par réserve et par enveloppe', () => {
    expect(lotCapacity(2)).toBe(MAX_ENTRIES_PER_TRANSFER - 2);
    expect(() => lotCapacity(MAX_ENTRIES_PER_TRANSFER)).toThrow(RangeError);
  });

  it('est équilibré : chaque réserve paie la somme de ses parts', () => {
    const transfer = lotTransfer(
      'platform:campagne:1:lot:0',
      [
        { attributionId: 1, envelopeAccountId: 201, funding: { '1': 70, '2': 30 } },
        { attributionId: 2, envelopeAccountId: 202, funding: { '1': 71 } },
      ],
      reserves,
    );
    expect(transfer.entries).toEqual([
      { accountId: 101, amountCents: -141 },
      { accountId: 102, amountCents: -30 },
      { accountId: 201, amountCents: 100 },
      { accountId: 202, amountCents: 71 },
    ]);
  });

  it('refuse un lot vide, trop grand, ou financé par un inconnu', () => {
    expect(() => lotTransfer('x', [], reserves)).toThrow(RangeError);
    const items = Array.from({ length: lotCapacity(2) + 1 }, (_, index) => ({
      attributionId: index,
      envelopeAccountId: 300 + index,
      funding: { '1': 1 },
    }));
    expect(() => lotTransfer('x', items, reserves)).toThrow(RangeError);
    expect(() =>
      lotTransfer('x', [{ attributionId: 1, envelopeAccountId: 2, funding: { '9': 5 } }], reserves),
    ).toThrow(RangeError);
  });
});
