import type { BeneficiaryFacts } from './rules/facts.js';
import type { RuleSet } from './rules/schema.js';

// Starting points for a funder, each modelled on a kind of programme that exists in France;
// the territories and figures are examples to adjust. Every template is valid under
// `validateRuleSet` with the platform's reference data (a test says so).

export type ProgrammeTemplate = {
  id: string;
  name: string;
  description: string;
  rules: RuleSet;
  /** A beneficiary who is eligible, to try the rules on. */
  sampleFacts: BeneficiaryFacts;
};

const DRIVING_LICENCE: ProgrammeTemplate = {
  id: 'permis-conduire-jeunes',
  name: 'Aide au permis de conduire des jeunes',
  description:
    'Aide régionale de 1 200 € pour passer le permis B, réservée aux jeunes de 17 ans à moins de 25 ans qui résident dans la région, utilisable pendant 12 mois dans les auto-écoles de la région.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'age', minimumYears: 17 },
        { type: 'age', maximumYears: 24 },
        { type: 'residence', zones: [{ kind: 'region', code: '32' }] },
      ],
    },
    amount: { type: 'fixed', amountCents: 120_000, rounding: 'down' },
    usage: {
      categories: { groups: ['auto_ecole'] },
      zones: [{ kind: 'region', code: '32' }],
      validity: { afterCrediting: { unit: 'months', count: 12 } },
    },
    stacking: { priority: 10 },
  },
  sampleFacts: { birthDate: '2007-05-14', communeCode: '59350', statuses: ['lyceen'] },
};

const SENIOR_HOME_ADAPTATION: ProgrammeTemplate = {
  id: 'adaptation-logement-seniors',
  name: 'Adaptation du logement des seniors',
  description:
    'Prise en charge d’une part des travaux d’adaptation du logement à la perte d’autonomie (salle de bains, monte-escalier, barres d’appui) : 70 % ou 50 % selon le quotient familial, sur 22 000 € de travaux au plus, pour les 70 ans et plus ou les 60 ans et plus en perte d’autonomie.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [
        {
          type: 'any',
          conditions: [
            { type: 'age', minimumYears: 70 },
            {
              type: 'all',
              conditions: [
                { type: 'age', minimumYears: 60 },
                { type: 'custom', attribute: 'perte_autonomie', operator: 'equals', value: true },
              ],
            },
          ],
        },
        { type: 'household_quotient', maximumEuros: 1_400 },
        {
          type: 'custom',
          attribute: 'occupation',
          operator: 'one_of',
          value: ['propriétaire occupant', 'locataire'],
        },
      ],
    },
    amount: {
      type: 'expense_share',
      rate: {
        type: 'brackets',
        attribute: 'household_quotient',
        brackets: [
          { upTo: 900, rateBasisPoints: 7_000 },
          { upTo: 1_400, rateBasisPoints: 5_000 },
        ],
      },
      maximumExpenseCents: 2_200_000,
      rounding: 'down',
    },
    usage: {
      categories: { groups: ['equipement_maison'] },
      validity: { afterCrediting: { unit: 'months', count: 24 } },
      perPayment: { minimumCents: 5_000 },
    },
    stacking: { priority: 20 },
    customAttributes: [
      { key: 'perte_autonomie', label: 'Perte d’autonomie reconnue (GIR 5 ou 6)', type: 'boolean' },
      {
        key: 'occupation',
        label: 'Occupation du logement',
        type: 'text',
        values: ['propriétaire occupant', 'locataire', 'hébergé à titre gratuit'],
      },
    ],
  },
  sampleFacts: {
    birthDate: '1950-03-02',
    communeCode: '35238',
    householdQuotientEuros: 850,
    declaredExpenseCents: 840_000,
    custom: { perte_autonomie: false, occupation: 'propriétaire occupant' },
  },
};

const BACK_TO_SCHOOL: ProgrammeTemplate = {
  id: 'allocation-rentree-scolaire',
  name: 'Allocation de rentrée scolaire départementale',
  description:
    'Aide par enfant à charge pour les fournitures et les vêtements de la rentrée, selon le quotient familial : 150 € jusqu’à 450 €, 100 € jusqu’à 700 €, 60 € jusqu’à 1 000 €, pour six enfants au plus ; utilisable du 15 août au 31 octobre dans le département.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'residence', zones: [{ kind: 'departement', code: '33' }] },
        { type: 'dependent_children', minimum: 1 },
        { type: 'household_quotient', maximumEuros: 1_000 },
      ],
    },
    amount: {
      type: 'per_unit',
      unit: 'dependent_child',
      unitAmount: {
        type: 'brackets',
        attribute: 'household_quotient',
        brackets: [
          { upTo: 450, amountCents: 15_000 },
          { upTo: 700, amountCents: 10_000 },
          { upTo: 1_000, amountCents: 6_000 },
        ],
      },
      maximumUnits: 6,
      rounding: 'down',
    },
    usage: {
      categories: { groups: ['fournitures_scolaires'], mcc: ['5641', '5651'] },
      zones: [{ kind: 'departement', code: '33' }],
      validity: { fromDate: '2026-08-15', untilDate: '2026-10-31' },
    },
    stacking: { priority: 10 },
  },
  sampleFacts: { communeCode: '33063', dependentChildren: 2, householdQuotientEuros: 612 },
};

const ENERGY_COMPLIANCE: ProgrammeTemplate = {
  id: 'conformite-energetique-batiments',
  name: 'Mise en conformité énergétique des bâtiments tertiaires',
  description:
    'Subvention de 15 000 € au plus, limitée à 40 % de la facture, pour les travaux qui réduisent la consommation d’énergie des bâtiments tertiaires de 1 000 m² et plus (décret tertiaire) ; pour les associations, entreprises et copropriétés de la région, chaque paiement couvert à 40 % au plus.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'organisation_kind', anyOf: ['association', 'entreprise', 'copropriete'] },
        { type: 'residence', zones: [{ kind: 'region', code: '52' }] },
        { type: 'custom', attribute: 'surface_m2', operator: 'at_least', value: 1_000 },
      ],
    },
    amount: {
      type: 'fixed',
      amountCents: 1_500_000,
      expenseShareCeilingBasisPoints: 4_000,
      rounding: 'down',
    },
    usage: {
      categories: { groups: ['renovation_energetique'] },
      validity: { afterCrediting: { unit: 'months', count: 36 } },
      perPayment: { minimumCents: 10_000 },
      maximumShareBasisPoints: 4_000,
    },
    stacking: { priority: 30 },
    customAttributes: [
      { key: 'surface_m2', label: 'Surface de plancher tertiaire (m²)', type: 'number' },
    ],
  },
  sampleFacts: {
    organisationKind: 'association',
    communeCode: '44109',
    declaredExpenseCents: 2_500_000,
    custom: { surface_m2: 1_450 },
  },
};

const CULTURE_PASS: ProgrammeTemplate = {
  id: 'pass-culture-jeunes',
  name: 'Pass culture des jeunes de 18 ans',
  description:
    'Crédit de 300 € à 18 ans pour le théâtre, le cinéma, les musées, les concerts, les livres et la musique, dont 100 € au plus pour les biens numériques, valable 24 mois.',
  rules: {
    eligibility: { type: 'all', conditions: [{ type: 'age', minimumYears: 18, maximumYears: 18 }] },
    amount: { type: 'fixed', amountCents: 30_000, rounding: 'down' },
    usage: {
      categories: { groups: ['culture', 'biens_numeriques'] },
      groupCaps: [{ group: 'biens_numeriques', maximumCents: 10_000 }],
      validity: { afterCrediting: { unit: 'months', count: 24 } },
    },
    stacking: { priority: 10 },
  },
  sampleFacts: { birthDate: '2008-03-10', communeCode: '69123' },
};

const SHORT_SUPPLY_CHAIN: ProgrammeTemplate = {
  id: 'circuits-courts-territoire',
  name: 'Chèque circuits courts du territoire',
  description:
    'Crédit de 60 € pour les habitants de la métropole, à dépenser chez les producteurs locaux, sur les marchés et dans les fermes du territoire : la moitié de chaque achat au plus, 20 € par achat et 30 € par mois au plus, du lundi au samedi de 7 h à 20 h, pendant 6 mois.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [{ type: 'residence', zones: [{ kind: 'epci', code: '244400404' }] }],
    },
    amount: { type: 'fixed', amountCents: 6_000, rounding: 'down' },
    usage: {
      categories: { groups: ['circuits_courts'] },
      zones: [{ kind: 'epci', code: '244400404' }],
      validity: { afterCrediting: { unit: 'months', count: 6 } },
      perPayment: { maximumCents: 2_000 },
      caps: { monthlyCents: 3_000 },
      weekdays: [1, 2, 3, 4, 5, 6],
      hours: [{ from: '07:00', until: '20:00' }],
      maximumShareBasisPoints: 5_000,
    },
    stacking: { priority: 40 },
  },
  sampleFacts: { communeCode: '44109' },
};

const MUNICIPAL_EMERGENCY: ProgrammeTemplate = {
  id: 'aide-urgence-communale',
  name: 'Aide d’urgence communale',
  description:
    'Secours du centre communal d’action sociale : 150 € et 50 € par enfant à charge (quatre au plus, 350 € au total), pour l’alimentation, l’énergie et la santé, utilisable pendant 3 mois dans la métropole ; pour les habitants de la commune au quotient familial de 500 € au plus ou au RSA.',
  rules: {
    eligibility: {
      type: 'all',
      conditions: [
        { type: 'residence', zones: [{ kind: 'commune', code: '69123' }] },
        {
          type: 'any',
          conditions: [
            { type: 'household_quotient', maximumEuros: 500 },
            { type: 'status', anyOf: ['beneficiaire_rsa'] },
          ],
        },
      ],
    },
    amount: {
      type: 'per_unit',
      unit: 'dependent_child',
      baseAmountCents: 15_000,
      unitAmount: { type: 'fixed', amountCents: 5_000 },
      maximumUnits: 4,
      ceilingCents: 35_000,
      rounding: 'down',
    },
    usage: {
      categories: { groups: ['alimentation', 'energie', 'sante'] },
      zones: [{ kind: 'epci', code: '200046977' }],
      validity: { afterCrediting: { unit: 'months', count: 3 } },
    },
    stacking: { priority: 0 },
  },
  sampleFacts: {
    communeCode: '69123',
    householdQuotientEuros: 430,
    dependentChildren: 1,
    statuses: ['demandeur_emploi'],
  },
};

export const PROGRAMME_TEMPLATES: ProgrammeTemplate[] = [
  DRIVING_LICENCE,
  SENIOR_HOME_ADAPTATION,
  BACK_TO_SCHOOL,
  ENERGY_COMPLIANCE,
  CULTURE_PASS,
  SHORT_SUPPLY_CHAIN,
  MUNICIPAL_EMERGENCY,
];
