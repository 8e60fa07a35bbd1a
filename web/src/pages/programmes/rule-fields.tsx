import { createContext, useContext, useState, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { errorState } from '../../components/forms.js';
import {
  basisPointsToInput,
  centsToInput,
  decimalToInput,
  parseDecimal,
  parseEurosToCents,
  parsePercentToBasisPoints,
} from '../../programmes/money.js';
import type { RuleProblem } from '../../programmes/types.js';

// The fields of the rules form. Each field is named by the dotted path of its value in the rules
// (« usage.caps.dailyCents »), the path the server uses in its refusals: a refusal shows next to
// the field with that path, and the error summary links to it.

/** The id of the element that shows the value at this path. */
export function fieldIdOf(path: string): string {
  return `regle-${path.replace(/\./g, '-')}`;
}

const RuleProblemsContext = createContext<readonly RuleProblem[]>([]);
export const RuleProblemsProvider = RuleProblemsContext.Provider;

function messageOf(problems: readonly RuleProblem[]): string | undefined {
  return problems.length === 0 ? undefined : problems.map((problem) => problem.message).join(' ');
}

function useProblemsAt(path: string): RuleProblem[] {
  return useContext(RuleProblemsContext).filter((problem) => problem.field === path);
}

/** The messages for the value at this path, joined; undefined when it has none. */
export function useProblemAt(path: string): string | undefined {
  return messageOf(useProblemsAt(path));
}

/** A value typed but unreadable: kept as NaN so that the form can say where it is. */
export const unreadable = Number.NaN;

const sameValue = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right);

interface TextFieldProps<Value> {
  path: string;
  label: string;
  hint?: string;
  value: Value;
  onChange: (value: Value) => void;
}

/**
 * An input that keeps what the person types (« 12, » on the way to « 12,50 ») and gives the
 * value it reads; when the value changes from elsewhere, the text follows.
 */
function ParsedInput<Value>({
  path,
  label,
  hint,
  value,
  onChange,
  format,
  parse,
  invalidMessage,
  inputMode,
  type = 'text',
}: TextFieldProps<Value> & {
  format: (value: Value) => string;
  parse: (text: string) => Value;
  invalidMessage: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  type?: 'text' | 'date';
}) {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  if (!sameValue(shown, value)) {
    setShown(value);
    if (!sameValue(parse(text), value)) setText(format(value));
  }
  // Once the person changes the value, the refusal of the former one no longer shows.
  const problems = useProblemsAt(path);
  const [corrected, setCorrected] = useState<readonly RuleProblem[]>([]);
  const serverProblem = messageOf(problems.filter((problem) => !corrected.includes(problem)));
  const parsed = parse(text);
  const localProblem =
    typeof parsed === 'number' && Number.isNaN(parsed) ? invalidMessage : undefined;
  return (
    <Input
      label={label}
      hintText={hint}
      className={inputMode === 'decimal' || inputMode === 'numeric' ? 'field-narrow' : undefined}
      {...errorState(localProblem ?? serverProblem)}
      nativeInputProps={{
        id: fieldIdOf(path),
        type,
        inputMode,
        value: text,
        onChange: (event) => {
          setCorrected(problems);
          setText(event.target.value);
          setShown(parse(event.target.value));
          onChange(parse(event.target.value));
        },
      }}
    />
  );
}

const emptyOr =
  <Value,>(read: (text: string) => Value | null) =>
  (text: string) =>
    text.trim() === '' ? undefined : (read(text) ?? unreadable);

export function CentsField(props: TextFieldProps<number | undefined>) {
  return (
    <ParsedInput
      {...props}
      hint={props.hint ?? 'En euros, par exemple 50 ou 12,50.'}
      format={centsToInput}
      parse={emptyOr(parseEurosToCents)}
      invalidMessage="Saisissez un montant en euros, par exemple 50 ou 12,50."
      inputMode="decimal"
    />
  );
}

export function PercentField(props: TextFieldProps<number | undefined>) {
  return (
    <ParsedInput
      {...props}
      hint={props.hint ?? 'En pourcentage, par exemple 50 ou 12,5.'}
      format={basisPointsToInput}
      parse={emptyOr((text) => {
        const basisPoints = parsePercentToBasisPoints(text);
        return basisPoints !== null && basisPoints <= 10_000 ? basisPoints : null;
      })}
      invalidMessage="Saisissez un pourcentage de 0 à 100, par exemple 12,5."
      inputMode="decimal"
    />
  );
}

/** A number that is not money: an age, a count, a quotient, coordinates. */
export function NumberField(
  props: TextFieldProps<number | undefined> & { integer?: boolean; hint?: string },
) {
  const { integer = true, ...rest } = props;
  return (
    <ParsedInput
      {...rest}
      format={decimalToInput}
      parse={emptyOr((text) => {
        const value = parseDecimal(text);
        return value !== null && (!integer || Number.isInteger(value)) ? value : null;
      })}
      invalidMessage={integer ? 'Saisissez un nombre entier.' : 'Saisissez un nombre.'}
      inputMode={integer ? 'numeric' : 'decimal'}
    />
  );
}

/** A list typed as text, items separated by commas (codes, identifiers). */
export function ListField(props: TextFieldProps<string[] | undefined>) {
  return (
    <ParsedInput
      {...props}
      hint={props.hint ?? 'Séparés par des virgules.'}
      format={(value) => (value ?? []).join(', ')}
      parse={(text) => {
        const items = text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
        return items.length === 0 ? undefined : items;
      }}
      invalidMessage=""
    />
  );
}

export function TextField(props: TextFieldProps<string | undefined> & { type?: 'text' | 'date' }) {
  return (
    <ParsedInput
      {...props}
      format={(value) => value ?? ''}
      parse={(text) => (text.trim() === '' ? undefined : text.trim())}
      invalidMessage=""
    />
  );
}

export function SelectField<Value extends string>({
  path,
  label,
  hint,
  value,
  options,
  onChange,
}: TextFieldProps<Value> & { options: readonly (readonly [Value, string])[] }) {
  return (
    <Select
      label={label}
      hint={hint}
      {...errorState(useProblemAt(path))}
      nativeSelectProps={{
        id: fieldIdOf(path),
        value,
        onChange: (event) => onChange(event.target.value as Value),
      }}
    >
      {options.map(([optionValue, optionLabel]) => (
        <option key={optionValue} value={optionValue}>
          {optionLabel}
        </option>
      ))}
    </Select>
  );
}

/** Boxes to tick among known codes; none ticked gives undefined (the rule does not apply). */
export function ChoicesField<Code extends string | number>({
  path,
  label,
  hint,
  value,
  choices,
  onChange,
}: TextFieldProps<Code[] | undefined> & { choices: readonly (readonly [Code, string])[] }) {
  const ticked = new Set<Code>(value ?? []);
  const problem = useProblemAt(path);
  return (
    <Checkbox
      id={fieldIdOf(path)}
      legend={label}
      hintText={hint}
      orientation="horizontal"
      small
      {...errorState(problem)}
      options={choices.map(([code, choiceLabel]) => ({
        label: choiceLabel,
        nativeInputProps: {
          checked: ticked.has(code),
          onChange: (event) => {
            const next = choices
              .map(([candidate]) => candidate)
              .filter((candidate) =>
                candidate === code ? event.target.checked : ticked.has(candidate),
              );
            onChange(next.length === 0 ? undefined : next);
          },
        },
      }))}
    />
  );
}

/**
 * A group of fields with a legend; refusals of the group as a whole (« au moins une zone ») show
 * under its legend.
 */
export function FieldGroup({
  path,
  legend,
  hint,
  children,
  className,
}: {
  path: string;
  legend: ReactNode;
  hint?: string;
  children: ReactNode;
  className?: string;
}) {
  const id = fieldIdOf(path);
  const problem = useProblemAt(path);
  const classes = [
    'fr-fieldset',
    'rule-group',
    className ?? '',
    problem === undefined ? '' : 'fr-fieldset--error',
  ];
  return (
    <fieldset
      id={id}
      className={classes.join(' ').trim()}
      aria-labelledby={`${id}-legende${problem === undefined ? '' : ` ${id}-erreur`}`}
    >
      <legend id={`${id}-legende`} className={fr.cx('fr-fieldset__legend')}>
        {legend}
        {hint !== undefined && <span className={fr.cx('fr-hint-text')}>{hint}</span>}
      </legend>
      <div className="rule-group__content">{children}</div>
      <div className={fr.cx('fr-messages-group')} id={`${id}-erreur`} aria-live="polite">
        {problem !== undefined && (
          <p className={fr.cx('fr-message', 'fr-message--error')}>{problem}</p>
        )}
      </div>
    </fieldset>
  );
}

export function AddButton({ onClick, children }: { onClick: () => void; children: string }) {
  return (
    <Button
      type="button"
      priority="secondary"
      size="small"
      iconId="fr-icon-add-line"
      onClick={onClick}
    >
      {children}
    </Button>
  );
}

export function RemoveButton({ onClick, children }: { onClick: () => void; children: string }) {
  return (
    <Button
      type="button"
      priority="tertiary"
      size="small"
      iconId="fr-icon-delete-line"
      onClick={onClick}
    >
      {children}
    </Button>
  );
}

/** The object without its undefined properties, or undefined when nothing is left. */
export function compact<Value extends object>(value: Value): Value | undefined {
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Value);
}

/** Replaces the item at `index` of a list. */
export function replaceAt<Item>(items: readonly Item[], index: number, item: Item): Item[] {
  return items.map((current, position) => (position === index ? item : current));
}

export function removeAt<Item>(items: readonly Item[], index: number): Item[] {
  return items.filter((_, position) => position !== index);
}
