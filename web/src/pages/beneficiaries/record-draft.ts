// A beneficiary record as its form holds it (text in every field), the checks made before
// sending it, and the changes it makes to the record.

import type { SummarisedError } from '../../components/ErrorSummary.js';
import { isEmailAddress } from '../../components/forms.js';
import type { ApiError } from '../../identity/api.js';
import { mappingFieldLabels } from '../../beneficiaries/format.js';
import type {
  BeneficiaryChanges,
  BeneficiaryKind,
  BeneficiaryView,
  MappingField,
} from '../../beneficiaries/types.js';
import { decimalToInput, parseDecimal } from '../../programmes/money.js';

export const contactFields = [
  'addressLine',
  'postalCode',
  'communeCode',
  'email',
  'phone',
] as const;
export type ContactField = (typeof contactFields)[number];

/** Every field of the form but the statuses, which are checkboxes. */
export type DraftField = Exclude<MappingField, 'statuses'>;

export type RecordDraft = Record<DraftField, string> & { statuses: string[] };

export const recordFieldId = (prefix: string, field: MappingField) => `${prefix}-${field}`;

const textFields: DraftField[] = [
  'familyName',
  'givenNames',
  'birthDate',
  'legalName',
  'siret',
  'organisationKind',
  'addressLine',
  'postalCode',
  'communeCode',
  'email',
  'phone',
  'externalId',
];

export function draftOf(beneficiary: BeneficiaryView): RecordDraft {
  const draft = {} as RecordDraft;
  for (const field of textFields)
    draft[field] = (beneficiary[field as keyof BeneficiaryView] as string) ?? '';
  draft.householdQuotientEuros = decimalToInput(beneficiary.household.householdQuotientEuros);
  draft.dependentChildren =
    beneficiary.household.dependentChildren === undefined
      ? ''
      : `${beneficiary.household.dependentChildren}`;
  draft.statuses = beneficiary.household.statuses ?? [];
  return draft;
}

type Check = (value: string) => string | undefined;

const contactChecks: Record<ContactField, Check> = {
  addressLine: (value) =>
    value.length > 200 ? 'L’adresse compte 200 caractères au plus.' : undefined,
  postalCode: (value) =>
    /^\d{5}$/.test(value) ? undefined : 'Le code postal compte 5 chiffres, par exemple 33000.',
  communeCode: (value) =>
    /^[0-9][0-9AB][0-9]{3}$/i.test(value)
      ? undefined
      : 'Le code INSEE de la commune compte 5 caractères, par exemple 33063 pour Bordeaux.',
  email: (value) =>
    isEmailAddress(value)
      ? undefined
      : 'Saisissez une adresse électronique, par exemple nom@exemple.fr.',
  phone: (value) =>
    /^\+?[0-9]{6,15}$/.test(value.replace(/[\s.-]/g, ''))
      ? undefined
      : 'Saisissez un numéro de 6 à 15 chiffres, par exemple 06 12 34 56 78.',
};

const recordChecks: Partial<Record<DraftField, Check>> = {
  ...contactChecks,
  siret: (value) =>
    /^\d{14}$/.test(value.replace(/\s/g, '')) ? undefined : 'Le SIRET compte 14 chiffres.',
  householdQuotientEuros: (value) => {
    const quotient = parseDecimal(value);
    return quotient === null || quotient < 0
      ? 'Le quotient familial est un montant en euros, par exemple 612.'
      : undefined;
  },
  dependentChildren: (value) =>
    /^\d{1,2}$/.test(value.trim()) && Number(value) <= 20
      ? undefined
      : 'Le nombre d’enfants à charge est un entier de 0 à 20.',
};

const requiredByKind: Record<BeneficiaryKind, DraftField[]> = {
  personne: ['familyName', 'givenNames', 'birthDate'],
  organisation: ['legalName', 'siret'],
};

/** The problems of the fields filled in (a blank field is unknown, except the required ones). */
export function draftProblems(
  prefix: string,
  fields: readonly DraftField[],
  values: Partial<Record<DraftField, string>>,
  required: readonly DraftField[] = [],
): SummarisedError[] {
  return fields.flatMap((field) => {
    const value = (values[field] ?? '').trim();
    const message =
      value === ''
        ? required.includes(field)
          ? 'ce champ est obligatoire.'
          : undefined
        : recordChecks[field]?.(value);
    if (message === undefined) return [];
    return [
      {
        key: field,
        fieldId: recordFieldId(prefix, field),
        fieldLabel: mappingFieldLabels[field],
        message,
      },
    ];
  });
}

export const recordProblems = (prefix: string, kind: BeneficiaryKind, draft: RecordDraft) =>
  draftProblems(
    prefix,
    textFields.concat(['householdQuotientEuros', 'dependentChildren']),
    draft,
    requiredByKind[kind],
  );

/** A field as sent: trimmed, blank meaning unknown. */
export const sentValue = (value: string) => (value.trim() === '' ? null : value.trim());

/** Only what the form changed: the record's other fields stay as they are. */
export function recordChanges(
  beneficiary: BeneficiaryView,
  draft: RecordDraft,
): BeneficiaryChanges {
  const before = draftOf(beneficiary);
  const changes: BeneficiaryChanges = {};
  for (const field of textFields) {
    if (draft[field].trim() !== before[field].trim()) {
      (changes as Record<string, string | null>)[field] = sentValue(draft[field]);
    }
  }
  const householdChanged =
    draft.householdQuotientEuros.trim() !== before.householdQuotientEuros ||
    draft.dependentChildren.trim() !== before.dependentChildren ||
    draft.statuses.join(';') !== before.statuses.join(';');
  if (householdChanged) {
    const quotient = parseDecimal(draft.householdQuotientEuros);
    changes.household = {
      ...(quotient === null ? {} : { householdQuotientEuros: quotient }),
      ...(draft.dependentChildren.trim() === ''
        ? {}
        : { dependentChildren: Number(draft.dependentChildren) }),
      ...(draft.statuses.length === 0 ? {} : { statuses: draft.statuses }),
      // Attributes of the funder's own are not in the form: they must survive the correction.
      ...(beneficiary.household.custom === undefined
        ? {}
        : { custom: beneficiary.household.custom }),
    };
  }
  return changes;
}

/**
 * The fields the server refused, when it names them (« body.email », « household.statuses »),
 * as problems linked to the form's fields; the others stay in its general message.
 */
export function serverProblems(prefix: string, error: ApiError | null): SummarisedError[] {
  if (error === null) return [];
  // The platform's validation lists the fields; the registry's lists them under `fields`.
  const listed: unknown =
    typeof error.details === 'object' && error.details !== null && 'fields' in error.details
      ? error.details.fields
      : error.details;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((detail: unknown, index) => {
    if (typeof detail !== 'object' || detail === null) return [];
    const { field, message } = detail as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || typeof message !== 'string') return [];
    const name = field.replace(/^body\./, '').replace(/^household\./, '');
    const key = `serveur-${index}`;
    if (!(name in mappingFieldLabels)) return [{ key, message }];
    return [{ key, fieldId: recordFieldId(prefix, name as MappingField), message }];
  });
}

/** The message of each field in error, by the field's id. */
export function errorsById(problems: readonly SummarisedError[]): Map<string, string> {
  return new Map(
    problems.flatMap((problem) =>
      problem.fieldId === undefined ? [] : [[problem.fieldId, problem.message] as const],
    ),
  );
}
