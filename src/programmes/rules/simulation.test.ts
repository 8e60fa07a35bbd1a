import { describe, expect, it } from 'vitest';
import { compileRules } from './engine.js';
import type { BeneficiaryFacts } from './facts.js';
import type { RuleSet } from './schema.js';
import {
  compareSimulations,
  departementOfCommune,
  simulate,
  PROGRESS_INTERVAL,
  UNKNOWN_ZONE_CODE,
} from './simulation.js';
import { testReference } from './test-reference.js';

const reference = testReference();

function backToSchool(maximumEuros: number): RuleSet {
  return {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'dependent_children', minimum: 1 },
        { type: 'household_quotient', maximumEuros },
      ],
    },
    amount: {
      type: 'per_unit',
      unit: 'dependent_child',
      unitAmount: { type: 'fixed', amountCents: 10_000 },
      rounding: 'down',
    },
    usage: {},
    stacking: { priority: 0 },
  };
}

const BASE: { facts: BeneficiaryFacts }[] = [
  { facts: { communeCode: '69123', dependentChildren: 2, householdQuotientEuros: 400 } },
  { facts: { communeCode: '69266', dependentChildren: 1, householdQuotientEuros: 650 } },
  { facts: { communeCode: '33063', dependentChildren: 3, householdQuotientEuros: 900 } },
  { facts: { communeCode: '33063', dependentChildren: 0, householdQuotientEuros: 100 } },
  { facts: { dependentChildren: 1, householdQuotientEuros: 300 } },
];

describe('simulation', () => {
  it('compte les éligibles, le coût, la répartition par commune, département et montant', () => {
    const report = simulate(compileRules(backToSchool(700), reference), BASE, '2026-09-01');
    expect(report).toEqual({
      referenceDate: '2026-09-01',
      evaluated: 5,
      eligible: 3,
      totalCents: 40_000,
      byCommune: [
        { communeCode: '33063', evaluated: 2, eligible: 0, totalCents: 0 },
        { communeCode: '69123', evaluated: 1, eligible: 1, totalCents: 20_000 },
        { communeCode: '69266', evaluated: 1, eligible: 1, totalCents: 10_000 },
        { communeCode: UNKNOWN_ZONE_CODE, evaluated: 1, eligible: 1, totalCents: 10_000 },
      ],
      byDepartement: [
        { departementCode: '33', evaluated: 2, eligible: 0, totalCents: 0 },
        { departementCode: '69', evaluated: 2, eligible: 2, totalCents: 30_000 },
        { departementCode: UNKNOWN_ZONE_CODE, evaluated: 1, eligible: 1, totalCents: 10_000 },
      ],
      amountDistribution: [
        { amountCents: 10_000, count: 2 },
        { amountCents: 20_000, count: 1 },
      ],
      unmetConditions: [
        { path: 'eligibility.conditions.0', code: 'dependent_children', count: 1 },
        { path: 'eligibility.conditions.1', code: 'household_quotient', count: 1 },
      ],
    });
  });

  it('compare deux versions sur la même base', () => {
    const base = simulate(compileRules(backToSchool(700), reference), BASE, '2026-09-01');
    const candidate = simulate(compileRules(backToSchool(1_000), reference), BASE, '2026-09-01');
    const comparison = compareSimulations(base, candidate);
    expect(comparison.eligibleDelta).toBe(1);
    expect(comparison.totalCentsDelta).toBe(30_000);
    expect(comparison.byDepartement).toEqual([
      {
        departementCode: '33',
        baseEligible: 0,
        candidateEligible: 1,
        eligibleDelta: 1,
        baseTotalCents: 0,
        candidateTotalCents: 30_000,
        totalCentsDelta: 30_000,
      },
      {
        departementCode: '69',
        baseEligible: 2,
        candidateEligible: 2,
        eligibleDelta: 0,
        baseTotalCents: 30_000,
        candidateTotalCents: 30_000,
        totalCentsDelta: 0,
      },
      {
        departementCode: UNKNOWN_ZONE_CODE,
        baseEligible: 1,
        candidateEligible: 1,
        eligibleDelta: 0,
        baseTotalCents: 10_000,
        candidateTotalCents: 10_000,
        totalCentsDelta: 0,
      },
    ]);
    expect(
      comparison.byCommune.find((entry) => entry.communeCode === '33063')?.totalCentsDelta,
    ).toBe(30_000);
  });

  it('signale l’avancement des grandes bases, et la fin', () => {
    const progress: number[] = [];
    function* large() {
      for (let index = 0; index < 2 * PROGRESS_INTERVAL + 5; index += 1) {
        yield {
          facts: {
            communeCode: '97411',
            dependentChildren: index % 3,
            householdQuotientEuros: index % 1_000,
          },
        };
      }
    }
    const report = simulate(
      compileRules(backToSchool(700), reference),
      large(),
      '2026-09-01',
      (done) => progress.push(done),
    );
    expect(progress).toEqual([PROGRESS_INTERVAL, 2 * PROGRESS_INTERVAL, 2 * PROGRESS_INTERVAL + 5]);
    expect(report.byDepartement.map((entry) => entry.departementCode)).toEqual(['974']);
    expect(report.totalCents).toBe(
      report.amountDistribution.reduce((sum, entry) => sum + entry.amountCents * entry.count, 0),
    );
  });

  it('tire le département du code INSEE de la commune', () => {
    expect(departementOfCommune('69123')).toBe('69');
    expect(departementOfCommune('2A004')).toBe('2A');
    expect(departementOfCommune('97411')).toBe('974');
    expect(departementOfCommune('98735')).toBe('987');
  });
});
