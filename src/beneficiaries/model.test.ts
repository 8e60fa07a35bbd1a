import { describe, expect, it } from 'vitest';
import {
  identityKey,
  isFormulaInjection,
  normaliseBeneficiary,
  normaliseCommuneCode,
  normaliseEmail,
  normaliseOrganisationKind,
  normalisePhone,
  normalisePostalCode,
  normaliseSiret,
  parseBirthDate,
  parseDependentChildren,
  parseHouseholdQuotient,
  parseStatuses,
  type RawBeneficiary,
} from './model.js';

const TODAY = '2026-05-01';

const person: RawBeneficiary = {
  kind: 'personne',
  familyName: '  Martin ',
  givenNames: 'Camille  Marie',
  birthDate: '14/03/2008',
  communeCode: '33063',
};

function problemsOf(raw: RawBeneficiary) {
  return normaliseBeneficiary(raw, TODAY).problems.map(({ field, code }) => `${field}:${code}`);
}

describe('normalisation d’une fiche', () => {
  it('nettoie une personne valide et laisse vides les champs absents', () => {
    expect(normaliseBeneficiary(person, TODAY)).toEqual({
      data: {
        kind: 'personne',
        familyName: 'Martin',
        givenNames: 'Camille Marie',
        birthDate: '2008-03-14',
        legalName: null,
        siret: null,
        organisationKind: null,
        addressLine: null,
        postalCode: null,
        communeCode: '33063',
        email: null,
        phone: null,
        externalId: null,
        household: {},
      },
      problems: [],
    });
  });

  it('exige nom, prénoms et date de naissance d’une personne, raison sociale et SIRET d’une organisation', () => {
    expect(problemsOf({ kind: 'personne' })).toEqual([
      'familyName:required',
      'givenNames:required',
      'birthDate:required',
    ]);
    expect(problemsOf({ kind: 'organisation', legalName: ' ' })).toEqual([
      'legalName:required',
      'siret:required',
    ]);
  });

  it('signale tous les problèmes d’une ligne à la fois, chacun avec une raison en français', () => {
    const result = normaliseBeneficiary(
      { ...person, birthDate: '31/02/2001', email: 'pas-une-adresse', dependentChildren: '-1' },
      TODAY,
    );
    expect(result.problems).toEqual([
      {
        field: 'birthDate',
        code: 'date_invalid',
        reason: expect.stringMatching(/^Date de naissance : date invalide/),
      },
      {
        field: 'email',
        code: 'email_invalid',
        reason: 'Courriel : adresse électronique invalide.',
      },
      {
        field: 'dependentChildren',
        code: 'children_invalid',
        reason: expect.stringContaining('Nombre d’enfants'),
      },
    ]);
  });

  it.each([
    ['un nom trop long', { familyName: 'x'.repeat(101) }, 'familyName:too_long'],
    ['un caractère de contrôle', { givenNames: 'Ca\u0007mille' }, 'givenNames:control_characters'],
    ['un saut de ligne dans un nom', { familyName: 'Mar\ntin' }, 'familyName:control_characters'],
    [
      'une formule',
      { familyName: '=HYPERLINK("http://x","clic")' },
      'familyName:formula_injection',
    ],
    ['une formule @', { addressLine: '@SUM(A1)' }, 'addressLine:formula_injection'],
    ['une formule +', { givenNames: '+cmd|calc' }, 'givenNames:formula_injection'],
    ['une formule -', { externalId: '-A1+B1' }, 'externalId:formula_injection'],
    ['une commune inconnue', { communeCode: '33999' }, 'communeCode:commune_unknown'],
    ['une commune mal formée', { communeCode: 'Bordeaux' }, 'communeCode:commune_invalid'],
    ['un code postal faux', { postalCode: '330' }, 'postalCode:postal_code_invalid'],
    ['un téléphone trop court', { phone: '12 34' }, 'phone:phone_invalid'],
    ['un SIRET faux', { siret: '12345678901234' }, 'siret:siret_invalid'],
    [
      'une nature inconnue',
      { organisationKind: 'club' },
      'organisationKind:organisation_kind_unknown',
    ],
    [
      'un quotient négatif',
      { householdQuotientEuros: '-3' },
      'householdQuotientEuros:quotient_invalid',
    ],
    ['trop d’enfants', { dependentChildren: 21 }, 'dependentChildren:children_invalid'],
  ] as [string, Partial<RawBeneficiary>, string][])('refuse %s', (_label, change, expected) => {
    expect(problemsOf({ ...person, ...change })).toEqual([expected]);
  });

  it('garde le foyer : quotient avec centimes, enfants, statuts connus en code et autres tels quels', () => {
    const result = normaliseBeneficiary(
      {
        ...person,
        householdQuotientEuros: '1 234,56',
        dependentChildren: '2',
        statuses: 'Étudiant ; boursier;pupille',
        custom: { commune_rurale: true },
      },
      TODAY,
    );
    expect('data' in result && result.data.household).toEqual({
      householdQuotientEuros: 1234.56,
      dependentChildren: 2,
      statuses: ['etudiant', 'boursier', 'pupille'],
      custom: { commune_rurale: true },
    });
  });

  it('normalise une organisation : SIRET sans espaces, nature reconnue par son libellé', () => {
    const result = normaliseBeneficiary(
      {
        kind: 'organisation',
        legalName: 'Les Amis du livre',
        siret: '732 829 320 00074',
        organisationKind: 'Collectivité territoriale',
        email: 'Contact@Amis.FR',
      },
      TODAY,
    );
    expect('data' in result && result.data).toMatchObject({
      siret: '73282932000074',
      organisationKind: 'collectivite',
      email: 'contact@amis.fr',
    });
  });
});

describe('champ par champ', () => {
  it.each([
    ['14/03/2008', '2008-03-14'],
    ['4/3/2008', '2008-03-04'],
    ['04-03-2008', '2008-03-04'],
    ['04.03.2008', '2008-03-04'],
    ['2008-03-14', '2008-03-14'],
    ['29/02/2024', '2024-02-29'],
    ['01/01/1900', '1900-01-01'],
    ['01/05/2026', '2026-05-01'],
  ])('lit la date %s', (text, expected) => {
    expect(parseBirthDate(text, TODAY)).toEqual({ value: expected });
  });

  it.each([
    ['29/02/2023', 'date_invalid'],
    ['32/01/2000', 'date_invalid'],
    ['2000-13-01', 'date_invalid'],
    ['14 mars 2008', 'date_invalid'],
    ['2008/03/14', 'date_invalid'],
    ['31/12/1899', 'date_too_old'],
    ['02/05/2026', 'date_in_future'],
  ])('refuse la date %s (%s)', (text, code) => {
    expect(parseBirthDate(text, TODAY)).toEqual({ problem: code });
  });

  it('résout les codes commune : zéro initial perdu, corse, ancienne commune', () => {
    expect(normaliseCommuneCode('1001')).toEqual({ value: '01001' });
    expect(normaliseCommuneCode('2a004')).toEqual({ value: '2A004' });
    // An arrondissement municipal leads to its commune.
    expect(normaliseCommuneCode('75056')).toEqual({ value: '75056' });
    expect(normaliseCommuneCode('75101')).toEqual({ value: '75056' });
  });

  it('lit les codes postaux, courriels et téléphones comme on les écrit', () => {
    expect(normalisePostalCode('33 000')).toEqual({ value: '33000' });
    expect(normalisePostalCode('1000')).toEqual({ value: '01000' });
    expect(normaliseEmail('Camille.Martin@Exemple.FR')).toEqual({
      value: 'camille.martin@exemple.fr',
    });
    expect(normaliseEmail('camille@exemple')).toEqual({ problem: 'email_invalid' });
    expect(normalisePhone('+33 6 12 34 56 78')).toEqual({ value: '+33612345678' });
    expect(normalisePhone('06.12.34.56.78')).toEqual({ value: '0612345678' });
    expect(normalisePhone('612345678')).toEqual({ value: '0612345678' });
    expect(normalisePhone('06 12 34 56 78 90 12 34')).toEqual({ problem: 'phone_invalid' });
  });

  it('vérifie la clé du SIRET et reconnaît les natures d’organisation', () => {
    expect(normaliseSiret('73282932000074')).toEqual({ value: '73282932000074' });
    expect(normaliseSiret('73282932000075')).toEqual({ problem: 'siret_invalid' });
    expect(normaliseOrganisationKind('association')).toEqual({ value: 'association' });
    expect(normaliseOrganisationKind('Bailleur Social')).toEqual({ value: 'bailleur_social' });
  });

  it.each([
    ['712,5', 712.5],
    ['712.50', 712.5],
    [0, 0],
    ['100000', 100000],
  ])('lit le quotient %s', (raw, expected) => {
    expect(parseHouseholdQuotient(raw)).toEqual({ value: expected });
  });

  it.each(['1,234', '100000.01', 'beaucoup', '-1'])('refuse le quotient %s', (raw) => {
    expect(parseHouseholdQuotient(raw)).toEqual({ problem: 'quotient_invalid' });
  });

  it('compte les enfants de 0 à 20, en entiers', () => {
    expect(parseDependentChildren('0')).toEqual({ value: 0 });
    expect(parseDependentChildren(20)).toEqual({ value: 20 });
    expect(parseDependentChildren('1,5')).toEqual({ problem: 'children_invalid' });
  });

  it('lit les statuts séparés par « ; », sans doublon, et en borne le nombre', () => {
    expect(parseStatuses('lycéen;LYCEEN; ')).toEqual({ value: ['lyceen'] });
    expect(parseStatuses(['retraité', 'aidant du voisin'])).toEqual({
      value: ['retraite', 'aidant du voisin'],
    });
    expect(parseStatuses(Array.from({ length: 21 }, (_, i) => `s${i}`))).toEqual({
      problem: 'statuses_invalid',
    });
    expect(parseStatuses('=1+1')).toEqual({ problem: 'formula_injection' });
  });
});

describe('formules de tableur', () => {
  it.each(['=1+1', '@SUM(A1)', '+cmd', '-cmd', '=HYPERLINK("http://x","clic")'])(
    'refuse %s',
    (cell) => expect(isFormulaInjection(cell)).toBe(true),
  );
  it.each(['+33 6 12 34 56 78', '+33612345678', '-12', 'Jean-Pierre', 'a=b', '', '-', '+'])(
    'accepte %s',
    (cell) => expect(isFormulaInjection(cell)).toBe(false),
  );
});

describe('clé d’identité des doublons', () => {
  const key = (familyName: string, givenNames: string) =>
    identityKey({
      kind: 'personne',
      familyName,
      givenNames,
      birthDate: '2008-03-14',
      communeCode: '33063',
      siret: null,
    });

  it('ignore la casse, les accents et les tirets', () => {
    expect(key('Lefèvre', 'Hélène-Marie')).toBe(key('LEFEVRE', 'helene marie'));
    expect(key('Lefèvre', 'Hélène')).not.toBe(key('Lefèvre', 'Hélèna'));
  });

  it('identifie une organisation par son SIRET, et une fiche incomplète par rien', () => {
    const organisation = {
      kind: 'organisation' as const,
      familyName: null,
      givenNames: null,
      birthDate: null,
      communeCode: null,
    };
    expect(identityKey({ ...organisation, siret: '73282932000074' })).toBe('siret|73282932000074');
    expect(identityKey({ ...organisation, siret: null })).toBeNull();
  });
});
