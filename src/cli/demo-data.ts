import type { Ledger } from '../ledger/service.js';
import type { TransferRequest } from '../ledger/model.js';
import { isSuccess } from '../ledger/results.js';

const DEMO_OWNER_TYPE = 'demo';

/**
 * A small, recognisable story for a first look: the State and a département fund a culture
 * pass, three young people are credited, one pays a bookshop. Running it twice changes nothing.
 */
export async function seedDemoData(ledger: Ledger): Promise<{ created: boolean }> {
  const existing = await ledger.findAccountsByOwner(DEMO_OWNER_TYPE, 'etat');
  if (existing.length > 0) return { created: false };
  const [state, departement, reserve, camille, yanis, lea, librairie] = await ledger
    .createAccounts([
      {
        kind: 'contributor',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'etat',
        label: 'État — ministère de la Culture',
        currency: 'EUR',
        mayGoNegative: true,
      },
      {
        kind: 'contributor',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'departement-33',
        label: 'Département de la Gironde',
        currency: 'EUR',
        mayGoNegative: true,
      },
      {
        kind: 'programme_reserve',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'pass-culture-33',
        label: 'Réserve du pass culture Gironde',
        currency: 'EUR',
        mayGoNegative: false,
      },
      {
        kind: 'beneficiary_envelope',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'camille',
        label: 'Enveloppe de Camille',
        currency: 'EUR',
        mayGoNegative: false,
      },
      {
        kind: 'beneficiary_envelope',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'yanis',
        label: 'Enveloppe de Yanis',
        currency: 'EUR',
        mayGoNegative: false,
      },
      {
        kind: 'beneficiary_envelope',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'lea',
        label: 'Enveloppe de Léa',
        currency: 'EUR',
        mayGoNegative: false,
      },
      {
        kind: 'merchant_payable',
        ownerType: DEMO_OWNER_TYPE,
        ownerId: 'librairie-mollat',
        label: 'Librairie — à payer',
        currency: 'EUR',
        mayGoNegative: false,
      },
    ])
    .then((accounts) => accounts.map((account) => account.id));
  const move = (
    clientId: string,
    kind: string,
    from: number | undefined,
    to: number | undefined,
    amountCents: number,
  ): TransferRequest => ({
    clientId,
    kind,
    phase: 'posted',
    currency: 'EUR',
    entries: [
      { accountId: from as number, amountCents: -amountCents },
      { accountId: to as number, amountCents },
    ],
  });
  const results = await ledger.submit([
    move('demo:contribution:etat', 'contribution', state, reserve, 1_000_000_00),
    move('demo:contribution:departement', 'contribution', departement, reserve, 500_000_00),
    move('demo:credit:camille', 'envelope_credit', reserve, camille, 300_00),
    move('demo:credit:yanis', 'envelope_credit', reserve, yanis, 300_00),
    move('demo:credit:lea', 'envelope_credit', reserve, lea, 300_00),
    move('demo:payment:camille:librairie', 'payment', camille, librairie, 42_50),
  ]);
  const failed = results.filter((result) => !isSuccess(result.code));
  if (failed.length > 0)
    throw new Error(
      `Données de démonstration refusées : ${failed.map((result) => result.code).join(', ')}`,
    );
  return { created: true };
}
