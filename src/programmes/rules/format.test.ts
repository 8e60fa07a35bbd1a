import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatBasisPoints,
  formatCents,
  formatEuros,
  formatInteger,
  formatNumber,
  joinFrench,
} from './format.js';

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 2 });

describe('formats français', () => {
  it('écrit les centimes exactement comme Intl.NumberFormat fr-FR', () => {
    expect(formatCents(120_000)).toBe('1\u202f200,00\u00a0€');
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), (cents) => {
        expect(formatCents(cents)).toBe(euros.format(cents / 100));
      }),
    );
  });

  it('écrit les taux comme Intl', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (basisPoints) => {
        expect(formatBasisPoints(basisPoints)).toBe(percent.format(basisPoints / 10_000));
      }),
    );
    expect(formatBasisPoints(1_250)).toBe('12,5\u00a0%');
  });

  it('écrit les nombres, les euros et les listes', () => {
    expect(formatInteger(1_234_567)).toBe('1\u202f234\u202f567');
    expect(formatEuros(612)).toBe('612\u00a0€');
    expect(formatEuros(612.5)).toBe('612,50\u00a0€');
    expect(formatNumber(12.5)).toBe('12,5');
    expect(formatNumber(1_450)).toBe('1\u202f450');
    expect(joinFrench([])).toBe('');
    expect(joinFrench(['a'])).toBe('a');
    expect(joinFrench(['a', 'b'], 'ou')).toBe('a ou b');
    expect(joinFrench(['a', 'b', 'c'])).toBe('a, b et c');
  });
});
