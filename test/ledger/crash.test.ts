import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../src/ledger/service.js';
import type { TransferRequest } from '../../src/ledger/model.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  LOAD_APPLICATION_NAME,
  LOAD_DATABASE_URL_VARIABLE,
  type CrashConfig,
  type LoadAccounts,
} from '../support/ledger-load-process.js';

// The application crashes under load: a child process writing through its batching writer is
// killed with SIGKILL in the middle of its work (it has no chance to finish a batch, roll back
// or release anything). What it acknowledged must be in the ledger exactly as acknowledged,
// nothing may be half written, and a new writer must continue the chain from its head.
//
// Only the application process is killed here: the PostgreSQL server is run by the vitest
// global setup (test/support/global-setup.ts, with fsync and synchronous_commit off) and keeps
// running, so this tests the crash of a ledger writer, not a crash of the database server or of
// the machine (which would need a durable cluster and killing the server itself).
//
// Rounds 2 and 3 are new processes writing after the previous one was killed; at the end a
// writer in this process continues too: each must continue the chain from its head.

const ROUNDS = [
  { prefix: 'crash1', killAfterAcks: 400 },
  { prefix: 'crash2', killAfterAcks: 650 },
  { prefix: 'crash3', killAfterAcks: 900 },
];
/** A child that has not acknowledged enough by then is killed and the test fails. */
const ROUND_LIMIT_MS = 20_000;
const CHILD_SELF_LIMIT_SECONDS = 45;

type RoundOutcome = {
  acks: Map<string, number>;
  refused: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
  acksAtKill: number;
};

let database: TestDatabase;
let ledger: Ledger;
let accounts: LoadAccounts;
const children: number[] = [];

/** Runs one child under load and kills it with SIGKILL once it acknowledged `killAfterAcks`. */
async function runAndKill(config: CrashConfig, killAfterAcks: number): Promise<RoundOutcome> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/support/ledger-load-process.ts',
      '--mode',
      'crash',
      '--config',
      JSON.stringify(config),
    ],
    {
      env: { ...process.env, [LOAD_DATABASE_URL_VARIABLE]: database.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid as number;
  children.push(pid);
  const acks = new Map<string, number>();
  const refused: string[] = [];
  let stderr = '';
  let acksAtKill = -1;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const limit = setTimeout(() => process.kill(pid, 'SIGKILL'), ROUND_LIMIT_MS);
  // Lines still in the pipe after the kill were written before it: they are acknowledgements too.
  const stdoutClosed = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout })
      .on('line', (line) => {
        const ack = /^ack (\S+) (\d+)$/.exec(line);
        if (ack !== null) {
          acks.set(ack[1] as string, Number(ack[2]));
          if (acksAtKill === -1 && acks.size >= killAfterAcks) {
            acksAtKill = acks.size;
            process.kill(pid, 'SIGKILL');
          }
        } else if (line.startsWith('refused')) {
          refused.push(line);
        }
      })
      .on('close', resolve);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(limit);
  await stdoutClosed;
  return { acks, refused, signal, code, stderr, acksAtKill };
}

/** The server notices a dead client on its own; wait until the killed backends are gone. */
async function waitForDeadBackends(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await database.pool.query<{ count: number }>(
      `select count(*)::int as count from pg_stat_activity where datname = current_database() and application_name = $1`,
      [LOAD_APPLICATION_NAME],
    );
    if (result.rows[0]?.count === 0) return;
    if (Date.now() > deadline) throw new Error('the killed process still has backends after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rollbackCount(): Promise<number> {
  const result = await database.pool.query<{ rollbacks: number }>(
    'select xact_rollback::int as rollbacks from pg_stat_database where datname = current_database()',
  );
  return result.rows[0]?.rollbacks ?? 0;
}

async function expectNothingHalfWritten(): Promise<void> {
  // Also checked by verify(); asked directly here because it is the heart of this test.
  const unbalanced = await database.pool.query(
    `select t.sequence, count(e.position) as entries, coalesce(sum(e.amount_cents), 0) as total
       from ledger_transfers t left join ledger_entries e on e.transfer_sequence = t.sequence
      group by t.sequence having count(e.position) < 2 or coalesce(sum(e.amount_cents), 0) <> 0`,
  );
  expect(unbalanced.rows).toEqual([]);
  const report = await ledger.verify();
  expect(report.violations).toEqual([]);
  const head = await database.pool.query<{ sequence: number; transfers: number; maximum: number }>(
    `select h.sequence, (select count(*)::int from ledger_transfers) as transfers,
            (select coalesce(max(sequence), 0)::int from ledger_transfers) as maximum
       from ledger_chain_head h`,
  );
  const row = head.rows[0];
  expect(row?.sequence).toBe(row?.transfers);
  expect(row?.sequence).toBe(row?.maximum);
}

beforeAll(async () => {
  database = await createTestDatabase();
  ledger = createLedger(database.pool, {
    maxBatchSize: 100,
    maxQueueLength: 1_000,
    deadlineMs: 10_000,
  });
  const rows = await ledger.createAccounts([
    {
      kind: 'contributor',
      ownerType: 'organisation',
      ownerId: 'etat',
      currency: 'EUR',
      mayGoNegative: true,
    },
    ...['1', '2', '3'].map(
      (ownerId) =>
        ({
          kind: 'beneficiary_envelope',
          ownerType: 'attribution',
          ownerId,
          currency: 'EUR',
          mayGoNegative: false,
        }) as const,
    ),
    ...['boulangerie', 'librairie'].map(
      (ownerId) =>
        ({
          kind: 'merchant_payable',
          ownerType: 'merchant',
          ownerId,
          currency: 'EUR',
          mayGoNegative: false,
        }) as const,
    ),
  ]);
  const ids = rows.map((row) => row.id);
  accounts = {
    contributor: ids[0] as number,
    envelopes: ids.slice(1, 4),
    merchants: ids.slice(4, 6),
  };
});

afterAll(async () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as expected.
    }
  }
  await ledger?.stop();
  await database?.drop();
});

describe('registre : arrêt brutal du processus rédacteur', () => {
  it(
    'garde tout ce qui a été acquitté, rien à moitié, et la chaîne reprend à sa tête',
    async () => {
      for (const [index, round] of ROUNDS.entries()) {
        const startedAt = performance.now();
        const rollbacksBefore = await rollbackCount();
        const outcome = await runAndKill(
          {
            accounts,
            prefix: round.prefix,
            seed: index + 1,
            concurrency: 16,
            maxBatchSize: 64,
            maxSeconds: CHILD_SELF_LIMIT_SECONDS,
            maxTransfers: 1_000_000,
          },
          round.killAfterAcks,
        );
        // It was killed by us, under load, not stopped by itself or by an error.
        expect(outcome.acksAtKill, outcome.stderr).toBe(round.killAfterAcks);
        expect({ code: outcome.code, signal: outcome.signal }, outcome.stderr).toEqual({
          code: null,
          signal: 'SIGKILL',
        });
        expect(outcome.refused).toEqual([]);
        await waitForDeadBackends();

        // Every acknowledged transfer is stored under the acknowledged sequence.
        const stored = await database.pool.query<{
          client_id: string;
          sequence: number;
          phase: string;
        }>(
          `select client_id, sequence, phase from ledger_transfers where client_id like $1 order by sequence`,
          [`${round.prefix}-%`],
        );
        const storedSequence = new Map(stored.rows.map((row) => [row.client_id, row.sequence]));
        const missing = [...outcome.acks].filter(
          ([clientId, sequence]) => storedSequence.get(clientId) !== sequence,
        );
        expect(missing).toEqual([]);

        // Linked chains are whole or absent, acknowledged or not (a, a+b, or a+b(pending)+c).
        const phaseOf = new Map(stored.rows.map((row) => [row.client_id, row.phase]));
        const brokenChains: string[] = [];
        for (const clientId of phaseOf.keys()) {
          const chain = /^(.*)-([abc])$/.exec(clientId);
          if (chain === null) continue;
          const base = chain[1] as string;
          const has = (member: string): boolean => phaseOf.has(`${base}-${member}`);
          const whole =
            has('a') && has('b') && (phaseOf.get(`${base}-b`) !== 'pending' || has('c'));
          if (!whole) brokenChains.push(base);
        }
        expect(brokenChains).toEqual([]);

        await expectNothingHalfWritten();
        // Informative only: a transaction aborted by the kill shows as a rollback on the server.
        const rollbacks = (await rollbackCount()) - rollbacksBefore;
        console.log(
          `[crash] ${round.prefix}: killed after ${outcome.acksAtKill} acks (${outcome.acks.size} read in all), ` +
            `${stored.rows.length} transfers stored (${stored.rows.length - outcome.acks.size} committed ` +
            `but not acknowledged), ${rollbacks} transaction(s) rolled back by the server, ` +
            `${Math.round(performance.now() - startedAt)} ms`,
        );
      }

      // A new writer, in this process, continues the chain right from the head.
      const head = await database.pool.query<{ sequence: number }>(
        'select sequence from ledger_chain_head',
      );
      const headSequence = head.rows[0]?.sequence as number;
      const requests: TransferRequest[] = Array.from({ length: 60 }, (_unused, index) => ({
        clientId: `after-crash-${index}`,
        kind: 'load_test',
        phase: 'posted',
        currency: 'EUR',
        entries: [
          { accountId: accounts.contributor, amountCents: -(index + 1) },
          { accountId: accounts.envelopes[index % 3] as number, amountCents: index + 1 },
        ],
      }));
      const results = (
        await Promise.all(
          Array.from({ length: 6 }, (_unused, part) =>
            ledger.submit(requests.slice(part * 10, part * 10 + 10)),
          ),
        )
      ).flat();
      expect(results.map((result) => result.code)).toEqual(requests.map(() => 'created'));
      const sequences = results
        .map((result) => result.sequence as number)
        .sort((left, right) => left - right);
      expect(sequences).toEqual(requests.map((_request, index) => headSequence + 1 + index));
      await expectNothingHalfWritten();
    },
    ROUNDS.length * ROUND_LIMIT_MS + 20_000,
  );
});
