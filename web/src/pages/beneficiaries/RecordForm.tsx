import { useEffect, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { errorState, SubmissionError } from '../../components/forms.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import { mappingFieldLabels } from '../../beneficiaries/format.js';
import type { BeneficiaryView } from '../../beneficiaries/types.js';
import { labelledChoices, organisationKindLabels, statusLabels } from '../../programmes/rules.js';
import { ContactFields, RecordInput, useRecordSubmission } from './RecordFields.js';
import {
  draftOf,
  errorsById,
  recordChanges,
  recordFieldId,
  recordProblems,
  type DraftField,
  type RecordDraft,
} from './record-draft.js';

const prefix = 'fiche';
const statuses = labelledChoices(statusLabels);
const organisationKinds = labelledChoices(organisationKindLabels);

function IdentityFields({
  beneficiary,
  draft,
  errors,
  set,
}: {
  beneficiary: BeneficiaryView;
  draft: RecordDraft;
  errors: ReadonlyMap<string, string>;
  set: (field: DraftField, value: string) => void;
}) {
  const input = (field: DraftField) => (
    <div key={field} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
      <RecordInput
        prefix={prefix}
        field={field}
        value={draft[field]}
        error={errors.get(recordFieldId(prefix, field))}
        onChange={(value) => set(field, value)}
      />
    </div>
  );
  if (beneficiary.kind === 'personne') {
    return (
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {(['familyName', 'givenNames', 'birthDate'] as const).map(input)}
      </div>
    );
  }
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      {(['legalName', 'siret'] as const).map(input)}
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <Select
          label={mappingFieldLabels.organisationKind}
          {...errorState(errors.get(recordFieldId(prefix, 'organisationKind')))}
          nativeSelectProps={{
            id: recordFieldId(prefix, 'organisationKind'),
            value: draft.organisationKind,
            onChange: (event) => set('organisationKind', event.target.value),
          }}
        >
          <option value="">Non renseigné</option>
          {organisationKinds.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}

function HouseholdFields({
  draft,
  errors,
  set,
  setStatuses,
}: {
  draft: RecordDraft;
  errors: ReadonlyMap<string, string>;
  set: (field: DraftField, value: string) => void;
  setStatuses: (statuses: string[]) => void;
}) {
  const toggle = (code: string, checked: boolean) =>
    setStatuses(checked ? [...draft.statuses, code] : draft.statuses.filter((s) => s !== code));
  return (
    <>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {(['householdQuotientEuros', 'dependentChildren'] as const).map((field) => (
          <div key={field} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <RecordInput
              prefix={prefix}
              field={field}
              value={draft[field]}
              error={errors.get(recordFieldId(prefix, field))}
              onChange={(value) => set(field, value)}
            />
          </div>
        ))}
      </div>
      <Checkbox
        id={recordFieldId(prefix, 'statuses')}
        className={fr.cx('fr-mt-3w')}
        legend="Statuts"
        orientation="horizontal"
        small
        options={statuses.map(([code, label]) => ({
          label,
          nativeInputProps: {
            name: 'fiche-statuts',
            value: code,
            checked: draft.statuses.includes(code),
            onChange: (event) => toggle(code, event.target.checked),
          },
        }))}
      />
    </>
  );
}

function RecordFormFields({
  beneficiary,
  draft,
  errors,
  set,
  setStatuses,
}: {
  beneficiary: BeneficiaryView;
  draft: RecordDraft;
  errors: ReadonlyMap<string, string>;
  set: (field: DraftField, value: string) => void;
  setStatuses: (statuses: string[]) => void;
}) {
  return (
    <>
      <h3 className={fr.cx('fr-h6', 'fr-mt-4w')}>Identité</h3>
      <IdentityFields beneficiary={beneficiary} draft={draft} errors={errors} set={set} />
      <h3 className={fr.cx('fr-h6', 'fr-mt-4w')}>Adresse et contact</h3>
      <ContactFields prefix={prefix} values={draft} errors={errors} onChange={set} />
      <RecordInput
        prefix={prefix}
        field="externalId"
        value={draft.externalId}
        error={errors.get(recordFieldId(prefix, 'externalId'))}
        onChange={(value) => set('externalId', value)}
      />
      {beneficiary.kind === 'personne' && (
        <>
          <h3 className={fr.cx('fr-h6', 'fr-mt-4w')}>Foyer</h3>
          <HouseholdFields draft={draft} errors={errors} set={set} setStatuses={setStatuses} />
        </>
      )}
    </>
  );
}

/** The correction of a record: only the fields changed are sent, the server checks the whole. */
export function RecordForm({
  beneficiary,
  onSaved,
  onCancel,
}: {
  beneficiary: BeneficiaryView;
  onSaved: (beneficiary: BeneficiaryView) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(beneficiary));
  const { problems, setProblems, pending, error, run } = useRecordSubmission(prefix);
  const set = (field: DraftField, value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));

  useEffect(() => {
    document
      .getElementById(
        recordFieldId(prefix, beneficiary.kind === 'personne' ? 'familyName' : 'legalName'),
      )
      ?.focus();
  }, [beneficiary.kind]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = recordProblems(prefix, beneficiary.kind, draft);
    setProblems(found);
    if (found.length > 0) return;
    const changes = recordChanges(beneficiary, draft);
    void run(async () => {
      onSaved(
        Object.keys(changes).length === 0
          ? beneficiary
          : await beneficiariesApi.update(beneficiary.id, changes),
      );
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="fiche-modifier">
      <h2 id="fiche-modifier">Modifier la fiche</h2>
      <ErrorSummary errors={problems} />
      <SubmissionError error={problems.length > 0 ? null : error} />
      <RecordFormFields
        beneficiary={beneficiary}
        draft={draft}
        errors={errorsById(problems)}
        set={set}
        setStatuses={(chosen) => setDraft((current) => ({ ...current, statuses: chosen }))}
      />
      <div className="action-row">
        <Button type="submit" disabled={pending}>
          Enregistrer les modifications
        </Button>
        <Button type="button" priority="secondary" onClick={onCancel}>
          Annuler
        </Button>
      </div>
    </form>
  );
}
