import type pg from 'pg';
import type { RequestOrigin, TransferRequest, TransferResult } from './model.js';
import {
  accountMovements,
  findAccount,
  findAccounts,
  findAccountsByOwner,
  insertAccounts,
  type AccountMovement,
  type AccountRow,
  type NewAccount,
} from './store.js';
import { verifyLedger, type VerificationReport } from './verify.js';
import { LedgerWriter, type Companion, type WriterOptions } from './writer.js';

export type { Companion } from './writer.js';

/** What other domains may use of the ledger: they never touch its tables. */
export type Ledger = {
  createAccounts(accounts: NewAccount[]): Promise<AccountRow[]>;
  findAccount(accountId: number): Promise<AccountRow | undefined>;
  findAccounts(accountIds: number[]): Promise<AccountRow[]>;
  findAccountsByOwner(ownerType: string, ownerId: string): Promise<AccountRow[]>;
  movements(accountId: number, limit: number): Promise<AccountMovement[]>;
  submit(
    requests: TransferRequest[],
    origin?: RequestOrigin,
    companion?: Companion,
  ): Promise<TransferResult[]>;
  expireDuePendings(): Promise<number>;
  verify(): Promise<VerificationReport>;
  queueLength(): number;
  stop(): Promise<void>;
};

/**
 * Opens accounts inside the caller's transaction, so that a domain's rows and the accounts they
 * name exist together or not at all. Money still moves only through `Ledger.submit`.
 */
export function openAccountsWithin(
  client: pg.ClientBase,
  accounts: NewAccount[],
): Promise<AccountRow[]> {
  return insertAccounts(client, accounts);
}

export function createLedger(pool: pg.Pool, options: WriterOptions): Ledger {
  const writer = new LedgerWriter(pool, options);
  return {
    createAccounts: (accounts) => insertAccounts(pool, accounts),
    findAccount: (accountId) => findAccount(pool, accountId),
    findAccounts: (accountIds) => findAccounts(pool, accountIds),
    findAccountsByOwner: (ownerType, ownerId) => findAccountsByOwner(pool, ownerType, ownerId),
    movements: (accountId, limit) => accountMovements(pool, accountId, limit),
    submit: (requests, origin, companion) => writer.submit(requests, origin, companion),
    expireDuePendings: () => writer.expireDuePendings(),
    verify: () => verifyLedger(pool),
    queueLength: () => writer.queueLength,
    stop: () => writer.stop(),
  };
}
