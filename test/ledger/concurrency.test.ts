import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../src/ledger/service.js';
import type { EntryRequest, TransferRequest } from '../../src/ledger/model.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  LOAD_APPLICATION_NAME,
  LOAD_DATABASE_URL_VARIABLE,
  type ConcurrencyConfig,
  type ConcurrencyReport,
  type LoadAccounts,
  type SharedPending,
} from '../support/ledger-load-process.js';

// Two OS processes, each with its own batching writer and its own connections, hammer the same
// six accounts at once. The ledger must serialise them without deadlock, without lost update,
// without overdraft, and keep double entry and the hash chain intact.

/** Both processes must be done by then, or they are killed and the test fails (deadlock?). */
const RUN_LIMIT_MS = 40_000;
/** Each process stops by itself a little later, even if this test runner died. */
const CHILD_SELF_LIMIT_SECONDS = 50;
const OPERATIONS_PER_PROCESS = 2_500;
const SHARED_TRANSFERS = 150;
const SHARED_PENDINGS = 40;

type LoadProcess = {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<string>;
};

function startLoadProcess(databaseUrl: string, config: ConcurrencyConfig): LoadProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/support/ledger-load-process.ts',
      '--mode',
      'concurrency',
      '--config',
      JSON.stringify(config),
    ],
    {
      env: { ...process.env, [LOAD_DATABASE_URL_VARIABLE]: databaseUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLine: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(predicate);
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no expected line from pid ${child.pid} within ${timeoutMs} ms: ${stderr.join('')}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}

function kill(load: LoadProcess): void {
  if (
    load.child.exitCode === null &&
    load.child.signalCode === null &&
    load.child.pid !== undefined
  ) {
    process.kill(load.child.pid, 'SIGKILL');
  }
}

let database: TestDatabase;
let ledger: Ledger;
let accounts: LoadAccounts;
const running: LoadProcess[] = [];
/** What the test itself wrote before the processes started. */
const seeded = { created: [] as [string, number][], postedByAccount: new Map<number, number>() };
const sharedPendings: SharedPending[] = [];

function move(from: number, to: number, amountCents: number): EntryRequest[] {
  return [
    { accountId: from, amountCents: -amountCents },
    { accountId: to, amountCents },
  ];
}

async function seed(requests: TransferRequest[]): Promise<void> {
  const results = await ledger.submit(requests);
  results.forEach((result, index) => {
    const request = requests[index] as TransferRequest;
    expect(result.code, request.clientId).toBe('created');
    seeded.created.push([request.clientId, result.sequence as number]);
    if (request.phase !== 'posted') return;
    for (const entry of request.entries ?? []) {
      seeded.postedByAccount.set(
        entry.accountId,
        (seeded.postedByAccount.get(entry.accountId) ?? 0) + entry.amountCents,
      );
    }
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  ledger = createLedger(database.pool, {
    maxBatchSize: 100,
    maxQueueLength: 1_000,
    deadlineMs: 10_000,
  });
  const envelope = (ownerId: string) =>
    ({
      kind: 'beneficiary_envelope',
      ownerType: 'attribution',
      ownerId,
      currency: 'EUR',
      mayGoNegative: false,
    }) as const;
  const merchant = (ownerId: string) =>
    ({
      kind: 'merchant_payable',
      ownerType: 'merchant',
      ownerId,
      currency: 'EUR',
      mayGoNegative: false,
    }) as const;
  const rows = await ledger.createAccounts([
    {
      kind: 'contributor',
      ownerType: 'organisation',
      ownerId: 'etat',
      currency: 'EUR',
      mayGoNegative: true,
    },
    envelope('1'),
    envelope('2'),
    envelope('3'),
    merchant('boulangerie'),
    merchant('librairie'),
  ]);
  const ids = rows.map((row) => row.id);
  accounts = {
    contributor: ids[0] as number,
    envelopes: ids.slice(1, 4),
    merchants: ids.slice(4, 6),
  };
  // Initial funds, then pending transfers that both processes will race to resolve.
  await seed(
    accounts.envelopes.map((envelopeId, index) => ({
      clientId: `seed-fund-${index}`,
      kind: 'load_test',
      phase: 'posted',
      currency: 'EUR',
      entries: move(accounts.contributor, envelopeId, 40_000),
    })),
  );
  for (let index = 0; index < SHARED_PENDINGS; index += 1) {
    const entries = move(
      accounts.envelopes[index % 3] as number,
      accounts.merchants[index % 2] as number,
      100 + index * 7,
    );
    sharedPendings.push({ clientId: `seed-hold-${index}`, entries });
  }
  await seed(
    sharedPendings.map((pending) => ({
      clientId: pending.clientId,
      kind: 'load_test',
      phase: 'pending',
      currency: 'EUR',
      entries: pending.entries,
      timeoutSeconds: 3_600,
    })),
  );
});

afterAll(async () => {
  for (const load of running) kill(load);
  await ledger?.stop();
  await database?.drop();
});

describe('registre : deux processus rédacteurs sur les mêmes comptes', () => {
  it(
    'sérialise sans interblocage, sans découvert et sans mise à jour perdue',
    async () => {
      const config = (
        prefix: string,
        seedValue: number,
        action: 'post' | 'void',
      ): ConcurrencyConfig => ({
        accounts,
        prefix,
        seed: seedValue,
        operations: OPERATIONS_PER_PROCESS,
        concurrency: 24,
        maxBatchSize: 64,
        maxSeconds: CHILD_SELF_LIMIT_SECONDS,
        sharedTransfers: SHARED_TRANSFERS,
        sharedPendings,
        sharedPendingAction: action,
      });
      const startedAt = performance.now();
      const loads = [
        startLoadProcess(database.url, config('a', 1, 'post')),
        startLoadProcess(database.url, config('b', 2, 'void')),
      ];
      running.push(...loads);
      await Promise.all(loads.map((load) => load.waitForLine((line) => line === 'ready', 20_000)));
      for (const load of loads) load.child.stdin!.write('go\n');

      // Bounded wait: a deadlock (or any hang) fails here rather than at the runner's timeout.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), RUN_LIMIT_MS);
      });
      const outcome = await Promise.race([Promise.all(loads.map((load) => load.exited)), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        const waits = await database.pool.query(
          `select pid, state, wait_event_type, wait_event, left(query, 80) as query from pg_stat_activity
            where application_name = $1`,
          [LOAD_APPLICATION_NAME],
        );
        for (const load of loads) kill(load);
        throw new Error(
          `processes still running after ${RUN_LIMIT_MS} ms (deadlock?): ${JSON.stringify(waits.rows)}\n` +
            loads.map((load) => load.stderr.join('')).join('\n'),
        );
      }
      const runMs = Math.round(performance.now() - startedAt);
      outcome.forEach((exit, index) => {
        expect(exit, (loads[index] as LoadProcess).stderr.join('')).toEqual({
          code: 0,
          signal: null,
        });
      });
      const [a, b] = loads.map((load) =>
        JSON.parse(load.lines[load.lines.length - 1] as string),
      ) as [ConcurrencyReport, ConcurrencyReport];
      const reports = [a, b];
      console.log(
        `[concurrency] ${runMs} ms; ` +
          reports
            .map(
              (report) =>
                `${report.prefix}: ${report.requests} requests in ${report.batches} batches ` +
                `(${(report.batchedRequests / Math.max(report.batches, 1)).toFixed(1)}/batch), ` +
                `${report.elapsedMs} ms, codes ${JSON.stringify(report.codes)}`,
            )
            .join('; '),
      );

      for (const report of reports) {
        // Nothing failed in the database, no chain was half applied, retries found their original.
        expect(report.errors).toEqual([]);
        expect(report.brokenChains).toEqual([]);
        expect(report.retries.mismatched).toEqual([]);
        expect(report.retries.matched).toBeGreaterThan(0);
        // The contention was real: both were refused overdrafts, both had chains fail, and
        // both writers formed real batches.
        expect(report.codes.insufficient_funds ?? 0).toBeGreaterThan(50);
        expect(report.codes.linked_event_failed ?? 0).toBeGreaterThan(0);
        expect(report.codes.created ?? 0).toBeGreaterThan(500);
        expect(report.batchedRequests / report.batches).toBeGreaterThan(2);
        const unexpected = Object.keys(report.codes).filter(
          (code) =>
            ![
              'created',
              'already_exists',
              'insufficient_funds',
              'linked_event_failed',
              'pending_already_posted',
              'pending_already_voided',
            ].includes(code),
        );
        expect(unexpected).toEqual([]);
      }

      // Every acknowledged creation is in the database under its sequence, and nothing else is.
      const allCreated = [...seeded.created, ...a.created, ...b.created];
      const stored = await database.pool.query<{ client_id: string; sequence: number }>(
        'select client_id, sequence from ledger_transfers order by sequence',
      );
      expect(stored.rows.length).toBe(allCreated.length);
      const storedSequence = new Map(stored.rows.map((row) => [row.client_id, row.sequence]));
      const wrongSequence = allCreated.filter(
        ([clientId, sequence]) => storedSequence.get(clientId) !== sequence,
      );
      expect(wrongSequence).toEqual([]);
      expect(stored.rows.map((row) => row.sequence)).toEqual(
        stored.rows.map((_row, index) => index + 1),
      );

      // The two processes really interleaved in the chain, rather than running one after the other.
      const owner = new Map<number, string>();
      for (const [, sequence] of a.created) owner.set(sequence, 'a');
      for (const [, sequence] of b.created) owner.set(sequence, 'b');
      let switches = 0;
      let previous: string | undefined;
      for (const row of stored.rows) {
        const current = owner.get(row.sequence);
        if (current === undefined) continue;
        if (previous !== undefined && current !== previous) switches += 1;
        previous = current;
      }
      console.log(
        `[concurrency] ${stored.rows.length} transfers, ${switches} switches between the processes`,
      );
      expect(switches).toBeGreaterThan(20);

      // Identical transfers sent by both: created once, the other sees the same sequence.
      for (let index = 0; index < SHARED_TRANSFERS; index += 1) {
        const clientId = `shared-${index}`;
        const results = [a.sharedTransfers[clientId], b.sharedTransfers[clientId]];
        const codes = results.map((result) => result?.code).sort();
        expect(codes, clientId).toEqual(['already_exists', 'created']);
        expect(results[0]?.sequence, clientId).toBe(results[1]?.sequence);
      }
      // Pending transfers that one process posts while the other voids them: exactly one wins.
      for (const pending of sharedPendings) {
        const posted = a.sharedPendings[pending.clientId]?.code;
        const voided = b.sharedPendings[pending.clientId]?.code;
        const outcome = [posted, voided];
        expect(
          [
            ['created', 'pending_already_posted'],
            ['pending_already_voided', 'created'],
          ],
          `${pending.clientId}: ${outcome.join(' / ')}`,
        ).toContainEqual(outcome);
      }

      // The ledger recomputes clean: balances, versions, entry history, hash chain.
      const report = await ledger.verify();
      expect(report.violations).toEqual([]);
      expect(report.openPendings).toBe(0);

      const balances = await database.pool.query<{
        id: number;
        may_go_negative: boolean;
        posted_cents: number;
        pending_debits_cents: number;
        pending_credits_cents: number;
      }>(
        'select id, may_go_negative, posted_cents, pending_debits_cents, pending_credits_cents from ledger_accounts',
      );
      expect(balances.rows.length).toBe(6);
      let total = 0;
      for (const account of balances.rows) {
        total += account.posted_cents;
        if (!account.may_go_negative)
          expect(account.posted_cents - account.pending_debits_cents).toBeGreaterThanOrEqual(0);
        // Every pending was resolved, so nothing stays reserved.
        expect(account.pending_debits_cents, `account ${account.id}`).toBe(0);
        expect(account.pending_credits_cents, `account ${account.id}`).toBe(0);
        // No lost update: the balance is exactly what the acknowledged transfers add up to.
        const expected =
          (seeded.postedByAccount.get(account.id) ?? 0) +
          (a.postedByAccount[String(account.id)] ?? 0) +
          (b.postedByAccount[String(account.id)] ?? 0);
        expect(account.posted_cents, `account ${account.id}`).toBe(expected);
      }
      expect(total).toBe(0);
      console.log(
        `[concurrency] balances ${JSON.stringify(balances.rows.map((row) => [row.id, row.posted_cents]))}`,
      );
    },
    RUN_LIMIT_MS + 30_000,
  );
});
