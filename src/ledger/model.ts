import { CLIENT_ID_PATTERN, MAX_BALANCE_CENTS, type Currency } from './limits.js';
import { chainHashOf, contentHashOf, requestHashOf, type TransferContent } from './hashing.js';
import type { TransferResultCode } from './results.js';
import { isResolvingPhase, validateTransferRequest } from './validation.js';

// The pure core of the ledger: given a batch of requests and the locked state they touch, it
// decides every result and every row to write. No I/O, `now` is an argument.

export type TransferPhase =
  'posted' | 'pending' | 'post_pending' | 'void_pending' | 'expire_pending';
export type RequestOrigin = 'client' | 'platform';
export type MetadataValue = string | number | boolean;
export type Metadata = Record<string, MetadataValue>;

/** Signed amount: a credit is positive, a debit negative. */
export type EntryRequest = { accountId: number; amountCents: number };

export type TransferRequest = {
  clientId: string;
  kind: string;
  phase: TransferPhase;
  currency: Currency;
  entries?: EntryRequest[];
  pendingClientId?: string;
  timeoutSeconds?: number;
  reference?: string;
  metadata?: Metadata;
  /** Linked to the next request: the chain succeeds or fails as a whole. */
  linked?: boolean;
};

export type AccountState = {
  id: number;
  currency: Currency;
  mayGoNegative: boolean;
  postedCents: number;
  pendingDebitsCents: number;
  pendingCreditsCents: number;
  version: number;
};

export type PendingResolution = 'open' | 'posted' | 'voided' | 'expired';

export type PendingState = {
  sequence: number;
  clientId: string;
  timeoutAtMs: number | null;
  resolution: PendingResolution;
  entries: EntryRequest[];
};

export type StoredTransfer = { clientId: string; sequence: number; requestHash: string };

export type ChainHead = { sequence: number; chainHash: string };

export type LedgerSnapshot = {
  accounts: Map<number, AccountState>;
  transfers: Map<string, StoredTransfer>;
  pendings: Map<string, PendingState>;
};

export type TransferResult = { code: TransferResultCode; sequence?: number };

export type NewTransfer = {
  sequence: number;
  clientId: string;
  kind: string;
  phase: TransferPhase;
  pendingSequence: number | null;
  timeoutAtMs: number | null;
  reference: string | null;
  metadata: Metadata;
  currency: Currency;
  createdAtMs: number;
  requestHash: string;
  contentHash: string;
  chainHash: string;
};

export type NewEntry = {
  transferSequence: number;
  position: number;
  accountId: number;
  amountCents: number;
  postedBeforeCents: number;
  postedAfterCents: number;
  pendingDebitsAfterCents: number;
  pendingCreditsAfterCents: number;
  accountVersion: number;
};

export type BatchDecision = {
  results: TransferResult[];
  accounts: AccountState[];
  transfers: NewTransfer[];
  entries: NewEntry[];
  openedPendings: { sequence: number; clientId: string; timeoutAtMs: number | null }[];
  resolvedPendingSequences: number[];
  head: ChainHead;
};

export class LedgerInvariantError extends Error {}

export function assertInvariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new LedgerInvariantError(`Invariant du registre violé : ${message}`);
}

/** The common case: one account pays another, posted at once. */
export function simpleTransfer(
  clientId: string,
  kind: string,
  debitAccountId: number,
  creditAccountId: number,
  amountCents: number,
): TransferRequest {
  return {
    clientId,
    kind,
    phase: 'posted',
    currency: 'EUR',
    entries: [
      { accountId: debitAccountId, amountCents: -amountCents },
      { accountId: creditAccountId, amountCents },
    ],
  };
}

export function availableCents(account: AccountState): number {
  return account.postedCents - account.pendingDebitsCents;
}

function withinBalanceLimits(account: AccountState): boolean {
  return (
    Math.abs(account.postedCents) <= MAX_BALANCE_CENTS &&
    account.pendingDebitsCents <= MAX_BALANCE_CENTS &&
    account.pendingCreditsCents <= MAX_BALANCE_CENTS
  );
}

/**
 * The working state of one batch. A linked chain records what it changes so that a failure
 * inside the chain restores everything the chain touched, as if it had never been tried.
 */
class BatchState {
  readonly accounts: Map<number, AccountState>;
  readonly transfers: Map<string, StoredTransfer>;
  readonly pendings: Map<string, PendingState>;
  readonly newTransfers: NewTransfer[] = [];
  readonly newEntries: NewEntry[] = [];
  readonly openedPendings: BatchDecision['openedPendings'] = [];
  readonly resolvedPendingSequences: number[] = [];
  readonly touchedAccountIds = new Set<number>();
  head: ChainHead;
  private undo: {
    accounts: Map<number, AccountState>;
    transferKeys: string[];
    pendings: Map<string, PendingState | undefined>;
    lengths: number[];
    head: ChainHead;
  } | null = null;

  constructor(snapshot: LedgerSnapshot, head: ChainHead) {
    this.accounts = new Map(snapshot.accounts);
    this.transfers = new Map(snapshot.transfers);
    this.pendings = new Map(snapshot.pendings);
    this.head = head;
  }

  beginChain(): void {
    this.undo = {
      accounts: new Map(),
      transferKeys: [],
      pendings: new Map(),
      lengths: [
        this.newTransfers.length,
        this.newEntries.length,
        this.openedPendings.length,
        this.resolvedPendingSequences.length,
      ],
      head: this.head,
    };
  }

  rollbackChain(): void {
    const undo = this.undo;
    assertInvariant(undo !== null, 'annulation hors chaîne');
    for (const [accountId, account] of undo.accounts) this.accounts.set(accountId, account);
    for (const clientId of undo.transferKeys) this.transfers.delete(clientId);
    for (const [clientId, pending] of undo.pendings) {
      if (pending === undefined) this.pendings.delete(clientId);
      else this.pendings.set(clientId, pending);
    }
    const [transfers, entries, opened, resolved] = undo.lengths as [number, number, number, number];
    this.newTransfers.length = transfers;
    this.newEntries.length = entries;
    this.openedPendings.length = opened;
    this.resolvedPendingSequences.length = resolved;
    this.head = undo.head;
    this.undo = null;
  }

  commitChain(): void {
    this.undo = null;
  }

  setAccount(account: AccountState): void {
    if (this.undo !== null && !this.undo.accounts.has(account.id)) {
      this.undo.accounts.set(account.id, this.accounts.get(account.id) as AccountState);
    }
    this.accounts.set(account.id, account);
    this.touchedAccountIds.add(account.id);
  }

  setPending(pending: PendingState): void {
    if (this.undo !== null && !this.undo.pendings.has(pending.clientId)) {
      this.undo.pendings.set(pending.clientId, this.pendings.get(pending.clientId));
    }
    this.pendings.set(pending.clientId, pending);
  }

  addTransfer(transfer: NewTransfer): void {
    this.newTransfers.push(transfer);
    this.transfers.set(transfer.clientId, {
      clientId: transfer.clientId,
      sequence: transfer.sequence,
      requestHash: transfer.requestHash,
    });
    this.undo?.transferKeys.push(transfer.clientId);
    this.head = { sequence: transfer.sequence, chainHash: transfer.chainHash };
  }
}

/** One account change: the posted amount and the pending deltas an entry applies. */
type AccountChange = {
  accountId: number;
  entryAmountCents: number;
  postedDeltaCents: number;
  pendingDebitsDeltaCents: number;
  pendingCreditsDeltaCents: number;
};

function changesForNewTransfer(request: TransferRequest): AccountChange[] {
  const entries = request.entries ?? [];
  return entries.map((entry) => {
    const isPending = request.phase === 'pending';
    return {
      accountId: entry.accountId,
      entryAmountCents: entry.amountCents,
      postedDeltaCents: isPending ? 0 : entry.amountCents,
      pendingDebitsDeltaCents: isPending && entry.amountCents < 0 ? -entry.amountCents : 0,
      pendingCreditsDeltaCents: isPending && entry.amountCents > 0 ? entry.amountCents : 0,
    };
  });
}

function releaseOf(
  pendingEntry: EntryRequest,
): Omit<AccountChange, 'entryAmountCents' | 'postedDeltaCents'> {
  return {
    accountId: pendingEntry.accountId,
    pendingDebitsDeltaCents: pendingEntry.amountCents < 0 ? pendingEntry.amountCents : 0,
    pendingCreditsDeltaCents: pendingEntry.amountCents > 0 ? -pendingEntry.amountCents : 0,
  };
}

/** Amounts posted per account of the pending transfer, or the reason they cannot be. */
function postedAmounts(
  request: TransferRequest,
  pending: PendingState,
): Map<number, number> | TransferResultCode {
  const posted = new Map<number, number>();
  if (request.entries === undefined) {
    for (const entry of pending.entries) posted.set(entry.accountId, entry.amountCents);
    return posted;
  }
  const pendingByAccount = new Map(
    pending.entries.map((entry) => [entry.accountId, entry.amountCents]),
  );
  const matchesReservation = (entry: EntryRequest) => {
    const reserved = pendingByAccount.get(entry.accountId);
    return reserved !== undefined && Math.sign(reserved) === Math.sign(entry.amountCents);
  };
  if (!request.entries.every(matchesReservation)) return 'post_account_not_in_pending';
  for (const entry of request.entries) {
    const reserved = pendingByAccount.get(entry.accountId) as number;
    if (Math.abs(entry.amountCents) > Math.abs(reserved)) return 'post_exceeds_pending';
    posted.set(entry.accountId, entry.amountCents);
  }
  return posted;
}

function changesForResolution(
  request: TransferRequest,
  pending: PendingState,
): AccountChange[] | TransferResultCode {
  if (request.phase !== 'post_pending') {
    return pending.entries.map((entry) => ({
      ...releaseOf(entry),
      entryAmountCents: entry.amountCents,
      postedDeltaCents: 0,
    }));
  }
  const posted = postedAmounts(request, pending);
  if (typeof posted === 'string') return posted;
  return pending.entries.map((entry) => {
    const postedCents = posted.get(entry.accountId) ?? 0;
    return { ...releaseOf(entry), entryAmountCents: postedCents, postedDeltaCents: postedCents };
  });
}

function resolutionProblem(
  request: TransferRequest,
  pending: PendingState | undefined,
  nowMs: number,
): TransferResultCode | undefined {
  if (pending === undefined) return 'pending_not_found';
  if (pending.resolution === 'posted') return 'pending_already_posted';
  if (pending.resolution === 'voided') return 'pending_already_voided';
  if (pending.resolution === 'expired') return 'pending_already_expired';
  const timedOut = pending.timeoutAtMs !== null && pending.timeoutAtMs <= nowMs;
  if (request.phase === 'expire_pending') return timedOut ? undefined : 'pending_not_yet_expired';
  return timedOut ? 'pending_expired' : undefined;
}

function applyChanges(
  state: BatchState,
  changes: AccountChange[],
  request: TransferRequest,
): { updated: AccountState[]; befores: AccountState[] } | TransferResultCode {
  const befores = changes.map((change) => state.accounts.get(change.accountId));
  if (befores.includes(undefined)) return 'account_not_found';
  if (befores.some((account) => account?.currency !== request.currency)) return 'currency_mismatch';
  const updated = changes.map((change, index): AccountState => {
    const account = befores[index] as AccountState;
    return {
      ...account,
      postedCents: account.postedCents + change.postedDeltaCents,
      pendingDebitsCents: account.pendingDebitsCents + change.pendingDebitsDeltaCents,
      pendingCreditsCents: account.pendingCreditsCents + change.pendingCreditsDeltaCents,
      version: account.version + 1,
    };
  });
  if (!updated.every(withinBalanceLimits)) return 'balance_overflow';
  const overdrawn = updated.some(
    (account) => !account.mayGoNegative && availableCents(account) < 0,
  );
  if (overdrawn) return 'insufficient_funds';
  return { updated, befores: befores as AccountState[] };
}

function pendingStateAfter(request: TransferRequest): PendingResolution {
  if (request.phase === 'post_pending') return 'posted';
  if (request.phase === 'void_pending') return 'voided';
  return 'expired';
}

function decideOne(state: BatchState, request: TransferRequest, nowMs: number): TransferResult {
  const requestHash = requestHashOf(request);
  const existing = state.transfers.get(request.clientId);
  if (existing !== undefined) {
    return existing.requestHash === requestHash
      ? { code: 'already_exists', sequence: existing.sequence }
      : { code: 'exists_with_different_content', sequence: existing.sequence };
  }
  const pending =
    request.pendingClientId === undefined ? undefined : state.pendings.get(request.pendingClientId);
  let changes: AccountChange[];
  if (isResolvingPhase(request.phase)) {
    const problem = resolutionProblem(request, pending, nowMs);
    if (problem !== undefined) return { code: problem };
    const resolution = changesForResolution(request, pending as PendingState);
    if (typeof resolution === 'string') return { code: resolution };
    changes = resolution;
  } else {
    changes = changesForNewTransfer(request);
  }
  const applied = applyChanges(state, changes, request);
  if (typeof applied === 'string') return { code: applied };
  const sequence = state.head.sequence + 1;
  const timeoutAtMs =
    request.timeoutSeconds === undefined ? null : nowMs + request.timeoutSeconds * 1000;
  const content: TransferContent = {
    clientId: request.clientId,
    kind: request.kind,
    phase: request.phase,
    pendingSequence: pending?.sequence ?? null,
    timeoutAtMs,
    reference: request.reference ?? null,
    metadata: request.metadata ?? {},
    currency: request.currency,
    createdAtMs: nowMs,
    requestHash,
    entries: changes.map((change) => ({
      accountId: change.accountId,
      amountCents: change.entryAmountCents,
    })),
  };
  const contentHash = contentHashOf(content);
  const { entries: _entries, ...transfer } = content;
  state.addTransfer({
    ...transfer,
    sequence,
    contentHash,
    chainHash: chainHashOf(state.head.chainHash, sequence, contentHash),
  });
  recordEntries(state, sequence, changes, applied);
  if (request.phase === 'pending') {
    state.openedPendings.push({ sequence, clientId: request.clientId, timeoutAtMs });
    state.setPending({
      sequence,
      clientId: request.clientId,
      timeoutAtMs,
      resolution: 'open',
      entries: request.entries ?? [],
    });
  } else if (pending !== undefined) {
    state.resolvedPendingSequences.push(pending.sequence);
    state.setPending({ ...pending, resolution: pendingStateAfter(request) });
  }
  return { code: 'created', sequence };
}

function recordEntries(
  state: BatchState,
  sequence: number,
  changes: AccountChange[],
  applied: { updated: AccountState[]; befores: AccountState[] },
): void {
  applied.updated.forEach((account, position) => {
    state.setAccount(account);
    state.newEntries.push({
      transferSequence: sequence,
      position,
      accountId: account.id,
      amountCents: (changes[position] as AccountChange).entryAmountCents,
      postedBeforeCents: (applied.befores[position] as AccountState).postedCents,
      postedAfterCents: account.postedCents,
      pendingDebitsAfterCents: account.pendingDebitsCents,
      pendingCreditsAfterCents: account.pendingCreditsCents,
      accountVersion: account.version,
    });
  });
}

/** Splits a batch into chains: each chain is a run of linked requests plus the one closing it. */
export function chainsOf(requests: readonly TransferRequest[]): { start: number; end: number }[] {
  const chains: { start: number; end: number }[] = [];
  let start = 0;
  requests.forEach((request, index) => {
    if (request.linked === true && index < requests.length - 1) return;
    chains.push({ start, end: index + 1 });
    start = index + 1;
  });
  return chains;
}

function decideChain(
  state: BatchState,
  requests: readonly TransferRequest[],
  origins: readonly RequestOrigin[],
  nowMs: number,
): TransferResult[] {
  const chainIsOpen = requests[requests.length - 1]?.linked === true;
  if (requests.length === 1 && !chainIsOpen) {
    // A lone request changes the state only once all its checks pass: nothing to undo.
    const request = requests[0] as TransferRequest;
    const invalid = validateTransferRequest(request, origins[0] ?? 'client');
    return [invalid === undefined ? decideOne(state, request, nowMs) : { code: invalid }];
  }
  const results: TransferResult[] = [];
  state.beginChain();
  for (const [index, request] of requests.entries()) {
    const invalid = validateTransferRequest(request, origins[index] ?? 'client');
    const result = invalid === undefined ? decideOne(state, request, nowMs) : { code: invalid };
    results.push(result);
    if (!TRANSFER_SUCCESS.has(result.code) || chainIsOpen) break;
  }
  const failedIndex = results.findIndex((result) => !TRANSFER_SUCCESS.has(result.code));
  if (failedIndex === -1 && !chainIsOpen) {
    state.commitChain();
    return results;
  }
  state.rollbackChain();
  // In a chain every request shares the fate of the first failure; alone, a request keeps its own.
  return requests.map((_request, index) => {
    if (index === failedIndex) return results[index] as TransferResult;
    if (chainIsOpen && index === requests.length - 1) return { code: 'linked_chain_open' };
    return { code: 'linked_event_failed' };
  });
}

const TRANSFER_SUCCESS: ReadonlySet<TransferResultCode> = new Set(['created', 'already_exists']);

/**
 * Decides a whole batch in order, as if each request ran alone against the state so far.
 * `origins[i]` says who sent request i; a missing origin counts as a client's.
 */
export function decideBatch(
  requests: readonly TransferRequest[],
  snapshot: LedgerSnapshot,
  head: ChainHead,
  nowMs: number,
  origins: readonly RequestOrigin[] = [],
): BatchDecision {
  const state = new BatchState(snapshot, head);
  const results: TransferResult[] = [];
  for (const chain of chainsOf(requests)) {
    const chainRequests = requests.slice(chain.start, chain.end);
    results.push(
      ...decideChain(state, chainRequests, origins.slice(chain.start, chain.end), nowMs),
    );
  }
  assertInvariant(results.length === requests.length, 'un résultat par demande');
  const accounts = [...state.touchedAccountIds].map(
    (accountId) => state.accounts.get(accountId) as AccountState,
  );
  return {
    results,
    accounts,
    transfers: state.newTransfers,
    entries: state.newEntries,
    openedPendings: state.openedPendings,
    resolvedPendingSequences: state.resolvedPendingSequences,
    head: state.head,
  };
}

/** Accounts, transfers and pendings that a batch needs read (and locked) before deciding. */
export function keysOf(requests: readonly TransferRequest[]): {
  accountIds: number[];
  clientIds: string[];
  pendingClientIds: string[];
} {
  const accountIds = new Set<number>();
  const clientIds = new Set<string>();
  const pendingClientIds = new Set<string>();
  for (const request of requests) {
    // Only well-formed identifiers are looked up: the others are refused without a query.
    if (CLIENT_ID_PATTERN.test(request.clientId)) clientIds.add(request.clientId);
    const pendingClientId = request.pendingClientId;
    if (pendingClientId !== undefined && CLIENT_ID_PATTERN.test(pendingClientId))
      pendingClientIds.add(pendingClientId);
    for (const entry of request.entries ?? []) {
      if (Number.isSafeInteger(entry.accountId) && entry.accountId > 0)
        accountIds.add(entry.accountId);
    }
  }
  return {
    accountIds: [...accountIds],
    clientIds: [...clientIds],
    pendingClientIds: [...pendingClientIds],
  };
}
