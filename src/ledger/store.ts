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

function toAccountRow(record: AccountRecord): AccountRow {
  return {
    id: record.id,
    kind: record.kind,
    ownerType: record.owner_type,
    ownerId: record.owner_id,
    label: record.label,
    currency: record.currency,
    mayGoNegative: record.may_go_negative,
    postedCents: record.posted_cents,
    pendingDebitsCents: record.pending_debits_cents,
    pendingCreditsCents: record.pending_credits_cents,
    version: record.version,
    createdAt: record.created_at,
  };
}

export async function insertAccounts(pool: pg.Pool | pg.ClientBase, accounts: NewAccount[]): Promise<AccountRow[]> {
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

export async function findAccount(pool: pg.Pool, accountId: number): Promise<AccountRow | undefined> {
  const result = await pool.query<AccountRecord>({
    name: 'ledger_find_account',
    text: 'select * from ledger_accounts where id = $1',
    values: [accountId],
  });
  const record = result.rows[0];
  return record === undefined ? undefined : toAccountRow(record);
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

async function readPendings(client: pg.ClientBase, pendingClientIds: string[]): Promise<PendingState[]> {
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
    resolution: row.resolution_phase === null ? 'open' : (RESOLUTION_OF_PHASE[row.resolution_phase] as PendingResolution),
    entries: row.account_ids.map((accountId, index): EntryRequest => ({
      accountId: Number(accountId),
      amountCents: Number(row.amounts[index]),
    })),
  }));
}

async function readTransfers(client: pg.ClientBase, clientIds: string[]): Promise<LedgerSnapshot['transfers']> {
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

async function lockAccounts(client: pg.ClientBase, accountIds: number[]): Promise<LedgerSnapshot['accounts']> {
  const result = await client.query<AccountRecord>({
    name: 'ledger_lock_accounts',
    text: `select * from ledger_accounts where id = any($1::bigint[]) order by id for update`,
    values: [accountIds],
  });
  return new Map(result.rows.map((record) => [record.id, toAccountRow(record)]));
}

/**
 * Reads, under lock, everything the batch's decisions depend on. The chain head is locked
 * first by every writer, then accounts in ascending order: one global order, no deadlock.
 */
export async function loadForBatch(
  client: pg.ClientBase,
  requests: readonly TransferRequest[],
): Promise<{ head: ChainHead; snapshot: LedgerSnapshot }> {
  const keys = keysOf(requests);
  const head = await lockHead(client);
  const pendings = await readPendings(client, keys.pendingClientIds);
  const accountIds = new Set(keys.accountIds);
  for (const pending of pendings) for (const entry of pending.entries) accountIds.add(entry.accountId);
  const [transfers, accounts] = [
    await readTransfers(client, keys.clientIds),
    await lockAccounts(client, [...accountIds].sort((left, right) => left - right)),
  ];
  return {
    head,
    snapshot: { accounts, transfers, pendings: new Map(pendings.map((pending) => [pending.clientId, pending])) },
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
  const { accounts, transfers, entries } = decision;
  await client.query({
    name: 'ledger_apply_batch',
    text: `select ledger_apply_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
             $17::jsonb[], $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34,
             $35)`,
    values: [
      previousHead.sequence,
      decision.head.sequence,
      decision.head.chainHash,
      accounts.map((account) => account.id),
      accounts.map((account) => originalVersions.get(account.id)),
      accounts.map((account) => account.version),
      accounts.map((account) => account.postedCents),
      accounts.map((account) => account.pendingDebitsCents),
      accounts.map((account) => account.pendingCreditsCents),
      transfers.map((transfer) => transfer.sequence),
      transfers.map((transfer) => transfer.clientId),
      transfers.map((transfer) => transfer.kind),
      transfers.map((transfer) => transfer.phase),
      transfers.map((transfer) => transfer.pendingSequence),
      transfers.map((transfer) => transfer.timeoutAtMs),
      transfers.map((transfer) => transfer.reference),
      transfers.map((transfer) => JSON.stringify(transfer.metadata)),
      transfers.map((transfer) => transfer.currency),
      createdAtMs,
      transfers.map((transfer) => transfer.requestHash),
      transfers.map((transfer) => transfer.contentHash),
      transfers.map((transfer) => transfer.chainHash),
      entries.map((entry) => entry.transferSequence),
      entries.map((entry) => entry.position),
      entries.map((entry) => entry.accountId),
      entries.map((entry) => entry.amountCents),
      entries.map((entry) => entry.postedBeforeCents),
      entries.map((entry) => entry.postedAfterCents),
      entries.map((entry) => entry.pendingDebitsAfterCents),
      entries.map((entry) => entry.pendingCreditsAfterCents),
      entries.map((entry) => entry.accountVersion),
      decision.openedPendings.map((pending) => pending.sequence),
      decision.openedPendings.map((pending) => pending.clientId),
      decision.openedPendings.map((pending) => pending.timeoutAtMs),
      decision.resolvedPendingSequences,
    ],
  });
}

/** Pending transfers whose timeout has passed, oldest first, to be expired by the writer. */
export async function findExpiredPendings(pool: pg.Pool, nowMs: number, limit: number): Promise<string[]> {
  const result = await pool.query<{ client_id: string }>({
    name: 'ledger_find_expired_pendings',
    text: `select client_id from ledger_open_pendings
            where timeout_at <= ledger_epoch_ms($1) order by timeout_at limit $2`,
    values: [nowMs, limit],
  });
  return result.rows.map((row) => row.client_id);
}
