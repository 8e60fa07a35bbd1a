import type pg from 'pg';
import { createPool } from '../src/platform/database.js';
import { migrate } from '../src/platform/migrations.js';
import { createLedger, type Ledger } from '../src/ledger/service.js';
import { simpleTransfer, type TransferRequest, type TransferResult } from '../src/ledger/model.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { percentile, prepareBenchDatabase, round, type BenchDatabaseOptions } from './support.js';

// `flechage bench ledger`: every figure comes from one run on one server, so ratios between
// them hold even on a shared, noisy machine. Loops are bounded in count and time.

export type LedgerBenchOptions = BenchDatabaseOptions & { secondsPerStep: number };

const ACCOUNT_COUNT = 10_000;
const BATCH_SIZE = 1_000;
const BARE_ITEMS = 100_000;
const FUNDING_CENTS = 1_000_000_000;
const CLOSED_LOOP_IN_FLIGHT = 4 * BATCH_SIZE;
/** Latency budget that sizes the overload queue: at capacity C/s, C × 25 ms may wait. */
const OVERLOAD_QUEUE_BUDGET_SECONDS = 0.025;
const MIN_OVERLOAD_QUEUE = 100;

type Accounts = { contributor: number; envelopes: number[]; merchants: number[] };

function randomItem<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** The floor to compare with: the same row work without any ledger logic. */
async function measureBareLimit(pool: pg.Pool, accountIds: number[]): Promise<number> {
  await pool.query(`create table bench_bare_accounts (id bigint primary key, balance bigint not null);
    create table bench_bare_entries (id bigint generated always as identity primary key, account_id bigint not null,
      amount_cents bigint not null, balance_after bigint not null);
    create index on bench_bare_entries (account_id, id);`);
  await pool.query('insert into bench_bare_accounts select unnest($1::bigint[]), $2', [
    accountIds,
    FUNDING_CENTS,
  ]);
  const client = await pool.connect();
  const startedAt = performance.now();
  try {
    for (let done = 0; done < BARE_ITEMS; done += BATCH_SIZE) {
      const ids = Array.from({ length: BATCH_SIZE }, () => randomItem(accountIds));
      const amounts = ids.map(() => -(1 + Math.floor(Math.random() * 1000)));
      await client.query(
        `with moved as (
           update bench_bare_accounts a set balance = a.balance + d.total
             from (select id, sum(amount) as total from unnest($1::bigint[], $2::bigint[]) as m(id, amount) group by id) d
            where a.id = d.id returning a.id, a.balance)
         insert into bench_bare_entries (account_id, amount_cents, balance_after)
         select m.id, m.amount, moved.balance from unnest($1::bigint[], $2::bigint[]) as m(id, amount)
           join moved on moved.id = m.id`,
        [ids, amounts],
      );
    }
  } finally {
    client.release();
  }
  return BARE_ITEMS / ((performance.now() - startedAt) / 1000);
}

async function vacuum(pool: pg.Pool): Promise<void> {
  await pool.query(
    'vacuum (analyze) ledger_accounts, ledger_transfers, ledger_entries, ledger_open_pendings',
  );
}

async function createBenchAccounts(ledger: Ledger): Promise<Accounts> {
  const [contributor] = await ledger.createAccounts([
    {
      kind: 'contributor',
      ownerType: 'bench',
      ownerId: 'contributor',
      currency: 'EUR',
      mayGoNegative: true,
    },
  ]);
  const envelopes = await ledger.createAccounts(
    Array.from({ length: ACCOUNT_COUNT }, (_value, index) => ({
      kind: 'beneficiary_envelope' as const,
      ownerType: 'bench',
      ownerId: `envelope-${index}`,
      currency: 'EUR' as const,
      mayGoNegative: false,
    })),
  );
  const merchants = await ledger.createAccounts(
    Array.from({ length: ACCOUNT_COUNT / 10 }, (_value, index) => ({
      kind: 'merchant_payable' as const,
      ownerType: 'bench',
      ownerId: `merchant-${index}`,
      currency: 'EUR' as const,
      mayGoNegative: false,
    })),
  );
  const accounts = {
    contributor: (contributor as { id: number }).id,
    envelopes: envelopes.map((account) => account.id),
    merchants: merchants.map((account) => account.id),
  };
  const funding = accounts.envelopes.map((envelopeId) =>
    simpleTransfer(
      `fund-${envelopeId}`,
      'bench_funding',
      accounts.contributor,
      envelopeId,
      FUNDING_CENTS,
    ),
  );
  for (let start = 0; start < funding.length; start += BATCH_SIZE) {
    await ledger.submit(funding.slice(start, start + BATCH_SIZE));
  }
  return accounts;
}

type TransferFactory = () => TransferRequest;

function transferFactory(accounts: Accounts, label: string, hotMerchant: boolean): TransferFactory {
  let counter = 0;
  return () => {
    counter += 1;
    const merchant = hotMerchant
      ? (accounts.merchants[0] as number)
      : randomItem(accounts.merchants);
    const amountCents = 1 + Math.floor(Math.random() * 5000);
    return simpleTransfer(
      `${label}-${counter}`,
      'bench_payment',
      randomItem(accounts.envelopes),
      merchant,
      amountCents,
    );
  };
}

/** As fast as the ledger goes: a fixed number of requests always in flight. */
async function closedLoop(ledger: Ledger, next: TransferFactory, seconds: number): Promise<number> {
  const endAt = performance.now() + seconds * 1000;
  let completed = 0;
  const startedAt = performance.now();
  const worker = async () => {
    while (performance.now() < endAt) {
      const [result] = await ledger.submit([next()]);
      if (result?.code === 'created') completed += 1;
    }
  };
  await Promise.all(Array.from({ length: CLOSED_LOOP_IN_FLIGHT }, worker));
  return completed / ((performance.now() - startedAt) / 1000);
}

type OpenLoopResult = {
  acceptedLatenciesMs: number[];
  refusalLatenciesMs: number[];
  offered: number;
  other: number;
};

/**
 * Requests arrive on a fixed schedule whatever the answers; latency counts from the scheduled
 * arrival, so a stalled ledger cannot hide its queue (no coordinated omission).
 */
async function openLoop(
  ledger: Ledger,
  next: TransferFactory,
  ratePerSecond: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const result: OpenLoopResult = {
    acceptedLatenciesMs: [],
    refusalLatenciesMs: [],
    offered: 0,
    other: 0,
  };
  const total = Math.round(ratePerSecond * seconds);
  const startedAt = performance.now();
  const pending: Promise<void>[] = [];
  const record = (scheduledAt: number) => (results: TransferResult[]) => {
    const latencyMs = performance.now() - scheduledAt;
    const code = results[0]?.code;
    if (code === 'created') result.acceptedLatenciesMs.push(latencyMs);
    else if (code === 'overloaded') result.refusalLatenciesMs.push(latencyMs);
    else result.other += 1;
  };
  while (result.offered < total) {
    const elapsedMs = performance.now() - startedAt;
    const due = Math.min(total, Math.floor((elapsedMs / 1000) * ratePerSecond));
    while (result.offered < due) {
      const scheduledAt = startedAt + (result.offered / ratePerSecond) * 1000;
      pending.push(ledger.submit([next()]).then(record(scheduledAt)));
      result.offered += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  result.acceptedLatenciesMs.sort((left, right) => left - right);
  result.refusalLatenciesMs.sort((left, right) => left - right);
  return result;
}

export type LedgerBenchResult = Record<string, number | string | boolean>;

type Measurements = {
  bareLimitPerSecond: number;
  uniformPerSecond: number;
  hotPerSecond: number;
  at1000: OpenLoopResult;
  at5000: OpenLoopResult;
  overload: OpenLoopResult;
  overloadQueue: number;
};

const WRITER_OPTIONS = { maxBatchSize: BATCH_SIZE, maxQueueLength: 100_000, deadlineMs: 30_000 };

async function measure(pool: pg.Pool, options: LedgerBenchOptions): Promise<Measurements> {
  const seconds = options.secondsPerStep;
  const ledger = createLedger(pool, WRITER_OPTIONS);
  options.log(`Création de ${ACCOUNT_COUNT} enveloppes approvisionnées…`);
  const accounts = await createBenchAccounts(ledger);
  options.log(`Limite brute : ${BARE_ITEMS} débits + écritures en SQL groupé…`);
  const bareLimitPerSecond = await measureBareLimit(pool, accounts.envelopes);
  // Every step starts from a vacuumed database, so that the dead rows one step leaves behind
  // (and the autovacuum they would wake) do not weigh on the next one's figures.
  await vacuum(pool);
  options.log('Latence à 1 000/s offerts…');
  const at1000 = await openLoop(
    ledger,
    transferFactory(accounts, 'rate1000', false),
    1_000,
    seconds,
  );
  await vacuum(pool);
  options.log('Latence à 5 000/s offerts…');
  const at5000 = await openLoop(
    ledger,
    transferFactory(accounts, 'rate5000', false),
    5_000,
    seconds,
  );
  await vacuum(pool);
  options.log(`Débit soutenu du registre (${seconds} s)…`);
  const uniformPerSecond = await closedLoop(
    ledger,
    transferFactory(accounts, 'uniform', false),
    seconds,
  );
  await vacuum(pool);
  options.log('Compte chaud : tous les virements créditent le même commerçant…');
  const hotPerSecond = await closedLoop(ledger, transferFactory(accounts, 'hot', true), seconds);
  await vacuum(pool);
  await ledger.stop();
  const capacity = Math.max(uniformPerSecond, 1);
  const overloadQueue = Math.max(
    MIN_OVERLOAD_QUEUE,
    Math.round(capacity * OVERLOAD_QUEUE_BUDGET_SECONDS),
  );
  const overloadLedger = createLedger(pool, { ...WRITER_OPTIONS, maxQueueLength: overloadQueue });
  options.log(`Surcharge : ${Math.round(2 * capacity)}/s offerts, file bornée à ${overloadQueue}…`);
  const overload = await openLoop(
    overloadLedger,
    transferFactory(accounts, 'overload', false),
    2 * capacity,
    seconds,
  );
  await overloadLedger.stop();
  return {
    bareLimitPerSecond,
    uniformPerSecond,
    hotPerSecond,
    at1000,
    at5000,
    overload,
    overloadQueue,
  };
}

function summarise(measured: Measurements): LedgerBenchResult {
  const { at1000, at5000, overload } = measured;
  return {
    transfers_per_s: Math.round(measured.uniformPerSecond),
    bare_limit_per_s: Math.round(measured.bareLimitPerSecond),
    ratio_to_bare: round(measured.uniformPerSecond / measured.bareLimitPerSecond),
    p50_ms_at_1000: round(percentile(at1000.acceptedLatenciesMs, 0.5)),
    p99_ms_at_1000: round(percentile(at1000.acceptedLatenciesMs, 0.99)),
    p50_ms_at_5000: round(percentile(at5000.acceptedLatenciesMs, 0.5)),
    p99_ms_at_5000: round(percentile(at5000.acceptedLatenciesMs, 0.99)),
    refused_at_5000: at5000.refusalLatenciesMs.length + at5000.other,
    hot_transfers_per_s: Math.round(measured.hotPerSecond),
    hot_ratio: round(measured.hotPerSecond / measured.uniformPerSecond),
    overload_offered_per_s: Math.round(2 * measured.uniformPerSecond),
    overload_queue_limit: measured.overloadQueue,
    overload_accepted: overload.acceptedLatenciesMs.length,
    overload_refused: overload.refusalLatenciesMs.length,
    overload_accepted_p99_ms: round(percentile(overload.acceptedLatenciesMs, 0.99)),
    overload_refusal_p99_ms: round(percentile(overload.refusalLatenciesMs, 0.99)),
    batch_size: BATCH_SIZE,
    accounts: ACCOUNT_COUNT,
  };
}

export async function benchLedger(options: LedgerBenchOptions): Promise<LedgerBenchResult> {
  const benchStartedAt = performance.now();
  const { url, stop } = await prepareBenchDatabase(options, 'flechage_bench');
  const pool = createPool(url, 8);
  try {
    await migrate(pool);
    const measured = await measure(pool, options);
    options.log('Vérification du registre après la mesure…');
    const report = await verifyLedger(pool);
    return {
      ...summarise(measured),
      database: options.databaseUrl === undefined ? 'embedded' : 'DATABASE_URL',
      verify_violations: report.violations.length,
      ledger_transfers: report.transfers,
      seconds: round((performance.now() - benchStartedAt) / 1000, 1),
    };
  } finally {
    await pool.end();
    await stop();
  }
}
