import type pg from 'pg';
import { chainHashOf, contentHashOf, GENESIS_CHAIN_HASH } from './hashing.js';
import type { Metadata, TransferPhase } from './model.js';
import type { Currency } from './limits.js';

// `flechage verify`: recomputes the ledger from its history and names every violation.

export type Violation = { check: string; detail: string };

export type VerificationReport = {
  transfers: number;
  entries: number;
  accounts: number;
  openPendings: number;
  violations: Violation[];
};

const MAX_VIOLATIONS_PER_CHECK = 20;
const CHAIN_PAGE_SIZE = 5_000;

type SqlCheck = { check: string; sql: string; describe: (row: Record<string, unknown>) => string };

const SQL_CHECKS: SqlCheck[] = [
  {
    check: 'transfer_not_balanced',
    sql: `select t.sequence, coalesce(sum(e.amount_cents), 0) as total, count(e.position) as entries
            from ledger_transfers t left join ledger_entries e on e.transfer_sequence = t.sequence
           group by t.sequence having coalesce(sum(e.amount_cents), 0) <> 0 or count(e.position) < 2`,
    describe: (row) => `virement ${row.sequence} : somme ${row.total}, ${row.entries} écritures`,
  },
  {
    // The entries table has no foreign keys (they cost a third of the write path): this is
    // where a reference to a missing transfer or account would show.
    check: 'orphan_entry',
    sql: `select e.transfer_sequence, e.position, e.account_id from ledger_entries e
           where not exists (select 1 from ledger_transfers t where t.sequence = e.transfer_sequence)
              or not exists (select 1 from ledger_accounts a where a.id = e.account_id)`,
    describe: (row) =>
      `écriture ${row.transfer_sequence}/${row.position} : virement ou compte ${row.account_id} introuvable`,
  },
  {
    check: 'balance_mismatch',
    sql: `with resolved as (select pending_sequence from ledger_transfers where pending_sequence is not null),
          recomputed as (
            select e.account_id,
                   sum(e.amount_cents) filter (where t.phase in ('posted', 'post_pending')) as posted,
                   sum(-e.amount_cents) filter (where t.phase = 'pending' and e.amount_cents < 0
                       and t.sequence not in (select pending_sequence from resolved)) as pending_debits,
                   sum(e.amount_cents) filter (where t.phase = 'pending' and e.amount_cents > 0
                       and t.sequence not in (select pending_sequence from resolved)) as pending_credits,
                   count(*) as versions
              from ledger_entries e join ledger_transfers t on t.sequence = e.transfer_sequence
             group by e.account_id)
          select a.id, a.posted_cents, coalesce(r.posted, 0) as posted, a.pending_debits_cents,
                 coalesce(r.pending_debits, 0) as pending_debits, a.pending_credits_cents,
                 coalesce(r.pending_credits, 0) as pending_credits, a.version, coalesce(r.versions, 0) as versions
            from ledger_accounts a left join recomputed r on r.account_id = a.id
           where a.posted_cents <> coalesce(r.posted, 0)
              or a.pending_debits_cents <> coalesce(r.pending_debits, 0)
              or a.pending_credits_cents <> coalesce(r.pending_credits, 0)
              or a.version <> coalesce(r.versions, 0)`,
    describe: (row) =>
      `compte ${row.id} : comptabilisé ${row.posted_cents} (recalculé ${row.posted}), réservé au débit ` +
      `${row.pending_debits_cents} (${row.pending_debits}), au crédit ${row.pending_credits_cents} ` +
      `(${row.pending_credits}), version ${row.version} (${row.versions})`,
  },
  {
    check: 'negative_balance',
    sql: `select id, posted_cents - pending_debits_cents as available from ledger_accounts
           where not may_go_negative and posted_cents - pending_debits_cents < 0`,
    describe: (row) =>
      `compte ${row.id} : disponible ${row.available} alors qu'il ne peut être négatif`,
  },
  {
    check: 'entry_history_broken',
    sql: `select account_id, transfer_sequence from (
            select e.account_id, e.transfer_sequence, e.account_version, e.posted_before_cents,
                   e.posted_after_cents, e.amount_cents, t.phase,
                   lag(e.account_version) over history as previous_version,
                   lag(e.posted_after_cents) over history as previous_posted_after
              from ledger_entries e join ledger_transfers t on t.sequence = e.transfer_sequence
            window history as (partition by e.account_id order by e.transfer_sequence)) chained
           where account_version <> coalesce(previous_version, 0) + 1
              or posted_before_cents <> coalesce(previous_posted_after, 0)
              or posted_after_cents <> posted_before_cents
                   + case when phase in ('posted', 'post_pending') then amount_cents else 0 end`,
    describe: (row) =>
      `compte ${row.account_id}, virement ${row.transfer_sequence} : soldes avant/après incohérents`,
  },
  {
    check: 'open_pendings_mismatch',
    sql: `select coalesce(t.sequence, o.transfer_sequence) as sequence
            from (select sequence from ledger_transfers p where phase = 'pending'
                   and not exists (select 1 from ledger_transfers r where r.pending_sequence = p.sequence)) t
            full join ledger_open_pendings o on o.transfer_sequence = t.sequence
           where t.sequence is null or o.transfer_sequence is null`,
    describe: (row) => `réservation ${row.sequence} : état ouvert incohérent`,
  },
  {
    check: 'resolution_targets_non_pending',
    sql: `select r.sequence from ledger_transfers r join ledger_transfers p on p.sequence = r.pending_sequence
           where p.phase <> 'pending' or p.sequence >= r.sequence`,
    describe: (row) =>
      `virement ${row.sequence} : résout autre chose qu'une réservation antérieure`,
  },
];

async function runSqlChecks(pool: pg.Pool): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const sqlCheck of SQL_CHECKS) {
    const result = await pool.query(`${sqlCheck.sql} limit ${MAX_VIOLATIONS_PER_CHECK}`);
    for (const row of result.rows)
      violations.push({ check: sqlCheck.check, detail: sqlCheck.describe(row) });
  }
  return violations;
}

type ChainRow = {
  sequence: number;
  client_id: string;
  kind: string;
  phase: TransferPhase;
  pending_sequence: number | null;
  timeout_at_ms: number | null;
  reference: string | null;
  metadata: Metadata;
  currency: Currency;
  created_at_ms: number;
  request_hash: string;
  content_hash: string;
  chain_hash: string;
  account_ids: number[];
  amounts: number[];
};

function storedContentHash(row: ChainRow): string {
  return contentHashOf({
    clientId: row.client_id,
    kind: row.kind,
    phase: row.phase,
    pendingSequence: row.pending_sequence,
    timeoutAtMs: row.timeout_at_ms,
    reference: row.reference,
    metadata: row.metadata,
    currency: row.currency,
    createdAtMs: row.created_at_ms,
    requestHash: row.request_hash,
    entries: row.account_ids.map((accountId, index) => ({
      accountId: Number(accountId),
      amountCents: Number(row.amounts[index]),
    })),
  });
}

/** What is wrong with one link of the chain, given the link before it. */
function checkChainRow(row: ChainRow, previousHash: string, expectedSequence: number): Violation[] {
  const violations: Violation[] = [];
  if (row.sequence !== expectedSequence) {
    violations.push({ check: 'sequence_gap', detail: `virement ${expectedSequence} manquant` });
  }
  if (storedContentHash(row) !== row.content_hash) {
    violations.push({
      check: 'content_hash_mismatch',
      detail: `virement ${row.sequence} : contenu modifié`,
    });
  }
  if (chainHashOf(previousHash, row.sequence, row.content_hash) !== row.chain_hash) {
    violations.push({
      check: 'chain_hash_mismatch',
      detail: `virement ${row.sequence} : chaîne rompue`,
    });
  }
  return violations;
}

const CHAIN_PAGE_QUERY = `select t.sequence, t.client_id, t.kind, t.phase, t.pending_sequence,
       (extract(epoch from t.timeout_at) * 1000)::bigint as timeout_at_ms, t.reference, t.metadata,
       t.currency, (extract(epoch from t.created_at) * 1000)::bigint as created_at_ms,
       encode(t.request_hash, 'hex') as request_hash, encode(t.content_hash, 'hex') as content_hash,
       encode(t.chain_hash, 'hex') as chain_hash,
       array(select account_id from ledger_entries e where e.transfer_sequence = t.sequence order by position) as account_ids,
       array(select amount_cents from ledger_entries e where e.transfer_sequence = t.sequence order by position) as amounts
  from ledger_transfers t where t.sequence >= $1 order by t.sequence limit $2`;

async function checkChainHead(
  pool: pg.Pool,
  lastSequence: number,
  lastHash: string,
): Promise<Violation[]> {
  const head = await pool.query<{ sequence: number; chain_hash: string }>(
    `select sequence, encode(chain_hash, 'hex') as chain_hash from ledger_chain_head`,
  );
  const row = head.rows[0];
  if (row !== undefined && row.sequence === lastSequence && row.chain_hash === lastHash) return [];
  return [
    {
      check: 'chain_head_mismatch',
      detail: 'la tête de chaîne ne correspond pas au dernier virement',
    },
  ];
}

/** Walks the hash chain page by page, recomputing each transfer's hashes from its rows. */
async function verifyChain(
  pool: pg.Pool,
  onProgress: (done: number) => void,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  let previousHash = GENESIS_CHAIN_HASH;
  let expectedSequence = 1;
  for (;;) {
    const page = await pool.query<ChainRow>(CHAIN_PAGE_QUERY, [expectedSequence, CHAIN_PAGE_SIZE]);
    for (const row of page.rows) {
      violations.push(...checkChainRow(row, previousHash, expectedSequence));
      if (violations.length >= MAX_VIOLATIONS_PER_CHECK) return violations;
      previousHash = row.chain_hash;
      expectedSequence = row.sequence + 1;
    }
    onProgress(expectedSequence - 1);
    if (page.rows.length < CHAIN_PAGE_SIZE) break;
  }
  return [...violations, ...(await checkChainHead(pool, expectedSequence - 1, previousHash))];
}

export async function verifyLedger(
  pool: pg.Pool,
  onProgress: (transfersChecked: number, transfersTotal: number) => void = () => undefined,
): Promise<VerificationReport> {
  const counts = await pool.query<{
    transfers: number;
    entries: number;
    accounts: number;
    open_pendings: number;
  }>(
    `select (select count(*) from ledger_transfers)::bigint as transfers,
            (select count(*) from ledger_entries)::bigint as entries,
            (select count(*) from ledger_accounts)::bigint as accounts,
            (select count(*) from ledger_open_pendings)::bigint as open_pendings`,
  );
  const totals = counts.rows[0] as {
    transfers: number;
    entries: number;
    accounts: number;
    open_pendings: number;
  };
  const chainViolations = await verifyChain(pool, (done) => onProgress(done, totals.transfers));
  const sqlViolations = await runSqlChecks(pool);
  return {
    transfers: totals.transfers,
    entries: totals.entries,
    accounts: totals.accounts,
    openPendings: totals.open_pendings,
    violations: [...chainViolations, ...sqlViolations],
  };
}
