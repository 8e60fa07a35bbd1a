import {
  MET,
  NOT_MET,
  UNKNOWN,
  conditionStep,
  uncheckedStep,
  outcomeWord,
  type EvaluationContext,
  type ExplanationStep,
  type Outcome,
} from './decision.js';
import { formatNumber, joinFrench } from './format.js';
import type { Condition, CustomAttribute } from './schema.js';

// Conditions on the attributes a programme declares itself (« propriétaire occupant »,
// « surface du logement »): the declaration gives the label and the type, the rules have
// checked that operator and value fit it.

type CustomCondition = Extract<Condition, { type: 'custom' }>;
type CustomValue = string | number | boolean;

function valueText(value: CustomValue): string {
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return typeof value === 'number' ? formatNumber(value) : value;
}

function customLabel(condition: CustomCondition, label: string): string {
  const value = condition.value;
  if (Array.isArray(value)) return `${label} : ${joinFrench(value, 'ou')}`;
  switch (condition.operator) {
    case 'equals':
      return `${label} : ${valueText(value)}`;
    case 'not_equals':
      return typeof value === 'boolean'
        ? `${label} : ${valueText(!value)}`
        : `${label} autre que ${valueText(value)}`;
    case 'at_least':
      return `${label} d’au moins ${valueText(value)}`;
    case 'at_most':
      return `${label} de ${valueText(value)} au plus`;
    default:
      return `${label} : ${valueText(value)}`;
  }
}

function test(condition: CustomCondition, actual: CustomValue): boolean {
  const expected = condition.value;
  switch (condition.operator) {
    case 'equals':
      return actual === expected;
    case 'not_equals':
      return actual !== expected;
    case 'one_of':
      return Array.isArray(expected) && typeof actual === 'string' && expected.includes(actual);
    case 'at_least':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'at_most':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
  }
}

function fitsType(attribute: CustomAttribute | undefined, value: CustomValue): boolean {
  if (attribute === undefined) return true;
  if (attribute.type === 'boolean') return typeof value === 'boolean';
  if (attribute.type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === 'string';
}

export function compileCustomCondition(
  condition: CustomCondition,
  path: string,
  attributes: readonly CustomAttribute[],
): (context: EvaluationContext, steps: ExplanationStep[]) => Outcome {
  const attribute = attributes.find((candidate) => candidate.key === condition.attribute);
  const label = attribute?.label ?? condition.attribute;
  const conditionLabel = customLabel(condition, label);
  return (context, steps) => {
    const actual = context.facts.custom?.[condition.attribute];
    const data = {
      path,
      attribute: condition.attribute,
      value: actual ?? null,
      operator: condition.operator,
      expected: condition.value,
    };
    if (actual === undefined || !fitsType(attribute, actual)) {
      const what =
        actual === undefined
          ? `L’information « ${label} » n’est pas connue`
          : `L’information « ${label} » déclarée n’est pas valable`;
      steps.push(
        uncheckedStep(
          'custom',
          data,
          `${what} : la condition « ${conditionLabel} » ne peut pas être vérifiée.`,
        ),
      );
      return UNKNOWN;
    }
    const outcome = test(condition, actual) ? MET : NOT_MET;
    steps.push(
      conditionStep(
        'custom',
        outcome === MET,
        data,
        `Vous avez déclaré « ${label} » : ${valueText(actual)} ; condition « ${conditionLabel} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}
