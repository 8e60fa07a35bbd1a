import { hash, verify } from '@node-rs/argon2';

// Passwords: argon2id with the parameters OWASP recommends (19 MiB, 2 passes, 1 lane).

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const ARGON2_OPTIONS = {
  // The library's `Algorithm` is a const enum, which isolated modules cannot read: 2 is Argon2id.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_POLICY_MESSAGE = `Mot de passe invalide : ${MIN_PASSWORD_LENGTH} à ${MAX_PASSWORD_LENGTH} caractères.`;

export function isAcceptablePassword(password: string): boolean {
  return password.length >= MIN_PASSWORD_LENGTH && password.length <= MAX_PASSWORD_LENGTH;
}

export async function hashPassword(password: string): Promise<string> {
  if (!isAcceptablePassword(password)) throw new Error(PASSWORD_POLICY_MESSAGE);
  return hash(password, ARGON2_OPTIONS);
}

// Checked against when the email is unknown, so that an unknown account costs the same time as
// a wrong password and timing does not tell which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  decoyHash ??= hash('mot-de-passe-leurre-sans-compte', ARGON2_OPTIONS);
  const candidate = storedHash ?? (await decoyHash);
  const bounded = password.slice(0, MAX_PASSWORD_LENGTH);
  const matches = await verify(candidate, bounded).catch(() => false);
  return storedHash !== null && matches;
}
