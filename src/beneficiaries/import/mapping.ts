import { beneficiaryError } from '../errors.js';
import {
  FIELD_LABELS,
  foldText,
  requiredFields,
  type BeneficiaryKind,
  type RawBeneficiary,
} from '../model.js';
import { IMPORT_FIELDS, type ImportField, type ImportMapping } from '../schemas.js';

// Which column of the file holds which field: suggested from the headers French files carry
// (« Nom », « Prénom(s) », « Code INSEE »…), then confirmed or corrected by the agent.

/** Headers, folded (no case, accents or punctuation), each field recognises. */
const HEADER_WORDS: Record<ImportField, string[]> = {
  familyName: ['nom', 'nom de famille', 'nom d usage', 'nom de naissance', 'nom famille'],
  givenNames: ['prenom', 'prenoms', 'prenom s', 'prenom usuel'],
  birthDate: ['date de naissance', 'date naissance', 'naissance', 'ne le', 'ne e le', 'ddn'],
  legalName: ['raison sociale', 'denomination', 'nom de la structure', 'nom de l organisation'],
  siret: ['siret', 'n siret', 'no siret', 'numero siret', 'numero de siret'],
  organisationKind: [
    'nature',
    'nature juridique',
    'type d organisation',
    'type de structure',
    'nature de l organisation',
    'categorie',
  ],
  addressLine: ['adresse', 'adresse postale', 'voie', 'rue'],
  postalCode: ['code postal', 'cp'],
  communeCode: [
    'code commune',
    'code insee',
    'insee',
    'code commune insee',
    'commune insee',
    'code insee commune',
    'cog',
  ],
  email: ['courriel', 'e mail', 'email', 'mail', 'adresse electronique', 'adresse mail'],
  phone: ['telephone', 'tel', 'portable', 'mobile', 'numero de telephone', 'telephone portable'],
  externalId: [
    'n allocataire',
    'no allocataire',
    'numero allocataire',
    'numero d allocataire',
    'identifiant',
    'id',
    'matricule',
    'n dossier',
    'numero de dossier',
  ],
  householdQuotientEuros: ['quotient familial', 'qf', 'quotient'],
  dependentChildren: [
    'nombre d enfants',
    'nb enfants',
    'nombre enfants',
    'enfants',
    'enfants a charge',
    'nombre d enfants a charge',
  ],
  statuses: ['statuts', 'statut', 'situation', 'situations'],
};

function foldHeader(header: string): string {
  return foldText(header)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const FIELD_BY_HEADER = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => HEADER_WORDS[field].map((word) => [word, field] as const)),
);

/** Each field the headers name, the first column naming it; every field is listed. */
export function suggestMapping(columns: readonly string[]): Record<ImportField, number | null> {
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((field) => [field, null])) as Record<
    ImportField,
    number | null
  >;
  for (const [index, header] of columns.entries()) {
    const field = FIELD_BY_HEADER.get(foldHeader(header));
    if (field !== undefined && mapping[field] === null) mapping[field] = index;
  }
  return mapping;
}

/** Refuses a mapping that points outside the file, uses a column twice, or lacks a required field. */
export function checkMapping(
  mapping: ImportMapping,
  columnCount: number,
  kind: BeneficiaryKind,
): void {
  const used = new Set<number>();
  for (const index of Object.values(mapping)) {
    if (index === null || index === undefined) continue;
    if (index >= columnCount || used.has(index)) throw beneficiaryError('mapping_invalid');
    used.add(index);
  }
  const missing = requiredFields(kind).filter((field) => (mapping[field] ?? null) === null);
  if (missing.length > 0) {
    throw beneficiaryError(
      'columns_missing',
      { fields: missing },
      `Manquent : ${missing.map((field) => FIELD_LABELS[field]).join(', ')}.`,
    );
  }
}

/** The record a line gives under the mapping: unmapped fields are unknown. */
export function rawFromCells(
  cells: readonly string[],
  mapping: ImportMapping,
  kind: BeneficiaryKind,
): RawBeneficiary {
  const raw: RawBeneficiary = { kind };
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    if (index === null || index === undefined) continue;
    const cell = cells[index];
    if (cell !== undefined) raw[field] = cell;
  }
  return raw;
}
