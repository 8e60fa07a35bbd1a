import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  otpauthUri,
  totpCode,
  totpSecretFrom,
  totpStepAt,
  verifyTotp,
} from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));
const RFC_VECTORS: [unixSeconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_VECTORS)('à %i s, le code est la fin de %s', (unixSeconds, eightDigits) => {
    expect(totpCode(RFC_SECRET, totpStepAt(unixSeconds))).toBe(eightDigits.slice(2));
  });

  it('base32 aller-retour, avec ou sans bourrage', () => {
    for (const text of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const encoded = base32Encode(Buffer.from(text));
      expect(base32Decode(encoded).toString()).toBe(text);
      expect(base32Decode(`${encoded}===`).toString()).toBe(text);
    }
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(() => base32Decode('AB1C')).toThrow(/invalide/);
  });

  it('un secret vient de 20 octets exactement', () => {
    expect(totpSecretFrom(new Uint8Array(20).fill(7))).toMatch(/^[A-Z2-7]{32}$/);
    expect(() => totpSecretFrom(new Uint8Array(10))).toThrow();
  });

  it('accepte un pas de décalage, pas deux', () => {
    const now = 1_700_000_000;
    const step = totpStepAt(now);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step), now, null)).toEqual({
      valid: true,
      step,
    });
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 1), now, null).valid).toBe(true);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 1), now, null).valid).toBe(true);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 2), now, null).valid).toBe(false);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 2), now, null).valid).toBe(false);
  });

  it('refuse un code déjà utilisé, ou plus ancien que le dernier utilisé', () => {
    const now = 1_700_000_000;
    const step = totpStepAt(now);
    const code = totpCode(RFC_SECRET, step);
    expect(verifyTotp(RFC_SECRET, code, now, step).valid).toBe(false);
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 1), now, step - 1).valid).toBe(false);
  });

  it.each(['', '12345', '1234567', 'abcdef', '12 456', "1' OR 1=1"])(
    'refuse une saisie mal formée : %j',
    (code) => {
      expect(verifyTotp(RFC_SECRET, code, 1_700_000_000, null).valid).toBe(false);
    },
  );

  it('produit une adresse otpauth lisible par les applications', () => {
    const uri = otpauthUri('Fléchage', 'agent@exemple.fr', 'JBSWY3DPEHPK3PXP');
    expect(uri).toBe(
      'otpauth://totp/Fl%C3%A9chage:agent%40exemple.fr?secret=JBSWY3DPEHPK3PXP&issuer=Fl%C3%A9chage&algorithm=SHA1&digits=6&period=30',
    );
  });
});
