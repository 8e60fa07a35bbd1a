// The French words of the beneficiaries part: fields, statuses, and a record said in a sentence.

import { formatDay } from '../programmes/format.js';
import { organisationKindLabels, statusLabels } from '../programmes/rules.js';
import type {
  ApplicationStatus,
  AttributionStatus,
  BeneficiaryKind,
  BeneficiaryView,
  Household,
  ImportStatus,
  MappingField,
} from './types.js';

export const mappingFieldLabels: Record<MappingField, string> = {
  familyName: 'Nom de famille',
  givenNames: 'Prénoms',
  birthDate: 'Date de naissance',
  legalName: 'Raison sociale',
  siret: 'SIRET',
  organisationKind: 'Type d’organisation',
  addressLine: 'Adresse',
  postalCode: 'Code postal',
  communeCode: 'Code INSEE de la commune',
  email: 'Adresse électronique',
  phone: 'Téléphone',
  externalId: 'Identifiant chez le financeur',
  householdQuotientEuros: 'Quotient familial (en euros)',
  dependentChildren: 'Enfants à charge',
  statuses: 'Statuts (séparés par « ; »)',
};

/** The fields a kind of beneficiary needs, then those it may have, in the order of a form. */
export const fieldsByKind: Record<
  BeneficiaryKind,
  { required: MappingField[]; optional: MappingField[] }
> = {
  personne: {
    required: ['familyName', 'givenNames', 'birthDate'],
    optional: [
      'addressLine',
      'postalCode',
      'communeCode',
      'email',
      'phone',
      'externalId',
      'householdQuotientEuros',
      'dependentChildren',
      'statuses',
    ],
  },
  organisation: {
    required: ['legalName', 'siret'],
    optional: [
      'organisationKind',
      'addressLine',
      'postalCode',
      'communeCode',
      'email',
      'phone',
      'externalId',
    ],
  },
};

/** The kinds as a file's lines are chosen: all of one kind. */
export const fileKindLabels: Record<BeneficiaryKind, string> = {
  personne: 'des personnes',
  organisation: 'des structures (associations, entreprises, collectivités…)',
};

export const importStatusLabels: Record<ImportStatus, string> = {
  uploaded: 'Fichier reçu, colonnes à associer',
  analysing: 'Analyse en cours',
  analysed: 'Analysé, en attente de confirmation',
  failed: 'Analyse impossible',
  imported: 'Importé',
  abandoned: 'Abandonné',
};

export const attributionStatusLabels: Record<AttributionStatus, string> = {
  proposed: 'Proposée',
  approved: 'Approuvée, en attente de crédit',
  credited: 'Créditée',
  suspended: 'Suspendue',
  revoked: 'Révoquée',
  expired: 'Expirée',
};

export const applicationStatusLabels: Record<ApplicationStatus, string> = {
  submitted: 'Déposée',
  information_requested: 'Informations demandées',
  accepted: 'Acceptée',
  refused: 'Refusée',
  withdrawn: 'Retirée',
};

/** The field a problem of an import is about, in words (`line`: the line as a whole). */
export function problemFieldLabel(field: string): string {
  if (field === 'line') return 'Toute la ligne';
  return field in mappingFieldLabels ? mappingFieldLabels[field as MappingField] : field;
}

/**
 * The reason of a problem without the field's name it starts with (« Prénoms : valeur
 * manquante. »), which the report shows in a column of its own.
 */
export function problemReason(reason: string): string {
  const match = /^[^:]{1,60} : (.+)$/.exec(reason);
  const text = match?.[1] ?? reason;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** « 06 12 34 56 78 » for a French number, other numbers as stored. */
export function formatPhone(phone: string): string {
  return /^0\d{9}$/.test(phone) ? phone.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}

export function beneficiaryName(beneficiary: BeneficiaryView): string {
  if (beneficiary.erasedAt !== null) return `Bénéficiaire n° ${beneficiary.id} (données effacées)`;
  if (beneficiary.kind === 'organisation') {
    return beneficiary.legalName ?? `Organisation n° ${beneficiary.id}`;
  }
  const name = [beneficiary.givenNames, beneficiary.familyName].filter((part) => part !== null);
  return name.length === 0 ? `Bénéficiaire n° ${beneficiary.id}` : name.join(' ');
}

/** « 12 rue des Lilas, 33000 Bordeaux », with what the record holds of it. */
export function addressInWords(address: {
  addressLine: string | null;
  postalCode: string | null;
  communeCode: string | null;
  communeName?: string | null;
}): string {
  const commune = address.communeName ?? address.communeCode;
  const town = [address.postalCode, commune].filter((part) => part !== null && part !== undefined);
  const parts = [address.addressLine, town.length === 0 ? null : town.join(' ')];
  const written = parts.filter((part) => part !== null && part !== '').join(', ');
  return written === '' ? 'Non renseignée' : written;
}

export function statusLabel(status: string): string {
  return status in statusLabels ? statusLabels[status as keyof typeof statusLabels] : status;
}

export function organisationKindLabel(kind: string): string {
  return kind in organisationKindLabels
    ? organisationKindLabels[kind as keyof typeof organisationKindLabels]
    : kind;
}

/** The household facts as sentences: « Quotient familial : 612 € », « 2 enfants à charge ». */
export function householdInWords(household: Household): string[] {
  const sentences: string[] = [];
  if (household.householdQuotientEuros !== undefined) {
    sentences.push(`Quotient familial : ${household.householdQuotientEuros} €`);
  }
  if (household.dependentChildren !== undefined) {
    const children = household.dependentChildren;
    sentences.push(
      children === 0
        ? 'Aucun enfant à charge'
        : `${children} enfant${children > 1 ? 's' : ''} à charge`,
    );
  }
  if (household.statuses !== undefined && household.statuses.length > 0) {
    sentences.push(`Statuts : ${household.statuses.map(statusLabel).join(', ')}`);
  }
  for (const [name, value] of Object.entries(household.custom ?? {})) {
    const written = typeof value === 'boolean' ? (value ? 'oui' : 'non') : `${value}`;
    sentences.push(`${name} : ${written}`);
  }
  return sentences;
}

export function identityInWords(beneficiary: BeneficiaryView): string {
  if (beneficiary.kind === 'organisation') {
    const kind =
      beneficiary.organisationKind === null
        ? 'Organisation'
        : organisationKindLabel(beneficiary.organisationKind);
    return beneficiary.siret === null ? kind : `${kind}, SIRET ${beneficiary.siret}`;
  }
  return beneficiary.birthDate === null ? '—' : `Né(e) le ${formatDay(beneficiary.birthDate)}`;
}
