import { fr } from '@codegouvfr/react-dsfr';
import {
  amountTypeLabels,
  bracketAttributeLabels,
  emptyAmount,
  roundingLabels,
  type AmountLimits,
  type AmountRule,
  type BracketAttribute,
  type BracketAmount,
  type ExpenseShareAmount,
  type FixedAmount,
  type PerUnitAmount,
  type RateBracket,
  type AmountBracket,
  labelledChoices,
} from '../../programmes/rules.js';
import {
  AddButton,
  CentsField,
  FieldGroup,
  NumberField,
  PercentField,
  RemoveButton,
  SelectField,
  TextField,
  removeAt,
  replaceAt,
  unreadable,
} from './rule-fields.js';

// The amount: a formula (fixed, brackets, per unit, share of the expense), then its limits.

type Edit<Value> = { path: string; value: Value; onChange: (value: Value) => void };

const amountTypes = labelledChoices(amountTypeLabels);
const bracketAttributes = labelledChoices(bracketAttributeLabels);
const roundings = labelledChoices(roundingLabels);

type Bracket = AmountBracket | RateBracket;

function BracketRow<Row extends Bracket>({
  path,
  value,
  index,
  last,
  onChange,
  onRemove,
}: Edit<Row> & { index: number; last: boolean; onRemove: (() => void) | null }) {
  const label = `Tranche ${index + 1}`;
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
        <NumberField
          path={`${path}.upTo`}
          label={`${label} : jusqu’à (inclus)`}
          hint={last ? 'Vide : sans limite.' : 'La valeur haute de la tranche.'}
          integer={false}
          value={value.upTo ?? undefined}
          onChange={(upTo) => onChange({ ...value, upTo: upTo ?? null })}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
        {'amountCents' in value ? (
          <CentsField
            path={`${path}.amountCents`}
            label={`${label} : montant`}
            value={value.amountCents}
            onChange={(amountCents) =>
              onChange({ ...value, amountCents: amountCents ?? unreadable })
            }
          />
        ) : (
          <PercentField
            path={`${path}.rateBasisPoints`}
            label={`${label} : taux`}
            value={value.rateBasisPoints}
            onChange={(rate) => onChange({ ...value, rateBasisPoints: rate ?? unreadable })}
          />
        )}
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-2')}>
        {onRemove !== null && (
          <RemoveButton onClick={onRemove}>{`Retirer la tranche ${index + 1}`}</RemoveButton>
        )}
      </div>
    </div>
  );
}

/** Brackets on an attribute (quotient, children, age), each up to a bound, the last unbounded. */
function BracketsEditor<Row extends Bracket>({
  path,
  value,
  onChange,
  newRow,
}: Edit<{ attribute: BracketAttribute; customAttribute?: string; brackets: Row[] }> & {
  newRow: () => Row;
}) {
  const rows = value.brackets;
  return (
    <>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <SelectField
            path={`${path}.attribute`}
            label="Tranches selon"
            value={value.attribute}
            options={bracketAttributes}
            onChange={(attribute) => onChange({ ...value, attribute })}
          />
        </div>
        {value.attribute === 'custom' && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <TextField
              path={`${path}.customAttribute`}
              label="Identifiant de l’attribut"
              value={value.customAttribute}
              onChange={(customAttribute) => onChange({ ...value, customAttribute })}
            />
          </div>
        )}
      </div>
      <FieldGroup
        path={`${path}.brackets`}
        legend="Tranches"
        hint="Chacune couvre les valeurs au-dessus de la précédente, jusqu’à sa borne incluse."
      >
        {rows.map((row, index) => (
          <BracketRow
            key={index}
            path={`${path}.brackets.${index}`}
            value={row}
            index={index}
            last={index === rows.length - 1}
            onChange={(next) => onChange({ ...value, brackets: replaceAt(rows, index, next) })}
            onRemove={
              rows.length > 1 ? () => onChange({ ...value, brackets: removeAt(rows, index) }) : null
            }
          />
        ))}
        <AddButton onClick={() => onChange({ ...value, brackets: [...rows, newRow()] })}>
          Ajouter une tranche
        </AddButton>
      </FieldGroup>
    </>
  );
}

function UnitAmountEditor({ path, value, onChange }: Edit<FixedAmount | BracketAmount>) {
  return (
    <>
      <SelectField
        path={`${path}.type`}
        label="Montant par unité"
        value={value.type}
        options={[
          ['fixed', 'Le même pour chaque unité'],
          ['brackets', 'Par tranches'],
        ]}
        onChange={(type) =>
          onChange(
            type === 'fixed'
              ? { type, amountCents: 50_00 }
              : {
                  type,
                  attribute: 'household_quotient',
                  brackets: [{ upTo: null, amountCents: 50_00 }],
                },
          )
        }
      />
      {value.type === 'fixed' ? (
        <CentsField
          path={`${path}.amountCents`}
          label="Montant par unité"
          value={value.amountCents}
          onChange={(amountCents) => onChange({ ...value, amountCents: amountCents ?? unreadable })}
        />
      ) : (
        <BracketsEditor
          path={path}
          value={value}
          onChange={(next) => onChange({ ...value, ...next })}
          newRow={() => ({ upTo: null, amountCents: 0 })}
        />
      )}
    </>
  );
}

function PerUnitFields({ path, value, onChange }: Edit<PerUnitAmount & AmountLimits>) {
  return (
    <>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <SelectField
            path={`${path}.unit`}
            label="Unité"
            value={value.unit}
            options={[
              ['dependent_child', 'Enfant à charge'],
              ['custom', 'Attribut propre au dispositif'],
            ]}
            onChange={(unit) => onChange({ ...value, unit })}
          />
        </div>
        {value.unit === 'custom' && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <TextField
              path={`${path}.customAttribute`}
              label="Identifiant de l’attribut"
              value={value.customAttribute}
              onChange={(customAttribute) => onChange({ ...value, customAttribute })}
            />
          </div>
        )}
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <CentsField
            path={`${path}.baseAmountCents`}
            label="Montant de base (facultatif)"
            hint="Versé une fois, avant les unités. En euros."
            value={value.baseAmountCents}
            onChange={(baseAmountCents) => onChange({ ...value, baseAmountCents })}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <NumberField
            path={`${path}.maximumUnits`}
            label="Nombre maximum d’unités (facultatif)"
            value={value.maximumUnits}
            onChange={(maximumUnits) => onChange({ ...value, maximumUnits })}
          />
        </div>
      </div>
      <UnitAmountEditor
        path={`${path}.unitAmount`}
        value={value.unitAmount}
        onChange={(unitAmount) => onChange({ ...value, unitAmount })}
      />
    </>
  );
}

function ExpenseShareFields({ path, value, onChange }: Edit<ExpenseShareAmount & AmountLimits>) {
  const rate = value.rate;
  return (
    <>
      <SelectField
        path={`${path}.rate.type`}
        label="Taux"
        value={rate.type}
        options={[
          ['fixed', 'Un taux unique'],
          ['brackets', 'Un taux par tranches'],
        ]}
        onChange={(type) =>
          onChange({
            ...value,
            rate:
              type === 'fixed'
                ? { type, rateBasisPoints: 5_000 }
                : {
                    type,
                    attribute: 'household_quotient',
                    brackets: [{ upTo: null, rateBasisPoints: 5_000 }],
                  },
          })
        }
      />
      {rate.type === 'fixed' ? (
        <PercentField
          path={`${path}.rate.rateBasisPoints`}
          label="Part de la dépense prise en charge"
          value={rate.rateBasisPoints}
          onChange={(rateBasisPoints) =>
            onChange({
              ...value,
              rate: { ...rate, rateBasisPoints: rateBasisPoints ?? unreadable },
            })
          }
        />
      ) : (
        <BracketsEditor
          path={`${path}.rate`}
          value={rate}
          onChange={(next) => onChange({ ...value, rate: { ...rate, ...next } })}
          newRow={() => ({ upTo: null, rateBasisPoints: 0 })}
        />
      )}
      <CentsField
        path={`${path}.maximumExpenseCents`}
        label="Dépense prise en compte au plus (facultatif)"
        hint="Au-delà, la dépense n’est pas comptée. En euros."
        value={value.maximumExpenseCents}
        onChange={(maximumExpenseCents) => onChange({ ...value, maximumExpenseCents })}
      />
    </>
  );
}

function FormulaFields({ path, value, onChange }: Edit<AmountRule>) {
  switch (value.type) {
    case 'fixed':
      return (
        <CentsField
          path={`${path}.amountCents`}
          label="Montant de l’aide"
          value={value.amountCents}
          onChange={(amountCents) => onChange({ ...value, amountCents: amountCents ?? unreadable })}
        />
      );
    case 'brackets':
      return (
        <BracketsEditor
          path={path}
          value={value}
          onChange={(next) => onChange({ ...value, ...next })}
          newRow={() => ({ upTo: null, amountCents: 0 })}
        />
      );
    case 'per_unit':
      return <PerUnitFields path={path} value={value} onChange={onChange} />;
    case 'expense_share':
      return <ExpenseShareFields path={path} value={value} onChange={onChange} />;
  }
}

function LimitFields({ path, value, onChange }: Edit<AmountRule>) {
  return (
    <FieldGroup path={`${path}.limites`} legend="Limites et arrondi">
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <CentsField
            path={`${path}.floorCents`}
            label="Montant minimum garanti (facultatif)"
            value={value.floorCents}
            onChange={(floorCents) => onChange({ ...value, floorCents })}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <CentsField
            path={`${path}.ceilingCents`}
            label="Plafond (facultatif)"
            value={value.ceilingCents}
            onChange={(ceilingCents) => onChange({ ...value, ceilingCents })}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <PercentField
            path={`${path}.expenseShareCeilingBasisPoints`}
            label="Au plus cette part de la dépense déclarée (facultatif)"
            value={value.expenseShareCeilingBasisPoints}
            onChange={(share) => onChange({ ...value, expenseShareCeilingBasisPoints: share })}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <SelectField
            path={`${path}.rounding`}
            label="Arrondi des fractions de centime"
            value={value.rounding}
            options={roundings}
            onChange={(rounding) => onChange({ ...value, rounding })}
          />
        </div>
      </div>
    </FieldGroup>
  );
}

export function AmountEditor({
  value,
  onChange,
}: {
  value: AmountRule;
  onChange: (value: AmountRule) => void;
}) {
  const path = 'amount';
  const limits: AmountLimits = {
    rounding: value.rounding,
    floorCents: value.floorCents,
    ceilingCents: value.ceilingCents,
    expenseShareCeilingBasisPoints: value.expenseShareCeilingBasisPoints,
  };
  return (
    <>
      <SelectField
        path={`${path}.type`}
        label="Calcul du montant"
        value={value.type}
        options={amountTypes}
        onChange={(type) => onChange(emptyAmount(type, limits))}
      />
      <FormulaFields path={path} value={value} onChange={onChange} />
      <LimitFields path={path} value={value} onChange={onChange} />
    </>
  );
}
