import { useRef, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { errorState } from '../../components/forms.js';
import type { Organisation } from '../../identity/types.js';
import {
  fundFieldIds,
  otherOrganisation,
  type AxisRow,
  type ContributorRow,
} from './fund-draft.js';

/** The messages of the fields in error, by field id. */
export type ErrorsById = ReadonlyMap<string, string>;

const euroHint = 'En euros, par exemple 150000 ou 1 250,50.';

function RemoveRowButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <Button
      type="button"
      priority="tertiary"
      size="small"
      iconId="fr-icon-delete-line"
      onClick={onRemove}
    >
      {label}
    </Button>
  );
}

function ContributorOrganisation({
  row,
  ids,
  candidates,
  errors,
  onChange,
}: {
  row: ContributorRow;
  ids: { organisation: string; number: string };
  candidates: readonly Organisation[];
  errors: ErrorsById;
  onChange: (row: ContributorRow) => void;
}) {
  return (
    <>
      <div className={`${fr.cx('fr-fieldset__element')} field-wide`}>
        <Select
          label="Organisation"
          {...errorState(errors.get(ids.organisation))}
          nativeSelectProps={{
            id: ids.organisation,
            value: row.organisation,
            onChange: (event) => onChange({ ...row, organisation: event.target.value }),
          }}
        >
          <option value="">Choisir une organisation</option>
          {candidates.map((candidate) => (
            <option key={candidate.id} value={`${candidate.id}`}>
              {`${candidate.name} (${candidate.kindLabel})`}
            </option>
          ))}
          <option value={otherOrganisation}>Autre organisation, par son numéro</option>
        </Select>
      </div>
      {row.organisation === otherOrganisation && (
        <div className={`${fr.cx('fr-fieldset__element')} field-narrow`}>
          <Input
            label="Numéro de l’organisation"
            hintText="Le numéro que Fléchage lui a attribué ; elle doit être un financeur."
            {...errorState(errors.get(ids.number))}
            nativeInputProps={{
              id: ids.number,
              inputMode: 'numeric',
              value: row.otherNumber,
              onChange: (event) => onChange({ ...row, otherNumber: event.target.value }),
            }}
          />
        </div>
      )}
    </>
  );
}

export function ContributorFields({
  row,
  index,
  candidates,
  errors,
  onChange,
  onRemove,
}: {
  row: ContributorRow;
  index: number;
  candidates: readonly Organisation[];
  errors: ErrorsById;
  onChange: (row: ContributorRow) => void;
  onRemove: (() => void) | null;
}) {
  const ids = {
    organisation: fundFieldIds.contributorOrganisation(row.key),
    number: fundFieldIds.contributorNumber(row.key),
    amount: fundFieldIds.contributorAmount(row.key),
  };
  return (
    <fieldset
      className={fr.cx('fr-fieldset', 'fr-mb-2w')}
      aria-labelledby={`${ids.organisation}-legende`}
    >
      <legend
        id={`${ids.organisation}-legende`}
        className={fr.cx('fr-fieldset__legend', 'fr-text--md')}
      >
        {`Contributeur ${index + 1}`}
      </legend>
      <ContributorOrganisation
        row={row}
        ids={ids}
        candidates={candidates}
        errors={errors}
        onChange={onChange}
      />
      <div className={`${fr.cx('fr-fieldset__element')} field-narrow`}>
        <Input
          label="Montant engagé"
          hintText={euroHint}
          {...errorState(errors.get(ids.amount))}
          nativeInputProps={{
            id: ids.amount,
            inputMode: 'decimal',
            value: row.amount,
            onChange: (event) => onChange({ ...row, amount: event.target.value }),
          }}
        />
      </div>
      {onRemove !== null && (
        <div className={fr.cx('fr-fieldset__element')}>
          <RemoveRowButton label={`Retirer le contributeur ${index + 1}`} onRemove={onRemove} />
        </div>
      )}
    </fieldset>
  );
}

export function AxisFields({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: AxisRow;
  index: number;
  errors: ErrorsById;
  onChange: (row: AxisRow) => void;
  onRemove: (() => void) | null;
}) {
  const ids = { name: fundFieldIds.axisName(row.key), budget: fundFieldIds.axisBudget(row.key) };
  return (
    <fieldset className={fr.cx('fr-fieldset', 'fr-mb-2w')} aria-labelledby={`${ids.name}-legende`}>
      <legend id={`${ids.name}-legende`} className={fr.cx('fr-fieldset__legend', 'fr-text--md')}>
        {`Axe ${index + 1}`}
      </legend>
      <div className={`${fr.cx('fr-fieldset__element')} field-wide`}>
        <Input
          label="Nom de l’axe"
          hintText="Par exemple « Jeunesse et culture »."
          {...errorState(errors.get(ids.name))}
          nativeInputProps={{
            id: ids.name,
            value: row.name,
            maxLength: 200,
            onChange: (event) => onChange({ ...row, name: event.target.value }),
          }}
        />
      </div>
      <div className={`${fr.cx('fr-fieldset__element')} field-narrow`}>
        <Input
          label="Budget de l’axe"
          hintText={euroHint}
          {...errorState(errors.get(ids.budget))}
          nativeInputProps={{
            id: ids.budget,
            inputMode: 'decimal',
            value: row.budget,
            onChange: (event) => onChange({ ...row, budget: event.target.value }),
          }}
        />
      </div>
      {onRemove !== null && (
        <div className={fr.cx('fr-fieldset__element')}>
          <RemoveRowButton label={`Retirer l’axe ${index + 1}`} onRemove={onRemove} />
        </div>
      )}
    </fieldset>
  );
}

/**
 * Rows the person adds and removes (contributors, axes); at least one stays. After a removal the
 * focus goes to the add button, not lost with the removed row.
 */
export function RowsSection<Row extends { key: number }>({
  title,
  rows,
  addLabel,
  onAdd,
  onRemove,
  renderRow,
}: {
  title: string;
  rows: readonly Row[];
  addLabel: string;
  onAdd: () => void;
  onRemove: (key: number) => void;
  renderRow: (row: Row, index: number, onRemove: (() => void) | null) => ReactNode;
}) {
  const addButton = useRef<HTMLButtonElement>(null);
  const remove = (key: number) => () => {
    onRemove(key);
    addButton.current?.focus();
  };
  return (
    <>
      <h2 className={fr.cx('fr-mt-4w')}>{title}</h2>
      {rows.map((row, index) => renderRow(row, index, rows.length > 1 ? remove(row.key) : null))}
      <Button
        type="button"
        priority="secondary"
        iconId="fr-icon-add-line"
        ref={addButton}
        onClick={onAdd}
        className={fr.cx('fr-mb-4w')}
      >
        {addLabel}
      </Button>
    </>
  );
}
