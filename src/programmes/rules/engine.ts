import { formatDateFrench, isValidDate, parseInstant } from './calendar.js';
import { compileAmount } from './amount.js';
import { compileCondition } from './conditions.js';
import {
  MET,
  amountStep,
  type EligibilityDecision,
  type EvaluationContext,
  type ExplanationStep,
} from './decision.js';
import type { BeneficiaryFacts } from './facts.js';
import type { RuleReference, RuleSet } from './schema.js';
import { compileUsageCheck } from './usage-limits.js';
import {
  validityEndMs,
  type EnvelopeState,
  type PaymentContext,
  type UsageDecision,
} from './usage.js';

// The rule engine: a rule version is compiled once into closures, then evaluated many times.
// Evaluation reads nothing but its arguments and the reference data given at compile time.

export type { EligibilityDecision, ExplanationStep } from './decision.js';
export type { EnvelopeState, PaymentContext, UsageDecision } from './usage.js';
export {
  USAGE_REFUSALS,
  USAGE_REFUSAL_EFFECTS,
  type UsageRefusal,
  type UsageRefusalCode,
} from './usage-refusals.js';

export type CompiledRules = {
  /**
   * Eligibility and amount at a reference date (YYYY-MM-DD), with the explanation: every
   * condition in the order of the rules, then the amount step by step. Throws a RangeError on
   * a reference date that is not a real YYYY-MM-DD day.
   */
  evaluate(facts: BeneficiaryFacts, referenceDate: string): EligibilityDecision;
  /** Whether one envelope may pay one payment, and how much of it. */
  checkUsage(envelope: EnvelopeState, payment: PaymentContext): UsageDecision;
};

const NOT_ELIGIBLE_SENTENCE =
  'Les conditions d’éligibilité ne sont pas toutes remplies : aucune aide n’est attribuée.';
const NO_AMOUNT_SENTENCE = 'Aucun montant ne peut être attribué : aucune aide n’est attribuée.';

export function compileRules(rules: RuleSet, reference: RuleReference): CompiledRules {
  const attributes = rules.customAttributes ?? [];
  const eligibility = compileCondition(rules.eligibility, 'eligibility', {
    reference,
    attributes,
  });
  const amount = compileAmount(rules.amount, attributes);
  // Simulations evaluate a whole base at one date: the date in words is written once.
  let lastDate = '';
  let lastDateText = '';
  const evaluate = (facts: BeneficiaryFacts, referenceDate: string): EligibilityDecision => {
    if (referenceDate !== lastDate) {
      if (!isValidDate(referenceDate)) {
        throw new RangeError(
          `Date de référence invalide : « ${referenceDate} » (AAAA-MM-JJ attendu)`,
        );
      }
      lastDateText = formatDateFrench(referenceDate);
      lastDate = referenceDate;
    }
    const context: EvaluationContext = { facts, referenceDate, referenceDateText: lastDateText };
    const explanation: ExplanationStep[] = [];
    if (eligibility(context, explanation) !== MET) {
      explanation.push(amountStep('not_eligible', { amountCents: 0 }, NOT_ELIGIBLE_SENTENCE));
      return { eligible: false, amountCents: 0, explanation };
    }
    const amountCents = amount(context, explanation);
    if (amountCents < 0) {
      explanation.push(amountStep('not_eligible', { amountCents: 0 }, NO_AMOUNT_SENTENCE));
      return { eligible: false, amountCents: 0, explanation };
    }
    return { eligible: true, amountCents, explanation };
  };
  return { evaluate, checkUsage: compileUsageCheck(rules.usage, reference) };
}

/** The explanation as the beneficiary reads it, one French sentence per step. */
export function explanationSentences(decision: EligibilityDecision): string[] {
  return decision.explanation.map((step) => step.sentence);
}

function instantOrThrow(text: string, what: string): number {
  const epochMs = parseInstant(text);
  if (Number.isNaN(epochMs)) {
    throw new RangeError(`${what} invalide : « ${text} » (instant ISO 8601 avec fuseau attendu)`);
  }
  return epochMs;
}

/**
 * The first instant at which an envelope credited at `creditedAt` no longer pays (00:00
 * Europe/Paris after its last valid day), as an ISO instant; null when it never expires.
 */
export function envelopeValidUntil(rules: RuleSet, creditedAt: string): string | null {
  const endMs = validityEndMs(
    rules.usage.validity,
    instantOrThrow(creditedAt, 'Instant de crédit'),
  );
  return Number.isFinite(endMs) ? new Date(endMs).toISOString() : null;
}

export type StackingCandidate = {
  envelopeId: string | number;
  priority: number;
  /** From `envelopeValidUntil`; null when the envelope never expires. */
  validUntil: string | null;
  creditedAt: string;
};

/**
 * The order in which envelopes pay when several can: lower priority first, then the one that
 * expires first (never-expiring last), then the oldest credit, then the envelope id.
 */
export function compareForPayment(left: StackingCandidate, right: StackingCandidate): number {
  if (left.priority !== right.priority) return left.priority - right.priority;
  const leftEnd =
    left.validUntil === null ? Infinity : instantOrThrow(left.validUntil, 'Fin de validité');
  const rightEnd =
    right.validUntil === null ? Infinity : instantOrThrow(right.validUntil, 'Fin de validité');
  if (leftEnd !== rightEnd) return leftEnd < rightEnd ? -1 : 1;
  const leftCredit = instantOrThrow(left.creditedAt, 'Instant de crédit');
  const rightCredit = instantOrThrow(right.creditedAt, 'Instant de crédit');
  if (leftCredit !== rightCredit) return leftCredit - rightCredit;
  if (typeof left.envelopeId === 'number' && typeof right.envelopeId === 'number') {
    return left.envelopeId - right.envelopeId;
  }
  const leftId = String(left.envelopeId);
  const rightId = String(right.envelopeId);
  return leftId < rightId ? -1 : leftId > rightId ? 1 : 0;
}
