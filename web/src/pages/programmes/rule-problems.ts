import type { SummarisedError } from '../../components/ErrorSummary.js';
import type { RuleProblem } from '../../programmes/types.js';
import { fieldIdOf } from './rule-fields.js';

// From problems found in rules (by the form or the server) to the error summary's entries.

const sectionNames: Record<string, string> = {
  eligibility: 'Éligibilité',
  customAttributes: 'Éligibilité, attributs',
  amount: 'Montant',
  usage: 'Usage',
  stacking: 'Cumul',
};

/** Values the form could not read (kept as NaN), each with its path in the rules. */
export function unreadableValues(value: unknown, path = ''): RuleProblem[] {
  if (typeof value === 'number' && Number.isNaN(value)) {
    return [{ field: path, message: 'Valeur illisible : corrigez ce champ.' }];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    unreadableValues(item, path === '' ? key : `${path}.${key}`),
  );
}

/** The element showing this path or, failing that, the closest group that contains it. */
function closestElement(path: string): HTMLElement | null {
  const parts = path.split('.');
  while (parts.length > 0) {
    const element = document.getElementById(fieldIdOf(parts.join('.')));
    if (element !== null) return element;
    parts.pop();
  }
  return null;
}

/** The words of a field's label, without its hint. */
function labelOf(element: HTMLElement): string | undefined {
  const label =
    element.tagName === 'FIELDSET'
      ? element.querySelector('legend')
      : document.querySelector(`label[for="${element.id}"]`);
  const text = label?.firstChild?.textContent?.trim();
  return text === undefined || text === '' ? undefined : text;
}

export function summarisedRuleProblems(problems: readonly RuleProblem[]): SummarisedError[] {
  return problems.map((problem, index) => {
    const element = closestElement(problem.field);
    const section = sectionNames[problem.field.split('.')[0] ?? ''] ?? 'Règles';
    const label = element === null ? undefined : labelOf(element);
    return {
      key: `${index}-${problem.field}`,
      message: problem.message,
      fieldId: element?.id,
      fieldLabel: label === undefined ? section : `${section} — ${label}`,
    };
  });
}
