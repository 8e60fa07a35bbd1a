import { createHash } from 'node:crypto';
import type pg from 'pg';
import { PLATFORM_CLIENT_ID_PREFIX } from './validation.js';
import {
  chainsOf,
  decideBatch,
  assertInvariant,
  type AccountState,
  type RequestOrigin,
  type TransferRequest,
  type TransferResult,
} from './model.js';
import { applyDecision, findExpiredPendings, loadForBatch } from './store.js';
import { ledgerMetrics } from './metrics.js';

export type WriterOptions = {
  maxBatchSize: number;
  maxQueueLength: number;
  deadlineMs: number;
  /** How often pending transfers past their timeout are looked for and expired. */
  expiryIntervalMs?: number;
  now?: () => number;
};

/** Writes, in one statement per batch, the domain rows of every submission that names it. */
export type CompanionWriter = (
  client: pg.PoolClient,
  entries: { record: unknown; results: readonly TransferResult[] }[],
) => Promise<void>;

/**
 * What a domain writes with its transfers, in the same transaction: a payment row exists
 * exactly when its money moved. `expectedVersions` are the account versions the caller decided
 * from; if another process changed one of them since, nothing of this submission is written
 * and every request answers `account_version_changed`.
 */
export type Companion = {
  expectedVersions?: ReadonlyMap<number, number>;
  writer?: CompanionWriter;
  record?: unknown;
};

type Submission = {
  requests: TransferRequest[];
  origin: RequestOrigin;
  companion: Companion | undefined;
  deadlineAtMs: number;
  resolve: (results: TransferResult[]) => void;
  reject: (error: Error) => void;
};

const EXPIRY_BATCH_LIMIT = 1_000;

/**
 * TigerBeetle-style batching: while one batch commits, new submissions queue; the next batch
 * takes as many as fit in `maxBatchSize` and commits them in one transaction. A full queue
 * refuses at once (`overloaded`) so that waiting never grows without bound.
 */
export class LedgerWriter {
  private readonly queue: Submission[] = [];
  private queuedRequestCount = 0;
  private running = false;
  private stopped = false;
  private client: pg.PoolClient | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: WriterOptions,
  ) {
    assertInvariant(
      options.maxBatchSize >= 1 && options.maxQueueLength >= 1,
      'limites du rédacteur positives',
    );
    this.now = options.now ?? Date.now;
    if (options.expiryIntervalMs !== undefined) {
      this.expiryTimer = setInterval(
        () => void this.expireDuePendings().catch(() => undefined),
        options.expiryIntervalMs,
      );
      this.expiryTimer.unref();
    }
  }

  get queueLength(): number {
    return this.queuedRequestCount;
  }

  /** Submits requests that are decided together, in order; linked chains stay within one call. */
  submit(
    requests: TransferRequest[],
    origin: RequestOrigin = 'client',
    companion?: Companion,
  ): Promise<TransferResult[]> {
    if (requests.length === 0 && companion?.writer === undefined) return Promise.resolve([]);
    if (this.stopped)
      return Promise.resolve(requests.map(() => ({ code: 'writer_stopped' as const })));
    const openTail = openTailChain(requests);
    if (openTail !== undefined) {
      assertInvariant(companion === undefined, 'une demande accompagnée ferme ses chaînes');
      return this.submit(requests.slice(0, openTail.start), origin).then((results) => [
        ...results,
        ...openTail.results,
      ]);
    }
    if (this.queuedRequestCount + requests.length > this.options.maxQueueLength) {
      ledgerMetrics.refusals.inc({ reason: 'overloaded' }, requests.length);
      return Promise.resolve(requests.map(() => ({ code: 'overloaded' as const })));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        requests,
        origin,
        companion,
        deadlineAtMs: this.now() + this.options.deadlineMs,
        resolve,
        reject,
      });
      this.queuedRequestCount += requests.length;
      ledgerMetrics.queueLength.set(this.queuedRequestCount);
      if (!this.running) void this.drain();
    });
  }

  /** Expires the pending transfers whose timeout has passed; returns how many were expired. */
  async expireDuePendings(): Promise<number> {
    // Never more than the queue can take at once: a larger submission would be refused whole.
    const limit = Math.min(EXPIRY_BATCH_LIMIT, this.options.maxQueueLength);
    const due = await findExpiredPendings(this.pool, this.now(), limit);
    if (due.length === 0) return 0;
    const results = await this.submit(
      due.map((pendingClientId) => ({
        clientId: expiryClientId(pendingClientId),
        kind: 'pending_expiry',
        phase: 'expire_pending',
        currency: 'EUR',
        pendingClientId,
      })),
      'platform',
    );
    return results.filter((result) => result.code === 'created').length;
  }

  /** Refuses new work, lets the queue drain, then releases the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.expiryTimer !== undefined) clearInterval(this.expiryTimer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
    this.client?.release();
    this.client = undefined;
  }

  private takeBatch(): Submission[] {
    const batch: Submission[] = [];
    let size = 0;
    let taken = 0;
    const nowMs = this.now();
    for (const next of this.queue) {
      if (batch.length > 0 && size + next.requests.length > this.options.maxBatchSize) break;
      taken += 1;
      this.queuedRequestCount -= next.requests.length;
      if (next.deadlineAtMs < nowMs) {
        ledgerMetrics.refusals.inc({ reason: 'deadline_exceeded' }, next.requests.length);
        next.resolve(next.requests.map(() => ({ code: 'deadline_exceeded' })));
        continue;
      }
      batch.push(next);
      size += next.requests.length;
    }
    // One splice per batch: shifting submissions one by one costs a copy of the queue each.
    this.queue.splice(0, taken);
    ledgerMetrics.queueLength.set(this.queuedRequestCount);
    return batch;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        if (batch.length > 0) await this.commitBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async commitBatch(batch: Submission[]): Promise<void> {
    const startedAt = performance.now();
    let results: TransferResult[][];
    try {
      results = await this.writeBatch(batch);
    } catch (error) {
      this.client?.release(true);
      this.client = undefined;
      await this.isolateFailure(batch, error as Error);
      return;
    }
    ledgerMetrics.batchSize.observe(results.reduce((sum, own) => sum + own.length, 0));
    ledgerMetrics.batchSeconds.observe((performance.now() - startedAt) / 1000);
    batch.forEach((submission, index) => {
      const own = results[index] as TransferResult[];
      for (const result of own) ledgerMetrics.results.inc({ code: result.code });
      submission.resolve(own);
    });
  }

  /**
   * Nothing of a failed batch was committed. One caller's request must not fail the strangers
   * it shared the batch with: each submission is tried again alone, and only the one that
   * fails by itself learns the error.
   */
  private async isolateFailure(batch: Submission[], error: Error): Promise<void> {
    if (batch.length === 1) {
      (batch[0] as Submission).reject(error);
      return;
    }
    for (const submission of batch) await this.commitBatch([submission]);
  }

  private async writeBatch(batch: Submission[]): Promise<TransferResult[][]> {
    this.client ??= await this.pool.connect();
    const client = this.client;
    await client.query('begin');
    try {
      const { head, snapshot } = await loadForBatch(
        client,
        batch.flatMap((submission) => submission.requests),
      );
      const current = batch.filter((submission) => versionsHold(submission, snapshot.accounts));
      const requests = current.flatMap((submission) => submission.requests);
      const origins = current.flatMap((submission) =>
        submission.requests.map(() => submission.origin),
      );
      const nowMs = this.now();
      const originalVersions = new Map(
        [...snapshot.accounts.values()].map((account) => [account.id, account.version]),
      );
      const decision = decideBatch(requests, snapshot, head, nowMs, origins);
      assertInvariant(
        decision.results.length === requests.length,
        'un résultat par demande du lot',
      );
      if (requests.length > 0) await applyDecision(client, head, decision, originalVersions, nowMs);
      const fresh = new Set(current);
      const results = resultsPerSubmission(batch, fresh, decision.results);
      await writeCompanions(client, batch, fresh, results);
      await client.query('commit');
      return results;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }
}

async function writeCompanions(
  client: pg.PoolClient,
  batch: Submission[],
  fresh: ReadonlySet<Submission>,
  results: TransferResult[][],
): Promise<void> {
  const byWriter = new Map<CompanionWriter, { record: unknown; results: TransferResult[] }[]>();
  batch.forEach((submission, index) => {
    const writer = submission.companion?.writer;
    if (writer === undefined || !fresh.has(submission)) return;
    let entries = byWriter.get(writer);
    if (entries === undefined) byWriter.set(writer, (entries = []));
    entries.push({ record: submission.companion?.record, results: results[index] ?? [] });
  });
  for (const [writer, entries] of byWriter) await writer(client, entries);
}

function versionsHold(
  submission: Submission,
  accounts: ReadonlyMap<number, AccountState>,
): boolean {
  const expected = submission.companion?.expectedVersions;
  if (expected === undefined) return true;
  for (const [accountId, version] of expected) {
    if (accounts.get(accountId)?.version !== version) return false;
  }
  return true;
}

/** Splits the decided results back per submission; stale submissions answer as a whole. */
function resultsPerSubmission(
  batch: Submission[],
  fresh: ReadonlySet<Submission>,
  decided: TransferResult[],
): TransferResult[][] {
  let offset = 0;
  return batch.map((submission) => {
    if (!fresh.has(submission))
      return submission.requests.map(() => ({ code: 'account_version_changed' as const }));
    const own = decided.slice(offset, offset + submission.requests.length);
    offset += submission.requests.length;
    return own;
  });
}

/** The same pending always gets the same expiry id, so two processes expiring it collide safely. */
function expiryClientId(pendingClientId: string): string {
  const digest = createHash('sha256').update(pendingClientId).digest('hex').slice(0, 48);
  return `${PLATFORM_CLIENT_ID_PREFIX}expire:${digest}`;
}

/** The trailing chain left open by a submission fails at once: it could only link to a stranger's. */
function openTailChain(
  requests: TransferRequest[],
): { start: number; results: TransferResult[] } | undefined {
  if (requests[requests.length - 1]?.linked !== true) return undefined;
  const chains = chainsOf(requests);
  const tail = chains[chains.length - 1] as { start: number; end: number };
  const results: TransferResult[] = requests
    .slice(tail.start)
    .map((_request, index, tailRequests) => ({
      code: index === tailRequests.length - 1 ? 'linked_chain_open' : 'linked_event_failed',
    }));
  return { start: tail.start, results };
}
