import { isStorableText } from '../platform/text.js';
import {
  CLIENT_ID_PATTERN,
  KIND_PATTERN,
  MAX_ENTRIES_PER_TRANSFER,
  MAX_METADATA_KEYS,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_STRING_LENGTH,
  MAX_PENDING_TIMEOUT_SECONDS,
  MAX_REFERENCE_LENGTH,
  MAX_TRANSFER_AMOUNT_CENTS,
  MIN_ENTRIES_PER_TRANSFER,
} from './limits.js';
import type { EntryRequest, RequestOrigin, TransferPhase, TransferRequest } from './model.js';
import type { TransferResultCode } from './results.js';

// Checks of a transfer request on its own, before the ledger's state is consulted: pure, and
// ordered as the result codes are.

const RESOLVING_PHASES: ReadonlySet<TransferPhase> = new Set([
  'post_pending',
  'void_pending',
  'expire_pending',
]);

/** Identifiers the platform gives its own transfers (expiries): a client can never take them first. */
export const PLATFORM_CLIENT_ID_PREFIX = 'platform:';

export function isResolvingPhase(phase: TransferPhase): boolean {
  return RESOLVING_PHASES.has(phase);
}

function isValidMetadata(metadata: unknown): boolean {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return false;
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS) return false;
  return keys.every((key) => {
    const value = (metadata as Record<string, unknown>)[key];
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH || !isStorableText(key))
      return false;
    if (typeof value === 'string')
      return value.length <= MAX_METADATA_STRING_LENGTH && isStorableText(value);
    if (typeof value === 'number') return Number.isSafeInteger(value);
    return typeof value === 'boolean';
  });
}

/** Each rule over all entries before the next rule: precedence follows the rule, not the entry order. */
const ENTRY_RULES: [TransferResultCode, (entry: EntryRequest) => boolean][] = [
  ['amount_not_integer', (entry) => Number.isSafeInteger(entry.amountCents)],
  ['amount_zero', (entry) => entry.amountCents !== 0],
  ['amount_too_large', (entry) => Math.abs(entry.amountCents) <= MAX_TRANSFER_AMOUNT_CENTS],
  ['account_not_found', (entry) => Number.isSafeInteger(entry.accountId) && entry.accountId >= 1],
];

function validateEntries(entries: EntryRequest[]): TransferResultCode | undefined {
  if (entries.length < MIN_ENTRIES_PER_TRANSFER) return 'entries_too_few';
  if (entries.length > MAX_ENTRIES_PER_TRANSFER) return 'entries_too_many';
  for (const [code, holds] of ENTRY_RULES) if (!entries.every(holds)) return code;
  if (new Set(entries.map((entry) => entry.accountId)).size !== entries.length)
    return 'account_repeated';
  // Each |amount| is at most 1e13 and there are at most 64: the sum stays an exact integer.
  const sumCents = entries.reduce((sum, entry) => sum + entry.amountCents, 0);
  return sumCents === 0 ? undefined : 'entries_not_balanced';
}

function validatePendingFields(request: TransferRequest): TransferResultCode | undefined {
  if (isResolvingPhase(request.phase)) {
    if (request.pendingClientId === undefined) return 'pending_reference_missing';
    if (!CLIENT_ID_PATTERN.test(request.pendingClientId)) return 'pending_reference_missing';
    if (request.timeoutSeconds !== undefined) return 'timeout_out_of_range';
    return undefined;
  }
  if (request.pendingClientId !== undefined) return 'pending_reference_unexpected';
  if (request.timeoutSeconds === undefined) return undefined;
  if (request.phase !== 'pending') return 'timeout_out_of_range';
  const validTimeout =
    Number.isSafeInteger(request.timeoutSeconds) &&
    request.timeoutSeconds >= 1 &&
    request.timeoutSeconds <= MAX_PENDING_TIMEOUT_SECONDS;
  return validTimeout ? undefined : 'timeout_out_of_range';
}

/** Checks of the request alone, in precedence order; undefined when it may go to the ledger. */
export function validateTransferRequest(
  request: TransferRequest,
  origin: RequestOrigin,
): TransferResultCode | undefined {
  if (typeof request.clientId !== 'string' || !CLIENT_ID_PATTERN.test(request.clientId)) {
    return 'invalid_client_id';
  }
  if (request.clientId.startsWith(PLATFORM_CLIENT_ID_PREFIX) && origin !== 'platform') {
    return 'client_id_reserved';
  }
  if (typeof request.kind !== 'string' || !KIND_PATTERN.test(request.kind)) return 'invalid_kind';
  if (request.phase === 'expire_pending' && origin !== 'platform') return 'phase_not_allowed';
  if (request.reference !== undefined && request.reference.length > MAX_REFERENCE_LENGTH) {
    return 'reference_too_long';
  }
  if (request.reference !== undefined && !isStorableText(request.reference))
    return 'reference_invalid';
  if (request.metadata !== undefined && !isValidMetadata(request.metadata))
    return 'metadata_invalid';
  const entriesRequired = request.phase === 'posted' || request.phase === 'pending';
  const entriesForbidden = request.phase === 'void_pending' || request.phase === 'expire_pending';
  if (entriesRequired && request.entries === undefined) return 'entries_too_few';
  if (entriesForbidden && request.entries !== undefined) return 'entries_not_allowed';
  if (request.entries !== undefined) {
    const entriesProblem = validateEntries(request.entries);
    if (entriesProblem !== undefined) return entriesProblem;
  }
  return validatePendingFields(request);
}
