import { randomBytes } from 'node:crypto';

// The code a beneficiary types to link a record to their account: 10 characters, none that
// reads like another (no 0/O, no 1/I/L), from the system's random generator.

export const CLAIM_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CLAIM_CODE_LENGTH = 10;

/** Bytes at or above this would favour the first letters of the alphabet: they are redrawn. */
const UNBIASED_LIMIT = 256 - (256 % CLAIM_CODE_ALPHABET.length);

/** Codes by the thousand (an import) from a few draws of the random generator. */
export function newClaimCodes(count: number): string[] {
  const codes: string[] = [];
  let code = '';
  while (codes.length < count) {
    // A few bytes more than needed: the biased ones are skipped.
    for (const byte of randomBytes((count - codes.length) * CLAIM_CODE_LENGTH + 16)) {
      if (byte >= UNBIASED_LIMIT) continue;
      code += CLAIM_CODE_ALPHABET[byte % CLAIM_CODE_ALPHABET.length];
      if (code.length < CLAIM_CODE_LENGTH) continue;
      codes.push(code);
      code = '';
      if (codes.length === count) break;
    }
  }
  return codes;
}

export function newClaimCode(): string {
  return newClaimCodes(1)[0] as string;
}

/** What people type: spaces, dashes and lower case are forgiven. */
export function normaliseClaimCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}
