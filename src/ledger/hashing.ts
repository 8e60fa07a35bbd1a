import { hash } from 'node:crypto';
import type { Metadata, MetadataValue, NewTransfer, TransferRequest } from './model.js';

// The three hashes of a transfer: what the client asked (idempotency), what the ledger stored
// (recomputable by `verify`), and the link that chains it to every transfer before it.

function canonicalMetadata(metadata: Metadata | undefined): [string, MetadataValue][] {
  if (metadata === undefined) return [];
  return Object.keys(metadata)
    .sort()
    .map((key) => [key, metadata[key] as MetadataValue]);
}

/** Hash of what the client asked, so that a retry can be told from a different request. */
export function requestHashOf(request: TransferRequest): string {
  const canonical = JSON.stringify([
    request.clientId,
    request.kind,
    request.phase,
    request.currency,
    request.entries?.map((entry) => [entry.accountId, entry.amountCents]) ?? null,
    request.pendingClientId ?? null,
    request.timeoutSeconds ?? null,
    request.reference ?? null,
    canonicalMetadata(request.metadata),
    request.linked === true,
  ]);
  return sha256Hex(canonical);
}

export type TransferContent = Omit<NewTransfer, 'sequence' | 'contentHash' | 'chainHash'> & {
  entries: { accountId: number; amountCents: number }[];
};

/** Hash of what the ledger stored, recomputable from the rows alone by `verify`. */
export function contentHashOf(content: TransferContent): string {
  return sha256Hex(
    JSON.stringify([
      content.clientId,
      content.kind,
      content.phase,
      content.currency,
      content.pendingSequence,
      content.timeoutAtMs,
      content.reference,
      canonicalMetadata(content.metadata),
      content.createdAtMs,
      content.requestHash,
      content.entries.map((entry) => [entry.accountId, entry.amountCents]),
    ]),
  );
}

function sha256Hex(text: string): string {
  // The one-shot form: a third of the cost of createHash() on the batch path.
  return hash('sha256', text, 'hex');
}

/** Links a transfer to all that came before it: editing any earlier transfer breaks every later link. */
export function chainHashOf(
  previousChainHash: string,
  sequence: number,
  contentHash: string,
): string {
  return sha256Hex(`${previousChainHash}:${sequence}:${contentHash}`);
}

export const GENESIS_CHAIN_HASH = '0'.repeat(64);
