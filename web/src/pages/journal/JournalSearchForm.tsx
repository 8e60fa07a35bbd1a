import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { errorState, useFieldErrors } from '../../components/forms.js';
import type { JournalQuery } from '../../identity/types.js';
import { targetTypeLabels } from './labels.js';

type Criterion = 'personId' | 'targetType' | 'targetId' | 'from' | 'to';

const fields: Record<Criterion, string> = {
  personId: 'journal-personne',
  targetType: 'journal-type-cible',
  targetId: 'journal-cible',
  from: 'journal-du',
  to: 'journal-au',
};

const empty: Record<Criterion, string> = {
  personId: '',
  targetType: '',
  targetId: '',
  from: '',
  to: '',
};

/** Midnight of that day where the reader is: the period covers whole days as they live them. */
function startOfDay(day: string, daysLater = 0): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + daysLater);
  return date.toISOString();
}

function queryOf(values: Record<Criterion, string>): JournalQuery {
  const query: JournalQuery = {};
  if (values.personId !== '') query.personId = values.personId;
  if (values.targetType !== '') query.targetType = values.targetType;
  if (values.targetId.trim() !== '') query.targetId = values.targetId.trim();
  if (values.from !== '') query.from = startOfDay(values.from);
  // « Au 31 mars » includes the 31st: the search stops at the next day's midnight.
  if (values.to !== '') query.to = startOfDay(values.to, 1);
  return query;
}

function problems(values: Record<Criterion, string>) {
  return {
    personId: /^\d*$/.test(values.personId)
      ? undefined
      : 'Le numéro de personne ne contient que des chiffres.',
    to:
      values.from !== '' && values.to !== '' && values.to < values.from
        ? 'La fin de la période doit suivre son début.'
        : undefined,
  };
}

function TargetTypeSelect({
  value,
  onChange,
}: {
  value: string;
  onChange: (targetType: string) => void;
}) {
  return (
    <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
      <Select
        label="Type d’objet"
        nativeSelectProps={{
          id: fields.targetType,
          value,
          onChange: (event) => onChange(event.target.value),
        }}
      >
        <option value="">Tous</option>
        {Object.entries(targetTypeLabels).map(([type, label]) => (
          <option key={type} value={type}>
            {label}
          </option>
        ))}
      </Select>
    </div>
  );
}

export function JournalSearchForm({
  pending,
  onSearch,
}: {
  pending: boolean;
  onSearch: (query: JournalQuery) => void;
}) {
  const [values, setValues] = useState(empty);
  const { errors, report } = useFieldErrors(fields);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (report(problems(values))) onSearch(queryOf(values));
  }

  function field(criterion: Criterion, label: string, type: string) {
    return (
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <Input
          label={label}
          {...errorState(errors[criterion])}
          nativeInputProps={{
            id: fields[criterion],
            type,
            inputMode: criterion === 'personId' ? 'numeric' : undefined,
            value: values[criterion],
            onChange: (event) => setValues({ ...values, [criterion]: event.target.value }),
          }}
        />
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="journal-recherche">
      <h2 id="journal-recherche">Rechercher</h2>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {field('personId', 'Numéro de la personne', 'text')}
        <TargetTypeSelect
          value={values.targetType}
          onChange={(targetType) => setValues({ ...values, targetType })}
        />
        {field('targetId', 'Numéro de l’objet', 'text')}
        {field('from', 'Du', 'date')}
        {field('to', 'Au (inclus)', 'date')}
      </div>
      <Button type="submit" disabled={pending} className={fr.cx('fr-mt-2w')}>
        Rechercher
      </Button>
    </form>
  );
}
