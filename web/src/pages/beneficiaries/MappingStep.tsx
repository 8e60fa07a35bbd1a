import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { DataTable } from '../../components/DataTable.js';
import { ErrorSummary, type SummarisedError } from '../../components/ErrorSummary.js';
import { errorState, SubmissionError, useSubmission } from '../../components/forms.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import { fieldsByKind, fileKindLabels, mappingFieldLabels } from '../../beneficiaries/format.js';
import type {
  BeneficiaryKind,
  ImportMapping,
  ImportView,
  MappingField,
} from '../../beneficiaries/types.js';

const fieldId = (field: MappingField) => `import-colonne-${field}`;

/** Column names as headers of the preview: blank or repeated names would be ambiguous. */
export function columnTitles(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((column, index) => {
    const title = column.trim() === '' ? `Colonne ${index + 1}` : column.trim();
    const count = (seen.get(title) ?? 0) + 1;
    seen.set(title, count);
    return count === 1 ? title : `${title} (${count})`;
  });
}

/** The kind the suggested columns point to: a raison sociale without a family name is a structure. */
function guessedKind(view: ImportView): BeneficiaryKind {
  const suggested = view.mapping ?? view.suggestedMapping;
  const has = (field: MappingField) => suggested[field] !== undefined && suggested[field] !== null;
  return has('legalName') && !has('familyName') ? 'organisation' : view.kind;
}

function initialChoices(view: ImportView): Partial<Record<MappingField, string>> {
  const suggested = view.mapping ?? view.suggestedMapping;
  const choices: Partial<Record<MappingField, string>> = {};
  for (const [field, index] of Object.entries(suggested)) {
    if (index !== null && index !== undefined) choices[field as MappingField] = `${index}`;
  }
  return choices;
}

/** Required fields left without a column, and columns chosen for two fields (the server refuses both). */
function mappingProblems(
  kind: BeneficiaryKind,
  choices: Partial<Record<MappingField, string>>,
  titles: readonly string[],
): SummarisedError[] {
  const fields = [...fieldsByKind[kind].required, ...fieldsByKind[kind].optional];
  const problem = (field: MappingField, message: string) => ({
    key: field,
    fieldId: fieldId(field),
    fieldLabel: mappingFieldLabels[field],
    message,
  });
  return fields.flatMap((field) => {
    const choice = choices[field] ?? '';
    if (choice === '') {
      return fieldsByKind[kind].required.includes(field)
        ? [problem(field, 'choisissez la colonne qui le contient : ce champ est obligatoire.')]
        : [];
    }
    const first = fields.find((other) => (choices[other] ?? '') === choice);
    if (first === field || first === undefined) return [];
    return [
      problem(
        field,
        `la colonne « ${titles[Number(choice)] ?? choice} » sert déjà au champ « ${mappingFieldLabels[first]} ».`,
      ),
    ];
  });
}

function mappingOf(kind: BeneficiaryKind, choices: Partial<Record<MappingField, string>>) {
  const mapping: ImportMapping = {};
  for (const field of [...fieldsByKind[kind].required, ...fieldsByKind[kind].optional]) {
    const choice = choices[field] ?? '';
    mapping[field] = choice === '' ? null : Number(choice);
  }
  return mapping;
}

function ColumnSelect({
  field,
  required,
  view,
  value,
  error,
  onChange,
}: {
  field: MappingField;
  required: boolean;
  view: ImportView;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const titles = columnTitles(view.columns);
  // Every select has a line of hint, so that the fields of a row stay aligned.
  const example = value === '' ? undefined : (view.preview[0]?.[Number(value)] ?? '');
  const hint =
    example === undefined
      ? 'Aucune colonne choisie.'
      : example === ''
        ? 'Première ligne : vide.'
        : `Première ligne : « ${example} »`;
  return (
    <Select
      label={`${mappingFieldLabels[field]}${required ? ' (obligatoire)' : ''}`}
      hint={hint}
      {...errorState(error)}
      nativeSelectProps={{
        id: fieldId(field),
        value,
        onChange: (event) => onChange(event.target.value),
      }}
    >
      <option value="">{required ? '— Choisir une colonne —' : '— Absent du fichier —'}</option>
      {titles.map((title, index) => (
        <option key={index} value={`${index}`}>
          {title}
        </option>
      ))}
    </Select>
  );
}

/** A select per field of the kind, the required ones first, three a row on wide screens. */
function ColumnSelects({
  kind,
  view,
  choices,
  problems,
  onChange,
}: {
  kind: BeneficiaryKind;
  view: ImportView;
  choices: Partial<Record<MappingField, string>>;
  problems: readonly SummarisedError[];
  onChange: (field: MappingField, value: string) => void;
}) {
  const errors = new Map(problems.map((problem) => [problem.key, problem.message]));
  const { required, optional } = fieldsByKind[kind];
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-2w')}>
      {[...required, ...optional].map((field) => (
        <div key={field} className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-4')}>
          <ColumnSelect
            field={field}
            required={required.includes(field)}
            view={view}
            value={choices[field] ?? ''}
            error={errors.get(field)}
            onChange={(value) => onChange(field, value)}
          />
        </div>
      ))}
    </div>
  );
}

function Preview({ view }: { view: ImportView }) {
  if (view.preview.length === 0) return <p>Le fichier ne contient aucune ligne après l’en-tête.</p>;
  return (
    <DataTable
      caption={`Premières lignes du fichier ${view.fileName}`}
      headers={columnTitles(view.columns)}
      rows={view.preview.map((line) => view.columns.map((_, index) => line[index] ?? ''))}
    />
  );
}

function KindChoice({
  kind,
  onChange,
}: {
  kind: BeneficiaryKind;
  onChange: (kind: BeneficiaryKind) => void;
}) {
  return (
    <RadioButtons
      legend="Les lignes du fichier décrivent"
      orientation="horizontal"
      options={(Object.keys(fileKindLabels) as BeneficiaryKind[]).map((option) => ({
        label: fileKindLabels[option],
        nativeInputProps: {
          name: 'import-nature',
          value: option,
          checked: kind === option,
          onChange: () => onChange(option),
        },
      }))}
    />
  );
}

/** The second step: which column of the file holds each field, with the file's first lines. */
export function MappingStep({
  view,
  onStarted,
  onCancel,
}: {
  view: ImportView;
  /** The import, now being analysed. */
  onStarted: (view: ImportView) => void;
  /** Back to the report, when the columns of an analysed file were being changed. */
  onCancel?: () => void;
}) {
  const [kind, setKind] = useState<BeneficiaryKind>(() => guessedKind(view));
  const [choices, setChoices] = useState(() => initialChoices(view));
  const [problems, setProblems] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = mappingProblems(kind, choices, columnTitles(view.columns));
    setProblems(found);
    if (found.length > 0) return;
    void run(async () => {
      onStarted(await beneficiariesApi.startAnalysis(view.id, mappingOf(kind, choices), kind));
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="import-etape-titre">
      <ErrorSummary errors={problems} />
      <SubmissionError error={error} />
      <KindChoice kind={kind} onChange={setKind} />
      <p>
        Chaque champ est lu dans la colonne choisie ; les choix proposés viennent des noms des
        colonnes du fichier.
      </p>
      <ColumnSelects
        kind={kind}
        view={view}
        choices={choices}
        problems={problems}
        onChange={(field, value) => setChoices((current) => ({ ...current, [field]: value }))}
      />
      <h3 className={fr.cx('fr-h5')}>Aperçu du fichier</h3>
      <Preview view={view} />
      <div className="action-row">
        <Button
          type="submit"
          iconId="fr-icon-arrow-right-line"
          iconPosition="right"
          disabled={pending}
        >
          Analyser le fichier
        </Button>
        {onCancel !== undefined && (
          <Button type="button" priority="secondary" onClick={onCancel}>
            Revenir au rapport
          </Button>
        )}
      </div>
    </form>
  );
}
