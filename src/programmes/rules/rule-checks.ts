import { dayNumberOfDate, minutesOfClock } from './calendar.js';
import type {
  AmountRule,
  BracketAttribute,
  Condition,
  CustomAttribute,
  RuleProblem,
  RuleReference,
  RuleSet,
  UsageRules,
  ZoneKind,
  ZoneReference,
} from './schema.js';

// Checks that the shape alone cannot make: codes that must exist in the reference data,
// bounds that must come in order, attributes that must be declared before use. Each problem
// names its field so that the funder's form can point at it.

const NO_ZONE_OF_KIND: Record<ZoneKind, string> = {
  commune: 'aucune commune',
  epci: 'aucune intercommunalité (EPCI)',
  departement: 'aucun département',
  region: 'aucune région',
};

type Problems = RuleProblem[];
type BracketTable = {
  attribute: BracketAttribute;
  customAttribute?: string;
  brackets: { upTo: number | null }[];
};

function checkZone(
  zone: ZoneReference,
  path: string,
  reference: RuleReference,
  problems: Problems,
): void {
  if (!reference.isKnownZone(zone.kind, zone.code)) {
    problems.push({
      field: `${path}.code`,
      message: `Zone inconnue : ${NO_ZONE_OF_KIND[zone.kind]} de code « ${zone.code} » dans le référentiel`,
    });
  }
}

function checkOrder(
  minimum: number | undefined,
  maximum: number | undefined,
  field: string,
  what: string,
  problems: Problems,
): void {
  if (minimum !== undefined && maximum !== undefined && maximum < minimum) {
    problems.push({
      field,
      message: `${what} : le maximum (${maximum}) est inférieur au minimum (${minimum})`,
    });
  }
}

function findAttribute(
  attributes: readonly CustomAttribute[],
  attributeKey: string,
): CustomAttribute | undefined {
  return attributes.find((attribute) => attribute.key === attributeKey);
}

function customValueProblem(
  attribute: CustomAttribute,
  operator: string,
  value: unknown,
): string | undefined {
  if (attribute.type === 'boolean') {
    if (operator !== 'equals' && operator !== 'not_equals')
      return 'Un attribut oui/non ne se compare qu’avec « equals » ou « not_equals »';
    return typeof value === 'boolean' ? undefined : 'Valeur oui/non (true ou false) attendue';
  }
  if (attribute.type === 'number') {
    if (operator === 'one_of') return 'Un attribut numérique ne se compare pas avec « one_of »';
    return typeof value === 'number' ? undefined : 'Valeur numérique attendue';
  }
  if (operator === 'at_least' || operator === 'at_most')
    return 'Un attribut texte se compare avec « equals », « not_equals » ou « one_of »';
  const texts = operator === 'one_of' ? value : [value];
  if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string'))
    return operator === 'one_of' ? 'Liste de textes attendue' : 'Texte attendu';
  const unknown = texts.find((text) => attribute.values && !attribute.values.includes(text));
  return unknown === undefined
    ? undefined
    : `Valeur « ${String(unknown)} » absente des valeurs déclarées de « ${attribute.key} »`;
}

function checkCondition(
  condition: Condition,
  path: string,
  context: { reference: RuleReference; attributes: readonly CustomAttribute[] },
  problems: Problems,
): void {
  switch (condition.type) {
    case 'all':
    case 'any':
      condition.conditions.forEach((child, index) =>
        checkCondition(child, `${path}.conditions.${index}`, context, problems),
      );
      return;
    case 'not':
      checkCondition(condition.condition, `${path}.condition`, context, problems);
      return;
    case 'age':
      checkOrder(
        condition.minimumYears,
        condition.maximumYears,
        `${path}.maximumYears`,
        'Âge',
        problems,
      );
      return;
    case 'household_quotient':
      checkOrder(
        condition.minimumEuros,
        condition.maximumEuros,
        `${path}.maximumEuros`,
        'Quotient familial',
        problems,
      );
      return;
    case 'dependent_children':
      checkOrder(
        condition.minimum,
        condition.maximum,
        `${path}.maximum`,
        'Enfants à charge',
        problems,
      );
      return;
    case 'residence':
      condition.zones.forEach((zone, index) =>
        checkZone(zone, `${path}.zones.${index}`, context.reference, problems),
      );
      return;
    case 'custom': {
      const attribute = findAttribute(context.attributes, condition.attribute);
      if (attribute === undefined) {
        problems.push({
          field: `${path}.attribute`,
          message: `Attribut « ${condition.attribute} » non déclaré dans customAttributes`,
        });
        return;
      }
      const message = customValueProblem(attribute, condition.operator, condition.value);
      if (message !== undefined) problems.push({ field: `${path}.value`, message });
      return;
    }
    default:
      return;
  }
}

function checkNumericAttribute(
  attribute: BracketAttribute | 'dependent_child',
  customAttribute: string | undefined,
  path: string,
  attributes: readonly CustomAttribute[],
  problems: Problems,
): void {
  if (attribute !== 'custom') {
    if (customAttribute !== undefined)
      problems.push({
        field: `${path}.customAttribute`,
        message: 'customAttribute ne s’emploie qu’avec un attribut « custom »',
      });
    return;
  }
  const declared =
    customAttribute === undefined ? undefined : findAttribute(attributes, customAttribute);
  if (declared === undefined || declared.type !== 'number') {
    problems.push({
      field: `${path}.customAttribute`,
      message:
        customAttribute === undefined
          ? 'Attribut personnalisé à nommer dans customAttribute'
          : `Attribut numérique « ${customAttribute} » non déclaré dans customAttributes`,
    });
  }
}

function checkBrackets(
  brackets: readonly { upTo: number | null }[],
  path: string,
  problems: Problems,
): void {
  brackets.forEach((bracket, index) => {
    const previous = index === 0 ? undefined : brackets[index - 1];
    const field = `${path}.${index}.upTo`;
    if (bracket.upTo === null && index < brackets.length - 1) {
      problems.push({ field, message: 'Seule la dernière tranche peut être sans limite haute' });
    } else if (previous?.upTo != null && bracket.upTo !== null && bracket.upTo <= previous.upTo) {
      problems.push({
        field,
        message: `Les tranches doivent croître : ${bracket.upTo} ne dépasse pas ${previous.upTo}`,
      });
    }
  });
}

function checkAmount(
  amount: AmountRule,
  attributes: readonly CustomAttribute[],
  problems: Problems,
): void {
  const tables: { table: BracketTable; path: string }[] = [];
  if (amount.type === 'brackets') tables.push({ table: amount, path: 'amount' });
  if (amount.type === 'per_unit') {
    checkNumericAttribute(amount.unit, amount.customAttribute, 'amount', attributes, problems);
    if (amount.unitAmount.type === 'brackets')
      tables.push({ table: amount.unitAmount, path: 'amount.unitAmount' });
  }
  if (amount.type === 'expense_share' && amount.rate.type === 'brackets')
    tables.push({ table: amount.rate, path: 'amount.rate' });
  for (const { table, path } of tables) {
    checkNumericAttribute(table.attribute, table.customAttribute, path, attributes, problems);
    checkBrackets(table.brackets, `${path}.brackets`, problems);
  }
  checkOrder(amount.floorCents, amount.ceilingCents, 'amount.ceilingCents', 'Montant', problems);
}

function checkCodes(
  codes: readonly string[] | undefined,
  path: string,
  isKnown: (code: string) => boolean,
  describe: (code: string) => string,
  problems: Problems,
): void {
  codes?.forEach((value, index) => {
    if (!isKnown(value)) problems.push({ field: `${path}.${index}`, message: describe(value) });
  });
}

function checkValidity(usage: UsageRules, problems: Problems): void {
  const validity = usage.validity;
  if (validity?.fromDate !== undefined && validity.untilDate !== undefined) {
    if (dayNumberOfDate(validity.untilDate) < dayNumberOfDate(validity.fromDate)) {
      problems.push({
        field: 'usage.validity.untilDate',
        message: `Dates contradictoires : la fin de validité (${validity.untilDate}) précède le début (${validity.fromDate})`,
      });
    }
  }
  usage.hours?.forEach((window, index) => {
    if (minutesOfClock(window.until) <= minutesOfClock(window.from)) {
      problems.push({
        field: `usage.hours.${index}.until`,
        message: `Plage horaire vide : ${window.until} ne vient pas après ${window.from} (pour passer minuit, deux plages)`,
      });
    }
  });
  if (usage.weekdays && new Set(usage.weekdays).size !== usage.weekdays.length) {
    problems.push({ field: 'usage.weekdays', message: 'Jour de la semaine en double' });
  }
}

function checkUsage(usage: UsageRules, reference: RuleReference, problems: Problems): void {
  const unknownGroup = (group: string) => `Groupe de catégories inconnu : « ${group} »`;
  checkCodes(
    usage.categories?.mcc,
    'usage.categories.mcc',
    (value) => reference.isKnownMcc(value),
    (value) => `Code MCC inconnu : « ${value} »`,
    problems,
  );
  checkCodes(
    usage.categories?.naf,
    'usage.categories.naf',
    (value) => reference.isKnownNaf(value),
    (value) => `Code NAF inconnu : « ${value} »`,
    problems,
  );
  checkCodes(
    usage.categories?.groups,
    'usage.categories.groups',
    (value) => reference.isKnownGroup(value),
    unknownGroup,
    problems,
  );
  checkCodes(
    usage.productCategories,
    'usage.productCategories',
    (value) => reference.isKnownGroup(value),
    unknownGroup,
    problems,
  );
  usage.groupCaps?.forEach((cap, index) => {
    if (!reference.isKnownGroup(cap.group))
      problems.push({ field: `usage.groupCaps.${index}.group`, message: unknownGroup(cap.group) });
  });
  usage.zones?.forEach((zone, index) => {
    if (zone.kind !== 'radius') checkZone(zone, `usage.zones.${index}`, reference, problems);
  });
  checkOrder(
    usage.perPayment?.minimumCents,
    usage.perPayment?.maximumCents,
    'usage.perPayment.maximumCents',
    'Montant par paiement',
    problems,
  );
  checkValidity(usage, problems);
}

function checkAttributes(attributes: readonly CustomAttribute[], problems: Problems): void {
  const seen = new Set<string>();
  attributes.forEach((attribute, index) => {
    if (seen.has(attribute.key))
      problems.push({
        field: `customAttributes.${index}.key`,
        message: `Attribut « ${attribute.key} » déclaré deux fois`,
      });
    seen.add(attribute.key);
    if (attribute.values !== undefined && attribute.type !== 'text')
      problems.push({
        field: `customAttributes.${index}.values`,
        message: 'Seul un attribut texte a une liste de valeurs',
      });
  });
}

/** Problems that need the reference data or several fields at once; empty when the rules hold. */
export function ruleProblems(rules: RuleSet, reference: RuleReference): RuleProblem[] {
  const problems: Problems = [];
  const attributes = rules.customAttributes ?? [];
  checkAttributes(attributes, problems);
  checkCondition(rules.eligibility, 'eligibility', { reference, attributes }, problems);
  checkAmount(rules.amount, attributes, problems);
  checkUsage(rules.usage, reference, problems);
  return problems;
}
