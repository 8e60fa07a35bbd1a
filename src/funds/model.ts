import { MAX_TRANSFER_AMOUNT_CENTS } from '../ledger/limits.js';
import { isStorableText } from '../platform/text.js';

// Funds: what a valid fund is, and how an amount is shared among contributors. Pure.

/** A reservation moves every contributor's share in one transfer of two entries each (64 max). */
export const MAX_CONTRIBUTORS_PER_FUND = 16;
export const MAX_AXES_PER_FUND = 20;
export const MAX_FUND_NAME_LENGTH = 200;

export const FUND_REFUSALS = {
  name_invalid: 'Nom invalide : 1 à 200 caractères, sans caractère nul.',
  period_invalid: 'Période invalide : la fin doit suivre le début.',
  contributors_missing: `Un fonds a de 1 à ${MAX_CONTRIBUTORS_PER_FUND} contributeurs.`,
  contributor_duplicate: 'Un même contributeur apparaît deux fois.',
  amount_invalid:
    'Montant invalide : un nombre entier de centimes, positif, au plus 100 milliards d’euros.',
  axes_missing: `Un fonds a de 1 à ${MAX_AXES_PER_FUND} axes.`,
  axis_name_duplicate: 'Deux axes portent le même nom.',
  axes_exceed_commitments:
    'La somme des budgets des axes dépasse celle des engagements des contributeurs.',
  contributor_not_found:
    'Contributeur inconnu : l’organisation n’existe pas ou n’est pas un financeur.',
  commitment_exceeded: 'Ce versement dépasse ce qu’il reste de l’engagement du contributeur.',
  axis_budget_exceeded: 'Cette affectation dépasse le budget de l’axe.',
  funds_insufficient:
    'Le fonds ne détient pas cette somme : rien n’est affecté au-delà de ce qu’il a reçu.',
  idempotency_key_reused:
    'Cette clé d’idempotence a déjà servi pour une opération différente : choisissez-en une autre.',
  ledger_unavailable:
    'Le registre est surchargé : rien n’est enregistré, réessayez dans un instant.',
} as const;

export type FundRefusal = keyof typeof FUND_REFUSALS;

export type FundRequest = {
  name: string;
  startsOn: string;
  endsOn: string;
  contributors: { organisationId: number; committedCents: number }[];
  axes: { name: string; budgetCents: number }[];
};

export function isValidAmount(amountCents: number): boolean {
  return (
    Number.isSafeInteger(amountCents) && amountCents > 0 && amountCents <= MAX_TRANSFER_AMOUNT_CENTS
  );
}

function hasDuplicates<T>(values: T[]): boolean {
  return new Set(values).size !== values.length;
}

/** The checks of the request alone, in a fixed order; the organisations are the store's to check. */
export function validateFund(request: FundRequest): FundRefusal | undefined {
  const name = request.name.trim();
  if (name.length === 0 || name.length > MAX_FUND_NAME_LENGTH || !isStorableText(name)) {
    return 'name_invalid';
  }
  if (!(request.endsOn >= request.startsOn)) return 'period_invalid';
  const { contributors, axes } = request;
  if (contributors.length === 0 || contributors.length > MAX_CONTRIBUTORS_PER_FUND) {
    return 'contributors_missing';
  }
  if (hasDuplicates(contributors.map((contributor) => contributor.organisationId))) {
    return 'contributor_duplicate';
  }
  if (axes.length === 0 || axes.length > MAX_AXES_PER_FUND) return 'axes_missing';
  if (hasDuplicates(axes.map((axis) => axis.name.trim().toLowerCase()))) {
    return 'axis_name_duplicate';
  }
  const amounts = [...contributors.map((c) => c.committedCents), ...axes.map((a) => a.budgetCents)];
  if (!amounts.every(isValidAmount)) return 'amount_invalid';
  const committed = contributors.reduce(
    (total, contributor) => total + contributor.committedCents,
    0,
  );
  const budgeted = axes.reduce((total, axis) => total + axis.budgetCents, 0);
  if (budgeted > committed) return 'axes_exceed_commitments';
  return undefined;
}

export type Share<Key> = { key: Key; amountCents: number };

/**
 * Shares `totalCents` among holders in proportion to what each holds (largest remainder, ties
 * to the first listed), never taking from anyone more than they hold. Undefined when the
 * holders together hold less than the total.
 */
export function splitProRata<Key>(
  totalCents: number,
  holders: readonly { key: Key; availableCents: number }[],
): Share<Key>[] | undefined {
  const held = holders.reduce((total, holder) => total + holder.availableCents, 0);
  if (!Number.isSafeInteger(totalCents) || totalCents < 0 || held < totalCents) return undefined;
  if (totalCents === 0) return holders.map((holder) => ({ key: holder.key, amountCents: 0 }));
  const exact = holders.map((holder) => {
    // BigInt: total × available can pass 2^53 for funds of tens of millions of euros.
    const numerator = BigInt(totalCents) * BigInt(holder.availableCents);
    const floor = Number(numerator / BigInt(held));
    return { holder, floor, remainder: numerator % BigInt(held) };
  });
  let missing = totalCents - exact.reduce((total, share) => total + share.floor, 0);
  const order = exact
    .map((share, index) => ({ share, index }))
    .sort((left, right) =>
      left.share.remainder === right.share.remainder
        ? left.index - right.index
        : left.share.remainder > right.share.remainder
          ? -1
          : 1,
    );
  for (const { share } of order) {
    if (missing === 0) break;
    if (share.floor < share.holder.availableCents) {
      share.floor += 1;
      missing -= 1;
    }
  }
  return exact.map((share) => ({ key: share.holder.key, amountCents: share.floor }));
}
