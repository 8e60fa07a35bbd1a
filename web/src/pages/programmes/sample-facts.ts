import {
  centsToInput,
  decimalToInput,
  parseDecimal,
  parseEurosToCents,
} from '../../programmes/money.js';
import type { CustomAttribute } from '../../programmes/rules.js';
import type { BeneficiaryFacts } from '../../programmes/types.js';

// The sample beneficiary of the explanation panel, as typed, and the facts it gives. Pure.

export interface FactsDraft {
  birthDate: string;
  communeCode: string;
  householdQuotient: string;
  dependentChildren: string;
  statuses: string[];
  organisationKind: string;
  declaredExpense: string;
  custom: Record<string, string>;
}

export type FactsField = Exclude<keyof FactsDraft, 'statuses' | 'custom'>;

export function factsDraftOf(facts: BeneficiaryFacts): FactsDraft {
  const custom = Object.fromEntries(
    Object.entries(facts.custom ?? {}).map(([key, value]) => [key, `${value}`]),
  );
  return {
    birthDate: facts.birthDate ?? '',
    communeCode: facts.communeCode ?? '',
    householdQuotient: decimalToInput(facts.householdQuotientEuros),
    dependentChildren: facts.dependentChildren === undefined ? '' : `${facts.dependentChildren}`,
    statuses: facts.statuses ?? [],
    organisationKind: facts.organisationKind ?? '',
    declaredExpense: centsToInput(facts.declaredExpenseCents),
    custom,
  };
}

export type FactsProblems = Partial<Record<FactsField | `custom.${string}`, string>>;

function customValue(
  attribute: CustomAttribute | undefined,
  text: string,
): string | number | boolean | null {
  if (attribute?.type === 'boolean') return text === 'true';
  if (attribute?.type === 'number') return parseDecimal(text);
  return text;
}

function customFacts(
  draft: FactsDraft,
  attributes: readonly CustomAttribute[],
  problems: FactsProblems,
) {
  const custom: Record<string, string | number | boolean> = {};
  for (const [key, text] of Object.entries(draft.custom)) {
    if (text.trim() === '') continue;
    const value = customValue(
      attributes.find((attribute) => attribute.key === key),
      text.trim(),
    );
    if (value === null) problems[`custom.${key}`] = 'Saisissez un nombre.';
    else custom[key] = value;
  }
  return Object.keys(custom).length === 0 ? undefined : custom;
}

/** The facts to send, or the problem of each field that cannot be read. */
export function factsOf(
  draft: FactsDraft,
  attributes: readonly CustomAttribute[],
): { facts: BeneficiaryFacts; problems: FactsProblems } {
  const problems: FactsProblems = {};
  const facts: BeneficiaryFacts = {};
  if (draft.birthDate !== '') facts.birthDate = draft.birthDate;
  if (draft.communeCode.trim() !== '') {
    if (/^[0-9AB]{5}$/i.test(draft.communeCode.trim()))
      facts.communeCode = draft.communeCode.trim().toUpperCase();
    else problems.communeCode = 'Le code INSEE d’une commune a 5 caractères, par exemple 33063.';
  }
  if (draft.householdQuotient.trim() !== '') {
    const quotient = parseDecimal(draft.householdQuotient);
    if (quotient === null || quotient < 0)
      problems.householdQuotient = 'Saisissez un montant en euros, par exemple 612.';
    else facts.householdQuotientEuros = quotient;
  }
  if (draft.dependentChildren.trim() !== '') {
    const children = Number(draft.dependentChildren.trim());
    if (!/^\d{1,2}$/.test(draft.dependentChildren.trim()) || children > 30)
      problems.dependentChildren = 'Saisissez un nombre entier de 0 à 30.';
    else facts.dependentChildren = children;
  }
  if (draft.statuses.length > 0) facts.statuses = draft.statuses;
  if (draft.organisationKind !== '') facts.organisationKind = draft.organisationKind;
  if (draft.declaredExpense.trim() !== '') {
    const cents = parseEurosToCents(draft.declaredExpense);
    if (cents === null)
      problems.declaredExpense = 'Saisissez un montant en euros, par exemple 8 400.';
    else facts.declaredExpenseCents = cents;
  }
  const custom = customFacts(draft, attributes, problems);
  if (custom !== undefined) facts.custom = custom;
  return { facts, problems };
}
