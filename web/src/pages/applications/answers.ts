import type { AnswerValue, Question } from '../../applications/types.js';
import { parseDecimal, parseEurosToCents } from '../../programmes/money.js';

// What the form holds (text as typed, boxes ticked) and the answers the server expects, with
// the problems found before sending, in the same words as the server's.

export type Draft = Record<string, string | string[]>;

export function fieldIdOf(key: string): string {
  return `question-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function numberOf(question: Question, text: string): { value: number } | { problem: string } {
  const value = question.input === 'amount_cents' ? parseEurosToCents(text) : parseDecimal(text);
  if (value === null) {
    return {
      problem: question.input === 'amount_cents' ? 'Montant en euros attendu.' : 'Nombre attendu.',
    };
  }
  if (question.input === 'integer' && !Number.isInteger(value)) {
    return { problem: 'Nombre entier attendu.' };
  }
  const minimum = question.minimum ?? 0;
  const maximum = question.maximum ?? Number.MAX_SAFE_INTEGER;
  if (value < minimum || value > maximum) {
    const bound = (limit: number) =>
      question.input === 'amount_cents' ? `${limit / 100} €` : `${limit}`;
    return { problem: `Valeur attendue entre ${bound(minimum)} et ${bound(maximum)}.` };
  }
  return { value };
}

function answerOf(question: Question, raw: string | string[] | undefined) {
  if (Array.isArray(raw)) return { value: raw };
  const text = (raw ?? '').trim();
  if (text === '') return question.input === 'choices' ? { value: [] } : { missing: true };
  switch (question.input) {
    case 'decimal':
    case 'integer':
    case 'amount_cents':
      return numberOf(question, text);
    case 'boolean':
      return { value: text === 'oui' };
    default:
      return { value: text };
  }
}

export function answersOf(
  questions: readonly Question[],
  draft: Draft,
): { answers: Record<string, AnswerValue>; problems: Record<string, string> } {
  const answers: Record<string, AnswerValue> = {};
  const problems: Record<string, string> = {};
  for (const question of questions) {
    const found = answerOf(question, draft[question.key]);
    if ('missing' in found) {
      if (question.required) problems[question.key] = 'Réponse requise.';
    } else if ('problem' in found) {
      problems[question.key] = found.problem;
    } else {
      answers[question.key] = found.value;
    }
  }
  return { answers, problems };
}
