// A programme's rules as the web app edits them, with the French words of each choice a form
// offers.

import type { BeneficiaryStatus, OrganisationKind } from '../../../src/programmes/rules/facts.js';
import type {
  AmountRule,
  BracketAttribute,
  Condition,
  RoundingMode,
  RuleSet,
  ZoneKind,
} from '../../../src/programmes/rules/schema.js';

// The types are the server's own (type-only: nothing of the server reaches the bundle), so the
// form cannot drift from what the server validates.
export type {
  AmountBracket,
  AmountRule,
  BracketAmount,
  BracketAttribute,
  BracketRate,
  Condition,
  CustomAttribute,
  CustomOperator,
  ExpenseShareAmount,
  FixedAmount,
  FixedRate,
  MerchantZone,
  PerUnitAmount,
  RadiusZone,
  RateBracket,
  RoundingMode,
  RuleSet,
  UsageRules,
  Validity,
  ZoneKind,
  ZoneReference,
} from '../../../src/programmes/rules/schema.js';

export type ConditionType = Condition['type'];
export type AmountType = AmountRule['type'];
export type AgeReference = NonNullable<Extract<Condition, { type: 'age' }>['at']>;
export type AmountLimits = Pick<
  AmountRule,
  'rounding' | 'floorCents' | 'ceilingCents' | 'expenseShareCeilingBasisPoints'
>;

/** A label record's entries, keys keeping their type (`Object.entries` widens them to string). */
export function labelledChoices<Code extends string>(
  labels: Record<Code, string>,
): [Code, string][] {
  return Object.entries(labels) as [Code, string][];
}

export const conditionTypeLabels: Record<ConditionType, string> = {
  all: 'Toutes les conditions suivantes',
  any: 'Au moins une des conditions suivantes',
  not: 'La condition suivante n’est pas remplie',
  age: 'Âge',
  residence: 'Lieu de résidence',
  household_quotient: 'Quotient familial',
  dependent_children: 'Enfants à charge',
  status: 'Statut',
  organisation_kind: 'Type d’organisation',
  custom: 'Attribut propre au dispositif',
};

export const statusLabels: Record<BeneficiaryStatus, string> = {
  etudiant: 'Étudiant',
  apprenti: 'Apprenti',
  lyceen: 'Lycéen',
  boursier: 'Boursier',
  demandeur_emploi: 'Demandeur d’emploi',
  retraite: 'Retraité',
  handicap: 'En situation de handicap',
  beneficiaire_rsa: 'Bénéficiaire du RSA',
  salarie: 'Salarié',
  independant: 'Travailleur indépendant',
  service_civique: 'Volontaire en service civique',
  proche_aidant: 'Proche aidant',
};

export const organisationKindLabels: Record<OrganisationKind, string> = {
  association: 'Association',
  fondation: 'Fondation',
  entreprise: 'Entreprise',
  exploitation_agricole: 'Exploitation agricole',
  cooperative: 'Coopérative',
  collectivite: 'Collectivité territoriale',
  etablissement_public: 'Établissement public',
  copropriete: 'Copropriété',
  bailleur_social: 'Bailleur social',
};

export const zoneKindLabels: Record<ZoneKind, string> = {
  commune: 'Commune (code INSEE)',
  epci: 'Intercommunalité (SIREN de l’EPCI)',
  departement: 'Département (code)',
  region: 'Région (code)',
};

export const categoryGroupLabels: Record<string, string> = {
  culture: 'Culture',
  livres: 'Livres',
  spectacle_vivant: 'Spectacle vivant',
  cinema: 'Cinéma',
  musees_patrimoine: 'Musées et patrimoine',
  musique: 'Musique',
  biens_numeriques: 'Biens numériques',
  alimentation: 'Alimentation',
  circuits_courts: 'Circuits courts',
  mobilite: 'Mobilité',
  auto_ecole: 'Auto-écoles',
  sante: 'Santé',
  renovation_energetique: 'Rénovation énergétique',
  equipement_maison: 'Adaptation et équipement du logement',
  fournitures_scolaires: 'Fournitures scolaires',
  sport: 'Sport',
  energie: 'Énergie',
};

export const bracketAttributeLabels: Record<BracketAttribute, string> = {
  household_quotient: 'Quotient familial (en euros)',
  dependent_children: 'Nombre d’enfants à charge',
  age: 'Âge (en années)',
  custom: 'Attribut propre au dispositif',
};

export const amountTypeLabels: Record<AmountType, string> = {
  fixed: 'Montant forfaitaire',
  brackets: 'Montant par tranches',
  per_unit: 'Montant par unité (par enfant…)',
  expense_share: 'Pourcentage de la dépense déclarée',
};

export const roundingLabels: Record<RoundingMode, string> = {
  down: 'Au centime inférieur',
  nearest: 'Au centime le plus proche',
  up: 'Au centime supérieur',
};

export const weekdayLabels = [
  'lundi',
  'mardi',
  'mercredi',
  'jeudi',
  'vendredi',
  'samedi',
  'dimanche',
];

/** A new condition of this type, with the fewest fields the server accepts. */
export function emptyCondition(type: ConditionType): Condition {
  switch (type) {
    case 'all':
    case 'any':
      return { type, conditions: [] };
    case 'not':
      return { type, condition: { type: 'status', anyOf: ['etudiant'] } };
    case 'age':
      return { type, minimumYears: 18 };
    case 'residence':
      return { type, zones: [{ kind: 'departement', code: '33' }] };
    case 'household_quotient':
      return { type, maximumEuros: 1_000 };
    case 'dependent_children':
      return { type, minimum: 1 };
    case 'status':
      return { type, anyOf: ['etudiant'] };
    case 'organisation_kind':
      return { type, anyOf: ['association'] };
    case 'custom':
      return { type, attribute: 'attribut', operator: 'equals', value: true };
  }
}

/** A new amount formula of this type, keeping the limits already set. */
export function emptyAmount(type: AmountType, limits: AmountLimits): AmountRule {
  switch (type) {
    case 'fixed':
      return { ...limits, type, amountCents: 100_00 };
    case 'brackets':
      return {
        ...limits,
        type,
        attribute: 'household_quotient',
        brackets: [
          { upTo: 700, amountCents: 200_00 },
          { upTo: null, amountCents: 100_00 },
        ],
      };
    case 'per_unit':
      return {
        ...limits,
        type,
        unit: 'dependent_child',
        unitAmount: { type: 'fixed', amountCents: 50_00 },
      };
    case 'expense_share':
      return { ...limits, type, rate: { type: 'fixed', rateBasisPoints: 5_000 } };
  }
}

/** Rules to start a programme from scratch: everyone, 100 € each, spent anywhere. */
export const blankRules: RuleSet = {
  eligibility: { type: 'all', conditions: [] },
  amount: { type: 'fixed', amountCents: 100_00, rounding: 'nearest' },
  usage: {},
  stacking: { priority: 100 },
};
