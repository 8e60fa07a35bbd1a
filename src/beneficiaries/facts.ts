import type { BeneficiaryFacts } from '../programmes/rules/facts.js';

// How a beneficiary record becomes the facts a programme's rules read. The household column
// holds exactly the household part of BeneficiaryFacts, so that the rules engine and the
// records never disagree on a name.

export type HouseholdFacts = Pick<
  BeneficiaryFacts,
  'householdQuotientEuros' | 'dependentChildren' | 'statuses' | 'custom'
>;

export type FactsSource = {
  kind: 'personne' | 'organisation';
  birthDate: string | null;
  communeCode: string | null;
  organisationKind: string | null;
  household: HouseholdFacts;
};

export function beneficiaryFacts(source: FactsSource): BeneficiaryFacts {
  const facts: BeneficiaryFacts = {};
  if (source.birthDate !== null) facts.birthDate = source.birthDate;
  if (source.communeCode !== null) facts.communeCode = source.communeCode;
  if (source.organisationKind !== null) facts.organisationKind = source.organisationKind;
  const household = source.household;
  if (household.householdQuotientEuros !== undefined) {
    facts.householdQuotientEuros = household.householdQuotientEuros;
  }
  if (household.dependentChildren !== undefined) {
    facts.dependentChildren = household.dependentChildren;
  }
  if (household.statuses !== undefined) facts.statuses = household.statuses;
  if (household.custom !== undefined) facts.custom = household.custom;
  return facts;
}
