import { HttpError } from '../platform/errors.js';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_APPLICATION } from './documents.js';

// Every refusal of the applications domain: one code, one status, one French message.

const MEGABYTES = MAX_DOCUMENT_BYTES / (1024 * 1024);

export const APPLICATION_ERRORS = {
  programme_not_open: {
    status: 404,
    message: 'Ce dispositif n’existe pas ou n’accepte pas de demande en ligne.',
  },
  answers_invalid: {
    status: 422,
    message: 'Certaines réponses ne conviennent pas : voir le détail de chaque question.',
  },
  application_already_open: {
    status: 409,
    message:
      'Une demande à ce dispositif est déjà en cours pour cette personne : complétez-la plutôt.',
  },
  application_closed: {
    status: 409,
    message: 'Cette demande est close (décidée ou retirée) : elle ne peut plus changer.',
  },
  document_type_not_accepted: {
    status: 415,
    message: 'Type de document non accepté : PDF, PNG ou JPEG uniquement.',
  },
  document_content_mismatch: {
    status: 422,
    message:
      'Le contenu du fichier ne correspond pas à son type déclaré (PDF, PNG ou JPEG) : il est refusé.',
  },
  document_empty: { status: 400, message: 'Le fichier envoyé est vide.' },
  document_too_large: {
    status: 413,
    message: `Document trop volumineux : ${MEGABYTES} Mo au plus.`,
  },
  document_limit_reached: {
    status: 409,
    message: `Cette demande a déjà ${MAX_DOCUMENTS_PER_APPLICATION} documents, le maximum.`,
  },
  file_name_invalid: {
    status: 400,
    message: 'Nom de fichier absent ou invalide (en-tête x-file-name, encodé en URI).',
  },
  decision_amount_invalid: {
    status: 422,
    message: 'Montant accordé invalide : un montant positif, en centimes, est attendu.',
  },
  decision_amount_missing: {
    status: 422,
    message:
      'L’évaluation automatique ne donne aucun montant : indiquez le montant accordé (amountCents).',
  },
  already_attributed: {
    status: 409,
    message: 'Cette personne a déjà une attribution en cours pour ce dispositif.',
  },
} as const;

export type ApplicationErrorCode = keyof typeof APPLICATION_ERRORS;

export function applicationError(code: ApplicationErrorCode, details?: unknown): HttpError {
  const known = APPLICATION_ERRORS[code];
  return new HttpError(known.status, code, known.message, details);
}
