// French company identifiers: SIREN (9 digits) names a legal unit, SIRET (14 digits = SIREN +
// 5-digit establishment number) one of its establishments. Both end with a Luhn check digit.

const SIREN_LENGTH = 9;
const SIRET_LENGTH = 14;
/** La Poste's establishments are too many for Luhn: their SIRET digits sum to a multiple of 5. */
const LA_POSTE_SIREN = '356000000';

/** Spaces and dots are how people write these numbers; they are not part of them. */
export function normaliseIdentifier(value: string): string {
  return value.replace(/[\s.]/g, '');
}

function digitsOnly(value: string, length: number): boolean {
  return value.length === length && /^\d+$/.test(value);
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    const digit = Number(digits[digits.length - 1 - index]);
    const doubled = index % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}

export function isValidSiren(value: string): boolean {
  return digitsOnly(value, SIREN_LENGTH) && passesLuhn(value);
}

export function isValidSiret(value: string): boolean {
  if (!digitsOnly(value, SIRET_LENGTH)) return false;
  if (passesLuhn(value)) return true;
  const digitSum = [...value].reduce((sum, digit) => sum + Number(digit), 0);
  return value.startsWith(LA_POSTE_SIREN) && digitSum % 5 === 0;
}

export function sirenOf(siret: string): string {
  return siret.slice(0, SIREN_LENGTH);
}
