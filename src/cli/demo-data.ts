import { simpleTransfer } from '../ledger/model.js';
import { isSuccess } from '../ledger/results.js';
import type { Ledger } from '../ledger/service.js';
import type { NewAccount } from '../ledger/store.js';

// A small, recognisable story for a first look: the State and a département fund a culture
// pass, three young people are credited, one pays a bookshop. Running it twice changes nothing.

const DEMO_OWNER_TYPE = 'demo';

const DEMO_ACCOUNTS = {
  etat: { kind: 'contributor', label: 'État — ministère de la Culture', mayGoNegative: true },
  departement: { kind: 'contributor', label: 'Département de la Gironde', mayGoNegative: true },
  reserve: {
    kind: 'programme_reserve',
    label: 'Réserve du pass culture Gironde',
    mayGoNegative: false,
  },
  camille: { kind: 'beneficiary_envelope', label: 'Enveloppe de Camille', mayGoNegative: false },
  yanis: { kind: 'beneficiary_envelope', label: 'Enveloppe de Yanis', mayGoNegative: false },
  lea: { kind: 'beneficiary_envelope', label: 'Enveloppe de Léa', mayGoNegative: false },
  librairie: {
    kind: 'merchant_payable',
    label: 'Librairie du centre — à payer',
    mayGoNegative: false,
  },
} as const satisfies Record<string, Pick<NewAccount, 'kind' | 'label' | 'mayGoNegative'>>;

type DemoAccount = keyof typeof DEMO_ACCOUNTS;

const DEMO_TRANSFERS: [
  clientId: string,
  kind: string,
  from: DemoAccount,
  to: DemoAccount,
  amountCents: number,
][] = [
  ['demo:contribution:etat', 'contribution', 'etat', 'reserve', 1_000_000_00],
  ['demo:contribution:departement', 'contribution', 'departement', 'reserve', 500_000_00],
  ['demo:credit:camille', 'envelope_credit', 'reserve', 'camille', 300_00],
  ['demo:credit:yanis', 'envelope_credit', 'reserve', 'yanis', 300_00],
  ['demo:credit:lea', 'envelope_credit', 'reserve', 'lea', 300_00],
  ['demo:payment:camille:librairie', 'payment', 'camille', 'librairie', 42_50],
];

export async function seedDemoData(ledger: Ledger): Promise<{ created: boolean }> {
  const existing = await ledger.findAccountsByOwner(DEMO_OWNER_TYPE, 'etat');
  if (existing.length > 0) return { created: false };
  const names = Object.keys(DEMO_ACCOUNTS) as DemoAccount[];
  const accounts = await ledger.createAccounts(
    names.map((name) => ({
      ...DEMO_ACCOUNTS[name],
      ownerType: DEMO_OWNER_TYPE,
      ownerId: name,
      currency: 'EUR',
    })),
  );
  const idOf = new Map(names.map((name, index) => [name, (accounts[index] as { id: number }).id]));
  const requests = DEMO_TRANSFERS.map(([clientId, kind, from, to, amountCents]) =>
    simpleTransfer(clientId, kind, idOf.get(from) as number, idOf.get(to) as number, amountCents),
  );
  const failed = (await ledger.submit(requests)).filter((result) => !isSuccess(result.code));
  if (failed.length > 0) {
    throw new Error(
      `Données de démonstration refusées : ${failed.map((result) => result.code).join(', ')}`,
    );
  }
  return { created: true };
}
