import { useEffect, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import type { SummarisedError } from '../../components/ErrorSummary.js';
import { errorState, useSubmission } from '../../components/forms.js';
import { mappingFieldLabels } from '../../beneficiaries/format.js';
import {
  recordFieldId,
  serverProblems,
  type ContactField,
  type DraftField,
} from './record-draft.js';

/** What helps type each field right; the autocomplete names apply to one's own details only. */
const fieldHelp: Partial<
  Record<DraftField, { hint?: string; type?: string; autoComplete?: string; maxLength: number }>
> = {
  familyName: { maxLength: 100 },
  givenNames: { maxLength: 100 },
  birthDate: { type: 'date', maxLength: 10 },
  legalName: { maxLength: 200 },
  siret: { hint: '14 chiffres.', maxLength: 20 },
  addressLine: {
    hint: 'Numéro et voie, par exemple « 12 rue des Lilas ».',
    autoComplete: 'address-line1',
    maxLength: 200,
  },
  postalCode: { hint: '5 chiffres.', autoComplete: 'postal-code', maxLength: 5 },
  communeCode: { hint: 'Code INSEE, par exemple 33063 pour Bordeaux.', maxLength: 5 },
  email: {
    hint: 'Par exemple nom@exemple.fr.',
    type: 'email',
    autoComplete: 'email',
    maxLength: 254,
  },
  phone: { hint: 'Par exemple 06 12 34 56 78.', type: 'tel', autoComplete: 'tel', maxLength: 20 },
  externalId: { hint: 'Le numéro du dossier chez le financeur.', maxLength: 64 },
  householdQuotientEuros: { hint: 'En euros, par exemple 612.', maxLength: 12 },
  dependentChildren: { hint: 'De 0 à 20.', maxLength: 2 },
};

export function RecordInput({
  prefix,
  field,
  value,
  error,
  onChange,
  ownDetails = false,
}: {
  prefix: string;
  field: DraftField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  /** The person's own details: the browser may offer what it remembers of them. */
  ownDetails?: boolean;
}) {
  const help = fieldHelp[field] ?? { maxLength: 100 };
  return (
    <Input
      label={mappingFieldLabels[field]}
      hintText={help.hint}
      {...errorState(error)}
      nativeInputProps={{
        id: recordFieldId(prefix, field),
        type: help.type ?? 'text',
        value,
        maxLength: help.maxLength,
        autoComplete: ownDetails ? (help.autoComplete ?? 'off') : 'off',
        inputMode: field === 'dependentChildren' ? 'numeric' : undefined,
        onChange: (event) => onChange(event.target.value),
      }}
    />
  );
}

/** The address and the ways to reach the beneficiary, two fields a row on wide screens. */
export function ContactFields({
  prefix,
  values,
  errors,
  onChange,
  ownDetails = false,
}: {
  prefix: string;
  values: Record<ContactField, string>;
  /** Messages by field id, as `errorsById` gives them. */
  errors: ReadonlyMap<string, string>;
  onChange: (field: ContactField, value: string) => void;
  ownDetails?: boolean;
}) {
  const cell = (field: ContactField, width: 'fr-col-md-6' | 'fr-col-md-12') => (
    <div className={fr.cx('fr-col-12', width)}>
      <RecordInput
        prefix={prefix}
        field={field}
        value={values[field]}
        error={errors.get(recordFieldId(prefix, field))}
        onChange={(value) => onChange(field, value)}
        ownDetails={ownDetails}
      />
    </div>
  );
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      {cell('addressLine', 'fr-col-md-12')}
      {cell('postalCode', 'fr-col-md-6')}
      {cell('communeCode', 'fr-col-md-6')}
      {cell('email', 'fr-col-md-6')}
      {cell('phone', 'fr-col-md-6')}
    </div>
  );
}

/**
 * A record form's sending and its problems: those found before sending, then those the server
 * names, which join the summary linked to their field.
 */
export function useRecordSubmission(prefix: string) {
  const [problems, setProblems] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();
  useEffect(() => {
    if (error !== null) setProblems(serverProblems(prefix, error));
  }, [error, prefix]);
  return { problems, setProblems, pending, error, run };
}
