import { fr } from '@codegouvfr/react-dsfr';
import {
  conditionTypeLabels,
  emptyCondition,
  organisationKindLabels,
  labelledChoices,
  statusLabels,
  zoneKindLabels,
  type AgeReference,
  type Condition,
  type CustomAttribute,
  type CustomOperator,
  type ZoneReference,
} from '../../programmes/rules.js';
import {
  AddButton,
  ChoicesField,
  FieldGroup,
  ListField,
  NumberField,
  RemoveButton,
  SelectField,
  TextField,
  removeAt,
  replaceAt,
} from './rule-fields.js';

// Eligibility: a tree of conditions, each edited in place; combinators hold other conditions.

type Edit<Value> = { path: string; value: Value; onChange: (value: Value) => void };

const conditionTypes = labelledChoices(conditionTypeLabels);
const zoneKinds = labelledChoices(zoneKindLabels);
const statuses = labelledChoices(statusLabels);
const organisationKinds = labelledChoices(organisationKindLabels);

const operatorLabels: [CustomOperator, string][] = [
  ['equals', 'est égal à'],
  ['not_equals', 'est différent de'],
  ['one_of', 'est l’une des valeurs'],
  ['at_least', 'est au moins'],
  ['at_most', 'est au plus'],
];

function ResidenceZones({ path, value, onChange }: Edit<ZoneReference[]>) {
  return (
    <FieldGroup path={`${path}.zones`} legend="Zones de résidence acceptées">
      {value.map((zone, index) => (
        <div key={index} className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <SelectField
              path={`${path}.zones.${index}.kind`}
              label={`Zone ${index + 1} : type`}
              value={zone.kind}
              options={zoneKinds}
              onChange={(kind) => onChange(replaceAt(value, index, { ...zone, kind }))}
            />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <TextField
              path={`${path}.zones.${index}.code`}
              label={`Zone ${index + 1} : code`}
              value={zone.code}
              onChange={(code) => onChange(replaceAt(value, index, { ...zone, code: code ?? '' }))}
            />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-2')}>
            <RemoveButton onClick={() => onChange(removeAt(value, index))}>
              {`Retirer la zone ${index + 1}`}
            </RemoveButton>
          </div>
        </div>
      ))}
      <AddButton onClick={() => onChange([...value, { kind: 'commune', code: '' }])}>
        Ajouter une zone
      </AddButton>
    </FieldGroup>
  );
}

const ageReferenceOptions: [string, string][] = [
  ['reference_date', 'À la date de la demande'],
  ['end_of_reference_year', 'Au 31 décembre de l’année de la demande'],
  ['date', 'À une date fixe'],
];

function AgeFields({ path, value, onChange }: Edit<Extract<Condition, { type: 'age' }>>) {
  const at = value.at ?? 'reference_date';
  const atKind = typeof at === 'string' ? at : 'date';
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <NumberField
          path={`${path}.minimumYears`}
          label="Âge minimum (ans)"
          hint="Inclus : 18 veut dire « 18 ans ou plus »."
          value={value.minimumYears}
          onChange={(minimumYears) => onChange({ ...value, minimumYears })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <NumberField
          path={`${path}.maximumYears`}
          label="Âge maximum (ans)"
          hint="Inclus : 24 veut dire « moins de 25 ans »."
          value={value.maximumYears}
          onChange={(maximumYears) => onChange({ ...value, maximumYears })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <SelectField
          path={`${path}.at`}
          label="Âge apprécié"
          value={atKind}
          options={ageReferenceOptions}
          onChange={(kind) => {
            const next: AgeReference = kind === 'date' ? { date: '' } : (kind as AgeReference);
            onChange({ ...value, at: next });
          }}
        />
      </div>
      {typeof at !== 'string' && (
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <TextField
            path={`${path}.at.date`}
            label="Date"
            type="date"
            value={at.date}
            onChange={(date) => onChange({ ...value, at: { date: date ?? '' } })}
          />
        </div>
      )}
    </div>
  );
}

function RangeFields({
  path,
  low,
  high,
  labels,
  integer,
  onChange,
}: {
  path: string;
  low: [string, number | undefined];
  high: [string, number | undefined];
  labels: [string, string];
  integer: boolean;
  onChange: (low: number | undefined, high: number | undefined) => void;
}) {
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <NumberField
          path={`${path}.${low[0]}`}
          label={labels[0]}
          integer={integer}
          value={low[1]}
          onChange={(next) => onChange(next, high[1])}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <NumberField
          path={`${path}.${high[0]}`}
          label={labels[1]}
          hint="Inclus."
          integer={integer}
          value={high[1]}
          onChange={(next) => onChange(low[1], next)}
        />
      </div>
    </div>
  );
}

function OneOfValue({
  path,
  value,
  attribute,
  onChange,
}: Edit<Extract<Condition, { type: 'custom' }>> & { attribute: CustomAttribute | undefined }) {
  const valuePath = `${path}.value`;
  const known = attribute?.values;
  const list = Array.isArray(value.value) ? value.value : [`${value.value}`];
  if (known !== undefined) {
    const choices = known.map((item) => [item, item] as const);
    return (
      <ChoicesField
        path={valuePath}
        label="Valeurs acceptées"
        value={list}
        choices={choices}
        onChange={(next) => onChange({ ...value, value: next ?? [] })}
      />
    );
  }
  return (
    <ListField
      path={valuePath}
      label="Valeurs"
      value={list}
      onChange={(next) => onChange({ ...value, value: next ?? [] })}
    />
  );
}

function CustomValue({
  path,
  value,
  attribute,
  onChange,
}: Edit<Extract<Condition, { type: 'custom' }>> & { attribute: CustomAttribute | undefined }) {
  const valuePath = `${path}.value`;
  const known = attribute?.values;
  if (value.operator === 'one_of') {
    return <OneOfValue path={path} value={value} attribute={attribute} onChange={onChange} />;
  }
  if (attribute?.type === 'boolean') {
    return (
      <SelectField
        path={valuePath}
        label="Valeur"
        value={value.value === false ? 'non' : 'oui'}
        options={[
          ['oui', 'Oui'],
          ['non', 'Non'],
        ]}
        onChange={(choice) => onChange({ ...value, value: choice === 'oui' })}
      />
    );
  }
  if (
    attribute?.type === 'number' ||
    value.operator === 'at_least' ||
    value.operator === 'at_most'
  ) {
    const number = typeof value.value === 'number' ? value.value : undefined;
    return (
      <NumberField
        path={valuePath}
        label="Valeur"
        integer={false}
        value={number}
        onChange={(next) => onChange({ ...value, value: next ?? Number.NaN })}
      />
    );
  }
  const text = typeof value.value === 'string' ? value.value : undefined;
  if (known !== undefined) {
    const options = known.map((item) => [item, item] as const);
    return (
      <SelectField
        path={valuePath}
        label="Valeur"
        value={text ?? known[0] ?? ''}
        options={options}
        onChange={(next) => onChange({ ...value, value: next })}
      />
    );
  }
  return (
    <TextField
      path={valuePath}
      label="Valeur"
      value={text}
      onChange={(next) => onChange({ ...value, value: next ?? '' })}
    />
  );
}

function CustomFields({
  path,
  value,
  onChange,
  attributes,
}: Edit<Extract<Condition, { type: 'custom' }>> & { attributes: readonly CustomAttribute[] }) {
  const attribute = attributes.find((candidate) => candidate.key === value.attribute);
  const keys: [string, string][] = attributes.map((candidate) => [candidate.key, candidate.label]);
  if (!keys.some(([key]) => key === value.attribute))
    keys.unshift([value.attribute, value.attribute]);
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <SelectField
          path={`${path}.attribute`}
          label="Attribut"
          value={value.attribute}
          options={keys}
          onChange={(key) => onChange({ ...value, attribute: key })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <SelectField
          path={`${path}.operator`}
          label="Comparaison"
          value={value.operator}
          options={operatorLabels}
          onChange={(operator) => onChange({ ...value, operator })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <CustomValue path={path} value={value} attribute={attribute} onChange={onChange} />
      </div>
    </div>
  );
}

type ThresholdCondition = Extract<
  Condition,
  { type: 'household_quotient' | 'dependent_children' | 'status' | 'organisation_kind' }
>;

/** Conditions on a number within bounds, or on codes among a list. */
function ThresholdFields({ path, value, onChange }: Edit<ThresholdCondition>) {
  switch (value.type) {
    case 'household_quotient':
      return (
        <RangeFields
          path={path}
          low={['minimumEuros', value.minimumEuros]}
          high={['maximumEuros', value.maximumEuros]}
          labels={['Quotient minimum (€)', 'Quotient maximum (€)']}
          integer={false}
          onChange={(minimumEuros, maximumEuros) =>
            onChange({ ...value, minimumEuros, maximumEuros })
          }
        />
      );
    case 'dependent_children':
      return (
        <RangeFields
          path={path}
          low={['minimum', value.minimum]}
          high={['maximum', value.maximum]}
          labels={['Nombre minimum d’enfants', 'Nombre maximum d’enfants']}
          integer
          onChange={(minimum, maximum) => onChange({ ...value, minimum, maximum })}
        />
      );
    case 'status':
      return (
        <ChoicesField
          path={`${path}.anyOf`}
          label="Statuts acceptés (l’un d’eux suffit)"
          value={value.anyOf}
          choices={statuses}
          onChange={(anyOf) => onChange({ ...value, anyOf: anyOf ?? [] })}
        />
      );
    case 'organisation_kind':
      return (
        <ChoicesField
          path={`${path}.anyOf`}
          label="Types d’organisation acceptés"
          value={value.anyOf}
          choices={organisationKinds}
          onChange={(anyOf) => onChange({ ...value, anyOf: anyOf ?? [] })}
        />
      );
  }
}

function ConditionFields({
  path,
  value,
  onChange,
  attributes,
  depth,
}: Edit<Condition> & { attributes: readonly CustomAttribute[]; depth: number }) {
  switch (value.type) {
    case 'all':
    case 'any':
      return (
        <ConditionList
          path={path}
          value={value}
          onChange={onChange}
          attributes={attributes}
          depth={depth}
        />
      );
    case 'not':
      return (
        <ConditionEditor
          path={`${path}.condition`}
          value={value.condition}
          attributes={attributes}
          depth={depth + 1}
          onChange={(condition) => onChange({ ...value, condition })}
        />
      );
    case 'age':
      return <AgeFields path={path} value={value} onChange={onChange} />;
    case 'residence':
      return (
        <ResidenceZones
          path={path}
          value={value.zones}
          onChange={(zones) => onChange({ ...value, zones })}
        />
      );
    case 'household_quotient':
    case 'dependent_children':
    case 'status':
    case 'organisation_kind':
      return <ThresholdFields path={path} value={value} onChange={onChange} />;
    case 'custom':
      return <CustomFields path={path} value={value} onChange={onChange} attributes={attributes} />;
  }
}

function ConditionList({
  path,
  value,
  onChange,
  attributes,
  depth,
}: Edit<Extract<Condition, { type: 'all' | 'any' }>> & {
  attributes: readonly CustomAttribute[];
  depth: number;
}) {
  const conditions = value.conditions;
  return (
    <div className="rule-conditions">
      {conditions.length === 0 && (
        <p className={fr.cx('fr-text--sm')}>Aucune condition : tout le monde y répond.</p>
      )}
      {conditions.map((condition, index) => (
        <ConditionEditor
          key={index}
          path={`${path}.conditions.${index}`}
          value={condition}
          attributes={attributes}
          depth={depth + 1}
          onChange={(next) =>
            onChange({ ...value, conditions: replaceAt(conditions, index, next) })
          }
          onRemove={() => onChange({ ...value, conditions: removeAt(conditions, index) })}
        />
      ))}
      <AddButton
        onClick={() => onChange({ ...value, conditions: [...conditions, emptyCondition('age')] })}
      >
        {depth === 0 ? 'Ajouter une condition' : `Ajouter une condition dans ce groupe`}
      </AddButton>
    </div>
  );
}

/** One condition: its type, its fields and, inside a group, the way to remove it. */
export function ConditionEditor({
  path,
  value,
  onChange,
  onRemove,
  attributes,
  depth = 0,
}: Edit<Condition> & {
  onRemove?: () => void;
  attributes: readonly CustomAttribute[];
  depth?: number;
}) {
  const position = path
    .split('.')
    .filter((part) => /^\d+$/.test(part))
    .map((part) => Number(part) + 1);
  const name = position.length === 0 ? 'Règle d’éligibilité' : `Condition ${position.join('.')}`;
  return (
    <FieldGroup
      path={path}
      legend={name}
      className={`rule-condition rule-condition--depth-${Math.min(depth, 3)}`}
    >
      <SelectField
        path={`${path}.type`}
        label={`${name} : type`}
        value={value.type}
        options={conditionTypes}
        onChange={(type) => onChange(emptyCondition(type))}
      />
      <ConditionFields
        path={path}
        value={value}
        onChange={onChange}
        attributes={attributes}
        depth={depth}
      />
      {onRemove !== undefined && (
        <div className={fr.cx('fr-mt-1w', 'fr-mb-2w')}>
          <RemoveButton onClick={onRemove}>{`Retirer la ${name.toLowerCase()}`}</RemoveButton>
        </div>
      )}
    </FieldGroup>
  );
}

const attributeTypes: [CustomAttribute['type'], string][] = [
  ['boolean', 'Oui ou non'],
  ['number', 'Nombre'],
  ['text', 'Texte'],
];

function CustomAttributeRow({
  path,
  index,
  value,
  onChange,
  onRemove,
}: Edit<CustomAttribute> & { index: number; onRemove: () => void }) {
  const name = `Attribut ${index + 1}`;
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
        <TextField
          path={`${path}.key`}
          label={`${name} : identifiant`}
          hint="Minuscules, chiffres et _."
          value={value.key}
          onChange={(key) => onChange({ ...value, key: key ?? '' })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <TextField
          path={`${path}.label`}
          label={`${name} : libellé`}
          value={value.label}
          onChange={(label) => onChange({ ...value, label: label ?? '' })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
        <SelectField
          path={`${path}.type`}
          label={`${name} : type`}
          value={value.type}
          options={attributeTypes}
          onChange={(type) => onChange({ ...value, type })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-2')}>
        <RemoveButton onClick={onRemove}>{`Retirer l’attribut ${index + 1}`}</RemoveButton>
      </div>
    </div>
  );
}

/** The attributes a programme declares for itself, that its custom conditions test. */
export function CustomAttributesEditor({
  path,
  value,
  onChange,
}: Edit<CustomAttribute[] | undefined>) {
  const attributes = value ?? [];
  const set = (next: CustomAttribute[]) => onChange(next.length === 0 ? undefined : next);
  const added: CustomAttribute = {
    key: `attribut_${attributes.length + 1}`,
    label: 'Nouvel attribut',
    type: 'boolean',
  };
  return (
    <FieldGroup
      path={path}
      legend="Attributs propres au dispositif"
      hint="Des informations que le dispositif demande lui-même (par exemple « inscrit dans un club sportif »)."
    >
      {attributes.map((attribute, index) => (
        <CustomAttributeRow
          key={index}
          path={`${path}.${index}`}
          index={index}
          value={attribute}
          onChange={(next) => set(replaceAt(attributes, index, next))}
          onRemove={() => set(removeAt(attributes, index))}
        />
      ))}
      <AddButton onClick={() => set([...attributes, added])}>Ajouter un attribut</AddButton>
    </FieldGroup>
  );
}
