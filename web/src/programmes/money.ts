// Money is integer cents everywhere: these turn cents into « 1 200,00 € » and what a person types
// in euros (« 1200,5 », « 1 200.50 € ») into cents, through strings, never through a float.

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const integerFormat = new Intl.NumberFormat('fr-FR');

/** The decimal string of an amount in cents: 123456 → « 1234.56 », -5 → « -0.05 ». */
function decimalOf(amountCents: number, decimals = 2): `${number}` {
  const sign = amountCents < 0 ? '-' : '';
  const digits = `${Math.abs(Math.trunc(amountCents))}`.padStart(decimals + 1, '0');
  const whole = digits.slice(0, -decimals);
  return `${sign}${whole}.${digits.slice(-decimals)}` as `${number}`;
}

/** « 1 200,00 € ». */
export function formatCents(amountCents: number): string {
  return euroFormat.format(decimalOf(amountCents));
}

/** « 1 200 » for counts of people. */
export function formatCount(count: number): string {
  return integerFormat.format(count);
}

/** « +1 200,00 € » or « −15,00 € »: a difference, signed even when positive. */
export function formatCentsDelta(deltaCents: number): string {
  return deltaCents > 0 ? `+${formatCents(deltaCents)}` : formatCents(deltaCents);
}

export function formatCountDelta(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : formatCount(delta);
}

/** The text of an amount in euros for an input: 120050 → « 1200,50 », 1200 → « 12 ». */
export function centsToInput(amountCents: number | undefined): string {
  if (amountCents === undefined || Number.isNaN(amountCents)) return '';
  const decimal = decimalOf(amountCents).replace('.', ',');
  return decimal.endsWith(',00') ? decimal.slice(0, -3) : decimal;
}

/**
 * Cents from euros as typed: digits, spaces between thousands, a comma or a dot, at most two
 * decimals, an optional « € ». Null when the text is not such an amount.
 */
export function parseEurosToCents(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
  const match = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (match === null) return null;
  const euros = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const cents = Number(euros) * 100 + Number(fraction);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Basis points from a percentage as typed (« 12,5 » → 1250), null when it is not one. */
export function parsePercentToBasisPoints(text: string): number | null {
  return parseEurosToCents(text.replace(/%$/, '').trim());
}

/** « 12,5 » from 1250 basis points, for an input. */
export function basisPointsToInput(basisPoints: number | undefined): string {
  return centsToInput(basisPoints).replace(/(,\d)0$/, '$1');
}

/** « 12,5 % ». */
export function formatBasisPoints(basisPoints: number): string {
  return `${basisPointsToInput(basisPoints)} %`;
}

/** A whole or decimal number as typed with a comma or a dot (not money: ages, quotients). */
export function parseDecimal(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(compact)) return null;
  return Number(compact);
}

export function decimalToInput(value: number | undefined | null): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '';
  return `${value}`.replace('.', ',');
}

/** A key for one submission of a money movement; the same key on a retry moves nothing twice. */
export function newClientKey(): string {
  // randomUUID exists only on secure origins; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
