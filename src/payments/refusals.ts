import { USAGE_REFUSALS } from '../programmes/rules/engine.js';

// Why a payment is refused, for one envelope or for the whole request: the closed list of
// codes the till, the terminal API and the beneficiary's history show, each with its French
// sentence, written once here. Codes are never renamed nor reused: terminals store them.

const PAYMENT_ONLY_REFUSALS = {
  merchant_not_approved: 'Ce commerce n’est pas conventionné pour le dispositif de cette aide.',
  envelope_suspended: 'Cette aide est suspendue par le financeur : elle ne peut pas payer.',
  no_envelope: 'Aucune aide n’est disponible pour ce paiement.',
  partial_not_accepted:
    'Les aides ne couvrent qu’une partie du montant et le paiement partiel n’est pas accepté.',
  invalid_basket:
    'Le détail du panier est invalide : au plus 200 lignes, chacune d’un montant entier strictement positif en centimes, dont le total est le montant du paiement.',
  instrument_unknown: 'Ce moyen de paiement est inconnu.',
  instrument_blocked: 'Ce moyen de paiement est bloqué : il ne peut plus payer.',
  instrument_expired: 'Ce code ou ce QR code a expiré : demandez-en un nouveau.',
  merchant_closed: 'Ce commerce est fermé : il ne peut plus encaisser de paiement.',
  terminal_unknown: 'Ce terminal de paiement est inconnu ou retiré.',
  overloaded:
    'La plateforme est momentanément surchargée : rien n’a été payé, réessayez dans quelques instants.',
  deadline_exceeded: 'La réponse n’a pas pu être donnée à temps : rien n’a été payé, réessayez.',
  currency_not_supported: 'Seuls les paiements en euros sont acceptés.',
} as const;

export const PAYMENT_REFUSALS = { ...USAGE_REFUSALS, ...PAYMENT_ONLY_REFUSALS } as const;

export type PaymentRefusalCode = keyof typeof PAYMENT_REFUSALS;
export type PaymentRefusal = { readonly code: PaymentRefusalCode; readonly message: string };

/** Lines a basket may have: the limit named in the `invalid_basket` sentence. */
export const MAX_PAYMENT_ITEMS = 200;

/**
 * Most fundamental first: the request itself, then the instrument, then the wallet, then
 * each envelope in the order its rules are checked (validity → merchant → zone → day and
 * hours → minimum → basket → caps → balance). A refused envelope is described by its most
 * fundamental reason; a declined payment by the reason of the envelope that came closest to
 * paying (the latest in this order), because that is what the person can act on: « solde
 * insuffisant » on the food aid tells more at a grocery than « catégorie » on the culture one.
 */
export const PAYMENT_REFUSAL_PRECEDENCE: readonly PaymentRefusalCode[] = [
  'currency_not_supported',
  'overloaded',
  'deadline_exceeded',
  'terminal_unknown',
  'merchant_closed',
  'invalid_payment',
  'invalid_basket',
  'instrument_unknown',
  'instrument_blocked',
  'instrument_expired',
  'no_envelope',
  'envelope_suspended',
  'envelope_not_yet_valid',
  'envelope_expired',
  'merchant_not_approved',
  'merchant_not_allowed',
  'merchant_category_not_allowed',
  'merchant_location_unknown',
  'merchant_outside_zone',
  'day_not_allowed',
  'outside_allowed_hours',
  'amount_below_minimum',
  'item_detail_missing',
  'no_eligible_items',
  'items_partially_eligible',
  'group_cap_reached',
  'maximum_share_exceeded',
  'amount_above_maximum',
  'daily_cap_reached',
  'weekly_cap_reached',
  'monthly_cap_reached',
  'lifetime_cap_reached',
  'insufficient_balance',
  'partial_not_accepted',
];

/** Rank in `PAYMENT_REFUSAL_PRECEDENCE`: lower is more fundamental. */
export const PAYMENT_REFUSAL_RANK = Object.fromEntries(
  PAYMENT_REFUSAL_PRECEDENCE.map((code, rank) => [code, rank]),
) as Record<PaymentRefusalCode, number>;

/** One frozen object per code, shared by every decision instead of allocated per refusal. */
export const PAYMENT_REFUSAL_OBJECTS = Object.fromEntries(
  Object.entries(PAYMENT_REFUSALS).map(([code, message]) => [
    code,
    Object.freeze({ code, message }),
  ]),
) as Record<PaymentRefusalCode, PaymentRefusal>;
