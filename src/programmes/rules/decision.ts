import type { BeneficiaryFacts } from './facts.js';

// The shapes an evaluation returns and the context it reads, shared by the condition and
// amount compilers so that neither depends on the other.

/**
 * One line of the explanation (article L311-3-1 CRPA): a condition with the data it read and
 * its outcome, or a step of the amount. Condition steps carry `data.path`, the dotted path of
 * the condition in the rules ("eligibility.conditions.1"), so that the tree can be rebuilt;
 * amount steps carry `data.amountCents`, the amount after that step. A condition that could not
 * be checked (a fact missing or invalid) has `data.unverifiable: true`.
 */
export type ExplanationStep = {
  kind: 'condition' | 'amount';
  code: string;
  fulfilled?: boolean;
  data: Record<string, unknown>;
  sentence: string;
};

export type EligibilityDecision = {
  eligible: boolean;
  amountCents: number;
  explanation: ExplanationStep[];
};

/**
 * A condition is met, not met, or cannot be checked because a fact is missing or invalid.
 * Unknown stays unknown under `not` (a missing birth date never proves « not under 25 »), and
 * only a met root makes someone eligible.
 */
export const NOT_MET = 0;
export const MET = 1;
export const UNKNOWN = 2;
export type Outcome = typeof NOT_MET | typeof MET | typeof UNKNOWN;

export type EvaluationContext = {
  facts: BeneficiaryFacts;
  referenceDate: string;
  /** The reference date in words, computed once per evaluation. */
  referenceDateText: string;
};

export function conditionStep(
  code: string,
  fulfilled: boolean,
  data: Record<string, unknown>,
  sentence: string,
): ExplanationStep {
  return { kind: 'condition', code, fulfilled, data, sentence };
}

/** A condition that cannot be checked: not met, and marked so that `not` keeps it unmet. */
export function uncheckedStep(
  code: string,
  data: Record<string, unknown>,
  sentence: string,
): ExplanationStep {
  return conditionStep(code, false, { ...data, unverifiable: true }, sentence);
}

export function amountStep(
  code: string,
  data: Record<string, unknown>,
  sentence: string,
): ExplanationStep {
  return { kind: 'amount', code, data, sentence };
}

export function outcomeWord(outcome: Outcome): string {
  return outcome === MET ? 'remplie' : 'non remplie';
}
