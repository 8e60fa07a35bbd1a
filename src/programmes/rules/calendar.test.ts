import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageInYears,
  dateOfDayNumber,
  dayNumberOf,
  formatDateFrench,
  isValidDate,
  isoWeekdayOfDayNumber,
  parisDayNumber,
  parisMidnightMs,
  parisOffsetMs,
  parseInstant,
} from './calendar.js';

const HOUR_MS = 3_600_000;

function intlParisOffsetMs(epochMs: number): number {
  const name = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    timeZoneName: 'shortOffset',
  })
    .formatToParts(epochMs)
    .find((part) => part.type === 'timeZoneName')?.value;
  return name === 'GMT+2' ? 2 * HOUR_MS : HOUR_MS;
}

describe('dates', () => {
  it('compte les jours depuis 1970 comme Date.UTC, dans les deux sens', () => {
    fc.assert(
      fc.property(fc.integer({ min: -600_000, max: 800_000 }), (dayNumber) => {
        const { year, month, day } = dateOfDayNumber(dayNumber);
        expect(Date.UTC(year, month - 1, day) / 86_400_000).toBe(dayNumber);
        expect(dayNumberOf(year, month, day)).toBe(dayNumber);
      }),
    );
  });

  it('refuse les jours qui n’existent pas', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-04-31')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('2026-1-01')).toBe(false);
    expect(isValidDate('2026-01-01T00:00')).toBe(false);
    expect(isValidDate('1900-02-29')).toBe(false);
    expect(isValidDate('2000-02-29')).toBe(true);
  });

  it('calcule l’âge en années révolues, le jour de l’anniversaire compris', () => {
    expect(ageInYears('2001-09-01', '2026-08-31')).toBe(24);
    expect(ageInYears('2001-09-01', '2026-09-01')).toBe(25);
    expect(ageInYears('2026-09-01', '2026-09-01')).toBe(0);
    expect(ageInYears('2026-09-02', '2026-09-01')).toBeNull();
  });

  it('fait vieillir les personnes nées un 29 février le 1er mars des années non bissextiles', () => {
    expect(ageInYears('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageInYears('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageInYears('2008-02-29', '2028-02-28')).toBe(19);
    expect(ageInYears('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('ajoute des mois en restant dans le mois visé', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-09-01', 24)).toBe('2028-09-01');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('écrit les dates en français', () => {
    expect(formatDateFrench('2026-09-01')).toBe('1er septembre 2026');
    expect(formatDateFrench('2026-08-15')).toBe('15 août 2026');
    expect(formatDateFrench('2027-02-02')).toBe('2 février 2027');
  });

  it('donne le jour de la semaine ISO', () => {
    expect(isoWeekdayOfDayNumber(dayNumberOf(2026, 9, 1))).toBe(2);
    expect(isoWeekdayOfDayNumber(dayNumberOf(2026, 3, 29))).toBe(7);
    expect(isoWeekdayOfDayNumber(dayNumberOf(1970, 1, 5))).toBe(1);
  });
});

describe('instants', () => {
  it('lit un instant ISO 8601 comme Date.parse', () => {
    const instants = fc
      .record({
        epochMs: fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2199, 0, 1) }),
        offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
        form: fc.constantFrom('seconds', 'milliseconds', 'minutes'),
      })
      .map(({ epochMs, offsetMinutes, form }) => {
        const local = new Date(epochMs + offsetMinutes * 60_000).toISOString();
        const sign = offsetMinutes < 0 ? '-' : '+';
        const absolute = Math.abs(offsetMinutes);
        const zone =
          offsetMinutes === 0
            ? 'Z'
            : `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
        const body =
          form === 'milliseconds'
            ? local.slice(0, 23)
            : form === 'seconds'
              ? local.slice(0, 19)
              : local.slice(0, 16);
        return `${body}${zone}`;
      });
    fc.assert(
      fc.property(instants, (text) => {
        expect(parseInstant(text)).toBe(Date.parse(text));
      }),
    );
  });

  it('refuse un instant sans fuseau ou impossible', () => {
    for (const text of [
      '2026-03-29T01:00:00',
      '2026-02-30T01:00:00Z',
      '2026-03-29T24:00:00Z',
      '2026-03-29T01:00:60Z',
      '2026-03-29 01:00:00Z',
      '2026-03-29T01:00:00.Z',
      'demain',
      '',
    ]) {
      expect(parseInstant(text)).toBeNaN();
    }
  });

  it('suit l’heure de Paris à chaque changement d’heure, comme Intl', () => {
    for (let year = 1996; year <= 2040; year += 1) {
      for (const month of [2, 9]) {
        // Around the last Sunday of March and October, every quarter of an hour.
        const start = Date.UTC(year, month, 24);
        for (let epochMs = start; epochMs < start + 9 * 24 * HOUR_MS; epochMs += 15 * 60_000) {
          expect(parisOffsetMs(epochMs)).toBe(intlParisOffsetMs(epochMs));
        }
      }
    }
  });

  it('change d’heure à 01:00 UTC le dernier dimanche de mars et d’octobre', () => {
    expect(parisOffsetMs(Date.parse('2026-03-29T00:59:59.999Z'))).toBe(HOUR_MS);
    expect(parisOffsetMs(Date.parse('2026-03-29T01:00:00Z'))).toBe(2 * HOUR_MS);
    expect(parisOffsetMs(Date.parse('2026-10-25T00:59:59.999Z'))).toBe(2 * HOUR_MS);
    expect(parisOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(HOUR_MS);
    // Hors de la table précalculée, la règle est appliquée directement.
    expect(parisOffsetMs(Date.parse('2250-07-01T12:00:00Z'))).toBe(2 * HOUR_MS);
    expect(parisOffsetMs(Date.parse('2250-01-01T12:00:00Z'))).toBe(HOUR_MS);
  });

  it('place minuit à Paris et le jour local de chaque instant', () => {
    expect(new Date(parisMidnightMs(dayNumberOf(2026, 3, 29))).toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(new Date(parisMidnightMs(dayNumberOf(2026, 3, 30))).toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
    expect(new Date(parisMidnightMs(dayNumberOf(2026, 10, 25))).toISOString()).toBe(
      '2026-10-24T22:00:00.000Z',
    );
    expect(new Date(parisMidnightMs(dayNumberOf(2026, 10, 26))).toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    );
    expect(parisDayNumber(Date.parse('2026-08-31T22:00:00Z'))).toBe(dayNumberOf(2026, 9, 1));
    expect(parisDayNumber(Date.parse('2026-08-31T21:59:59Z'))).toBe(dayNumberOf(2026, 8, 31));
  });
});
