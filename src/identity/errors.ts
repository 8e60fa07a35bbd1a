import { HttpError } from '../platform/errors.js';
import { SIGNATURE_REFUSALS, type SignatureRefusal } from './request-signature.js';

// Every refusal of the identity domain: one code, one status, one French message.

export const IDENTITY_ERRORS = {
  authentication_required: {
    status: 401,
    message: 'Authentification requise : connectez-vous, ou signez la requête avec une clé d’API.',
  },
  operator_token_invalid: { status: 401, message: 'Jeton opérateur invalide.' },
  second_factor_required: {
    status: 401,
    message:
      'Saisissez le code de votre application d’authentification pour terminer la connexion.',
  },
  csrf_token_invalid: {
    status: 403,
    message:
      'Jeton anti-falsification (x-csrf-token) absent ou invalide : rechargez la page et recommencez.',
  },
  action_not_allowed: { status: 403, message: 'Votre rôle ne permet pas cette action.' },
  invalid_credentials: { status: 401, message: 'Adresse électronique ou mot de passe incorrect.' },
  too_many_attempts: {
    status: 429,
    message: 'Trop de tentatives de connexion : réessayez dans quelques minutes.',
  },
  totp_code_invalid: { status: 401, message: 'Code incorrect ou déjà utilisé.' },
  second_factor_not_offered: {
    status: 403,
    message: 'La double authentification est proposée aux agents des financeurs.',
  },
  second_factor_not_started: {
    status: 409,
    message: 'Commencez par générer un secret de double authentification.',
  },
  second_factor_already_enabled: {
    status: 409,
    message: 'La double authentification est déjà activée.',
  },
  second_factor_not_enabled: {
    status: 409,
    message: 'La double authentification n’est pas activée.',
  },
  password_rejected: {
    status: 400,
    message: 'Mot de passe invalide : 12 à 256 caractères.',
  },
  current_password_incorrect: { status: 403, message: 'Mot de passe actuel incorrect.' },
  mandate_missing: {
    status: 403,
    message: 'Aucun mandat en cours ne vous permet d’agir pour cette personne.',
  },
  mandate_scope_missing: {
    status: 403,
    message: 'Votre mandat ne couvre pas cette action.',
  },
  resource_not_found: {
    status: 404,
    message: 'Introuvable : cet objet n’existe pas ou n’est pas dans votre périmètre.',
  },
  role_not_valid_here: {
    status: 422,
    message: 'Ce rôle ne s’exerce pas dans ce type d’organisation.',
  },
  already_member: { status: 409, message: 'Cette personne a déjà ce rôle dans l’organisation.' },
  email_already_registered: {
    status: 409,
    message: 'Un compte existe déjà avec cette adresse électronique.',
  },
  invitation_invalid: {
    status: 404,
    message: 'Invitation inconnue, expirée, annulée ou déjà acceptée.',
  },
  aidant_unknown: {
    status: 422,
    message: 'Aucun aidant n’a de compte avec cette adresse électronique.',
  },
  period_invalid: { status: 400, message: 'Période invalide : le début est après la fin.' },
  consent_required: {
    status: 422,
    message: 'Le mandat exige votre consentement explicite après lecture du texte.',
  },
} as const;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;

export function identityError(code: IdentityErrorCode, details?: unknown): HttpError {
  const known = IDENTITY_ERRORS[code];
  return new HttpError(known.status, code, known.message, details);
}

export function signatureError(refusal: SignatureRefusal): HttpError {
  return new HttpError(401, refusal, SIGNATURE_REFUSALS[refusal]);
}
