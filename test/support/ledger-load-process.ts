// A child process that loads the ledger through its own writer, for the concurrency and crash
// tests (test/ledger/*.test.ts). Run as:
//
//   FLECHAGE_LOAD_DATABASE_URL=postgres://… node --import tsx test/support/ledger-load-process.ts \
//     --mode concurrency|crash --config '<json>'
//
// It is bounded whatever happens to its parent: it stops by itself after `maxSeconds` and when
// its stdin closes (the test runner died), and in `concurrency` mode after `operations` steps.
//
// - concurrency: waits for a line "go" on stdin (so that both processes start together), runs
//   `operations` random operations with `concurrency` concurrent `submit` calls, resolves its
//   own pending transfers, then prints one JSON line (ConcurrencyReport) and exits 0.
// - crash: prints "ready", then submits valid transfers without end (each with a unique
//   clientId) and prints "ack <clientId> <sequence>" for each one acknowledged as created, as
//   soon as `submit` resolves. It is meant to be killed with SIGKILL; it also stops after
//   `maxTransfers` transfers or `maxSeconds`.

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPool } from '../../src/platform/database.js';
import { createLedger, type Ledger } from '../../src/ledger/service.js';
import { ledgerMetrics } from '../../src/ledger/metrics.js';
import type { EntryRequest, TransferRequest, TransferResult } from '../../src/ledger/model.js';

export const LOAD_DATABASE_URL_VARIABLE = 'FLECHAGE_LOAD_DATABASE_URL';
/** The children connect with this application_name, so the tests can see their backends. */
export const LOAD_APPLICATION_NAME = 'flechage_load_child';

export type LoadAccounts = {
  contributor: number;
  envelopes: number[];
  merchants: number[];
};

export type SharedPending = { clientId: string; entries: EntryRequest[] };

export type ConcurrencyConfig = {
  accounts: LoadAccounts;
  /** Prefix of this process's own clientIds: two processes never share one by accident. */
  prefix: string;
  seed: number;
  operations: number;
  concurrency: number;
  maxBatchSize: number;
  maxSeconds: number;
  /** Transfers `shared-<i>` that both processes submit with identical content. */
  sharedTransfers: number;
  /** Pending transfers made by the test that this process tries to resolve, racing the other. */
  sharedPendings: SharedPending[];
  sharedPendingAction: 'post' | 'void';
};

export type CrashConfig = {
  accounts: LoadAccounts;
  prefix: string;
  seed: number;
  concurrency: number;
  maxBatchSize: number;
  maxSeconds: number;
  maxTransfers: number;
};

export type ConcurrencyReport = {
  prefix: string;
  /** Result codes of every request submitted, counted. */
  codes: Record<string, number>;
  /** Every transfer this process got `created` for, with its sequence. */
  created: [clientId: string, sequence: number][];
  /** Per account id, the net posted amount of this process's created transfers. */
  postedByAccount: Record<string, number>;
  sharedTransfers: Record<string, TransferResult>;
  /** Per shared pending clientId, the result of this process's attempt to resolve it. */
  sharedPendings: Record<string, TransferResult>;
  retries: { matched: number; mismatched: string[] };
  /** Chains where the members' results disagree (some created, some not). */
  brokenChains: string[];
  /** Submit calls that rejected (a batch that failed in the database). */
  errors: string[];
  requests: number;
  /** Committed batches of this process's writer, and the requests they held. */
  batches: number;
  batchedRequests: number;
  elapsedMs: number;
};

// ---------------------------------------------------------------------------------------------

/** Small deterministic generator (mulberry32): the same seed replays the same operations. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function posted(clientId: string, entries: EntryRequest[], linked = false): TransferRequest {
  return {
    clientId,
    kind: 'load_test',
    phase: 'posted',
    currency: 'EUR',
    entries,
    ...(linked ? { linked } : {}),
  };
}

function move(from: number, to: number, amountCents: number): EntryRequest[] {
  return [
    { accountId: from, amountCents: -amountCents },
    { accountId: to, amountCents },
  ];
}

function sharedTransferRequest(accounts: LoadAccounts, index: number): TransferRequest {
  const envelope = accounts.envelopes[index % accounts.envelopes.length] as number;
  return posted(`shared-${index}`, move(accounts.contributor, envelope, 100 + index));
}

let stdinText = '';
const stdinListeners = new Set<() => void>();

function hardStop(maxSeconds: number): void {
  const timer = setTimeout(() => {
    process.stderr.write(`ledger-load-process: stopped after ${maxSeconds} s (time limit)\n`);
    process.exit(3);
  }, maxSeconds * 1000);
  timer.unref();
  // The parent holds the other end of stdin: when it dies, the pipe closes and so do we.
  process.stdin.on('data', (chunk: Buffer) => {
    stdinText += chunk.toString('utf8');
    for (const listener of stdinListeners) listener();
  });
  process.stdin.on('end', () => {
    process.stderr.write('ledger-load-process: stdin closed, stopping\n');
    process.exit(4);
  });
  // Reading stdin keeps the process alive; every mode ends with process.exit.
  process.stdin.resume();
}

function openLedger(maxBatchSize: number): { ledger: Ledger; close: () => Promise<void> } {
  const url = process.env[LOAD_DATABASE_URL_VARIABLE];
  if (url === undefined) throw new Error(`${LOAD_DATABASE_URL_VARIABLE} is not set`);
  const withName = new URL(url);
  withName.searchParams.set('application_name', LOAD_APPLICATION_NAME);
  const pool = createPool(withName.toString(), 3);
  // Generous queue and deadline: this process measures the ledger, not the writer's shedding.
  const ledger = createLedger(pool, { maxBatchSize, maxQueueLength: 100_000, deadlineMs: 60_000 });
  return {
    ledger,
    close: async () => {
      await ledger.stop();
      await pool.end();
    },
  };
}

function writeLine(line: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
}

// ---------------------------------------------------------------------------------------------
// concurrency mode

type OwnPending = { clientId: string; entries: EntryRequest[] };

class ConcurrencyRun {
  private readonly random: () => number;
  private readonly report: ConcurrencyReport;
  private readonly openPendings: OwnPending[] = [];
  private readonly retryable: { request: TransferRequest; sequence: number }[] = [];
  private counter = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly config: ConcurrencyConfig,
  ) {
    this.random = randomGenerator(config.seed);
    this.report = {
      prefix: config.prefix,
      codes: {},
      created: [],
      postedByAccount: {},
      sharedTransfers: {},
      sharedPendings: {},
      retries: { matched: 0, mismatched: [] },
      brokenChains: [],
      errors: [],
      requests: 0,
      batches: 0,
      batchedRequests: 0,
      elapsedMs: 0,
    };
  }

  private integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)] as T;
  }

  private nextId(kind: string): string {
    this.counter += 1;
    return `${this.config.prefix}-${kind}-${this.counter}`;
  }

  private envelope(): number {
    return this.pick(this.config.accounts.envelopes);
  }

  private merchant(): number {
    return this.pick(this.config.accounts.merchants);
  }

  private otherEnvelope(than: number): number {
    const others = this.config.accounts.envelopes.filter((id) => id !== than);
    return this.pick(others);
  }

  private addPosted(entries: readonly EntryRequest[]): void {
    for (const entry of entries) {
      const key = String(entry.accountId);
      this.report.postedByAccount[key] =
        (this.report.postedByAccount[key] ?? 0) + entry.amountCents;
    }
  }

  /** Submits, counts the codes, records what was created. `postedOf` says what a creation posts. */
  private async send(
    requests: TransferRequest[],
    postedOf: (request: TransferRequest, index: number) => readonly EntryRequest[] = (request) =>
      request.phase === 'posted' ? (request.entries ?? []) : [],
  ): Promise<TransferResult[] | undefined> {
    this.report.requests += requests.length;
    let results: TransferResult[];
    try {
      results = await this.ledger.submit(requests);
    } catch (error) {
      this.report.errors.push(String((error as Error).message ?? error));
      return undefined;
    }
    results.forEach((result, index) => {
      const request = requests[index] as TransferRequest;
      this.report.codes[result.code] = (this.report.codes[result.code] ?? 0) + 1;
      if (result.code !== 'created') return;
      this.report.created.push([request.clientId, result.sequence as number]);
      this.addPosted(postedOf(request, index));
    });
    // A linked chain is all or nothing.
    let chainStart = 0;
    requests.forEach((request, index) => {
      if (request.linked === true) return;
      const chain = results.slice(chainStart, index + 1);
      const createdCount = chain.filter((result) => result.code === 'created').length;
      if (createdCount !== 0 && createdCount !== chain.length) {
        this.report.brokenChains.push(
          requests
            .slice(chainStart, index + 1)
            .map((member, position) => `${member.clientId}:${chain[position]?.code}`)
            .join(','),
        );
      }
      chainStart = index + 1;
    });
    return results;
  }

  private async simple(request: TransferRequest): Promise<void> {
    const results = await this.send([request]);
    const result = results?.[0];
    if (result?.code === 'created' && this.retryable.length < 500) {
      this.retryable.push({ request, sequence: result.sequence as number });
    }
  }

  private async hold(): Promise<void> {
    const envelope = this.envelope();
    const entries = move(envelope, this.merchant(), this.integer(1, 5_000));
    const request: TransferRequest = {
      clientId: this.nextId('hold'),
      kind: 'load_test',
      phase: 'pending',
      currency: 'EUR',
      entries,
      timeoutSeconds: 3_600,
    };
    const results = await this.send([request]);
    if (results?.[0]?.code === 'created')
      this.openPendings.push({ clientId: request.clientId, entries });
  }

  /** Posts (fully or partly) or voids one of this process's open pending transfers. */
  private async resolveOwn(): Promise<void> {
    if (this.openPendings.length === 0) return this.hold();
    const index = Math.floor(this.random() * this.openPendings.length);
    const [pending] = this.openPendings.splice(index, 1) as [OwnPending];
    const choice = this.random();
    if (choice < 0.35) {
      await this.resolve(pending, 'void_pending');
    } else if (choice < 0.7) {
      await this.resolve(pending, 'post_pending');
    } else {
      const reserved = Math.abs((pending.entries[0] as EntryRequest).amountCents);
      const part = this.integer(1, reserved);
      const entries = pending.entries.map((entry) => ({
        accountId: entry.accountId,
        amountCents: Math.sign(entry.amountCents) * part,
      }));
      await this.resolve(pending, 'post_pending', entries);
    }
  }

  private async resolve(
    pending: OwnPending,
    phase: 'post_pending' | 'void_pending',
    entries?: EntryRequest[],
  ): Promise<void> {
    const request: TransferRequest = {
      clientId: this.nextId(phase === 'void_pending' ? 'void' : 'post'),
      kind: 'load_test',
      phase,
      currency: 'EUR',
      pendingClientId: pending.clientId,
      ...(entries === undefined ? {} : { entries }),
    };
    const results = await this.send([request], () =>
      phase === 'void_pending' ? [] : (entries ?? pending.entries),
    );
    const code = results?.[0]?.code;
    // Only this process resolves its own pendings: anything but created is a defect.
    if (code !== 'created') this.report.errors.push(`resolving ${pending.clientId}: ${code}`);
  }

  /** One submission holding a pending transfer and its partial post, linked. */
  private async holdAndPost(): Promise<void> {
    const amount = this.integer(2, 4_000);
    const entries = move(this.envelope(), this.merchant(), amount);
    const holdId = this.nextId('hold');
    const part = this.integer(1, amount);
    const postEntries = entries.map((entry) => ({
      accountId: entry.accountId,
      amountCents: Math.sign(entry.amountCents) * part,
    }));
    await this.send(
      [
        {
          clientId: holdId,
          kind: 'load_test',
          phase: 'pending',
          currency: 'EUR',
          entries,
          timeoutSeconds: 3_600,
          linked: true,
        },
        {
          clientId: this.nextId('post'),
          kind: 'load_test',
          phase: 'post_pending',
          currency: 'EUR',
          pendingClientId: holdId,
          entries: postEntries,
        },
      ],
      (request) => (request.phase === 'post_pending' ? postEntries : []),
    );
  }

  private async retry(): Promise<void> {
    if (this.retryable.length === 0) return this.simple(this.fund());
    const { request, sequence } = this.pick(this.retryable);
    const results = await this.send([request]);
    const result = results?.[0];
    if (result?.code === 'already_exists' && result.sequence === sequence) {
      this.report.retries.matched += 1;
    } else {
      this.report.retries.mismatched.push(
        `${request.clientId}: ${JSON.stringify(result)} ≠ ${sequence}`,
      );
    }
  }

  private fund(): TransferRequest {
    const { contributor } = this.config.accounts;
    return posted(this.nextId('fund'), move(contributor, this.envelope(), this.integer(1, 3_000)));
  }

  private pay(): TransferRequest {
    return posted(
      this.nextId('pay'),
      move(this.envelope(), this.merchant(), this.integer(1, 6_000)),
    );
  }

  private async operation(): Promise<void> {
    const { contributor, merchants } = this.config.accounts;
    const roll = this.integer(1, 100);
    if (roll <= 18) return this.simple(this.fund());
    if (roll <= 42) return this.simple(this.pay());
    if (roll <= 48) {
      const from = this.envelope();
      const to = this.otherEnvelope(from);
      return this.simple(posted(this.nextId('move'), move(from, to, this.integer(1, 4_000))));
    }
    if (roll <= 54) {
      const refund = move(this.merchant(), this.envelope(), this.integer(1, 4_000));
      return this.simple(posted(this.nextId('refund'), refund));
    }
    if (roll <= 58) {
      const first = this.integer(1, 3_000);
      const second = this.integer(1, 3_000);
      const entries: EntryRequest[] = [
        { accountId: this.envelope(), amountCents: -(first + second) },
        { accountId: merchants[0] as number, amountCents: first },
        { accountId: merchants[1] as number, amountCents: second },
      ];
      return this.simple(posted(this.nextId('split'), entries));
    }
    if (roll <= 66) {
      // Fund an envelope and spend from it, all or nothing: the spending often overdraws.
      const envelope = this.envelope();
      await this.send([
        posted(this.nextId('chainfund'), move(contributor, envelope, this.integer(1, 3_000)), true),
        posted(this.nextId('chainpay'), move(envelope, this.merchant(), this.integer(1, 8_000))),
      ]);
      return;
    }
    if (roll <= 70) {
      const first = this.envelope();
      await this.send([
        posted(this.nextId('chainpay'), move(first, this.merchant(), this.integer(1, 4_000)), true),
        posted(
          this.nextId('chainpay'),
          move(this.otherEnvelope(first), this.merchant(), this.integer(1, 4_000)),
        ),
      ]);
      return;
    }
    if (roll <= 74) {
      // Independent requests in one submission: each keeps its own fate.
      await this.send([this.fund(), this.pay(), this.pay()]);
      return;
    }
    if (roll <= 84) return this.hold();
    if (roll <= 94) return this.resolveOwn();
    if (roll <= 97) return this.holdAndPost();
    return this.retry();
  }

  private async sharedTransfer(index: number): Promise<void> {
    const request = sharedTransferRequest(this.config.accounts, index);
    const results = await this.send([request]);
    if (results?.[0] !== undefined) this.report.sharedTransfers[request.clientId] = results[0];
  }

  private async sharedPending(pending: SharedPending): Promise<void> {
    const action = this.config.sharedPendingAction;
    const request: TransferRequest = {
      clientId: `${this.config.prefix}-${action}-${pending.clientId}`,
      kind: 'load_test',
      phase: action === 'post' ? 'post_pending' : 'void_pending',
      currency: 'EUR',
      pendingClientId: pending.clientId,
    };
    const results = await this.send([request], () => (action === 'post' ? pending.entries : []));
    if (results?.[0] !== undefined) this.report.sharedPendings[pending.clientId] = results[0];
  }

  async run(): Promise<ConcurrencyReport> {
    const startedAt = performance.now();
    type Step = () => Promise<void>;
    const steps: Step[] = [];
    for (let index = 0; index < this.config.operations; index += 1)
      steps.push(() => this.operation());
    for (let index = 0; index < this.config.sharedTransfers; index += 1) {
      steps.push(() => this.sharedTransfer(index));
    }
    for (const pending of this.config.sharedPendings) steps.push(() => this.sharedPending(pending));
    // Shuffle, so the shared work is spread over the whole run.
    for (let index = steps.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.random() * (index + 1));
      [steps[index], steps[other]] = [steps[other] as Step, steps[index] as Step];
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < steps.length) {
        const step = steps[next] as Step;
        next += 1;
        await step();
      }
    };
    await Promise.all(Array.from({ length: this.config.concurrency }, worker));
    // Leave nothing reserved: every own pending still open is voided.
    const leftovers = this.openPendings.splice(0);
    await Promise.all(leftovers.map((pending) => this.resolve(pending, 'void_pending')));
    // The writer's own histogram: how many batches committed and how many requests they held.
    const batchSizes = (await ledgerMetrics.batchSize.get()).values;
    const metric = (suffix: string): number =>
      batchSizes.find((value) => value.metricName?.endsWith(suffix))?.value ?? 0;
    this.report.batches = metric('_count');
    this.report.batchedRequests = metric('_sum');
    this.report.elapsedMs = Math.round(performance.now() - startedAt);
    return this.report;
  }
}

function waitForGo(): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if (!stdinText.split('\n').includes('go')) return;
      stdinListeners.delete(check);
      resolve();
    };
    stdinListeners.add(check);
    check();
  });
}

async function runConcurrency(config: ConcurrencyConfig): Promise<void> {
  hardStop(config.maxSeconds);
  const { ledger, close } = openLedger(config.maxBatchSize);
  // Connect before the start signal, so the two processes really begin together.
  await ledger.findAccount(config.accounts.contributor);
  await writeLine('ready');
  await waitForGo();
  const report = await new ConcurrencyRun(ledger, config).run();
  await close();
  await writeLine(JSON.stringify(report));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// crash mode

async function runCrash(config: CrashConfig): Promise<void> {
  hardStop(config.maxSeconds);
  const { ledger, close } = openLedger(config.maxBatchSize);
  const random = randomGenerator(config.seed);
  const amount = (max: number): number => 1 + Math.floor(random() * max);
  const { contributor, envelopes, merchants } = config.accounts;
  const pick = (values: number[]): number => values[Math.floor(random() * values.length)] as number;
  let issued = 0;
  await ledger.findAccount(contributor);
  await writeLine('ready');

  // Every request here is valid and must be created: the contributor may go negative, and a
  // chain only spends from an envelope what its first member has just put in.
  const nextSubmission = (): TransferRequest[] => {
    issued += 1;
    const id = `${config.prefix}-${issued}`;
    const roll = random();
    if (roll < 0.6)
      return [posted(id, move(contributor, pick([...envelopes, ...merchants]), amount(5_000)))];
    const envelope = pick(envelopes);
    const funded = amount(5_000);
    if (roll < 0.85) {
      return [
        posted(`${id}-a`, move(contributor, envelope, funded), true),
        posted(`${id}-b`, move(envelope, pick(merchants), amount(funded))),
      ];
    }
    const entries = move(envelope, pick(merchants), amount(funded));
    return [
      posted(`${id}-a`, move(contributor, envelope, funded), true),
      {
        clientId: `${id}-b`,
        kind: 'load_test',
        phase: 'pending',
        currency: 'EUR',
        entries,
        linked: true,
      },
      {
        clientId: `${id}-c`,
        kind: 'load_test',
        phase: 'post_pending',
        currency: 'EUR',
        pendingClientId: `${id}-b`,
      },
    ];
  };

  const worker = async (): Promise<void> => {
    while (issued < config.maxTransfers) {
      const requests = nextSubmission();
      const results = await ledger.submit(requests);
      for (const [index, result] of results.entries()) {
        const request = requests[index] as TransferRequest;
        if (result.code === 'created')
          await writeLine(`ack ${request.clientId} ${result.sequence}`);
        else await writeLine(`refused ${request.clientId} ${result.code}`);
      }
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  await close();
  await writeLine('done');
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string' }, config: { type: 'string' } },
  });
  if (values.config === undefined) throw new Error('--config is required');
  const config: unknown = JSON.parse(values.config);
  if (values.mode === 'concurrency') return runConcurrency(config as ConcurrencyConfig);
  if (values.mode === 'crash') return runCrash(config as CrashConfig);
  throw new Error(`unknown --mode ${values.mode}`);
}

// Only when run as a script: the tests import this file's types alone.
if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error: unknown) => {
    process.stderr.write(`ledger-load-process: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
