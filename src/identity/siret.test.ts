import { describe, expect, it } from 'vitest';
import { isValidSiren, isValidSiret, normaliseIdentifier, passesLuhn } from './siret.js';

describe('SIREN et SIRET', () => {
  it.each([
    ['732829320', true, 'SIREN valide'],
    ['732829321', false, 'clé de contrôle fausse'],
    ['73282932', false, '8 chiffres'],
    ['7328293200', false, '10 chiffres'],
    ['73282932a', false, 'une lettre'],
    ['', false, 'vide'],
  ])('SIREN %s → %s (%s)', (value, expected) => {
    expect(isValidSiren(value)).toBe(expected);
  });

  it.each([
    ['73282932000074', true, 'SIRET valide'],
    ['73282932000075', false, 'clé de contrôle fausse'],
    ['35600000000048', true, 'siège de La Poste (Luhn)'],
    ['35600000049837', true, 'établissement de La Poste : somme des chiffres multiple de 5'],
    ['35600000049838', false, 'établissement de La Poste mal formé'],
    ['7328293200007', false, '13 chiffres'],
    ['7328293200007x', false, 'une lettre'],
    ['7328 2932 0000 74', false, 'non normalisé'],
  ])('SIRET %s → %s (%s)', (value, expected) => {
    expect(isValidSiret(value)).toBe(expected);
  });

  it('normalise les espaces et les points que l’on écrit dans ces numéros', () => {
    expect(normaliseIdentifier(' 732 829 320 ')).toBe('732829320');
    expect(normaliseIdentifier('732.829.320.00074')).toBe('73282932000074');
  });

  it('Luhn double un chiffre sur deux en partant de la droite', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});
