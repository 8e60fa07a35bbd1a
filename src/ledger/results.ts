/**
 * Every outcome of a transfer request, in the order the checks run: the first failing check
 * wins. Codes are never renumbered or reused; `retryable` says whether the same request could
 * succeed later without being changed.
 */
export const TRANSFER_RESULTS = {
  created: { succeeded: true, retryable: false },
  already_exists: { succeeded: true, retryable: false },
  // Checks on the request alone.
  invalid_client_id: { succeeded: false, retryable: false },
  client_id_reserved: { succeeded: false, retryable: false },
  invalid_kind: { succeeded: false, retryable: false },
  phase_not_allowed: { succeeded: false, retryable: false },
  reference_too_long: { succeeded: false, retryable: false },
  reference_invalid: { succeeded: false, retryable: false },
  metadata_invalid: { succeeded: false, retryable: false },
  entries_too_few: { succeeded: false, retryable: false },
  entries_too_many: { succeeded: false, retryable: false },
  entries_not_allowed: { succeeded: false, retryable: false },
  amount_not_integer: { succeeded: false, retryable: false },
  amount_zero: { succeeded: false, retryable: false },
  amount_too_large: { succeeded: false, retryable: false },
  account_repeated: { succeeded: false, retryable: false },
  entries_not_balanced: { succeeded: false, retryable: false },
  pending_reference_missing: { succeeded: false, retryable: false },
  pending_reference_unexpected: { succeeded: false, retryable: false },
  timeout_out_of_range: { succeeded: false, retryable: false },
  linked_chain_open: { succeeded: false, retryable: false },
  // Checks against the ledger's state.
  exists_with_different_content: { succeeded: false, retryable: false },
  account_not_found: { succeeded: false, retryable: false },
  currency_mismatch: { succeeded: false, retryable: false },
  pending_not_found: { succeeded: false, retryable: true },
  pending_already_posted: { succeeded: false, retryable: false },
  pending_already_voided: { succeeded: false, retryable: false },
  pending_already_expired: { succeeded: false, retryable: false },
  pending_expired: { succeeded: false, retryable: false },
  pending_not_yet_expired: { succeeded: false, retryable: true },
  post_account_not_in_pending: { succeeded: false, retryable: false },
  post_exceeds_pending: { succeeded: false, retryable: false },
  balance_overflow: { succeeded: false, retryable: false },
  insufficient_funds: { succeeded: false, retryable: true },
  linked_event_failed: { succeeded: false, retryable: true },
  // Outcomes of the writer, before the ledger is reached.
  overloaded: { succeeded: false, retryable: true },
  deadline_exceeded: { succeeded: false, retryable: true },
  writer_stopped: { succeeded: false, retryable: true },
  account_version_changed: { succeeded: false, retryable: true },
} as const satisfies Record<string, { succeeded: boolean; retryable: boolean }>;

export type TransferResultCode = keyof typeof TRANSFER_RESULTS;

export function isSuccess(code: TransferResultCode): boolean {
  return TRANSFER_RESULTS[code].succeeded;
}

/** French text for each outcome, exhaustive by construction: the compiler rejects a missing one. */
export const TRANSFER_RESULT_MESSAGES: Record<TransferResultCode, string> = {
  created: 'Virement enregistré.',
  already_exists:
    'Ce virement était déjà enregistré avec le même contenu : résultat d’origine renvoyé.',
  invalid_client_id:
    'Identifiant client invalide : 1 à 128 caractères parmi lettres, chiffres, « . », « _ », « : » et « - ».',
  client_id_reserved:
    'Les identifiants commençant par « platform: » sont réservés à la plateforme.',
  invalid_kind:
    'Nature de virement invalide : minuscules, chiffres et « _ », 64 caractères au plus.',
  phase_not_allowed: 'Cette phase de virement est réservée à la plateforme.',
  reference_too_long: 'La référence dépasse 200 caractères.',
  reference_invalid: 'La référence contient un caractère nul ou un caractère Unicode incomplet.',
  metadata_invalid:
    'Métadonnées invalides : 32 clés au plus, valeurs texte (500 caractères, sans caractère nul), entiers ou booléens.',
  entries_too_few: 'Un virement compte au moins deux écritures.',
  entries_too_many: 'Un virement compte au plus 64 écritures.',
  entries_not_allowed:
    'Une annulation ne porte pas d’écritures : elle libère toute la réservation.',
  amount_not_integer: 'Les montants sont des nombres entiers de centimes.',
  amount_zero: 'Une écriture ne peut pas être nulle.',
  amount_too_large: 'Montant trop élevé : 100 milliards d’euros au plus par écriture.',
  account_repeated: 'Un même compte apparaît deux fois dans le virement.',
  entries_not_balanced:
    'Les écritures ne s’équilibrent pas : débits et crédits doivent être égaux.',
  pending_reference_missing: 'La réservation à confirmer ou annuler n’est pas indiquée.',
  pending_reference_unexpected: 'Seule une confirmation ou une annulation désigne une réservation.',
  timeout_out_of_range: 'Délai d’expiration hors limites : de 1 seconde à 90 jours.',
  linked_chain_open: 'La chaîne de virements liés n’est pas terminée dans la requête.',
  exists_with_different_content:
    'Cet identifiant client désigne déjà un autre virement : contenu différent, rien n’a été fait.',
  account_not_found: 'Compte inconnu.',
  currency_mismatch: 'La devise du virement diffère de celle d’un compte.',
  pending_not_found: 'Réservation introuvable.',
  pending_already_posted: 'Cette réservation a déjà été confirmée.',
  pending_already_voided: 'Cette réservation a déjà été annulée.',
  pending_already_expired: 'Cette réservation a expiré.',
  pending_expired: 'Le délai de cette réservation est dépassé : elle va expirer.',
  pending_not_yet_expired: 'Cette réservation n’a pas encore atteint son délai d’expiration.',
  post_account_not_in_pending:
    'La confirmation vise un compte ou un sens absent de la réservation.',
  post_exceeds_pending: 'La confirmation dépasse le montant réservé.',
  balance_overflow: 'Le solde dépasserait la limite représentable.',
  insufficient_funds: 'Solde disponible insuffisant.',
  linked_event_failed: 'Un autre virement de la même chaîne a échoué : aucun n’a été enregistré.',
  overloaded: 'Registre surchargé : demande refusée immédiatement, réessayez.',
  deadline_exceeded: 'Délai dépassé avant l’enregistrement : rien n’a été enregistré.',
  writer_stopped: 'Le registre s’arrête : rien n’a été enregistré.',
  account_version_changed:
    'Un compte a changé depuis la décision (autre processus) : rien n’a été enregistré, décider à nouveau.',
};
