// French rendering of amounts, rates and lists for the explanations. Written by hand so that
// the hot path stays free of `Intl`; the output matches `Intl.NumberFormat('fr-FR')` character
// for character (narrow no-break space between thousands, no-break space before € and %).

export { formatDateFrench } from './calendar.js';

const THOUSANDS_SEPARATOR = '\u202f';
const BEFORE_UNIT = '\u00a0';
const BEFORE_PERCENT = '\u00a0';

/** « 1 200 » with a narrow no-break space between groups of three digits. */
export function formatInteger(value: number): string {
  let remaining = Math.abs(Math.trunc(value));
  const sign = value <= -1 ? '-' : '';
  if (remaining < 1000) return `${sign}${remaining}`;
  let groups = '';
  while (remaining >= 1000) {
    const group = remaining % 1000;
    groups = `${THOUSANDS_SEPARATOR}${group < 10 ? '00' : group < 100 ? '0' : ''}${group}${groups}`;
    remaining = (remaining - group) / 1000;
  }
  return `${sign}${remaining}${groups}`;
}

/** « 1 200,00 € » from integer cents. */
export function formatCents(amountCents: number): string {
  const negative = amountCents < 0;
  const absolute = negative ? -amountCents : amountCents;
  const cents = absolute % 100;
  const euros = (absolute - cents) / 100;
  const eurosText = euros < 1000 ? `${euros}` : formatInteger(euros);
  return `${negative ? '-' : ''}${eurosText},${cents < 10 ? '0' : ''}${cents}${BEFORE_UNIT}€`;
}

/** « 612 € » for whole euros, « 612,50 € » otherwise (a household quotient, a threshold). */
export function formatEuros(value: number): string {
  if (Number.isInteger(value)) return `${formatInteger(value)}${BEFORE_UNIT}€`;
  return formatCents(Math.round(value * 100));
}

/** « 30 % », « 12,5 % » from basis points (1 % = 100). */
export function formatBasisPoints(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const hundredths = basisPoints % 100;
  let decimals = '';
  if (hundredths !== 0) {
    // 12,5 % rather than 12,50 %.
    decimals =
      hundredths % 10 === 0 ? `,${hundredths / 10}` : `,${hundredths < 10 ? '0' : ''}${hundredths}`;
  }
  return `${formatInteger(whole)}${decimals}${BEFORE_PERCENT}%`;
}

/** A number as a person writes it: « 45 », « 12,5 ». */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return formatInteger(value);
  const [whole = '0', decimals = ''] = String(Math.abs(value)).split('.');
  return `${value < 0 ? '-' : ''}${formatInteger(Number(whole))},${decimals}`;
}

/** « a », « a et b », « a, b et c ». */
export function joinFrench(items: readonly string[], conjunction = 'et'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** French puts 0 and 1 in the singular. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return Math.abs(count) < 2 ? singular : pluralForm;
}

/** « 1 enfant », « 3 enfants ». */
export function countOf(count: number, singular: string, pluralForm: string): string {
  return `${formatInteger(count)} ${plural(count, singular, pluralForm)}`;
}
