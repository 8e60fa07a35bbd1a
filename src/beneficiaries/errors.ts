import { HttpError } from '../platform/errors.js';

// Every refusal of the beneficiaries domain: one code, one status, one French message. Messages
// that carry a figure (a line, a size) are completed where the figure is known.

export const BENEFICIARY_ERRORS = {
  organisation_not_funder: {
    status: 422,
    message: 'Les bénéficiaires sont enregistrés chez un financeur (ou l’un de ses services).',
  },
  beneficiary_exists: {
    status: 409,
    message:
      'Ce bénéficiaire est déjà enregistré chez ce financeur (même identifiant, ou mêmes nom, prénoms, date de naissance et commune).',
  },
  record_erased: {
    status: 409,
    message: 'Les données de ce bénéficiaire ont été effacées : elles ne peuvent plus changer.',
  },
  retention_running: {
    status: 409,
    message: 'La durée de conservation court encore : l’effacement n’est pas encore permis.',
  },
  aid_in_progress: {
    status: 409,
    message:
      'Une aide de ce bénéficiaire est en cours (attribution active ou demande en instruction) : l’effacement n’est pas permis.',
  },
  claim_code_invalid: {
    status: 422,
    message: 'Code de rattachement inconnu ou déjà utilisé : vérifiez le code reçu.',
  },
  too_many_claim_attempts: {
    status: 429,
    message: 'Trop de codes erronés : réessayez dans une heure.',
  },
  already_linked_at_funder: {
    status: 409,
    message: 'Votre compte est déjà rattaché à une fiche chez ce financeur.',
  },
  media_type_unsupported: {
    status: 415,
    message: 'Type de fichier non accepté : envoyez un fichier CSV (text/csv) ou un classeur XLSX.',
  },
  file_too_large: { status: 413, message: 'Le fichier dépasse la taille autorisée.' },
  file_empty: { status: 422, message: 'Le fichier est vide (0 octet) : rien à importer.' },
  encoding_invalid: {
    status: 422,
    message:
      'Le fichier n’est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur.',
  },
  xlsx_invalid: {
    status: 422,
    message: 'Ce fichier n’est pas un classeur XLSX lisible (première feuille).',
  },
  header_missing: {
    status: 422,
    message: 'La première ligne doit donner le nom des colonnes : elle est vide.',
  },
  too_many_columns: { status: 422, message: 'Le fichier a trop de colonnes.' },
  quote_unclosed: {
    status: 422,
    message: 'Un guillemet ouvert n’est jamais refermé : le fichier est tronqué ou mal formé.',
  },
  line_too_long: { status: 422, message: 'Une ligne du fichier est trop longue.' },
  too_many_lines: { status: 422, message: 'Le fichier a trop de lignes.' },
  columns_missing: {
    status: 422,
    message: 'Des colonnes obligatoires ne sont associées à aucun champ.',
  },
  mapping_invalid: {
    status: 422,
    message:
      'Association des colonnes invalide : chaque champ désigne une colonne du fichier, une colonne sert au plus une fois.',
  },
  import_not_analysed: {
    status: 409,
    message: 'Cet import n’est pas prêt : son analyse doit être terminée et réussie.',
  },
  import_closed: {
    status: 409,
    message: 'Cet import est déjà confirmé ou abandonné.',
  },
  import_analysing: {
    status: 409,
    message: 'L’analyse de cet import est en cours : attendez qu’elle se termine.',
  },
  analysis_capacity: {
    status: 503,
    message: 'Trop d’analyses en cours sur ce serveur : réessayez dans un instant.',
  },
  analysis_interrupted: {
    status: 500,
    message:
      'L’analyse s’est interrompue (arrêt du serveur) : relancez-la depuis l’étape des colonnes.',
  },
  analysis_failed: {
    status: 500,
    message: 'L’analyse a échoué sur une erreur interne : elle a été journalisée.',
  },
} as const;

export type BeneficiaryErrorCode = keyof typeof BENEFICIARY_ERRORS;

export function beneficiaryError(
  code: BeneficiaryErrorCode,
  details?: unknown,
  precision?: string,
): HttpError {
  const known = BENEFICIARY_ERRORS[code];
  const message = precision === undefined ? known.message : `${known.message} ${precision}`;
  return new HttpError(known.status, code, message, details);
}

/** A whole file refused: the import is marked failed with this code and message. */
export class ImportFailure extends Error {
  constructor(
    readonly code: BeneficiaryErrorCode,
    readonly precision?: string,
  ) {
    const base = BENEFICIARY_ERRORS[code].message;
    super(precision === undefined ? base : `${base} ${precision}`);
  }

  toHttpError(): HttpError {
    return beneficiaryError(this.code, undefined, this.precision);
  }
}
