// The registry's own limits: an answer the registry would refuse is refused here, in the form.
import {
  EARLIEST_BIRTH_DATE,
  MAX_DEPENDENT_CHILDREN,
  MAX_HOUSEHOLD_QUOTIENT_EUROS,
  MAX_NAME_LENGTH,
} from '../beneficiaries/model.js';
import { isValidDate } from '../programmes/rules/calendar.js';
import {
  BENEFICIARY_STATUSES,
  ORGANISATION_KINDS,
  type BeneficiaryFacts,
} from '../programmes/rules/facts.js';
import { MAX_AMOUNT_CENTS } from '../programmes/rules/schema.js';
import type {
  AmountRule,
  Condition,
  CustomAttribute,
  RuleSet,
} from '../programmes/rules/schema.js';
import { isStorableText } from '../platform/text.js';

// What an applicant is asked: who they are (the funder's record needs it), then exactly the
// facts the programme's rules read, no more. Pure: the rules in, the questions out; answers in,
// facts or one French problem per field out.

export const MAX_TEXT_ANSWER_LENGTH = 200;
/** A declared expense above 10 million euros is a typing error, not a project. */
export const MAX_DECLARED_EXPENSE_CENTS = 1_000_000_000;
export const MAX_CUSTOM_NUMBER = 1_000_000_000;

export type QuestionInput =
  | 'text'
  | 'date'
  | 'commune'
  | 'decimal'
  | 'integer'
  | 'amount_cents'
  | 'boolean'
  | 'choice'
  | 'choices';

export type Choice = { value: string; label: string };

/**
 * One question. `key` names the answer: a fact's name, or `custom.<attribute>` for an attribute
 * the programme declares itself. Numeric limits are inclusive; an `amount_cents` answer is
 * integer cents (the form shows euros).
 */
export type Question = {
  key: string;
  label: string;
  hint?: string;
  input: QuestionInput;
  required: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  choices?: Choice[];
};

/** What the rules read, gathered in one walk. */
type Needs = {
  birthDate: boolean;
  communeCode: boolean;
  householdQuotientEuros: boolean;
  dependentChildren: boolean;
  statuses: Set<string>;
  statusesRead: boolean;
  organisationKinds: Set<string>;
  organisationKindRead: boolean;
  declaredExpenseCents: boolean;
  custom: Set<string>;
};

function emptyNeeds(): Needs {
  return {
    birthDate: false,
    communeCode: false,
    householdQuotientEuros: false,
    dependentChildren: false,
    statuses: new Set(),
    statusesRead: false,
    organisationKinds: new Set(),
    organisationKindRead: false,
    declaredExpenseCents: false,
    custom: new Set(),
  };
}

/** Walked with an explicit stack: rules are bounded in depth, but a walk never needs to trust it. */
function collectConditions(root: Condition, needs: Needs): void {
  const pending: Condition[] = [root];
  while (pending.length > 0) {
    const condition = pending.pop() as Condition;
    switch (condition.type) {
      case 'all':
      case 'any':
        pending.push(...condition.conditions);
        break;
      case 'not':
        pending.push(condition.condition);
        break;
      case 'age':
        needs.birthDate = true;
        break;
      case 'residence':
        needs.communeCode = true;
        break;
      case 'household_quotient':
        needs.householdQuotientEuros = true;
        break;
      case 'dependent_children':
        needs.dependentChildren = true;
        break;
      case 'status':
        needs.statusesRead = true;
        for (const status of condition.anyOf) needs.statuses.add(status);
        break;
      case 'organisation_kind':
        needs.organisationKindRead = true;
        for (const kind of condition.anyOf) needs.organisationKinds.add(kind);
        break;
      case 'custom':
        needs.custom.add(condition.attribute);
        break;
    }
  }
}

type Table = { attribute: string; customAttribute?: string };

function collectTable(table: Table, needs: Needs): void {
  switch (table.attribute) {
    case 'household_quotient':
      needs.householdQuotientEuros = true;
      break;
    case 'dependent_children':
      needs.dependentChildren = true;
      break;
    case 'age':
      needs.birthDate = true;
      break;
    case 'custom':
      if (table.customAttribute !== undefined) needs.custom.add(table.customAttribute);
      break;
  }
}

function collectAmount(amount: AmountRule, needs: Needs): void {
  if (amount.expenseShareCeilingBasisPoints !== undefined) needs.declaredExpenseCents = true;
  switch (amount.type) {
    case 'fixed':
      return;
    case 'brackets':
      collectTable(amount, needs);
      return;
    case 'per_unit':
      if (amount.unit === 'dependent_child') needs.dependentChildren = true;
      else if (amount.customAttribute !== undefined) needs.custom.add(amount.customAttribute);
      if (amount.unitAmount.type === 'brackets') collectTable(amount.unitAmount, needs);
      return;
    case 'expense_share':
      needs.declaredExpenseCents = true;
      if (amount.rate.type === 'brackets') collectTable(amount.rate, needs);
      return;
  }
}

/** Always asked: a beneficiary record of a person needs a name, a birth date and a commune. */
const IDENTITY_QUESTIONS: Question[] = [
  {
    key: 'familyName',
    label: 'Nom de famille',
    input: 'text',
    required: true,
    maxLength: MAX_NAME_LENGTH,
  },
  {
    key: 'givenNames',
    label: 'Prénoms',
    input: 'text',
    required: true,
    maxLength: MAX_NAME_LENGTH,
  },
  { key: 'birthDate', label: 'Date de naissance', input: 'date', required: true },
  {
    key: 'communeCode',
    label: 'Commune de résidence',
    hint: 'Code INSEE de la commune (5 caractères, par exemple 33063 pour Bordeaux).',
    input: 'commune',
    required: true,
  },
];

function labelled(codes: Iterable<string>, labels: Record<string, string>): Choice[] {
  return [...codes]
    .filter((code) => code in labels)
    .map((code) => ({ value: code, label: labels[code] as string }))
    .sort((left, right) => left.label.localeCompare(right.label, 'fr'));
}

function customQuestion(attribute: CustomAttribute): Question {
  const key = `custom.${attribute.key}`;
  switch (attribute.type) {
    case 'boolean':
      return { key, label: attribute.label, input: 'boolean', required: true };
    case 'number':
      return {
        key,
        label: attribute.label,
        input: 'decimal',
        required: true,
        minimum: 0,
        maximum: MAX_CUSTOM_NUMBER,
      };
    case 'text':
      if (attribute.values === undefined) {
        return {
          key,
          label: attribute.label,
          input: 'text',
          required: true,
          maxLength: MAX_TEXT_ANSWER_LENGTH,
        };
      }
      return {
        key,
        label: attribute.label,
        input: 'choice',
        required: true,
        choices: attribute.values.map((value) => ({ value, label: value })),
      };
  }
}

function householdQuestions(needs: Needs): Question[] {
  const questions: Question[] = [];
  if (needs.householdQuotientEuros) {
    questions.push({
      key: 'householdQuotientEuros',
      label: 'Quotient familial (en euros)',
      hint: 'Il figure sur votre attestation de la caisse d’allocations familiales.',
      input: 'decimal',
      required: true,
      minimum: 0,
      maximum: MAX_HOUSEHOLD_QUOTIENT_EUROS,
    });
  }
  if (needs.dependentChildren) {
    questions.push({
      key: 'dependentChildren',
      label: 'Nombre d’enfants à charge',
      input: 'integer',
      required: true,
      minimum: 0,
      maximum: MAX_DEPENDENT_CHILDREN,
    });
  }
  if (needs.statusesRead) {
    questions.push({
      key: 'statuses',
      label: 'Votre situation',
      hint: 'Cochez chaque situation qui est la vôtre, ou aucune.',
      input: 'choices',
      required: false,
      choices: labelled(needs.statuses, BENEFICIARY_STATUSES),
    });
  }
  return questions;
}

function projectQuestions(needs: Needs): Question[] {
  const questions: Question[] = [];
  if (needs.organisationKindRead) {
    questions.push({
      key: 'organisationKind',
      label: 'Type d’organisation',
      input: 'choice',
      required: true,
      choices: labelled(needs.organisationKinds, ORGANISATION_KINDS),
    });
  }
  if (needs.declaredExpenseCents) {
    questions.push({
      key: 'declaredExpenseCents',
      label: 'Montant de la dépense prévue (devis ou facture)',
      input: 'amount_cents',
      required: true,
      minimum: 1,
      maximum: Math.min(MAX_DECLARED_EXPENSE_CENTS, MAX_AMOUNT_CENTS),
    });
  }
  return questions;
}

/** The questions of a rule set, identity first, then in a fixed order, custom ones as declared. */
export function questionsOf(rules: RuleSet): Question[] {
  const needs = emptyNeeds();
  collectConditions(rules.eligibility, needs);
  collectAmount(rules.amount, needs);
  const custom = (rules.customAttributes ?? [])
    .filter((attribute) => needs.custom.has(attribute.key))
    .map(customQuestion);
  return [
    ...IDENTITY_QUESTIONS,
    ...householdQuestions(needs),
    ...projectQuestions(needs),
    ...custom,
  ];
}

// --- Answers --------------------------------------------------------------------------------

export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;
export type AnswerProblem = { field: string; message: string };

export type ApplicantIdentity = { familyName: string; givenNames: string };

export type CheckedAnswers =
  | { valid: true; identity: ApplicantIdentity; facts: BeneficiaryFacts; answers: Answers }
  | { valid: false; problems: AnswerProblem[] };

/** What validation needs from outside: today (Paris) and the commune reference. */
export type AnswerContext = { today: string; isKnownCommune: (code: string) => boolean };

type Checked = { value: AnswerValue } | { problem: string };

const COMMUNE_CODE = /^[0-9][0-9AB][0-9]{3}$/;

function checkText(question: Question, value: unknown): Checked {
  if (typeof value !== 'string') return { problem: 'Texte attendu.' };
  const text = value.trim();
  if (text.length === 0) return { problem: 'Réponse vide.' };
  const maxLength = question.maxLength ?? MAX_TEXT_ANSWER_LENGTH;
  if (text.length > maxLength) return { problem: `${maxLength} caractères au plus.` };
  if (!isStorableText(text)) return { problem: 'Texte invalide : caractère non autorisé.' };
  return { value: text };
}

function checkDate(value: unknown, context: AnswerContext): Checked {
  if (typeof value !== 'string' || !isValidDate(value)) {
    return { problem: 'Date attendue au format AAAA-MM-JJ, et ce jour doit exister.' };
  }
  if (value < EARLIEST_BIRTH_DATE) return { problem: 'Date antérieure au 1er janvier 1900.' };
  if (value > context.today) return { problem: 'Cette date est dans le futur.' };
  return { value };
}

function checkCommune(value: unknown, context: AnswerContext): Checked {
  if (typeof value !== 'string') return { problem: 'Code INSEE de commune attendu.' };
  const code = value.trim().toUpperCase();
  if (!COMMUNE_CODE.test(code)) {
    return { problem: 'Code INSEE attendu : 5 caractères, par exemple 33063.' };
  }
  if (!context.isKnownCommune(code)) return { problem: `Commune « ${code} » inconnue.` };
  return { value: code };
}

function checkNumber(question: Question, value: unknown): Checked {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { problem: 'Nombre attendu.' };
  const integer = question.input !== 'decimal';
  if (integer && !Number.isSafeInteger(value)) return { problem: 'Nombre entier attendu.' };
  if (!integer && Math.round(value * 100) !== value * 100) {
    return { problem: 'Deux décimales au plus.' };
  }
  const minimum = question.minimum ?? 0;
  const maximum = question.maximum ?? Number.MAX_SAFE_INTEGER;
  if (value < minimum || value > maximum) {
    const unit = question.input === 'amount_cents' ? ' (en centimes)' : '';
    return { problem: `Valeur attendue entre ${minimum} et ${maximum}${unit}.` };
  }
  return { value };
}

function checkChoices(question: Question, value: unknown): Checked {
  const allowed = new Set((question.choices ?? []).map((choice) => choice.value));
  if (question.input === 'choice') {
    if (typeof value !== 'string' || !allowed.has(value)) {
      return { problem: 'Choisissez une des valeurs proposées.' };
    }
    return { value };
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return { problem: 'Liste de valeurs attendue.' };
  }
  if (value.some((item) => !allowed.has(item))) {
    return { problem: 'Choisissez parmi les valeurs proposées.' };
  }
  return { value: [...new Set(value as string[])] };
}

function checkAnswer(question: Question, value: unknown, context: AnswerContext): Checked {
  switch (question.input) {
    case 'text':
      return checkText(question, value);
    case 'date':
      return checkDate(value, context);
    case 'commune':
      return checkCommune(value, context);
    case 'decimal':
    case 'integer':
    case 'amount_cents':
      return checkNumber(question, value);
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { problem: 'Répondez par oui ou par non.' };
    case 'choice':
    case 'choices':
      return checkChoices(question, value);
  }
}

function factsOf(answers: Answers): BeneficiaryFacts {
  const facts: BeneficiaryFacts = {};
  const custom: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (key.startsWith('custom.')) custom[key.slice('custom.'.length)] = value as string;
    else if (key !== 'familyName' && key !== 'givenNames') {
      (facts as Record<string, AnswerValue>)[key] = value;
    }
  }
  if (Object.keys(custom).length > 0) facts.custom = custom;
  return facts;
}

/**
 * Every answer checked against its question; unknown keys are refused so that nothing the
 * questions did not ask is stored. The answers kept are the normalised ones.
 */
export function checkAnswers(
  questions: readonly Question[],
  input: Record<string, unknown>,
  context: AnswerContext,
): CheckedAnswers {
  const problems: AnswerProblem[] = [];
  const known = new Set(questions.map((question) => question.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push({ field: key, message: 'Question inconnue.' });
  }
  const answers: Answers = {};
  for (const question of questions) {
    const value = input[question.key];
    if (value === undefined || value === null) {
      if (question.required) problems.push({ field: question.key, message: 'Réponse requise.' });
      // No box ticked is an answer: « none of these », which the rules can then check.
      else if (question.input === 'choices') answers[question.key] = [];
      continue;
    }
    const checked = checkAnswer(question, value, context);
    if ('problem' in checked) problems.push({ field: question.key, message: checked.problem });
    else answers[question.key] = checked.value;
  }
  if (problems.length > 0) return { valid: false, problems };
  const identity = {
    familyName: answers.familyName as string,
    givenNames: answers.givenNames as string,
  };
  return { valid: true, identity, facts: factsOf(answers), answers };
}
