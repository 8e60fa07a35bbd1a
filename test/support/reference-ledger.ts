import type { RequestOrigin, TransferRequest } from '../../src/ledger/model.js';
import type { TransferResultCode } from '../../src/ledger/results.js';

// A deliberately naive ledger, written from the documented semantics only, to compare the real
// one against. It shares nothing with `decideBatch`: whole-state copies instead of undo logs,
// one request at a time, checks rule by rule. It covers the inputs the property tests generate
// (not metadata edge cases, nor currencies other than EUR, nor balance overflow beyond a plain
// bound check).

export type ReferenceAccount = {
  id: number;
  mayGoNegative: boolean;
  postedCents: number;
  pendingDebitsCents: number;
  pendingCreditsCents: number;
  version: number;
};

export type ReferenceResult = { code: TransferResultCode; sequence?: number };

type PendingStatus = 'open' | 'posted' | 'voided' | 'expired';

type ReferencePending = {
  clientId: string;
  timeoutAtMs: number | null;
  status: PendingStatus;
  entries: { accountId: number; amountCents: number }[];
};

type ReferenceState = {
  accounts: Map<number, ReferenceAccount>;
  /** Stored transfers: clientId → sequence and a fingerprint of what was asked. */
  transfers: Map<string, { sequence: number; fingerprint: string }>;
  pendings: Map<string, ReferencePending>;
  lastSequence: number;
};

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const KIND = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_AMOUNT = 10_000_000_000_000;
/** Text PostgreSQL can store and give back unchanged: no NUL, no lone UTF-16 surrogate. */
function isStorable(text: string): boolean {
  return (
    !text.includes('\u0000') && /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(text)
  );
}
const MAX_TIMEOUT_SECONDS = 90 * 24 * 3600;

function copyState(state: ReferenceState): ReferenceState {
  return {
    accounts: new Map([...state.accounts].map(([id, account]) => [id, { ...account }])),
    transfers: new Map(state.transfers),
    pendings: new Map([...state.pendings].map(([id, pending]) => [id, { ...pending }])),
    lastSequence: state.lastSequence,
  };
}

/** Everything the client asked, in a form where equal requests give equal strings. */
function fingerprintOf(request: TransferRequest): string {
  const metadata = Object.entries(request.metadata ?? {}).sort(([left], [right]) =>
    left < right ? -1 : left > right ? 1 : 0,
  );
  return JSON.stringify({
    clientId: request.clientId,
    kind: request.kind,
    phase: request.phase,
    currency: request.currency,
    entries: request.entries?.map((entry) => [entry.accountId, entry.amountCents]) ?? null,
    pendingClientId: request.pendingClientId ?? null,
    timeoutSeconds: request.timeoutSeconds ?? null,
    reference: request.reference ?? null,
    metadata,
    linked: request.linked === true,
  });
}

function isResolving(request: TransferRequest): boolean {
  return (
    request.phase === 'post_pending' ||
    request.phase === 'void_pending' ||
    request.phase === 'expire_pending'
  );
}

/** The checks on the request alone, each rule over all entries before the next rule. */
function validate(request: TransferRequest, origin: RequestOrigin): TransferResultCode | undefined {
  if (!CLIENT_ID.test(request.clientId)) return 'invalid_client_id';
  if (!KIND.test(request.kind)) return 'invalid_kind';
  if (request.phase === 'expire_pending' && origin !== 'platform') return 'phase_not_allowed';
  if (request.reference !== undefined && request.reference.length > 200) {
    return 'reference_too_long';
  }
  if (request.reference !== undefined && !isStorable(request.reference)) {
    return 'reference_invalid';
  }
  const entries = request.entries;
  if ((request.phase === 'posted' || request.phase === 'pending') && entries === undefined) {
    return 'entries_too_few';
  }
  if (
    (request.phase === 'void_pending' || request.phase === 'expire_pending') &&
    entries !== undefined
  ) {
    return 'entries_not_allowed';
  }
  if (entries !== undefined) {
    if (entries.length < 2) return 'entries_too_few';
    if (entries.length > 64) return 'entries_too_many';
    if (entries.some((entry) => !Number.isSafeInteger(entry.amountCents))) {
      return 'amount_not_integer';
    }
    if (entries.some((entry) => entry.amountCents === 0)) return 'amount_zero';
    if (entries.some((entry) => Math.abs(entry.amountCents) > MAX_AMOUNT))
      return 'amount_too_large';
    if (entries.some((entry) => !Number.isSafeInteger(entry.accountId) || entry.accountId < 1)) {
      return 'account_not_found';
    }
    if (new Set(entries.map((entry) => entry.accountId)).size !== entries.length) {
      return 'account_repeated';
    }
    if (entries.reduce((sum, entry) => sum + entry.amountCents, 0) !== 0) {
      return 'entries_not_balanced';
    }
  }
  if (isResolving(request)) {
    if (request.pendingClientId === undefined || !CLIENT_ID.test(request.pendingClientId)) {
      return 'pending_reference_missing';
    }
    if (request.timeoutSeconds !== undefined) return 'timeout_out_of_range';
    return undefined;
  }
  if (request.pendingClientId !== undefined) return 'pending_reference_unexpected';
  if (request.timeoutSeconds !== undefined) {
    const seconds = request.timeoutSeconds;
    const valid =
      request.phase === 'pending' &&
      Number.isInteger(seconds) &&
      seconds >= 1 &&
      seconds <= MAX_TIMEOUT_SECONDS;
    if (!valid) return 'timeout_out_of_range';
  }
  return undefined;
}

type Movement = {
  accountId: number;
  posted: number;
  pendingDebits: number;
  pendingCredits: number;
};

export class ReferenceLedger {
  private state: ReferenceState;

  constructor(lastSequence: number) {
    this.state = { accounts: new Map(), transfers: new Map(), pendings: new Map(), lastSequence };
  }

  openAccount(id: number, mayGoNegative: boolean): void {
    this.state.accounts.set(id, {
      id,
      mayGoNegative,
      postedCents: 0,
      pendingDebitsCents: 0,
      pendingCreditsCents: 0,
      version: 0,
    });
  }

  account(id: number): ReferenceAccount | undefined {
    const account = this.state.accounts.get(id);
    return account === undefined ? undefined : { ...account };
  }

  get lastSequence(): number {
    return this.state.lastSequence;
  }

  /** One submission: closed chains are all-or-nothing, an open trailing chain fails untried. */
  submit(requests: TransferRequest[], origin: RequestOrigin, nowMs: number): ReferenceResult[] {
    const { closed, openTail } = splitOpenTail(requests);
    const results: ReferenceResult[] = [];
    let chain: TransferRequest[] = [];
    for (const request of closed) {
      chain.push(request);
      if (request.linked === true) continue;
      results.push(...this.applyChain(chain, origin, nowMs));
      chain = [];
    }
    return [...results, ...openTailResults(openTail)];
  }

  /** What a submission refused as a whole (`overloaded`) answers: nothing is tried. */
  refused(requests: TransferRequest[]): ReferenceResult[] {
    const { closed, openTail } = splitOpenTail(requests);
    return [
      ...closed.map((): ReferenceResult => ({ code: 'overloaded' })),
      ...openTailResults(openTail),
    ];
  }

  /** Expires every open pending whose timeout has come; returns how many. */
  expireDue(nowMs: number): number {
    let expired = 0;
    for (const pending of [...this.state.pendings.values()]) {
      if (pending.status !== 'open' || pending.timeoutAtMs === null) continue;
      if (pending.timeoutAtMs > nowMs) continue;
      for (const entry of pending.entries) {
        const account = this.state.accounts.get(entry.accountId);
        if (account === undefined) throw new Error(`compte ${entry.accountId} inconnu du modèle`);
        if (entry.amountCents < 0) account.pendingDebitsCents += entry.amountCents;
        else account.pendingCreditsCents -= entry.amountCents;
        account.version += 1;
      }
      pending.status = 'expired';
      this.state.lastSequence += 1;
      expired += 1;
    }
    return expired;
  }

  private applyChain(
    chain: TransferRequest[],
    origin: RequestOrigin,
    nowMs: number,
  ): ReferenceResult[] {
    const before = copyState(this.state);
    const results: ReferenceResult[] = [];
    for (const request of chain) {
      const result = this.applyOne(request, origin, nowMs);
      if (result.code !== 'created' && result.code !== 'already_exists') {
        this.state = before;
        const failed = results.length;
        return chain.map((_request, index) =>
          index === failed ? { code: result.code } : { code: 'linked_event_failed' },
        );
      }
      results.push(result);
    }
    return results;
  }

  private applyOne(
    request: TransferRequest,
    origin: RequestOrigin,
    nowMs: number,
  ): ReferenceResult {
    const invalid = validate(request, origin);
    if (invalid !== undefined) return { code: invalid };
    const stored = this.state.transfers.get(request.clientId);
    if (stored !== undefined) {
      return stored.fingerprint === fingerprintOf(request)
        ? { code: 'already_exists', sequence: stored.sequence }
        : { code: 'exists_with_different_content' };
    }
    const movements = this.movementsOf(request, nowMs);
    if (typeof movements === 'string') return { code: movements };
    const updated: ReferenceAccount[] = [];
    for (const movement of movements) {
      const account = this.state.accounts.get(movement.accountId);
      if (account === undefined) return { code: 'account_not_found' };
      updated.push({
        ...account,
        postedCents: account.postedCents + movement.posted,
        pendingDebitsCents: account.pendingDebitsCents + movement.pendingDebits,
        pendingCreditsCents: account.pendingCreditsCents + movement.pendingCredits,
        version: account.version + 1,
      });
    }
    if (updated.some((account) => Math.abs(account.postedCents) > Number.MAX_SAFE_INTEGER)) {
      return { code: 'balance_overflow' };
    }
    const overdrawn = updated.some(
      (account) => !account.mayGoNegative && account.postedCents - account.pendingDebitsCents < 0,
    );
    if (overdrawn) return { code: 'insufficient_funds' };
    for (const account of updated) this.state.accounts.set(account.id, account);
    this.state.lastSequence += 1;
    const sequence = this.state.lastSequence;
    this.state.transfers.set(request.clientId, { sequence, fingerprint: fingerprintOf(request) });
    if (request.phase === 'pending') {
      this.state.pendings.set(request.clientId, {
        clientId: request.clientId,
        timeoutAtMs:
          request.timeoutSeconds === undefined ? null : nowMs + request.timeoutSeconds * 1000,
        status: 'open',
        entries: (request.entries ?? []).map((entry) => ({ ...entry })),
      });
    } else if (isResolving(request)) {
      const pending = this.state.pendings.get(request.pendingClientId as string);
      if (pending === undefined) throw new Error('réservation disparue du modèle');
      pending.status =
        request.phase === 'post_pending'
          ? 'posted'
          : request.phase === 'void_pending'
            ? 'voided'
            : 'expired';
    }
    return { code: 'created', sequence };
  }

  /** How each account moves, or why the request cannot apply to the pendings it names. */
  private movementsOf(request: TransferRequest, nowMs: number): Movement[] | TransferResultCode {
    if (request.phase === 'posted' || request.phase === 'pending') {
      const pending = request.phase === 'pending';
      return (request.entries ?? []).map((entry) => ({
        accountId: entry.accountId,
        posted: pending ? 0 : entry.amountCents,
        pendingDebits: pending && entry.amountCents < 0 ? -entry.amountCents : 0,
        pendingCredits: pending && entry.amountCents > 0 ? entry.amountCents : 0,
      }));
    }
    const pending = this.state.pendings.get(request.pendingClientId as string);
    if (pending === undefined) return 'pending_not_found';
    if (pending.status === 'posted') return 'pending_already_posted';
    if (pending.status === 'voided') return 'pending_already_voided';
    if (pending.status === 'expired') return 'pending_already_expired';
    const timedOut = pending.timeoutAtMs !== null && nowMs >= pending.timeoutAtMs;
    if (request.phase === 'expire_pending' && !timedOut) return 'pending_not_yet_expired';
    if (request.phase !== 'expire_pending' && timedOut) return 'pending_expired';
    const postedByAccount = new Map<number, number>();
    if (request.phase === 'post_pending') {
      if (request.entries === undefined) {
        for (const entry of pending.entries)
          postedByAccount.set(entry.accountId, entry.amountCents);
      } else {
        for (const entry of request.entries) {
          const reserved = pending.entries.find(
            (candidate) =>
              candidate.accountId === entry.accountId &&
              candidate.amountCents < 0 === entry.amountCents < 0,
          );
          if (reserved === undefined) return 'post_account_not_in_pending';
        }
        for (const entry of request.entries) {
          const reserved = pending.entries.find(
            (candidate) => candidate.accountId === entry.accountId,
          );
          if (Math.abs(entry.amountCents) > Math.abs(reserved?.amountCents ?? 0)) {
            return 'post_exceeds_pending';
          }
          postedByAccount.set(entry.accountId, entry.amountCents);
        }
      }
    }
    // Resolving always releases the whole reservation, on every account of the pending.
    return pending.entries.map((entry) => ({
      accountId: entry.accountId,
      posted: postedByAccount.get(entry.accountId) ?? 0,
      pendingDebits: entry.amountCents < 0 ? entry.amountCents : 0,
      pendingCredits: entry.amountCents > 0 ? -entry.amountCents : 0,
    }));
  }
}

/** A submission ending on a linked request leaves its last chain open. */
function splitOpenTail(requests: TransferRequest[]): {
  closed: TransferRequest[];
  openTail: TransferRequest[];
} {
  let start = requests.length;
  while (start > 0 && requests[start - 1]?.linked === true) start -= 1;
  return { closed: requests.slice(0, start), openTail: requests.slice(start) };
}

function openTailResults(openTail: TransferRequest[]): ReferenceResult[] {
  return openTail.map((_request, index) => ({
    code: index === openTail.length - 1 ? 'linked_chain_open' : 'linked_event_failed',
  }));
}
