import { describe, expect, it } from 'vitest';
import { ImportFailure } from '../errors.js';
import {
  CsvParser,
  detectSeparator,
  firstInvalidOffset,
  Utf8Decoder,
  type FileRow,
} from './csv.js';
import { checkMapping, rawFromCells, suggestMapping } from './mapping.js';

/** Feeds the bytes in chunks of `size`, as the database hands them over. */
function parseBytes(bytes: Buffer, size = 7): FileRow[] {
  const decoder = new Utf8Decoder();
  const parser = new CsvParser();
  const rows: FileRow[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    rows.push(...parser.feed(decoder.decode(bytes.subarray(start, start + size))));
  }
  decoder.finish();
  rows.push(...parser.finish());
  return rows;
}

const parse = (text: string, size?: number) => parseBytes(Buffer.from(text, 'utf8'), size);

function failureOf(work: () => unknown): ImportFailure {
  try {
    work();
  } catch (error) {
    if (error instanceof ImportFailure) return error;
    throw error;
  }
  throw new Error('aucun refus');
}

describe('lecture CSV (RFC 4180)', () => {
  it('lit des champs entre guillemets : séparateur, saut de ligne, guillemets doublés', () => {
    const text =
      'Nom;Adresse;Note\r\nMartin;"1 rue A; bât. B\r\nétage 2";"dit ""Cam"""\r\nDurand;;\r\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(parse(text, size)).toEqual([
        { line: 1, cells: ['Nom', 'Adresse', 'Note'] },
        { line: 2, cells: ['Martin', '1 rue A; bât. B\r\nétage 2', 'dit "Cam"'] },
        { line: 4, cells: ['Durand', '', ''] },
      ]);
    }
  });

  it('retire la marque d’ordre des octets, saute les lignes vides et lit la dernière ligne sans fin de ligne', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n\n1,2\n3,4')]);
    for (const size of [1, 2, 5]) {
      expect(parseBytes(bytes, size)).toEqual([
        { line: 1, cells: ['a', 'b'] },
        { line: 3, cells: ['1', '2'] },
        { line: 4, cells: ['3', '4'] },
      ]);
    }
  });

  it('reconnaît le séparateur de l’en-tête : « ; », « , » ou tabulation, hors guillemets', () => {
    expect(detectSeparator('Nom;Prénom;"a,b,c"\n1,2,3,4,5')).toBe(';');
    expect(detectSeparator('Nom,Prénom\n')).toBe(',');
    expect(detectSeparator('Nom\tPrénom\tDate')).toBe('\t');
    expect(detectSeparator('Nom')).toBe(',');
  });

  it('accepte les fins de ligne CR seules', () => {
    expect(parse('a;b\r1;2\r')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  it('refuse un guillemet jamais refermé en nommant sa ligne', () => {
    const failure = failureOf(() => parse('a;b\n1;2\n3;"sans fin\n4;5\n'));
    expect(failure.code).toBe('quote_unclosed');
    expect(failure.message).toContain('ligne 3');
  });
});

describe('encodage', () => {
  it('décode l’UTF-8 coupé au milieu d’un caractère', () => {
    expect(parse('Prénom;Né\nÉloïse;€\n', 1)).toEqual([
      { line: 1, cells: ['Prénom', 'Né'] },
      { line: 2, cells: ['Éloïse', '€'] },
    ]);
  });

  it('refuse un fichier Windows-1252 en nommant la première ligne fautive', () => {
    const bytes = Buffer.concat([
      Buffer.from('Nom;Prenom\nMartin;Camille\nDurand;'),
      Buffer.from([0xc9, 0x6c, 0x6f, 0xef, 0x73, 0x65]),
      Buffer.from('\n'),
    ]);
    for (const size of [1, 4, 1000]) {
      const failure = failureOf(() => parseBytes(bytes, size));
      expect(failure.code).toBe('encoding_invalid');
      expect(failure.message).toContain('ligne 3');
    }
  });

  it('refuse un caractère tronqué en fin de fichier', () => {
    const failure = failureOf(() => parseBytes(Buffer.from([0x61, 0x0a, 0xe2, 0x82])));
    expect(failure.message).toContain('ligne 2');
  });

  it('trouve le premier octet invalide : surlong, substitut, au-delà de U+10FFFF', () => {
    expect(firstInvalidOffset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidOffset(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidOffset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });
});

describe('association des colonnes', () => {
  const columns = [
    'N° allocataire',
    'Nom',
    'Prénom(s)',
    'Date de naissance',
    'Code INSEE',
    'Code postal',
    'Adresse',
    'E-mail',
    'Téléphone',
    'Quotient familial',
    'Nombre d’enfants',
    'Statuts',
    'Remarque',
  ];

  it('propose une association à partir des en-têtes français', () => {
    expect(suggestMapping(columns)).toEqual({
      externalId: 0,
      familyName: 1,
      givenNames: 2,
      birthDate: 3,
      communeCode: 4,
      postalCode: 5,
      addressLine: 6,
      email: 7,
      phone: 8,
      householdQuotientEuros: 9,
      dependentChildren: 10,
      statuses: 11,
      legalName: null,
      siret: null,
      organisationKind: null,
    });
    expect(suggestMapping(['Raison sociale', 'SIRET', 'Courriel', 'Code commune'])).toMatchObject({
      legalName: 0,
      siret: 1,
      email: 2,
      communeCode: 3,
    });
  });

  it('refuse une association sans colonne obligatoire, hors du fichier, ou qui réutilise une colonne', () => {
    const mapping = suggestMapping(columns);
    expect(() => checkMapping(mapping, columns.length, 'personne')).not.toThrow();
    expect(() => checkMapping({ ...mapping, birthDate: null }, columns.length, 'personne')).toThrow(
      /Date de naissance/,
    );
    expect(() => checkMapping(mapping, columns.length, 'organisation')).toThrow(
      /Raison sociale, SIRET/,
    );
    expect(() => checkMapping({ ...mapping, email: 40 }, columns.length, 'personne')).toThrow(
      /Association des colonnes invalide/,
    );
    expect(() => checkMapping({ ...mapping, email: 1 }, columns.length, 'personne')).toThrow(
      /Association des colonnes invalide/,
    );
  });

  it('lit une ligne selon l’association ; une cellule absente reste inconnue', () => {
    expect(
      rawFromCells(['Martin', 'Camille'], { familyName: 0, givenNames: 1, email: 5 }, 'personne'),
    ).toEqual({
      kind: 'personne',
      familyName: 'Martin',
      givenNames: 'Camille',
    });
  });
});
