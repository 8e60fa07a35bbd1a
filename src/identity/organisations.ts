import { isStorableText } from '../platform/text.js';
import { isValidSiren, isValidSiret, normaliseIdentifier, sirenOf } from './siret.js';

// Organisations: the funders, their services, merchants and beneficiary organisations, and the
// platform operator. Pure: what a valid organisation is, and why one is refused.

export const FUNDER_KINDS = [
  'etat',
  'region',
  'departement',
  'commune',
  'epci',
  'caisse_allocations_familiales',
  'caisse_retraite',
  'mutuelle',
  'union_europeenne',
  'cofinanceur_prive',
] as const;

export const ORGANISATION_KINDS = [
  ...FUNDER_KINDS,
  'service',
  'commercant',
  'association',
  'entreprise',
  'collectivite',
  'operateur',
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The words the users read, one per kind, checked exhaustive by the compiler. */
export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  etat: 'État',
  region: 'Région',
  departement: 'Département',
  commune: 'Commune',
  epci: 'Intercommunalité (EPCI)',
  caisse_allocations_familiales: 'Caisse d’allocations familiales',
  caisse_retraite: 'Caisse de retraite',
  mutuelle: 'Mutuelle',
  union_europeenne: 'Union européenne',
  cofinanceur_prive: 'Cofinanceur privé',
  service: 'Service d’un financeur',
  commercant: 'Commerçant ou prestataire',
  association: 'Association',
  entreprise: 'Entreprise',
  collectivite: 'Collectivité bénéficiaire',
  operateur: 'Opérateur de la plateforme',
};

export const MAX_ORGANISATION_NAME_LENGTH = 200;

export const ORGANISATION_REFUSALS = {
  name_invalid: 'Nom invalide : 1 à 200 caractères, sans caractère nul.',
  kind_unknown: 'Nature d’organisation inconnue.',
  siren_invalid: 'SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle (Luhn).',
  siret_invalid: 'SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (Luhn).',
  siret_siren_mismatch: 'Le SIRET ne commence pas par le SIREN indiqué.',
  service_needs_parent: 'Un service appartient à un financeur : indiquez l’organisation parente.',
  parent_only_for_services: 'Seul un service a une organisation parente.',
  parent_not_found: 'Organisation parente introuvable.',
  parent_not_funder: 'L’organisation parente doit être un financeur.',
  siret_already_registered: 'Ce SIRET est déjà enregistré pour une autre organisation.',
} as const;

export type OrganisationRefusal = keyof typeof ORGANISATION_REFUSALS;

export type OrganisationRequest = {
  kind: string;
  name: string;
  siren?: string;
  siret?: string;
  parentId?: number;
};

export type ValidOrganisation = {
  kind: OrganisationKind;
  name: string;
  siren: string | null;
  siret: string | null;
  parentId: number | null;
};

export function isFunderKind(kind: string): boolean {
  return (FUNDER_KINDS as readonly string[]).includes(kind);
}

function identifiersOf(
  request: OrganisationRequest,
): { siren: string | null; siret: string | null } | OrganisationRefusal {
  const siret = request.siret === undefined ? null : normaliseIdentifier(request.siret);
  const givenSiren = request.siren === undefined ? null : normaliseIdentifier(request.siren);
  if (givenSiren !== null && !isValidSiren(givenSiren)) return 'siren_invalid';
  if (siret !== null && !isValidSiret(siret)) return 'siret_invalid';
  if (siret !== null && givenSiren !== null && sirenOf(siret) !== givenSiren)
    return 'siret_siren_mismatch';
  return { siren: givenSiren ?? (siret === null ? null : sirenOf(siret)), siret };
}

/** Checks of the request alone, in a fixed order; the parent's existence is the store's to check. */
export function validateOrganisation(
  request: OrganisationRequest,
): ValidOrganisation | OrganisationRefusal {
  const name = request.name.trim();
  if (name.length === 0 || name.length > MAX_ORGANISATION_NAME_LENGTH || !isStorableText(name))
    return 'name_invalid';
  if (!(ORGANISATION_KINDS as readonly string[]).includes(request.kind)) return 'kind_unknown';
  const identifiers = identifiersOf(request);
  if (typeof identifiers === 'string') return identifiers;
  if (request.kind === 'service' && request.parentId === undefined) return 'service_needs_parent';
  if (request.kind !== 'service' && request.parentId !== undefined)
    return 'parent_only_for_services';
  return {
    kind: request.kind as OrganisationKind,
    name,
    ...identifiers,
    parentId: request.parentId ?? null,
  };
}
