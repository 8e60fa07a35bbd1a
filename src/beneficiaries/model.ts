import { isValidSiret, normaliseIdentifier } from '../identity/siret.js';
import { BENEFICIARY_STATUSES, ORGANISATION_KINDS } from '../programmes/rules/facts.js';
import { resolveCommune } from '../reference/zones.js';
import type { HouseholdFacts } from './facts.js';

// A beneficiary record as people type it (a form, a line of a spreadsheet) becomes the one
// normalised shape the registry stores, or a list of problems, each naming its field with a
// reason in French. Pure: `today` comes from the caller.

export const BENEFICIARY_KINDS = ['personne', 'organisation'] as const;
export type BeneficiaryKind = (typeof BENEFICIARY_KINDS)[number];

export const MAX_NAME_LENGTH = 100;
export const MAX_LEGAL_NAME_LENGTH = 200;
export const MAX_ADDRESS_LENGTH = 200;
export const MAX_EXTERNAL_ID_LENGTH = 64;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_STATUSES = 20;
export const MAX_STATUS_LENGTH = 40;
export const MAX_DEPENDENT_CHILDREN = 20;
export const MAX_HOUSEHOLD_QUOTIENT_EUROS = 100_000;
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** The normalised record: every field present, null when unknown. */
export type BeneficiaryData = {
  kind: BeneficiaryKind;
  familyName: string | null;
  givenNames: string | null;
  birthDate: string | null;
  legalName: string | null;
  siret: string | null;
  organisationKind: string | null;
  addressLine: string | null;
  postalCode: string | null;
  communeCode: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  household: HouseholdFacts;
};

export type TextField =
  | 'familyName'
  | 'givenNames'
  | 'birthDate'
  | 'legalName'
  | 'siret'
  | 'organisationKind'
  | 'addressLine'
  | 'postalCode'
  | 'communeCode'
  | 'email'
  | 'phone'
  | 'externalId';

export type HouseholdField = 'householdQuotientEuros' | 'dependentChildren' | 'statuses';
export type RecordField = TextField | HouseholdField;

/** A record as received: text (or numbers from a spreadsheet), blanks meaning unknown. */
export type RawBeneficiary = { kind: BeneficiaryKind } & Partial<
  Record<TextField, string | null>
> & {
    householdQuotientEuros?: string | number | null;
    dependentChildren?: string | number | null;
    statuses?: string | string[] | null;
    custom?: Record<string, string | number | boolean>;
  };

export const PROBLEM_MESSAGES = {
  required: 'valeur obligatoire manquante.',
  too_long: 'valeur trop longue.',
  control_characters: 'caractères de contrôle interdits.',
  formula_injection:
    'une cellule ne peut pas commencer par =, @, + ou - suivi d’une lettre (formule de tableur refusée).',
  date_invalid: 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ attendu.',
  date_in_future: 'date dans le futur.',
  date_too_old: 'date antérieure au 1er janvier 1900.',
  commune_invalid: 'code commune INSEE invalide : 5 caractères attendus (ex. 33063).',
  commune_unknown: 'code commune INSEE inconnu.',
  postal_code_invalid: 'code postal invalide : 5 chiffres attendus.',
  email_invalid: 'adresse électronique invalide.',
  phone_invalid: 'numéro de téléphone invalide : 6 à 15 chiffres, « + » initial permis.',
  siret_invalid: 'SIRET invalide : 14 chiffres avec une clé de contrôle juste.',
  organisation_kind_unknown: `nature d’organisation inconnue (attendu : ${Object.keys(ORGANISATION_KINDS).join(', ')}).`,
  quotient_invalid: `quotient familial invalide : un montant en euros entre 0 et ${MAX_HOUSEHOLD_QUOTIENT_EUROS}, deux décimales au plus.`,
  children_invalid: `nombre d’enfants invalide : un entier entre 0 et ${MAX_DEPENDENT_CHILDREN}.`,
  statuses_invalid: `statuts invalides : au plus ${MAX_STATUSES}, de ${MAX_STATUS_LENGTH} caractères au plus, séparés par « ; ».`,
  duplicate_in_file:
    'doublon d’une ligne précédente du fichier (même identifiant, ou mêmes nom, prénoms, date de naissance et commune).',
  duplicate_existing:
    'ce bénéficiaire est déjà enregistré chez ce financeur (même identifiant, ou mêmes nom, prénoms, date de naissance et commune).',
  columns_extra: 'la ligne a plus de colonnes que l’en-tête.',
} as const;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

export const FIELD_LABELS: Record<RecordField | 'line', string> = {
  familyName: 'Nom',
  givenNames: 'Prénoms',
  birthDate: 'Date de naissance',
  legalName: 'Raison sociale',
  siret: 'SIRET',
  organisationKind: 'Nature de l’organisation',
  addressLine: 'Adresse',
  postalCode: 'Code postal',
  communeCode: 'Code commune',
  email: 'Courriel',
  phone: 'Téléphone',
  externalId: 'Identifiant',
  householdQuotientEuros: 'Quotient familial',
  dependentChildren: 'Nombre d’enfants',
  statuses: 'Statuts',
  line: 'Ligne',
};

export type Problem = { field: RecordField | 'line'; code: ProblemCode; reason: string };

export function problem(field: RecordField | 'line', code: ProblemCode): Problem {
  return { field, code, reason: `${FIELD_LABELS[field]} : ${PROBLEM_MESSAGES[code]}` };
}

export type Normalised = { data: BeneficiaryData; problems: [] } | { problems: Problem[] };

type FieldResult<T> = { value: T } | { problem: ProblemCode };

// Control characters (tabs and line breaks included: no field of a record spans lines).
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * A cell a spreadsheet would run as a formula when the file is opened again: `=`, `@`, or a sign
 * followed by something other than a digit (`+33 6…` and `-12` stay plain values).
 */
export function isFormulaInjection(text: string): boolean {
  const first = text.charAt(0);
  if (first === '=' || first === '@') return true;
  if (first !== '+' && first !== '-') return false;
  const second = text.charAt(1);
  return second !== '' && !/[0-9 ]/.test(second);
}

/** Trimmed text with inner runs of spaces collapsed; blank is null. */
function cleanText(
  raw: string | null | undefined,
  maximumLength: number,
): FieldResult<string | null> {
  if (raw === null || raw === undefined) return { value: null };
  const text = raw.trim().replace(/ {2,}/g, ' ');
  if (text === '') return { value: null };
  if (CONTROL_CHARACTERS.test(text) || !text.isWellFormed())
    return { problem: 'control_characters' };
  if (isFormulaInjection(text)) return { problem: 'formula_injection' };
  if (text.length > maximumLength) return { problem: 'too_long' };
  return { value: text };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** JJ/MM/AAAA (also with `-` or `.`, one-digit day and month) or AAAA-MM-JJ. */
export function parseBirthDate(text: string, today: string): FieldResult<string> {
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts = french !== null ? [french[3], french[2], french[1]] : iso?.slice(1, 4);
  if (parts === undefined) return { problem: 'date_invalid' };
  const [year, month, day] = parts.map(Number) as [number, number, number];
  if (!isRealDate(year, month, day)) return { problem: 'date_invalid' };
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (date < EARLIEST_BIRTH_DATE) return { problem: 'date_too_old' };
  if (date > today) return { problem: 'date_in_future' };
  return { value: date };
}

/** Spreadsheets drop the leading zero of codes such as 01001: four digits get it back. */
function restoreLeadingZero(text: string): string {
  return /^\d{4}$/.test(text) ? `0${text}` : text;
}

/** The current commune for the code (a former code leads to the commune that absorbed it). */
export function normaliseCommuneCode(text: string): FieldResult<string> {
  const code = restoreLeadingZero(text.toUpperCase());
  if (!/^[0-9][0-9AB][0-9]{3}$/.test(code)) return { problem: 'commune_invalid' };
  const commune = resolveCommune(code);
  return commune === undefined ? { problem: 'commune_unknown' } : { value: commune.code };
}

export function normalisePostalCode(text: string): FieldResult<string> {
  const code = restoreLeadingZero(text.replace(/\s/g, ''));
  return /^[0-9]{5}$/.test(code) ? { value: code } : { problem: 'postal_code_invalid' };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function normaliseEmail(text: string): FieldResult<string> {
  const email = text.toLowerCase();
  if (email.length < 3 || email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    return { problem: 'email_invalid' };
  }
  return { value: email };
}

/** Digits with an optional leading `+`; separators people write (spaces, dots, dashes) go. */
export function normalisePhone(text: string): FieldResult<string> {
  const compact = text.replace(/[\s.\-/()]/g, '');
  // A spreadsheet stores 0612345678 as the number 612345678: nine digits are a French number.
  const phone = /^[1-9]\d{8}$/.test(compact) ? `0${compact}` : compact;
  return /^\+?[0-9]{6,15}$/.test(phone) ? { value: phone } : { problem: 'phone_invalid' };
}

export function normaliseSiret(text: string): FieldResult<string> {
  const siret = normaliseIdentifier(text);
  return isValidSiret(siret) ? { value: siret } : { problem: 'siret_invalid' };
}

/** Accents and case do not distinguish two spellings of one word. */
export function foldText(text: string): string {
  // Most text is plain ASCII: decomposing it would only cost time.
  const unaccented = /^[\x20-\x7e]*$/.test(text)
    ? text
    : text.normalize('NFD').replace(/\p{M}/gu, '');
  return unaccented.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
}

const ORGANISATION_KIND_BY_WORD = new Map<string, string>(
  Object.entries(ORGANISATION_KINDS).flatMap(([code, label]) => [
    [foldText(code), code],
    [foldText(label), code],
  ]),
);

export function normaliseOrganisationKind(text: string): FieldResult<string> {
  const code = ORGANISATION_KIND_BY_WORD.get(foldText(text));
  return code === undefined ? { problem: 'organisation_kind_unknown' } : { value: code };
}

function parseNumber(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  // French writing: « 1 234,56 » (with ordinary or narrow no-break spaces).
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

export function parseHouseholdQuotient(raw: string | number): FieldResult<number> {
  const value = parseNumber(raw);
  if (value === undefined || value < 0 || value > MAX_HOUSEHOLD_QUOTIENT_EUROS) {
    return { problem: 'quotient_invalid' };
  }
  const cents = Math.round(value * 100);
  if (Math.abs(cents - value * 100) > 1e-6) return { problem: 'quotient_invalid' };
  return { value: cents / 100 };
}

export function parseDependentChildren(raw: string | number): FieldResult<number> {
  const value = parseNumber(raw);
  if (value === undefined || !Number.isInteger(value) || value < 0) {
    return { problem: 'children_invalid' };
  }
  return value > MAX_DEPENDENT_CHILDREN ? { problem: 'children_invalid' } : { value };
}

const STATUS_BY_WORD = new Map<string, string>(
  Object.entries(BENEFICIARY_STATUSES).flatMap(([code, label]) => [
    [foldText(code), code],
    [foldText(label), code],
  ]),
);

/** Known statuses become their code (« Étudiant » → etudiant); others are kept as given. */
export function parseStatuses(raw: string | string[]): FieldResult<string[]> {
  const words = (typeof raw === 'string' ? raw.split(';') : raw)
    .map((word) => word.trim())
    .filter((word) => word !== '');
  if (words.length > MAX_STATUSES) return { problem: 'statuses_invalid' };
  const statuses: string[] = [];
  for (const word of words) {
    if (word.length > MAX_STATUS_LENGTH || CONTROL_CHARACTERS.test(word)) {
      return { problem: 'statuses_invalid' };
    }
    if (isFormulaInjection(word)) return { problem: 'formula_injection' };
    const status = STATUS_BY_WORD.get(foldText(word)) ?? word;
    if (!statuses.includes(status)) statuses.push(status);
  }
  return { value: statuses };
}

type TextRule = (text: string) => FieldResult<string>;

const TEXT_FIELDS: [TextField, number, TextRule | null][] = [
  ['familyName', MAX_NAME_LENGTH, null],
  ['givenNames', MAX_NAME_LENGTH, null],
  ['birthDate', 10 + 20, null],
  ['legalName', MAX_LEGAL_NAME_LENGTH, null],
  ['siret', 40, normaliseSiret],
  ['organisationKind', 80, normaliseOrganisationKind],
  ['addressLine', MAX_ADDRESS_LENGTH, null],
  ['postalCode', 20, normalisePostalCode],
  ['communeCode', 20, normaliseCommuneCode],
  ['email', MAX_EMAIL_LENGTH, normaliseEmail],
  ['phone', 40, normalisePhone],
  ['externalId', MAX_EXTERNAL_ID_LENGTH, null],
];

const REQUIRED_FIELDS: Record<BeneficiaryKind, TextField[]> = {
  personne: ['familyName', 'givenNames', 'birthDate'],
  organisation: ['legalName', 'siret'],
};

export function requiredFields(kind: BeneficiaryKind): readonly TextField[] {
  return REQUIRED_FIELDS[kind];
}

function normaliseTextFields(
  raw: RawBeneficiary,
  today: string,
  problems: Problem[],
): Record<TextField, string | null> {
  const values = {} as Record<TextField, string | null>;
  for (const [field, maximumLength, rule] of TEXT_FIELDS) {
    values[field] = null;
    const cleaned = cleanText(raw[field], maximumLength);
    if ('problem' in cleaned) {
      problems.push(problem(field, cleaned.problem));
      continue;
    }
    if (cleaned.value === null) {
      if (REQUIRED_FIELDS[raw.kind].includes(field)) problems.push(problem(field, 'required'));
      continue;
    }
    const checked =
      field === 'birthDate'
        ? parseBirthDate(cleaned.value, today)
        : rule === null
          ? { value: cleaned.value }
          : rule(cleaned.value);
    if ('problem' in checked) problems.push(problem(field, checked.problem));
    else values[field] = checked.value;
  }
  return values;
}

function isBlank(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
  );
}

function normaliseHousehold(raw: RawBeneficiary, problems: Problem[]): HouseholdFacts {
  const household: HouseholdFacts = {};
  const quotient = raw.householdQuotientEuros;
  if (quotient !== null && quotient !== undefined && !isBlank(quotient)) {
    const parsed = parseHouseholdQuotient(quotient);
    if ('problem' in parsed) problems.push(problem('householdQuotientEuros', parsed.problem));
    else household.householdQuotientEuros = parsed.value;
  }
  const children = raw.dependentChildren;
  if (children !== null && children !== undefined && !isBlank(children)) {
    const parsed = parseDependentChildren(children);
    if ('problem' in parsed) problems.push(problem('dependentChildren', parsed.problem));
    else household.dependentChildren = parsed.value;
  }
  if (raw.statuses !== null && raw.statuses !== undefined) {
    const parsed = parseStatuses(raw.statuses);
    if ('problem' in parsed) problems.push(problem('statuses', parsed.problem));
    else if (parsed.value.length > 0) household.statuses = parsed.value;
  }
  if (raw.custom !== undefined && Object.keys(raw.custom).length > 0) household.custom = raw.custom;
  return household;
}

/** Every problem of the record at once, so that one report lists all there is to fix. */
export function normaliseBeneficiary(raw: RawBeneficiary, today: string): Normalised {
  const problems: Problem[] = [];
  const text = normaliseTextFields(raw, today, problems);
  const household = normaliseHousehold(raw, problems);
  if (problems.length > 0) return { problems };
  return { data: { kind: raw.kind, ...text, household }, problems: [] };
}

/**
 * What makes two records the same person at one funder when no identifier says so: name,
 * given names, birth date and commune, whatever the case and accents; for an organisation,
 * its SIRET. Null for incomplete records, which only their identifier can match.
 */
export function identityKey(data: {
  kind: BeneficiaryKind;
  familyName: string | null;
  givenNames: string | null;
  birthDate: string | null;
  communeCode: string | null;
  siret: string | null;
}): string | null {
  if (data.kind === 'organisation') return data.siret === null ? null : `siret|${data.siret}`;
  if (data.familyName === null || data.givenNames === null || data.birthDate === null) return null;
  const names = `${foldText(data.familyName)}|${foldText(data.givenNames)}`.replace(/[-\s]+/g, ' ');
  return `${names}|${data.birthDate}|${data.communeCode ?? ''}`;
}
