// What the engine knows about a beneficiary (a person or an organisation): plain data that the
// caller gathers from its records and passes in, so that evaluation reads nothing by itself.

export type BeneficiaryFacts = {
  /** YYYY-MM-DD. */
  birthDate?: string;
  /** INSEE code of the commune of residence (or of the registered office of an organisation). */
  communeCode?: string;
  /** Quotient familial in euros, as the family allowance office states it (may have cents). */
  householdQuotientEuros?: number;
  dependentChildren?: number;
  /** Codes of BENEFICIARY_STATUSES; other codes are kept and simply never match. */
  statuses?: string[];
  /** A code of ORGANISATION_KINDS, for grants to organisations. */
  organisationKind?: string;
  /** The expense the beneficiary declares (a quote, an invoice), for amounts that are a share of it. */
  declaredExpenseCents?: number;
  /** Values of the attributes a programme declares itself, by key. */
  custom?: Record<string, string | number | boolean>;
};

/** Statuses a condition may require, with the words a beneficiary reads. */
export const BENEFICIARY_STATUSES = {
  etudiant: 'étudiant',
  apprenti: 'apprenti',
  lyceen: 'lycéen',
  boursier: 'boursier',
  demandeur_emploi: 'demandeur d’emploi',
  retraite: 'retraité',
  handicap: 'en situation de handicap',
  beneficiaire_rsa: 'bénéficiaire du RSA',
  salarie: 'salarié',
  independant: 'travailleur indépendant',
  service_civique: 'volontaire en service civique',
  proche_aidant: 'proche aidant',
} as const satisfies Record<string, string>;

export type BeneficiaryStatus = keyof typeof BENEFICIARY_STATUSES;

/** Kinds of organisations a grant may be reserved to. */
export const ORGANISATION_KINDS = {
  association: 'association',
  fondation: 'fondation',
  entreprise: 'entreprise',
  exploitation_agricole: 'exploitation agricole',
  cooperative: 'coopérative',
  collectivite: 'collectivité territoriale',
  etablissement_public: 'établissement public',
  copropriete: 'copropriété',
  bailleur_social: 'bailleur social',
} as const satisfies Record<string, string>;

export type OrganisationKind = keyof typeof ORGANISATION_KINDS;

export function statusLabel(status: string): string {
  return (BENEFICIARY_STATUSES as Record<string, string>)[status] ?? status;
}

export function organisationKindLabel(kind: string): string {
  return (ORGANISATION_KINDS as Record<string, string>)[kind] ?? kind;
}
