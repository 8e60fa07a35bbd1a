import { useEffect, useState } from 'react';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { applicantApi } from '../../applications/api.js';
import type { CommuneChoice, Question } from '../../applications/types.js';
import { errorState } from '../../components/forms.js';
import { fieldIdOf } from './answers.js';

// One question of an application form, drawn after its input type: the rules decide what is
// asked, this decides how.

type FieldProps = {
  question: Question;
  value: string | string[] | undefined;
  problem: string | undefined;
  onChange: (value: string | string[]) => void;
  onBehalfOf: number | undefined;
};

function fieldState(problem: string | undefined) {
  return problem === undefined ? {} : { state: 'error' as const, stateRelatedMessage: problem };
}

function CommuneField({ question, value, problem, onChange, onBehalfOf }: FieldProps) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<CommuneChoice[]>([]);
  const id = fieldIdOf(question.key);
  useEffect(() => {
    if (search.trim().length < 2) return;
    let current = true;
    const timer = window.setTimeout(() => {
      applicantApi.communes(search, onBehalfOf).then(
        (answer) => current && setFound(answer.communes),
        () => current && setFound([]),
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [search, onBehalfOf]);
  const chosen = typeof value === 'string' ? value : '';
  return (
    <fieldset className="fr-fieldset">
      <legend className="fr-fieldset__legend">{question.label}</legend>
      <div className="fr-fieldset__element">
        <Input
          label="Rechercher la commune"
          hintText="Tapez au moins deux lettres de son nom, ou son code INSEE."
          nativeInputProps={{
            id: `${id}-recherche`,
            value: search,
            autoComplete: 'address-level2',
            onChange: (event) => setSearch(event.target.value),
          }}
        />
      </div>
      <div className="fr-fieldset__element">
        <Select
          label="Commune"
          nativeSelectProps={{
            id,
            value: chosen,
            onChange: (event) => onChange(event.target.value),
          }}
          {...errorState(problem)}
        >
          <option value="">
            {found.length === 0 ? 'Recherchez d’abord votre commune' : 'Choisissez votre commune'}
          </option>
          {found.map((commune) => (
            <option key={commune.code} value={commune.code}>
              {`${commune.name} (${commune.departementCode}) — ${commune.code}`}
            </option>
          ))}
          {chosen !== '' && !found.some((commune) => commune.code === chosen) && (
            <option value={chosen}>{chosen}</option>
          )}
        </Select>
      </div>
    </fieldset>
  );
}

function ChoiceField({ question, value, problem, onChange }: FieldProps) {
  const id = fieldIdOf(question.key);
  const checked = Array.isArray(value) ? value : [];
  if (question.input === 'choices') {
    return (
      <Checkbox
        legend={question.label}
        hintText={question.hint}
        id={id}
        options={(question.choices ?? []).map((choice) => ({
          label: choice.label,
          nativeInputProps: {
            value: choice.value,
            checked: checked.includes(choice.value),
            onChange: (event) =>
              onChange(
                event.target.checked
                  ? [...checked, choice.value]
                  : checked.filter((item) => item !== choice.value),
              ),
          },
        }))}
        {...fieldState(problem)}
      />
    );
  }
  const choices =
    question.input === 'boolean'
      ? [
          { value: 'oui', label: 'Oui' },
          { value: 'non', label: 'Non' },
        ]
      : (question.choices ?? []);
  return (
    <RadioButtons
      legend={question.label}
      hintText={question.hint}
      id={id}
      name={id}
      orientation={question.input === 'boolean' ? 'horizontal' : 'vertical'}
      options={choices.map((choice) => ({
        label: choice.label,
        nativeInputProps: {
          value: choice.value,
          checked: value === choice.value,
          onChange: () => onChange(choice.value),
        },
      }))}
      {...fieldState(problem)}
    />
  );
}

const inputHints: Partial<Record<Question['input'], string>> = {
  amount_cents: 'En euros, par exemple 1 250,50.',
  decimal: 'Un nombre, avec une virgule s’il le faut.',
};

export function QuestionField(props: FieldProps) {
  const { question, value, problem, onChange } = props;
  if (question.input === 'commune') return <CommuneField {...props} />;
  if (['choice', 'choices', 'boolean'].includes(question.input)) return <ChoiceField {...props} />;
  const id = fieldIdOf(question.key);
  const numeric = ['decimal', 'integer', 'amount_cents'].includes(question.input);
  return (
    <Input
      label={question.label}
      hintText={question.hint ?? inputHints[question.input]}
      nativeInputProps={{
        id,
        type: question.input === 'date' ? 'date' : 'text',
        inputMode: numeric ? (question.input === 'integer' ? 'numeric' : 'decimal') : undefined,
        maxLength: question.maxLength,
        value: typeof value === 'string' ? value : '',
        autoComplete:
          question.key === 'familyName'
            ? 'family-name'
            : question.key === 'givenNames'
              ? 'given-name'
              : question.key === 'birthDate'
                ? 'bday'
                : undefined,
        onChange: (event) => onChange(event.target.value),
      }}
      {...errorState(problem)}
    />
  );
}
