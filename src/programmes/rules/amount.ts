import { ageInYears, isValidDate } from './calendar.js';
import {
  amountStep,
  conditionStep,
  type EvaluationContext,
  type ExplanationStep,
} from './decision.js';
import {
  countOf,
  formatBasisPoints,
  formatCents,
  formatEuros,
  formatNumber,
  plural,
} from './format.js';
import {
  FULL_SHARE_BASIS_POINTS,
  MAX_AMOUNT_CENTS,
  type AmountRule,
  type BracketAttribute,
  type CustomAttribute,
  type ExpenseShareAmount,
  type FixedAmount,
  type BracketAmount,
  type PerUnitAmount,
  type RoundingMode,
} from './schema.js';

// The amount, compiled once: a formula, then the share-of-expense ceiling, the floor and the
// ceiling, each step written down with the amount it leaves. A formula that cannot be computed
// (a missing fact, a value beyond the last bracket) or that gives nothing adds a condition step
// that is not met: the beneficiary is then not eligible, and the explanation says why.

/** The amount in cents, or -1 when none can be granted. */
export type CompiledAmount = (context: EvaluationContext, steps: ExplanationStep[]) => number;

const NONE = -1;

/** A numeric fact an amount depends on; `read` gives NaN when it is missing or invalid. */
type NumericSource = {
  field: string;
  read: (context: EvaluationContext) => number;
  subject: string;
  missing: string;
  render: (value: number) => string;
};

function validNumber(value: number | undefined, integer: boolean): number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return Number.NaN;
  return integer && !Number.isSafeInteger(value) ? Number.NaN : value;
}

function numericSource(
  attribute: BracketAttribute | 'dependent_child',
  customAttribute: string | undefined,
  attributes: readonly CustomAttribute[],
): NumericSource {
  switch (attribute) {
    case 'household_quotient':
      return {
        field: 'householdQuotientEuros',
        read: (context) => validNumber(context.facts.householdQuotientEuros, false),
        subject: 'Votre quotient familial',
        missing: 'Votre quotient familial n’est pas connu',
        render: formatEuros,
      };
    case 'dependent_children':
    case 'dependent_child':
      return {
        field: 'dependentChildren',
        read: (context) => validNumber(context.facts.dependentChildren, true),
        subject: 'Votre nombre d’enfants à charge',
        missing: 'Votre nombre d’enfants à charge n’est pas connu',
        render: (value) => countOf(value, 'enfant à charge', 'enfants à charge'),
      };
    case 'age':
      return {
        field: 'birthDate',
        read: (context) => {
          const birthDate = context.facts.birthDate;
          if (birthDate === undefined || !isValidDate(birthDate)) return Number.NaN;
          return ageInYears(birthDate, context.referenceDate) ?? Number.NaN;
        },
        subject: 'Votre âge',
        missing: 'Votre date de naissance n’est pas connue ou pas valable',
        render: (value) => `${value} ${plural(value, 'an', 'ans')}`,
      };
    case 'custom': {
      const key = customAttribute ?? '';
      const label = attributes.find((candidate) => candidate.key === key)?.label ?? key;
      return {
        field: `custom.${key}`,
        read: (context) => {
          const value = context.facts.custom?.[key];
          return typeof value === 'number' ? validNumber(value, false) : Number.NaN;
        },
        subject: `L’information « ${label} »`,
        missing: `L’information « ${label} » n’est pas connue ou pas valable`,
        render: formatNumber,
      };
    }
  }
}

/** Integer division of a non-negative numerator, rounded as the rules say. */
export function divideRounded(numerator: number, divisor: number, mode: RoundingMode): number {
  const quotient = Math.floor(numerator / divisor);
  const remainder = numerator - quotient * divisor;
  if (remainder === 0 || mode === 'down') return quotient;
  if (mode === 'up') return quotient + 1;
  return 2 * remainder >= divisor ? quotient + 1 : quotient;
}

const ROUNDING_WORDS: Record<RoundingMode, string> = {
  down: 'arrondi au centime inférieur',
  nearest: 'arrondi au centime le plus proche',
  up: 'arrondi au centime supérieur',
};

function cannotCompute(
  steps: ExplanationStep[],
  code: string,
  data: Record<string, unknown>,
  reason: string,
): number {
  data.path = 'amount';
  steps.push(conditionStep(code, false, data, `${reason} : aucun montant ne peut être calculé.`));
  return NONE;
}

type Table = {
  attribute: BracketAttribute;
  customAttribute?: string;
  brackets: { upTo: number | null }[];
};

/**
 * Finds the bracket of a value and writes its step, with what the bracket gives under
 * `valueKey` (an amount, an amount per unit, a rate).
 */
function compileBrackets(
  table: Table,
  attributes: readonly CustomAttribute[],
  values: readonly number[],
  valueKey: 'amountCents' | 'unitAmountCents' | 'rateBasisPoints',
  describe: (value: number) => string,
): (context: EvaluationContext, steps: ExplanationStep[]) => number {
  const source = numericSource(table.attribute, table.customAttribute, attributes);
  const bounds = table.brackets.map((bracket) => bracket.upTo);
  const labels = bounds.map((upTo, index) => {
    const previous = index === 0 ? null : bounds[index - 1];
    const above =
      previous === null || previous === undefined ? '' : `plus de ${source.render(previous)}`;
    if (upTo === null) return above === '' ? 'toutes valeurs' : above;
    const until = `jusqu’à ${source.render(upTo)} inclus`;
    return above === '' ? until : `${above} et ${until}`;
  });
  const outcomes = values.map(describe);
  return (context, steps) => {
    const value = source.read(context);
    if (Number.isNaN(value))
      return cannotCompute(steps, 'amount_data', { field: source.field }, source.missing);
    let index = 0;
    while (index < bounds.length && bounds[index] !== null && value > (bounds[index] as number))
      index += 1;
    const subject = `${source.subject} (${source.render(value)})`;
    if (index === bounds.length) {
      return cannotCompute(
        steps,
        'amount_bracket',
        { field: source.field, value },
        `${subject} dépasse la dernière tranche du barème (« ${labels[index - 1]} »)`,
      );
    }
    const data: Record<string, unknown> = {
      path: 'amount',
      field: source.field,
      value,
      bracketIndex: index,
      upTo: bounds[index],
    };
    data[valueKey] = values[index];
    steps.push(
      amountStep(
        'bracket',
        data,
        `${subject} relève de la tranche « ${labels[index]} » : ${outcomes[index]}.`,
      ),
    );
    return index;
  };
}

type Formula = (context: EvaluationContext, steps: ExplanationStep[]) => number;

/** What a bracket gives: the amount itself, or the amount per unit (`unitAmountCents`). */
function compileAmountOf(
  unitAmount: FixedAmount | BracketAmount,
  attributes: readonly CustomAttribute[],
  dataKey: 'amountCents' | 'unitAmountCents',
): Formula {
  if (unitAmount.type === 'fixed') return () => unitAmount.amountCents;
  const amounts = unitAmount.brackets.map((bracket) => bracket.amountCents);
  const find = compileBrackets(unitAmount, attributes, amounts, dataKey, formatCents);
  return (context, steps) => {
    const index = find(context, steps);
    return index === NONE ? NONE : (amounts[index] as number);
  };
}

function compileFixed(rule: FixedAmount): Formula {
  const amountCents = rule.amountCents;
  const sentence = `Montant forfaitaire : ${formatCents(amountCents)}.`;
  return (_context, steps) => {
    steps.push(amountStep('fixed', { amountCents }, sentence));
    return amountCents;
  };
}

function compilePerUnit(rule: PerUnitAmount, attributes: readonly CustomAttribute[]): Formula {
  const source = numericSource(rule.unit, rule.customAttribute, attributes);
  const unitAmount = compileAmountOf(rule.unitAmount, attributes, 'unitAmountCents');
  const base = rule.baseAmountCents ?? 0;
  const baseText = base > 0 ? `${formatCents(base)} + ` : '';
  const unitLabel = attributes.find((candidate) => candidate.key === rule.customAttribute)?.label;
  const unitsText =
    rule.unit === 'dependent_child'
      ? source.render
      : (units: number) => `« ${unitLabel ?? rule.customAttribute} » égal à ${formatNumber(units)}`;
  return (context, steps) => {
    const units = source.read(context);
    if (Number.isNaN(units) || !Number.isInteger(units))
      return cannotCompute(steps, 'amount_data', { field: source.field }, source.missing);
    const perUnit = unitAmount(context, steps);
    if (perUnit === NONE) return NONE;
    const counted = rule.maximumUnits === undefined ? units : Math.min(units, rule.maximumUnits);
    const amountCents = base + counted * perUnit;
    const limit = counted < units ? `, dont ${counted} au plus pris en compte` : '';
    steps.push(
      amountStep(
        'per_unit',
        {
          units,
          countedUnits: counted,
          unitAmountCents: perUnit,
          baseAmountCents: base,
          amountCents,
        },
        `Pour ${unitsText(units)}${limit} : ${baseText}${counted} × ${formatCents(perUnit)} = ${formatCents(amountCents)}.`,
      ),
    );
    return amountCents;
  };
}

function readExpense(context: EvaluationContext): number {
  const expense = context.facts.declaredExpenseCents;
  if (
    expense === undefined ||
    !Number.isSafeInteger(expense) ||
    expense < 0 ||
    expense > MAX_AMOUNT_CENTS
  )
    return Number.NaN;
  return expense;
}

const EXPENSE_MISSING =
  'La dépense déclarée n’est pas connue ou pas valable (centimes entiers attendus)';

function compileExpenseShare(
  rule: ExpenseShareAmount,
  rounding: RoundingMode,
  attributes: readonly CustomAttribute[],
): Formula {
  const rate = rule.rate;
  const rates =
    rate.type === 'fixed'
      ? [rate.rateBasisPoints]
      : rate.brackets.map((bracket) => bracket.rateBasisPoints);
  const findRate =
    rate.type === 'fixed'
      ? () => 0
      : compileBrackets(
          rate,
          attributes,
          rates,
          'rateBasisPoints',
          (basisPoints) => `taux de ${formatBasisPoints(basisPoints)}`,
        );
  return (context, steps) => {
    const expense = readExpense(context);
    if (Number.isNaN(expense))
      return cannotCompute(
        steps,
        'amount_data',
        { field: 'declaredExpenseCents' },
        EXPENSE_MISSING,
      );
    const rateIndex = findRate(context, steps);
    if (rateIndex === NONE) return NONE;
    const basisPoints = rates[rateIndex] as number;
    const retained =
      rule.maximumExpenseCents === undefined
        ? expense
        : Math.min(expense, rule.maximumExpenseCents);
    const numerator = retained * basisPoints;
    const amountCents = divideRounded(numerator, FULL_SHARE_BASIS_POINTS, rounding);
    const retainedText =
      retained < expense ? `, retenue dans la limite de ${formatCents(retained)}` : '';
    const roundingText =
      numerator % FULL_SHARE_BASIS_POINTS === 0 ? '' : ` (${ROUNDING_WORDS[rounding]})`;
    steps.push(
      amountStep(
        'expense_share',
        {
          declaredExpenseCents: expense,
          retainedExpenseCents: retained,
          rateBasisPoints: basisPoints,
          rounding,
          amountCents,
        },
        `Dépense déclarée : ${formatCents(expense)}${retainedText} ; ${formatBasisPoints(basisPoints)} de ${formatCents(retained)} = ${formatCents(amountCents)}${roundingText}.`,
      ),
    );
    return amountCents;
  };
}

function compileFormula(rule: AmountRule, attributes: readonly CustomAttribute[]): Formula {
  switch (rule.type) {
    case 'fixed':
      return compileFixed(rule);
    case 'per_unit':
      return compilePerUnit(rule, attributes);
    case 'expense_share':
      return compileExpenseShare(rule, rule.rounding, attributes);
    case 'brackets':
      return compileAmountOf(rule, attributes, 'amountCents');
  }
}

/** Applies a limit and writes its step: `lower` caps the amount, otherwise it raises it. */
function limitStep(
  steps: ExplanationStep[],
  code: string,
  amountCents: number,
  limitCents: number,
  lower: boolean,
  what: string,
): number {
  const changes = lower ? amountCents > limitCents : amountCents < limitCents;
  const result = changes ? limitCents : amountCents;
  const effect = changes
    ? `montant ${lower ? 'ramené' : 'porté'} à ${formatCents(result)}`
    : 'montant inchangé';
  steps.push(amountStep(code, { limitCents, amountCents: result }, `${what} : ${effect}.`));
  return result;
}

function applyShareCeiling(
  rule: AmountRule,
  context: EvaluationContext,
  steps: ExplanationStep[],
  amountCents: number,
): number {
  const basisPoints = rule.expenseShareCeilingBasisPoints;
  if (basisPoints === undefined) return amountCents;
  const expense = readExpense(context);
  if (Number.isNaN(expense))
    return cannotCompute(steps, 'amount_data', { field: 'declaredExpenseCents' }, EXPENSE_MISSING);
  const ceiling = divideRounded(expense * basisPoints, FULL_SHARE_BASIS_POINTS, rule.rounding);
  return limitStep(
    steps,
    'expense_share_ceiling',
    amountCents,
    ceiling,
    true,
    `Plafond de ${formatBasisPoints(basisPoints)} de la dépense déclarée (${formatCents(expense)}), soit ${formatCents(ceiling)}`,
  );
}

export function compileAmount(
  rule: AmountRule,
  attributes: readonly CustomAttribute[],
): CompiledAmount {
  const formula = compileFormula(rule, attributes);
  return (context, steps) => {
    let amountCents = formula(context, steps);
    if (amountCents !== NONE) amountCents = applyShareCeiling(rule, context, steps, amountCents);
    if (amountCents === NONE) return NONE;
    if (amountCents === 0) {
      steps.push(
        conditionStep(
          'amount_positive',
          false,
          { path: 'amount', amountCents: 0 },
          'Le montant calculé est nul : aucune aide ne peut être attribuée.',
        ),
      );
      return NONE;
    }
    if (rule.floorCents !== undefined)
      amountCents = limitStep(
        steps,
        'floor',
        amountCents,
        rule.floorCents,
        false,
        `Montant minimal de ${formatCents(rule.floorCents)}`,
      );
    if (rule.ceilingCents !== undefined)
      amountCents = limitStep(
        steps,
        'ceiling',
        amountCents,
        rule.ceilingCents,
        true,
        `Plafond de ${formatCents(rule.ceilingCents)}`,
      );
    steps.push(
      amountStep('total', { amountCents }, `Montant de l’aide : ${formatCents(amountCents)}.`),
    );
    return amountCents;
  };
}
