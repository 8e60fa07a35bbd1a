// Why a payment is refused or only partly covered: a closed list of codes, each with the
// sentence the beneficiary and the merchant read. A blocking reason leaves nothing to pay; a
// limiting one only lowers what the envelope covers (the rest is paid another way).

export const USAGE_REFUSALS = {
  invalid_payment:
    'Paiement invalide : un montant entier strictement positif en centimes et des instants ISO 8601 avec fuseau sont attendus.',
  envelope_not_yet_valid: 'L’aide n’est pas encore utilisable à cette date.',
  envelope_expired: 'L’aide a expiré : sa période de validité est terminée.',
  merchant_not_allowed: 'Ce commerce ne figure pas parmi les commerces où l’aide est utilisable.',
  merchant_category_not_allowed:
    'L’activité de ce commerce ne fait pas partie des catégories où l’aide est utilisable.',
  merchant_outside_zone: 'Ce commerce est situé hors de la zone où l’aide est utilisable.',
  merchant_location_unknown:
    'La localisation de ce commerce est inconnue : la zone où l’aide est utilisable ne peut pas être vérifiée.',
  day_not_allowed: 'L’aide n’est pas utilisable ce jour de la semaine.',
  outside_allowed_hours: 'L’aide n’est pas utilisable à cette heure.',
  amount_below_minimum: 'Le montant du paiement est inférieur au minimum accepté par l’aide.',
  item_detail_missing:
    'Le détail des articles du panier est nécessaire pour payer avec cette aide.',
  no_eligible_items: 'Aucun article du panier n’est couvert par l’aide.',
  items_partially_eligible:
    'Certains articles du panier ne sont pas couverts par l’aide : seuls les autres sont pris en charge.',
  maximum_share_exceeded: 'L’aide ne couvre qu’une part du montant de chaque achat.',
  amount_above_maximum: 'L’aide ne couvre un paiement que jusqu’à un montant maximal.',
  daily_cap_reached:
    'Plafond journalier de l’aide : seul le reste disponible aujourd’hui est couvert.',
  weekly_cap_reached:
    'Plafond hebdomadaire de l’aide : seul le reste disponible cette semaine est couvert.',
  monthly_cap_reached:
    'Plafond mensuel de l’aide : seul le reste disponible ce mois-ci est couvert.',
  lifetime_cap_reached:
    'Plafond total de l’aide : seul le reste disponible sur toute sa durée est couvert.',
  group_cap_reached:
    'Plafond de l’aide pour cette catégorie d’achats : seul le reste disponible est couvert.',
  insufficient_balance: 'Le solde de l’aide ne suffit pas à couvrir tout le paiement.',
} as const;

export type UsageRefusalCode = keyof typeof USAGE_REFUSALS;

/** Blocking reasons leave 0 to cover; limiting ones lower the amount covered, maybe to 0. */
export const USAGE_REFUSAL_EFFECTS: Record<UsageRefusalCode, 'blocking' | 'limiting'> = {
  invalid_payment: 'blocking',
  envelope_not_yet_valid: 'blocking',
  envelope_expired: 'blocking',
  merchant_not_allowed: 'blocking',
  merchant_category_not_allowed: 'blocking',
  merchant_outside_zone: 'blocking',
  merchant_location_unknown: 'blocking',
  day_not_allowed: 'blocking',
  outside_allowed_hours: 'blocking',
  amount_below_minimum: 'blocking',
  item_detail_missing: 'blocking',
  no_eligible_items: 'blocking',
  items_partially_eligible: 'limiting',
  maximum_share_exceeded: 'limiting',
  amount_above_maximum: 'limiting',
  daily_cap_reached: 'limiting',
  weekly_cap_reached: 'limiting',
  monthly_cap_reached: 'limiting',
  lifetime_cap_reached: 'limiting',
  group_cap_reached: 'limiting',
  insufficient_balance: 'limiting',
};

export type UsageRefusal = { code: UsageRefusalCode; message: string };

/** One frozen object per code: a decision shares them instead of allocating its own. */
export const REFUSAL_OBJECTS = Object.fromEntries(
  Object.entries(USAGE_REFUSALS).map(([code, message]) => [code, Object.freeze({ code, message })]),
) as Record<UsageRefusalCode, UsageRefusal>;
