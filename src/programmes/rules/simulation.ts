import type { CompiledRules, EligibilityDecision } from './engine.js';
import type { BeneficiaryFacts } from './facts.js';

// A rule version run over a base of beneficiaries (or a sample) before it is published: how
// many are eligible, what it costs, where, and for which amounts; then the change from one
// version to another. Counting only: the caller streams the base in and shows the progress.

/** Stands for a commune or département the facts do not give. */
export const UNKNOWN_ZONE_CODE = 'inconnue';
/** Progress is reported every this many evaluations, and once at the end. */
export const PROGRESS_INTERVAL = 10_000;

export type ZoneTotals = { evaluated: number; eligible: number; totalCents: number };
export type CommuneTotals = { communeCode: string } & ZoneTotals;
export type DepartementTotals = { departementCode: string } & ZoneTotals;

export type SimulationReport = {
  referenceDate: string;
  evaluated: number;
  eligible: number;
  totalCents: number;
  byCommune: CommuneTotals[];
  byDepartement: DepartementTotals[];
  /** Distinct amounts granted, lowest first. */
  amountDistribution: { amountCents: number; count: number }[];
  /** Conditions that were not met, by their path in the rules, most frequent first. */
  unmetConditions: { path: string; code: string; count: number }[];
};

export type ZoneComparison = {
  baseEligible: number;
  candidateEligible: number;
  eligibleDelta: number;
  baseTotalCents: number;
  candidateTotalCents: number;
  totalCentsDelta: number;
};

export type SimulationComparison = {
  eligibleDelta: number;
  totalCentsDelta: number;
  byDepartement: ({ departementCode: string } & ZoneComparison)[];
  byCommune: ({ communeCode: string } & ZoneComparison)[];
};

/**
 * The département of an INSEE commune code: its first two characters (2A and 2B in Corsica),
 * three overseas (97x, 98x).
 */
export function departementOfCommune(communeCode: string): string {
  return communeCode.startsWith('97') || communeCode.startsWith('98')
    ? communeCode.slice(0, 3)
    : communeCode.slice(0, 2);
}

function add(
  totals: Map<string, ZoneTotals>,
  code: string,
  amountCents: number,
  eligible: boolean,
): void {
  let entry = totals.get(code);
  if (entry === undefined) {
    entry = { evaluated: 0, eligible: 0, totalCents: 0 };
    totals.set(code, entry);
  }
  entry.evaluated += 1;
  if (eligible) {
    entry.eligible += 1;
    entry.totalCents += amountCents;
  }
}

function byCode<T>(
  totals: Map<string, ZoneTotals>,
  wrap: (code: string, entry: ZoneTotals) => T,
): T[] {
  return [...totals.keys()].sort().map((code) => wrap(code, totals.get(code) as ZoneTotals));
}

const COMBINATORS = new Set(['all', 'any', 'not']);

/**
 * Counts decisions one by one, for callers that stream a base too large to hold (a campaign
 * over a million beneficiaries): `add` evaluates and returns the decision, `report` sums up.
 */
export class SimulationAccumulator {
  private readonly communes = new Map<string, ZoneTotals>();
  private readonly departements = new Map<string, ZoneTotals>();
  private readonly amounts = new Map<number, number>();
  private readonly unmet = new Map<string, { path: string; code: string; count: number }>();
  evaluated = 0;
  eligible = 0;
  totalCents = 0;

  constructor(
    private readonly compiled: CompiledRules,
    readonly referenceDate: string,
  ) {}

  add(facts: BeneficiaryFacts): EligibilityDecision {
    const decision = this.compiled.evaluate(facts, this.referenceDate);
    const communeCode = facts.communeCode ?? UNKNOWN_ZONE_CODE;
    const departementCode =
      facts.communeCode === undefined ? UNKNOWN_ZONE_CODE : departementOfCommune(facts.communeCode);
    add(this.communes, communeCode, decision.amountCents, decision.eligible);
    add(this.departements, departementCode, decision.amountCents, decision.eligible);
    this.evaluated += 1;
    if (decision.eligible) {
      this.eligible += 1;
      this.totalCents += decision.amountCents;
      this.amounts.set(decision.amountCents, (this.amounts.get(decision.amountCents) ?? 0) + 1);
    } else {
      this.countUnmet(decision);
    }
    return decision;
  }

  private countUnmet(decision: EligibilityDecision): void {
    for (const step of decision.explanation) {
      if (step.kind !== 'condition' || step.fulfilled !== false || COMBINATORS.has(step.code))
        continue;
      const key = `${String(step.data.path)}\u0000${step.code}`;
      const entry = this.unmet.get(key) ?? {
        path: String(step.data.path),
        code: step.code,
        count: 0,
      };
      entry.count += 1;
      this.unmet.set(key, entry);
    }
  }

  report(): SimulationReport {
    return {
      referenceDate: this.referenceDate,
      evaluated: this.evaluated,
      eligible: this.eligible,
      totalCents: this.totalCents,
      byCommune: byCode(this.communes, (communeCode, entry) => ({ communeCode, ...entry })),
      byDepartement: byCode(this.departements, (departementCode, entry) => ({
        departementCode,
        ...entry,
      })),
      amountDistribution: [...this.amounts]
        .sort(([left], [right]) => left - right)
        .map(([amountCents, count]) => ({ amountCents, count })),
      unmetConditions: [...this.unmet.values()].sort(
        (left, right) => right.count - left.count || (left.path < right.path ? -1 : 1),
      ),
    };
  }
}

export function simulate(
  compiled: CompiledRules,
  beneficiaries: Iterable<{ facts: BeneficiaryFacts }>,
  referenceDate: string,
  onProgress?: (done: number) => void,
): SimulationReport {
  const accumulator = new SimulationAccumulator(compiled, referenceDate);
  for (const { facts } of beneficiaries) {
    accumulator.add(facts);
    if (onProgress !== undefined && accumulator.evaluated % PROGRESS_INTERVAL === 0) {
      onProgress(accumulator.evaluated);
    }
  }
  onProgress?.(accumulator.evaluated);
  return accumulator.report();
}

function compareZones<K extends string>(
  key: K,
  base: readonly ({ [P in K]: string } & ZoneTotals)[],
  candidate: readonly ({ [P in K]: string } & ZoneTotals)[],
): ({ [P in K]: string } & ZoneComparison)[] {
  const empty: ZoneTotals = { evaluated: 0, eligible: 0, totalCents: 0 };
  const baseByCode = new Map(base.map((entry) => [entry[key], entry as ZoneTotals]));
  const candidateByCode = new Map(candidate.map((entry) => [entry[key], entry as ZoneTotals]));
  const codes = [...new Set([...baseByCode.keys(), ...candidateByCode.keys()])].sort();
  return codes.map((code) => {
    const before = baseByCode.get(code) ?? empty;
    const after = candidateByCode.get(code) ?? empty;
    return {
      [key]: code,
      baseEligible: before.eligible,
      candidateEligible: after.eligible,
      eligibleDelta: after.eligible - before.eligible,
      baseTotalCents: before.totalCents,
      candidateTotalCents: after.totalCents,
      totalCentsDelta: after.totalCents - before.totalCents,
    } as { [P in K]: string } & ZoneComparison;
  });
}

/** What changes from `base` to `candidate`, both run over the same beneficiaries. */
export function compareSimulations(
  base: SimulationReport,
  candidate: SimulationReport,
): SimulationComparison {
  return {
    eligibleDelta: candidate.eligible - base.eligible,
    totalCentsDelta: candidate.totalCents - base.totalCents,
    byDepartement: compareZones('departementCode', base.byDepartement, candidate.byDepartement),
    byCommune: compareZones('communeCode', base.byCommune, candidate.byCommune),
  };
}
