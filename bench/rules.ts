import { compileRules, type CompiledRules } from '../src/programmes/rules/engine.js';
import type { BeneficiaryFacts } from '../src/programmes/rules/facts.js';
import { platformRuleReference } from '../src/programmes/rules/reference.js';
import { validateRuleSet, type RuleSet } from '../src/programmes/rules/schema.js';
import { simulate } from '../src/programmes/rules/simulation.js';
import type { EnvelopeState, PaymentContext } from '../src/programmes/rules/usage.js';
import { PROGRAMME_TEMPLATES } from '../src/programmes/templates.js';
import { round } from './support.js';
import { seededRandom } from '../src/platform/seeded-random.js';

// `flechage bench rules`: the rule engine alone, on one core, on the seven templates. Inputs
// come from a seeded generator and are built before the clock starts, so two runs measure the
// same work; each figure is measured for `seconds`, in batches, after a warm-up.

export type RulesBenchOptions = { seconds: number; log: (message: string) => void };

const SEED = 20_260_901;
const FACT_COUNT = 20_000;
const PAYMENT_COUNT = 20_000;
const ENVELOPE_COUNT = 1_000;
const BATCH = 1_000;
const REFERENCE_DATE = '2026-09-01';
/** Real communes across several régions, so that residence conditions go both ways. */
const COMMUNES = [
  '59350',
  '59183',
  '62041',
  '33063',
  '33281',
  '44109',
  '44143',
  '69123',
  '69266',
  '35238',
  '75056',
  '13055',
  '2A004',
  '97411',
];
/** Real merchant codes (MCC, NAF) of the categories the templates pay, and some they refuse. */
const MERCHANT_CODES: [string | null, string | null][] = [
  ['5942', '47.61Z'],
  ['7832', '59.14Z'],
  ['7922', '90.01Z'],
  ['5815', null],
  ['5816', '58.21Z'],
  ['8299', '85.53Z'],
  ['0763', '01.13Z'],
  [null, '47.81Z'],
  ['5411', '47.11D'],
  ['5912', '47.73Z'],
  ['5211', '43.22B'],
  ['5641', null],
  ['5943', '47.62Z'],
  ['5541', '47.30Z'],
  ['5812', '56.10A'],
  ['7995', null],
  ['4829', null],
  ['5999', null],
];
const STATUSES = [
  'etudiant',
  'apprenti',
  'lyceen',
  'boursier',
  'demandeur_emploi',
  'retraite',
  'beneficiaire_rsa',
  'salarie',
];
const ORGANISATION_KINDS = ['association', 'entreprise', 'copropriete', 'collectivite'];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function integer(random: Random, minimum: number, maximum: number): number {
  return minimum + Math.floor(random() * (maximum - minimum + 1));
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** Young people and seniors are over-represented, as in the templates' audiences. */
function birthYear(random: Random): number {
  const draw = random();
  if (draw < 0.4) return integer(random, 2001, 2009);
  if (draw < 0.7) return integer(random, 1936, 1966);
  return integer(random, 1936, 2012);
}

function generateFacts(random: Random): BeneficiaryFacts {
  const facts: BeneficiaryFacts = {
    birthDate: `${birthYear(random)}-${twoDigits(integer(random, 1, 12))}-${twoDigits(integer(random, 1, 28))}`,
    communeCode: pick(random, COMMUNES),
    householdQuotientEuros: integer(random, 0, 1_800),
    dependentChildren: integer(random, 0, 5),
    statuses: STATUSES.filter(() => random() < 0.15),
    declaredExpenseCents: integer(random, 0, 3_000_000),
    custom: {
      perte_autonomie: random() < 0.3,
      occupation: pick(random, ['propriétaire occupant', 'locataire', 'hébergé à titre gratuit']),
      surface_m2: integer(random, 200, 5_000),
    },
  };
  if (random() < 0.2) facts.organisationKind = pick(random, ORGANISATION_KINDS);
  if (random() < 0.05) delete facts.birthDate;
  return facts;
}

function generatePayment(random: Random): PaymentContext {
  const [mcc, naf] = pick(random, MERCHANT_CODES);
  const day = integer(random, 1, 28);
  const payment: PaymentContext = {
    amountCents: integer(random, 100, 15_000),
    at: `2026-${twoDigits(integer(random, 9, 12))}-${twoDigits(day)}T${twoDigits(integer(random, 4, 21))}:${twoDigits(integer(random, 0, 59))}:00Z`,
    merchant: {
      id: `merchant-${integer(random, 1, 500)}`,
      mcc,
      naf,
      communeCode: pick(random, COMMUNES),
      latitude: null,
      longitude: null,
    },
  };
  if (random() < 0.2) {
    payment.items = [
      {
        productCategory: pick(random, ['livres', 'biens_numeriques', 'alimentation']),
        amountCents: Math.ceil(payment.amountCents / 2),
      },
      {
        productCategory: pick(random, ['livres', 'musique', 'circuits_courts']),
        amountCents: Math.floor(payment.amountCents / 2),
      },
    ];
  }
  return payment;
}

function generateEnvelope(random: Random): EnvelopeState {
  return {
    creditedAt: `2026-0${integer(random, 1, 8)}-${twoDigits(integer(random, 1, 28))}T09:00:00Z`,
    balanceCents: integer(random, 0, 30_000),
    spentTodayCents: integer(random, 0, 2_000),
    spentThisWeekCents: integer(random, 0, 5_000),
    spentThisMonthCents: integer(random, 0, 4_000),
    spentLifetimeCents: integer(random, 0, 20_000),
    spentByGroupCents: { biens_numeriques: integer(random, 0, 12_000) },
  };
}

type Measure = { perSecond: number; sink: number };

/** Operations per second of `operation(index)`, run in batches for `seconds` after a warm-up. */
function measure(seconds: number, batch: number, operation: (index: number) => number): Measure {
  let sink = 0;
  for (let index = 0; index < 10 * batch; index += 1) sink += operation(index);
  const budgetMs = seconds * 1000;
  const startedAt = performance.now();
  let done = 0;
  let elapsedMs = 0;
  while (elapsedMs < budgetMs) {
    for (let index = 0; index < batch; index += 1) sink += operation(done + index);
    done += batch;
    elapsedMs = performance.now() - startedAt;
  }
  return { perSecond: done / (elapsedMs / 1000), sink };
}

function compileTemplates(): { id: string; rules: RuleSet; compiled: CompiledRules }[] {
  const reference = platformRuleReference();
  return PROGRAMME_TEMPLATES.map((template) => {
    const validation = validateRuleSet(template.rules, reference);
    if (!validation.valid)
      throw new Error(`Modèle ${template.id} invalide : ${JSON.stringify(validation.problems)}`);
    return {
      id: template.id,
      rules: validation.rules,
      compiled: compileRules(validation.rules, reference),
    };
  });
}

type Programme = { compiled: CompiledRules };

function measureEligibility(
  seconds: number,
  programmes: CompiledRules[],
  facts: BeneficiaryFacts[],
): Measure {
  return measure(seconds, BATCH, (index) => {
    const decision = (programmes[index % programmes.length] as CompiledRules).evaluate(
      facts[index % facts.length] as BeneficiaryFacts,
      REFERENCE_DATE,
    );
    return decision.amountCents + decision.explanation.length;
  });
}

/** Only the pairs (template, beneficiary) that are eligible: every evaluation computes an amount. */
function measureEligibleOnly(
  seconds: number,
  programmes: CompiledRules[],
  facts: BeneficiaryFacts[],
): Measure {
  const pairs = programmes.flatMap((compiled) =>
    facts
      .filter((beneficiary) => compiled.evaluate(beneficiary, REFERENCE_DATE).eligible)
      .map((beneficiary) => ({ compiled, beneficiary })),
  );
  return measure(seconds, BATCH, (index) => {
    const pair = pairs[index % pairs.length] as (typeof pairs)[number];
    return pair.compiled.evaluate(pair.beneficiary, REFERENCE_DATE).amountCents;
  });
}

function measureUsage(
  seconds: number,
  programmes: CompiledRules[],
  envelopes: EnvelopeState[],
  payments: PaymentContext[],
): Measure {
  return measure(seconds, BATCH, (index) => {
    const decision = (programmes[index % programmes.length] as CompiledRules).checkUsage(
      envelopes[index % envelopes.length] as EnvelopeState,
      payments[index % payments.length] as PaymentContext,
    );
    return decision.coverableCents + decision.refusals.length;
  });
}

function eligibleShareOf(
  templates: Programme[],
  beneficiaries: { facts: BeneficiaryFacts }[],
): number {
  const eligible = templates.reduce(
    (sum, template) => sum + simulate(template.compiled, beneficiaries, REFERENCE_DATE).eligible,
    0,
  );
  return eligible / (templates.length * beneficiaries.length);
}

/**
 * Figures for `flechage bench rules`; each is measured for `seconds`. Eligibility evaluations
 * include the explanation; `eligible_evals_per_s` counts only eligible cases, which also compute
 * the amount step by step.
 */
export async function benchRules(options: RulesBenchOptions): Promise<Record<string, number>> {
  const random = seededRandom(SEED);
  const facts = Array.from({ length: FACT_COUNT }, () => generateFacts(random));
  const payments = Array.from({ length: PAYMENT_COUNT }, () => generatePayment(random));
  const envelopes = Array.from({ length: ENVELOPE_COUNT }, () => generateEnvelope(random));
  const compileStartedAt = performance.now();
  const templates = compileTemplates();
  options.log(
    `référentiel chargé et ${templates.length} modèles compilés en ${round(performance.now() - compileStartedAt)} ms`,
  );
  const programmes = templates.map((template) => template.compiled);
  options.log(`éligibilité et montant, explication comprise : ${options.seconds} s`);
  const eligibility = measureEligibility(options.seconds, programmes, facts);
  options.log(`éligibilité et montant, bénéficiaires éligibles seulement : ${options.seconds} s`);
  const eligibleOnly = measureEligibleOnly(options.seconds, programmes, facts);
  options.log(`contrôle d’usage (une enveloppe, un paiement) : ${options.seconds} s`);
  const usage = measureUsage(options.seconds, programmes, envelopes, payments);
  options.log(`simulation sur ${FACT_COUNT} bénéficiaires : ${options.seconds} s`);
  const beneficiaries = facts.map((beneficiaryFacts) => ({ facts: beneficiaryFacts }));
  const simulation = measure(
    options.seconds,
    1,
    (index) =>
      simulate(
        programmes[index % programmes.length] as CompiledRules,
        beneficiaries,
        REFERENCE_DATE,
      ).eligible,
  );
  options.log(`contrôle : ${eligibility.sink + eligibleOnly.sink + usage.sink + simulation.sink}`);
  return {
    eligibility_evals_per_s: Math.round(eligibility.perSecond),
    eligible_evals_per_s: Math.round(eligibleOnly.perSecond),
    usage_checks_per_s: Math.round(usage.perSecond),
    simulation_beneficiaries_per_s: Math.round(simulation.perSecond * FACT_COUNT),
    eligible_share: round(eligibleShareOf(templates, beneficiaries), 3),
    templates: templates.length,
  };
}
