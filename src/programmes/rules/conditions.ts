import { ageInYears, formatDateFrench, isValidDate } from './calendar.js';
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
import { organisationKindLabel, statusLabel } from './facts.js';
import { countOf, formatEuros, joinFrench, plural } from './format.js';
import { compileCustomCondition } from './custom-conditions.js';
import type { Condition, CustomAttribute, RuleReference, ZoneReference } from './schema.js';

// Eligibility conditions compiled once into closures. Every condition is evaluated, even after
// the outcome is known, so that the explanation lists each of them with the data it used.

export type CompiledCondition = (context: EvaluationContext, steps: ExplanationStep[]) => Outcome;

export type ConditionCompilation = {
  reference: RuleReference;
  attributes: readonly CustomAttribute[];
};

const MAX_ZONES_NAMED = 10;

function cannotCheck(what: string, label: string): string {
  return `${what} : la condition « ${label} » ne peut pas être vérifiée.`;
}

function yearsText(years: number): string {
  return `${years} ${plural(years, 'an', 'ans')}`;
}

export function ageLabel(
  minimumYears: number | undefined,
  maximumYears: number | undefined,
): string {
  if (minimumYears !== undefined && maximumYears !== undefined) {
    if (minimumYears === maximumYears) return yearsText(minimumYears);
    return `de ${yearsText(minimumYears)} à moins de ${yearsText(maximumYears + 1)}`;
  }
  if (minimumYears !== undefined) return `${yearsText(minimumYears)} ou plus`;
  if (maximumYears !== undefined) return `moins de ${yearsText(maximumYears + 1)}`;
  return 'âge connu';
}

function compileAge(
  condition: Extract<Condition, { type: 'age' }>,
  path: string,
): CompiledCondition {
  const { minimumYears, maximumYears } = condition;
  const label = ageLabel(minimumYears, maximumYears);
  const fixedDate = typeof condition.at === 'object' ? condition.at.date : undefined;
  const fixedDateText = fixedDate === undefined ? '' : formatDateFrench(fixedDate);
  const atYearEnd = condition.at === 'end_of_reference_year';
  return (context, steps) => {
    let atDate = fixedDate ?? context.referenceDate;
    let atDateText = fixedDate === undefined ? context.referenceDateText : fixedDateText;
    if (atYearEnd) {
      atDate = `${context.referenceDate.slice(0, 4)}-12-31`;
      atDateText = `31 décembre ${context.referenceDate.slice(0, 4)}`;
    }
    const birthDate = context.facts.birthDate;
    const age =
      birthDate !== undefined && isValidDate(birthDate) ? ageInYears(birthDate, atDate) : null;
    const data = {
      path,
      birthDate: birthDate ?? null,
      atDate,
      ageYears: age,
      minimumYears,
      maximumYears,
    };
    if (age === null) {
      const what =
        birthDate === undefined
          ? 'Votre date de naissance n’est pas connue'
          : `La date de naissance « ${birthDate} » n’est pas valable`;
      steps.push(uncheckedStep('age', data, cannotCheck(what, label)));
      return UNKNOWN;
    }
    const met =
      (minimumYears === undefined || age >= minimumYears) &&
      (maximumYears === undefined || age <= maximumYears);
    const outcome = met ? MET : NOT_MET;
    steps.push(
      conditionStep(
        'age',
        met,
        data,
        `Vous avez ${yearsText(age)} au ${atDateText} : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

export function zoneLabel(zone: ZoneReference, reference: RuleReference): string {
  const name = reference.zoneName(zone.kind, zone.code) ?? zone.code;
  switch (zone.kind) {
    case 'commune':
      return `à ${name} (${zone.code})`;
    case 'epci':
      return `dans l’intercommunalité ${name}`;
    case 'departement':
      return `dans le département ${name} (${zone.code})`;
    case 'region':
      return `dans la région ${name}`;
  }
}

export function zonesLabel(zones: readonly ZoneReference[], reference: RuleReference): string {
  const named = zones.slice(0, MAX_ZONES_NAMED).map((zone) => zoneLabel(zone, reference));
  const others = zones.length - named.length;
  if (others > 0) named.push(`dans l’une des ${others} autres zones désignées`);
  return joinFrench(named, 'ou');
}

/** Sets of codes by kind, normalised as the reference writes them (Corsica in capitals). */
export function zoneSets(
  zones: readonly ZoneReference[],
): Record<ZoneReference['kind'], Set<string>> {
  const sets = {
    commune: new Set<string>(),
    epci: new Set<string>(),
    departement: new Set<string>(),
    region: new Set<string>(),
  };
  for (const zone of zones) sets[zone.kind].add(zone.code.trim().toUpperCase());
  return sets;
}

function compileResidence(
  condition: Extract<Condition, { type: 'residence' }>,
  path: string,
  reference: RuleReference,
): CompiledCondition {
  const label = `résider ${zonesLabel(condition.zones, reference)}`;
  const sets = zoneSets(condition.zones);
  return (context, steps) => {
    const communeCode = context.facts.communeCode;
    const commune = communeCode === undefined ? undefined : reference.findCommune(communeCode);
    const data = { path, communeCode: communeCode ?? null, zones: condition.zones };
    if (commune === undefined) {
      const what =
        communeCode === undefined
          ? 'Votre commune de résidence n’est pas connue'
          : `La commune « ${communeCode} » est inconnue du référentiel`;
      steps.push(uncheckedStep('residence', data, cannotCheck(what, label)));
      return UNKNOWN;
    }
    const met =
      sets.commune.has(commune.code) ||
      sets.departement.has(commune.departementCode) ||
      sets.region.has(commune.regionCode) ||
      (commune.epciCode !== null && sets.epci.has(commune.epciCode));
    const outcome = met ? MET : NOT_MET;
    const name = reference.zoneName('commune', commune.code) ?? commune.code;
    steps.push(
      conditionStep(
        'residence',
        met,
        data,
        `Vous résidez à ${name} (${commune.code}) : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

export function rangeLabel(
  minimum: number | undefined,
  maximum: number | undefined,
  render: (value: number) => string,
): string {
  if (minimum !== undefined && maximum !== undefined) {
    return minimum === maximum
      ? `exactement ${render(minimum)}`
      : `entre ${render(minimum)} et ${render(maximum)} inclus`;
  }
  if (minimum !== undefined) return `au moins ${render(minimum)}`;
  if (maximum !== undefined) return `au plus ${render(maximum)}`;
  return 'connu';
}

function inRange(value: number, minimum: number | undefined, maximum: number | undefined): boolean {
  return (minimum === undefined || value >= minimum) && (maximum === undefined || value <= maximum);
}

function quotientLabel(minimumEuros: number | undefined, maximumEuros: number | undefined): string {
  if (minimumEuros !== undefined && maximumEuros !== undefined) {
    return `quotient familial entre ${formatEuros(minimumEuros)} et ${formatEuros(maximumEuros)} inclus`;
  }
  if (minimumEuros !== undefined)
    return `quotient familial d’au moins ${formatEuros(minimumEuros)}`;
  if (maximumEuros !== undefined)
    return `quotient familial de ${formatEuros(maximumEuros)} au plus`;
  return 'quotient familial connu';
}

function compileQuotient(
  condition: Extract<Condition, { type: 'household_quotient' }>,
  path: string,
): CompiledCondition {
  const { minimumEuros, maximumEuros } = condition;
  const label = quotientLabel(minimumEuros, maximumEuros);
  return (context, steps) => {
    const quotient = context.facts.householdQuotientEuros;
    const data = { path, householdQuotientEuros: quotient ?? null, minimumEuros, maximumEuros };
    if (quotient === undefined || !Number.isFinite(quotient) || quotient < 0) {
      const what =
        quotient === undefined
          ? 'Votre quotient familial n’est pas connu'
          : 'Le quotient familial déclaré n’est pas valable';
      steps.push(uncheckedStep('household_quotient', data, cannotCheck(what, label)));
      return UNKNOWN;
    }
    const outcome = inRange(quotient, minimumEuros, maximumEuros) ? MET : NOT_MET;
    steps.push(
      conditionStep(
        'household_quotient',
        outcome === MET,
        data,
        `Votre quotient familial est de ${formatEuros(quotient)} : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

function childrenText(count: number): string {
  return countOf(count, 'enfant à charge', 'enfants à charge');
}

function compileChildren(
  condition: Extract<Condition, { type: 'dependent_children' }>,
  path: string,
): CompiledCondition {
  const { minimum, maximum } = condition;
  const label = rangeLabel(minimum, maximum, childrenText);
  return (context, steps) => {
    const children = context.facts.dependentChildren;
    const data = { path, dependentChildren: children ?? null, minimum, maximum };
    if (children === undefined || !Number.isSafeInteger(children) || children < 0) {
      const what =
        children === undefined
          ? 'Votre nombre d’enfants à charge n’est pas connu'
          : 'Le nombre d’enfants à charge déclaré n’est pas valable';
      steps.push(uncheckedStep('dependent_children', data, cannotCheck(what, label)));
      return UNKNOWN;
    }
    const outcome = inRange(children, minimum, maximum) ? MET : NOT_MET;
    const situation =
      children === 0 ? 'Vous n’avez aucun enfant à charge' : `Vous avez ${childrenText(children)}`;
    steps.push(
      conditionStep(
        'dependent_children',
        outcome === MET,
        data,
        `${situation} : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

function compileStatus(
  condition: Extract<Condition, { type: 'status' }>,
  path: string,
): CompiledCondition {
  const accepted = new Set<string>(condition.anyOf);
  const label = joinFrench(condition.anyOf.map(statusLabel), 'ou');
  return (context, steps) => {
    const statuses = context.facts.statuses;
    const data = { path, statuses: statuses ?? null, anyOf: condition.anyOf };
    if (statuses === undefined) {
      steps.push(
        uncheckedStep(
          'status',
          data,
          cannotCheck('Votre situation (statuts) n’est pas connue', label),
        ),
      );
      return UNKNOWN;
    }
    const outcome = statuses.some((status) => accepted.has(status)) ? MET : NOT_MET;
    const declared =
      statuses.length === 0
        ? 'Vous n’avez déclaré aucun statut'
        : `Vous avez déclaré ${plural(statuses.length, 'le statut', 'les statuts')} ${joinFrench(statuses.map(statusLabel))}`;
    steps.push(
      conditionStep(
        'status',
        outcome === MET,
        data,
        `${declared} : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

function compileOrganisationKind(
  condition: Extract<Condition, { type: 'organisation_kind' }>,
  path: string,
): CompiledCondition {
  const accepted = new Set<string>(condition.anyOf);
  const label = joinFrench(condition.anyOf.map(organisationKindLabel), 'ou');
  return (context, steps) => {
    const kind = context.facts.organisationKind;
    const data = { path, organisationKind: kind ?? null, anyOf: condition.anyOf };
    if (kind === undefined) {
      steps.push(
        uncheckedStep(
          'organisation_kind',
          data,
          cannotCheck('Le type de votre organisation n’est pas connu', label),
        ),
      );
      return UNKNOWN;
    }
    const outcome = accepted.has(kind) ? MET : NOT_MET;
    steps.push(
      conditionStep(
        'organisation_kind',
        outcome === MET,
        data,
        `Votre organisation est de type ${organisationKindLabel(kind)} : condition « ${label} » ${outcomeWord(outcome)}.`,
      ),
    );
    return outcome;
  };
}

function combine(type: 'all' | 'any', met: number, unknown: number, total: number): Outcome {
  if (type === 'all') return met + unknown < total ? NOT_MET : unknown > 0 ? UNKNOWN : MET;
  return met > 0 ? MET : unknown > 0 ? UNKNOWN : NOT_MET;
}

function combinatorSentence(
  type: 'all' | 'any',
  metCount: number,
  total: number,
  outcome: Outcome,
): string {
  if (total === 0) return 'Aucune condition d’éligibilité n’est exigée.';
  const required =
    type === 'all'
      ? 'Toutes les conditions suivantes sont exigées'
      : 'Au moins une des conditions suivantes est exigée';
  const whole = outcome === MET ? 'rempli' : 'non rempli';
  return `${required} (${metCount} sur ${total} ${plural(metCount, 'remplie', 'remplies')}) : ensemble ${whole}.`;
}

function compileCombinator(
  condition: Extract<Condition, { type: 'all' | 'any' }>,
  path: string,
  compilation: ConditionCompilation,
): CompiledCondition {
  const children = condition.conditions.map((child, index) =>
    compileCondition(child, `${path}.conditions.${index}`, compilation),
  );
  const type = condition.type;
  return (context, steps) => {
    const step = conditionStep(type, false, { path, met: 0, total: children.length }, '');
    steps.push(step);
    let metCount = 0;
    let unknownCount = 0;
    for (const child of children) {
      const childOutcome = child(context, steps);
      if (childOutcome === MET) metCount += 1;
      else if (childOutcome === UNKNOWN) unknownCount += 1;
    }
    const outcome = combine(type, metCount, unknownCount, children.length);
    step.fulfilled = outcome === MET;
    step.data.met = metCount;
    if (outcome === UNKNOWN) step.data.unverifiable = true;
    step.sentence = combinatorSentence(type, metCount, children.length, outcome);
    return outcome;
  };
}

function compileNot(
  condition: Extract<Condition, { type: 'not' }>,
  path: string,
  compilation: ConditionCompilation,
): CompiledCondition {
  const child = compileCondition(condition.condition, `${path}.condition`, compilation);
  return (context, steps) => {
    const step = conditionStep('not', false, { path }, '');
    steps.push(step);
    const inner = child(context, steps);
    const outcome = inner === UNKNOWN ? UNKNOWN : inner === MET ? NOT_MET : MET;
    step.fulfilled = outcome === MET;
    if (outcome === UNKNOWN) step.data.unverifiable = true;
    step.sentence =
      inner === UNKNOWN
        ? 'La condition suivante ne doit pas être remplie ; elle ne peut pas être vérifiée : exigence non remplie.'
        : `La condition suivante ne doit pas être remplie : exigence ${outcomeWord(outcome)}.`;
    return outcome;
  };
}

/** One condition of the tree, at its dotted path in the rules. */
export function compileCondition(
  condition: Condition,
  path: string,
  compilation: ConditionCompilation,
): CompiledCondition {
  switch (condition.type) {
    case 'all':
    case 'any':
      return compileCombinator(condition, path, compilation);
    case 'not':
      return compileNot(condition, path, compilation);
    case 'age':
      return compileAge(condition, path);
    case 'residence':
      return compileResidence(condition, path, compilation.reference);
    case 'household_quotient':
      return compileQuotient(condition, path);
    case 'dependent_children':
      return compileChildren(condition, path);
    case 'status':
      return compileStatus(condition, path);
    case 'organisation_kind':
      return compileOrganisationKind(condition, path);
    case 'custom':
      return compileCustomCondition(condition, path, compilation.attributes);
  }
}
