import { createLedger, type Ledger } from '../../src/ledger/service.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** The smallest story that moves money: a contributor, an envelope, a merchant. */
export type LedgerFixture = {
  database: TestDatabase;
  ledger: Ledger;
  contributorId: number;
  envelopeId: number;
  merchantId: number;
  close(): Promise<void>;
};

export async function openLedgerFixture(): Promise<LedgerFixture> {
  const database = await createTestDatabase();
  const ledger = createLedger(database.pool, {
    maxBatchSize: 100,
    maxQueueLength: 1_000,
    deadlineMs: 5_000,
  });
  const accounts = await ledger.createAccounts([
    {
      kind: 'contributor',
      ownerType: 'organisation',
      ownerId: 'etat',
      currency: 'EUR',
      mayGoNegative: true,
    },
    {
      kind: 'beneficiary_envelope',
      ownerType: 'attribution',
      ownerId: '1',
      currency: 'EUR',
      mayGoNegative: false,
    },
    {
      kind: 'merchant_payable',
      ownerType: 'merchant',
      ownerId: 'librairie',
      currency: 'EUR',
      mayGoNegative: false,
    },
  ]);
  const [contributorId, envelopeId, merchantId] = accounts.map((account) => account.id) as [
    number,
    number,
    number,
  ];
  return {
    database,
    ledger,
    contributorId,
    envelopeId,
    merchantId,
    async close() {
      await ledger.stop();
      await database.drop();
    },
  };
}
