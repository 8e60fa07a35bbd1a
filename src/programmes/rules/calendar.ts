// Calendar arithmetic on plain strings and integers: the engine compares dates as YYYY-MM-DD
// strings, counts days from 1970-01-01, and places instants in Europe/Paris with the EU
// summer-time rule instead of `Intl`, which is far too slow for a million checks per second.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

const MONTH_NAMES = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Reads `length` decimal digits of `text` from `start`; the caller has checked the format. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index += 1) {
    value = value * 10 + (text.charCodeAt(index) - 48);
  }
  return value;
}

/** True when the first ten characters of `text` are a YYYY-MM-DD day that exists. */
function startsWithValidDate(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  if (!allDigits(text, 0, 4) || !allDigits(text, 5, 2) || !allDigits(text, 8, 2)) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a YYYY-MM-DD string naming a day that exists (no 30 February). */
export function isValidDate(text: string): boolean {
  return text.length === 10 && startsWithValidDate(text);
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar. Years are shifted to start in
 * March so that the leap day falls at the end of the counted year.
 */
export function dayNumberOf(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const cycle = Math.floor(shiftedYear / 400);
  const yearOfCycle = shiftedYear - cycle * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfCycle =
    yearOfCycle * 365 + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100) + dayOfYear;
  return cycle * 146_097 + dayOfCycle - 719_468;
}

// Day numbers of the first of each month from 1900 to 2199: parsing an instant then costs one
// table read instead of a calendar computation.
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const MONTH_STARTS = new Float64Array(TABLE_YEARS * 12);
for (let index = 0; index < MONTH_STARTS.length; index += 1) {
  MONTH_STARTS[index] = dayNumberOf(TABLE_FIRST_YEAR + Math.floor(index / 12), (index % 12) + 1, 1);
}

/** `dayNumberOf` for a valid date, through the table when the year is in it. */
function fastDayNumber(year: number, month: number, day: number): number {
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (index >= 0 && index < MONTH_STARTS.length) return (MONTH_STARTS[index] as number) + day - 1;
  return dayNumberOf(year, month, day);
}

/** The inverse of `dayNumberOf`. */
export function dateOfDayNumber(dayNumber: number): { year: number; month: number; day: number } {
  const shifted = dayNumber + 719_468;
  const cycle = Math.floor(shifted / 146_097);
  const dayOfCycle = shifted - cycle * 146_097;
  const yearOfCycle = Math.floor(
    (dayOfCycle -
      Math.floor(dayOfCycle / 1460) +
      Math.floor(dayOfCycle / 36_524) -
      Math.floor(dayOfCycle / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfCycle - (365 * yearOfCycle + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Day number of a valid YYYY-MM-DD string. */
export function dayNumberOfDate(text: string): number {
  return fastDayNumber(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

export function dateOfParts(year: number, month: number, day: number): string {
  const yearText = String(year).padStart(4, '0');
  return `${yearText}-${twoDigits(month)}-${twoDigits(day)}`;
}

export function dateOfDayNumberText(dayNumber: number): string {
  const { year, month, day } = dateOfDayNumber(dayNumber);
  return dateOfParts(year, month, day);
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumberText(dayNumberOfDate(date) + days);
}

/**
 * The same day `months` later; when that month is shorter (31 January + 1 month), the last
 * day of that month, so that a validity never runs into the month after.
 */
export function addMonths(date: string, months: number): string {
  const monthIndex = digitsAt(date, 0, 4) * 12 + digitsAt(date, 5, 2) - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(digitsAt(date, 8, 2), daysInMonth(year, month));
  return dateOfParts(year, month, day);
}

/**
 * Completed years between two valid dates, or null when the birth date comes after `atDate`.
 * Month and day are compared as the strings "MM-DD": someone born on 29 February has
 * "02-29" > "02-28", so in a non-leap year they turn a year older on 1 March, as in the
 * civil-status practice of counting a year as completed once its last day has passed.
 */
export function ageInYears(birthDate: string, atDate: string): number | null {
  if (birthDate > atDate) return null;
  let years = digitsAt(atDate, 0, 4) - digitsAt(birthDate, 0, 4);
  if (atDate.slice(5) < birthDate.slice(5)) years -= 1;
  return years;
}

/** « 1er septembre 2026 », « 2 septembre 2026 ». */
export function formatDateFrench(date: string): string {
  const day = digitsAt(date, 8, 2);
  const month = MONTH_NAMES[digitsAt(date, 5, 2) - 1] ?? '';
  return `${day === 1 ? '1er' : day} ${month} ${digitsAt(date, 0, 4)}`;
}

/** 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday). */
function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** ISO weekday: 1 for Monday … 7 for Sunday. */
export function isoWeekdayOfDayNumber(dayNumber: number): number {
  const weekday = weekdayOfDayNumber(dayNumber);
  return weekday === 0 ? 7 : weekday;
}

function lastSundayDayNumber(year: number, month: number): number {
  const lastDay = dayNumberOf(year, month, daysInMonth(year, month));
  return lastDay - weekdayOfDayNumber(lastDay);
}

/** Summer time in the EU: from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
function summerTimeStartMs(year: number): number {
  return lastSundayDayNumber(year, 3) * DAY_MS + HOUR_MS;
}

function summerTimeEndMs(year: number): number {
  return lastSundayDayNumber(year, 10) * DAY_MS + HOUR_MS;
}

// Every change of the EU rule from 1970 to 2199, in order: an instant after an odd number of
// them is in summer time. The last stretch found answers most calls with two comparisons; a
// binary search answers the others.
const CHANGES_FIRST_YEAR = 1970;
const CHANGES_LAST_YEAR = 2199;
const CHANGES = new Float64Array((CHANGES_LAST_YEAR - CHANGES_FIRST_YEAR + 1) * 2);
for (let year = CHANGES_FIRST_YEAR; year <= CHANGES_LAST_YEAR; year += 1) {
  CHANGES[(year - CHANGES_FIRST_YEAR) * 2] = summerTimeStartMs(year);
  CHANGES[(year - CHANGES_FIRST_YEAR) * 2 + 1] = summerTimeEndMs(year);
}
let stretchStartMs = 0;
let stretchEndMs = -1;
let stretchOffsetMs = HOUR_MS;

/** Offset outside the table: the EU rule computed for the year of the instant. */
function offsetByRule(epochMs: number): number {
  const { year } = dateOfDayNumber(Math.floor(epochMs / DAY_MS));
  return epochMs >= summerTimeStartMs(year) && epochMs < summerTimeEndMs(year)
    ? 2 * HOUR_MS
    : HOUR_MS;
}

/** Offset of Europe/Paris from UTC at an instant: one hour in winter, two in summer. */
export function parisOffsetMs(epochMs: number): number {
  if (epochMs >= stretchStartMs && epochMs < stretchEndMs) return stretchOffsetMs;
  const last = CHANGES.length - 1;
  if (!(epochMs >= (CHANGES[0] as number) && epochMs < (CHANGES[last] as number)))
    return offsetByRule(epochMs);
  // The first change after the instant.
  let low = 1;
  let high = last;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((CHANGES[middle] as number) > epochMs) high = middle;
    else low = middle + 1;
  }
  stretchStartMs = CHANGES[low - 1] as number;
  stretchEndMs = CHANGES[low] as number;
  stretchOffsetMs = low % 2 === 1 ? 2 * HOUR_MS : HOUR_MS;
  return stretchOffsetMs;
}

/** The instant of 00:00 in Paris on a local day: changes happen at 02:00 or 03:00, never at midnight. */
export function parisMidnightMs(dayNumber: number): number {
  const assumingWinter = dayNumber * DAY_MS - HOUR_MS;
  return dayNumber * DAY_MS - parisOffsetMs(assumingWinter);
}

/** The local day (Europe/Paris) of an instant, as a day number. */
export function parisDayNumber(epochMs: number): number {
  return Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS);
}

function isDigitAt(text: string, index: number): boolean {
  return isDigitCode(text.charCodeAt(index));
}

function allDigits(text: string, start: number, length: number): boolean {
  for (let index = start; index < start + length; index += 1) {
    if (!isDigitAt(text, index)) return false;
  }
  return true;
}

/** The digit at `index`, or NaN: a NaN anywhere in a sum makes the whole reading invalid. */
function digit(text: string, index: number): number {
  const value = text.charCodeAt(index) - 48;
  return value >= 0 && value <= 9 ? value : Number.NaN;
}

function twoDigitsAt(text: string, index: number): number {
  return digit(text, index) * 10 + digit(text, index + 1);
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Where the zone of an instant starts, after "HH:MM", optional ":SS" and fraction; -1 if malformed. */
function zoneStartOf(text: string): number {
  if (text.charCodeAt(16) !== 58) return 16;
  let index = 19;
  if (text.charCodeAt(index) === 46) {
    index += 1;
    while (isDigitCode(text.charCodeAt(index))) index += 1;
    if (index === 20) return -1;
  }
  return index;
}

/** Seconds and milliseconds (the fraction cut to three digits) before the zone. */
function millisecondsOf(text: string, zoneStart: number): number {
  if (zoneStart === 16) return 0;
  const seconds = twoDigitsAt(text, 17);
  if (!(seconds <= 59)) return Number.NaN;
  let fraction = 0;
  for (let index = 20; index < 23; index += 1) {
    fraction = fraction * 10 + (index < zoneStart ? text.charCodeAt(index) - 48 : 0);
  }
  return seconds * 1000 + fraction;
}

/** Offset in minutes of the zone that ends an instant ("Z", "+02:00"), or NaN. */
function zoneOffsetMinutes(text: string, start: number): number {
  const remaining = text.length - start;
  if (remaining === 1 && text.charCodeAt(start) === 90) return 0;
  const sign = text.charCodeAt(start);
  if (remaining !== 6 || (sign !== 43 && sign !== 45) || text.charCodeAt(start + 3) !== 58) {
    return Number.NaN;
  }
  const minutes = twoDigitsAt(text, start + 1) * 60 + twoDigitsAt(text, start + 4);
  return sign === 45 ? -minutes : minutes;
}

/**
 * Milliseconds since the epoch of an ISO 8601 instant with its offset (Z or ±HH:MM), or NaN.
 * Read character by character, in one pass: this runs on every payment check. An instant
 * without offset is refused: reading it in the machine's zone would make the result depend on
 * where the code runs.
 */
export function parseInstant(text: string): number {
  if (text.length < 17) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) {
    return Number.NaN;
  }
  if (text.charCodeAt(13) !== 58) return Number.NaN;
  const year = twoDigitsAt(text, 0) * 100 + twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  // Written so that NaN fails every test.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59)) return Number.NaN;
  if (day > daysInMonth(year, month)) return Number.NaN;
  const zoneStart = zoneStartOf(text);
  if (zoneStart < 0) return Number.NaN;
  const milliseconds = millisecondsOf(text, zoneStart);
  const offsetMinutes = zoneOffsetMinutes(text, zoneStart);
  const epochMs =
    fastDayNumber(year, month, day) * DAY_MS +
    hour * HOUR_MS +
    (minute - offsetMinutes) * MINUTE_MS +
    milliseconds;
  return epochMs;
}

/** Minutes since midnight of an "HH:MM" string (00:00 to 24:00). */
export function minutesOfClock(text: string): number {
  return digitsAt(text, 0, 2) * 60 + digitsAt(text, 3, 2);
}
