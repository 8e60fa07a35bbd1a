import type pg from 'pg';
import type { Currency } from './limits.js';
import {
  assertInvariant,
  keysOf,
  type AccountState,
  type BatchDecision,
  type ChainHead,
  type EntryRequest,
  type LedgerSnapshot,
  type PendingResolution,
  type PendingState,
  type TransferRequest,
} from './model.js';

// SQL of the ledger domain, and only here. Queries are named so PostgreSQL keeps their plans.

export const ACCOUNT_KINDS = [
  'contributor',
  'fund_budget',
  'fund_axis',
  'programme_reserve',
  'beneficiary_envelope',
  'merchant_payable',
  'settlement',
  'expired_returned',
  'platform_operator',
  'suspense',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type NewAccount = {
  kind: AccountKind;
  ownerType: string;
  ownerId: string;
  label?: string;
  currency: Currency;
  mayGoNegative: boolean;
};

export type AccountRow = AccountState & {
  kind: AccountKind;
  ownerType: string;
  ownerId: string;
  label: string;
  createdAt: Date;
};

type AccountRecord = {
  id: number;
  kind: AccountKind;
  owner_type: string;
  owner_id: string;
  label: string;
  currency: Currency;
  may_go_negative: boolean;
  posted_cents: number;
  pending_debits_cents: number;
  pending_credits_cents: number;
  version: number;
  created_at: Date;
};

type BalanceRecord = Pick<
  AccountRecord,
  | 'id'
  | 'currency'
  | 'may_go_negative'
  | 'posted_cents'
  | 'pending_debits_cents'
  | 'pending_credits_cents'
  | 'version'
>;

function toAccountState(record: BalanceRecord): AccountState {
  return {
    id: record.id,
    currency: record.currency,
    mayGoNegative: record.may_go_negative,
    postedCents: record.posted_cents,
    pendingDebitsCents: record.pending_debits_cents,
    pendingCreditsCents: record.pending_credits_cents,
    version: record.version,
  };
}

function toAccountRow(record: AccountRecord): AccountRow {
  return {
    ...toAccountState(record),
    kind: record.kind,
    ownerType: record.owner_type,
    ownerId: record.owner_id,
    label: record.label,
    createdAt: record.created_at,
  };
}

export async function insertAccounts(
  pool: pg.Pool | pg.ClientBase,
  accounts: NewAccount[],
): Promise<AccountRow[]> {
  if (accounts.length === 0) return [];
  const result = await pool.query<AccountRecord>(
    `insert into ledger_accounts (kind, owner_type, owner_id, label, currency, may_go_negative)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])
     returning *`,
    [
      accounts.map((account) => account.kind),
      accounts.map((account) => account.ownerType),
      accounts.map((account) => account.ownerId),
      accounts.map((account) => account.label ?? ''),
      accounts.map((account) => account.currency),
      accounts.map((account) => account.mayGoNegative),
    ],
  );
  assertInvariant(result.rows.length === accounts.length, 'un compte créé par demande');
  return result.rows.map(toAccountRow);
}

export async function findAccount(
  pool: pg.Pool,
  accountId: number,
): Promise<AccountRow | undefined> {
  const result = await pool.query<AccountRecord>({
    name: 'ledger_find_account',
    text: 'select * from ledger_accounts where id = $1',
    values: [accountId],
  });
  const record = result.rows[0];
  return record === undefined ? undefined : toAccountRow(record);
}

/** Several accounts in one query, in no particular order; unknown ids are simply absent. */
export async function findAccounts(pool: pg.Pool, accountIds: number[]): Promise<AccountRow[]> {
  const result = await pool.query<AccountRecord>(
    'select * from ledger_accounts where id = any($1::bigint[])',
    [accountIds],
  );
  return result.rows.map(toAccountRow);
}

async function lockHead(client: pg.ClientBase): Promise<ChainHead> {
  const result = await client.query<{ sequence: number; chain_hash: string }>({
    name: 'ledger_lock_head',
    text: `select sequence, encode(chain_hash, 'hex') as chain_hash from ledger_chain_head for update`,
  });
  const row = result.rows[0];
  assertInvariant(row !== undefined, 'la tête de chaîne existe');
  return { sequence: row.sequence, chainHash: row.chain_hash };
}

type PendingRecord = {
  sequence: number;
  client_id: string;
  timeout_at_ms: number | null;
  resolution_phase: string | null;
  account_ids: number[];
  amounts: number[];
};

const RESOLUTION_OF_PHASE: Record<string, PendingResolution> = {
  post_pending: 'posted',
  void_pending: 'voided',
  expire_pending: 'expired',
};

async function readPendings(
  client: pg.ClientBase,
  pendingClientIds: string[],
): Promise<PendingState[]> {
  if (pendingClientIds.length === 0) return [];
  const result = await client.query<PendingRecord>({
    name: 'ledger_read_pendings',
    text: `select t.sequence, t.client_id,
                  (extract(epoch from t.timeout_at) * 1000)::bigint as timeout_at_ms,
                  r.phase as resolution_phase,
                  array_agg(e.account_id order by e.position) as account_ids,
                  array_agg(e.amount_cents order by e.position) as amounts
             from ledger_transfers t
             join ledger_entries e on e.transfer_sequence = t.sequence
             left join ledger_transfers r on r.pending_sequence = t.sequence
            where t.client_id = any($1::text[]) and t.phase = 'pending'
            group by t.sequence, r.phase`,
    values: [pendingClientIds],
  });
  return result.rows.map((row) => ({
    sequence: row.sequence,
    clientId: row.client_id,
    timeoutAtMs: row.timeout_at_ms,
    resolution:
      row.resolution_phase === null
        ? 'open'
        : (RESOLUTION_OF_PHASE[row.resolution_phase] as PendingResolution),
    entries: row.account_ids.map((accountId, index): EntryRequest => ({
      accountId: Number(accountId),
      amountCents: Number(row.amounts[index]),
    })),
  }));
}

async function readTransfers(
  client: pg.ClientBase,
  clientIds: string[],
): Promise<LedgerSnapshot['transfers']> {
  const result = await client.query<{ client_id: string; sequence: number; request_hash: string }>({
    name: 'ledger_read_transfers',
    text: `select client_id, sequence, encode(request_hash, 'hex') as request_hash
             from ledger_transfers where client_id = any($1::text[])`,
    values: [clientIds],
  });
  return new Map(
    result.rows.map((row) => [
      row.client_id,
      { clientId: row.client_id, sequence: row.sequence, requestHash: row.request_hash },
    ]),
  );
}

/**
 * No row locks here: every writer holds the chain head's lock for the whole batch, and the
 * write refuses any account whose version moved since this read. Locking the rows too would
 * only add a WAL record per account.
 */
async function readAccounts(
  client: pg.ClientBase,
  accountIds: number[],
): Promise<LedgerSnapshot['accounts']> {
  // Only the columns a decision needs: parsing dates and labels of thousands of rows per batch
  // would cost more than reading them.
  const result = await client.query<BalanceRecord>({
    name: 'ledger_read_accounts',
    text: `select id, currency, may_go_negative, posted_cents, pending_debits_cents, pending_credits_cents, version
             from ledger_accounts where id = any($1::bigint[])`,
    values: [accountIds],
  });
  return new Map(result.rows.map((record) => [record.id, toAccountState(record)]));
}

/**
 * Reads everything the batch's decisions depend on, under the chain head's row lock: every
 * writer of every process takes that one lock first and no other, so writers never deadlock.
 */
export async function loadForBatch(
  client: pg.ClientBase,
  requests: readonly TransferRequest[],
): Promise<{ head: ChainHead; snapshot: LedgerSnapshot }> {
  const keys = keysOf(requests);
  const head = await lockHead(client);
  const pendings = await readPendings(client, keys.pendingClientIds);
  const accountIds = new Set(keys.accountIds);
  for (const pending of pendings)
    for (const entry of pending.entries) accountIds.add(entry.accountId);
  const transfers = await readTransfers(client, keys.clientIds);
  const accounts = await readAccounts(client, [...accountIds]);
  return {
    head,
    snapshot: {
      accounts,
      transfers,
      pendings: new Map(pendings.map((pending) => [pending.clientId, pending])),
    },
  };
}

export async function applyDecision(
  client: pg.ClientBase,
  previousHead: ChainHead,
  decision: BatchDecision,
  originalVersions: Map<number, number>,
  createdAtMs: number,
): Promise<void> {
  if (decision.transfers.length === 0) return;
  const accounts = decision.accounts.map((account) => ({
    id: account.id,
    old_version: originalVersions.get(account.id),
    new_version: account.version,
    posted_cents: account.postedCents,
    pending_debits_cents: account.pendingDebitsCents,
    pending_credits_cents: account.pendingCreditsCents,
  }));
  const transfers = decision.transfers.map((transfer) => ({
    sequence: transfer.sequence,
    client_id: transfer.clientId,
    kind: transfer.kind,
    phase: transfer.phase,
    pending_sequence: transfer.pendingSequence,
    timeout_at_ms: transfer.timeoutAtMs,
    reference: transfer.reference,
    metadata: transfer.metadata,
    currency: transfer.currency,
    request_hash: transfer.requestHash,
    content_hash: transfer.contentHash,
    chain_hash: transfer.chainHash,
  }));
  const entries = decision.entries.map((entry) => ({
    transfer_sequence: entry.transferSequence,
    position: entry.position,
    account_id: entry.accountId,
    amount_cents: entry.amountCents,
    posted_before_cents: entry.postedBeforeCents,
    posted_after_cents: entry.postedAfterCents,
    pending_debits_after_cents: entry.pendingDebitsAfterCents,
    pending_credits_after_cents: entry.pendingCreditsAfterCents,
    account_version: entry.accountVersion,
  }));
  const openedPendings = decision.openedPendings.map((pending) => ({
    sequence: pending.sequence,
    client_id: pending.clientId,
    timeout_at_ms: pending.timeoutAtMs,
  }));
  await client.query({
    name: 'ledger_apply_batch',
    text: 'select ledger_apply_batch($1, $2, $3, $4, $5::json, $6::json, $7::json, $8::json, $9::bigint[])',
    values: [
      previousHead.sequence,
      decision.head.sequence,
      decision.head.chainHash,
      createdAtMs,
      JSON.stringify(accounts),
      JSON.stringify(transfers),
      JSON.stringify(entries),
      JSON.stringify(openedPendings),
      decision.resolvedPendingSequences,
    ],
  });
}

/** Pending transfers whose timeout has passed, oldest first, to be expired by the writer. */
export async function findExpiredPendings(
  pool: pg.Pool,
  nowMs: number,
  limit: number,
): Promise<string[]> {
  const result = await pool.query<{ client_id: string }>({
    name: 'ledger_find_expired_pendings',
    text: `select client_id from ledger_open_pendings
            where timeout_at <= ledger_epoch_ms($1) order by timeout_at limit $2`,
    values: [nowMs, limit],
  });
  return result.rows.map((row) => row.client_id);
}

export async function findAccountsByOwner(
  pool: pg.Pool,
  ownerType: string,
  ownerId: string,
): Promise<AccountRow[]> {
  const result = await pool.query<AccountRecord>(
    'select * from ledger_accounts where owner_type = $1 and owner_id = $2 order by id',
    [ownerType, ownerId],
  );
  return result.rows.map(toAccountRow);
}

export type AccountMovement = {
  sequence: number;
  kind: string;
  phase: string;
  amountCents: number;
  postedAfterCents: number;
  createdAt: Date;
};

/** The latest movements of one account, newest first: what its holder reads as its history. */
export async function accountMovements(
  pool: pg.Pool,
  accountId: number,
  limit: number,
): Promise<AccountMovement[]> {
  const result = await pool.query<AccountMovement>(
    `select t.sequence, t.kind, t.phase, e.amount_cents as "amountCents",
            e.posted_after_cents as "postedAfterCents", t.created_at as "createdAt"
       from ledger_entries e join ledger_transfers t on t.sequence = e.transfer_sequence
      where e.account_id = $1 order by e.transfer_sequence desc limit $2`,
    [accountId, limit],
  );
  return result.rows;
}
