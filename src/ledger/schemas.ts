import { z } from 'zod';
import { storableText } from '../platform/text.js';
import {
  MAX_ENTRIES_PER_TRANSFER,
  MAX_METADATA_KEYS,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_STRING_LENGTH,
  MAX_REFERENCE_LENGTH,
  MAX_TRANSFERS_PER_REQUEST,
  SUPPORTED_CURRENCIES,
} from './limits.js';
import { ACCOUNT_KINDS } from './store.js';
import { TRANSFER_RESULTS } from './results.js';

// The shapes of the ledger's HTTP API: zod gives the types, the validation and the OpenAPI.
// Structure and sizes are checked here (a malformed request is a 400); the ledger's own rules
// (balance, patterns, limits on amounts) come back per transfer with their named code.

const MAX_IDENTIFIER_LENGTH = 128;

export const entrySchema = z.strictObject({
  accountId: z.int().describe('Compte mouvementé'),
  amountCents: z.int().describe('Montant signé en centimes : crédit positif, débit négatif'),
});

export const transferRequestSchema = z.strictObject({
  clientId: z
    .string()
    .max(MAX_IDENTIFIER_LENGTH)
    .describe('Clé d’idempotence choisie par l’appelant'),
  kind: z.string().max(64),
  phase: z.enum(['posted', 'pending', 'post_pending', 'void_pending']),
  currency: z.enum(SUPPORTED_CURRENCIES),
  entries: z.array(entrySchema).max(MAX_ENTRIES_PER_TRANSFER).optional(),
  pendingClientId: z.string().max(MAX_IDENTIFIER_LENGTH).optional(),
  timeoutSeconds: z.int().optional(),
  reference: storableText(MAX_REFERENCE_LENGTH).optional(),
  metadata: z
    .record(
      storableText(MAX_METADATA_KEY_LENGTH),
      z.union([storableText(MAX_METADATA_STRING_LENGTH), z.int(), z.boolean()]),
    )
    .refine((metadata) => Object.keys(metadata).length <= MAX_METADATA_KEYS, {
      message: `${MAX_METADATA_KEYS} clés au plus`,
    })
    .optional(),
  linked: z.boolean().optional(),
});

export const submitTransfersBodySchema = z.strictObject({
  transfers: z.array(transferRequestSchema).min(1).max(MAX_TRANSFERS_PER_REQUEST),
});

const resultCodes = Object.keys(TRANSFER_RESULTS) as [
  keyof typeof TRANSFER_RESULTS,
  ...(keyof typeof TRANSFER_RESULTS)[],
];

export const transferResultSchema = z.object({
  clientId: z.string(),
  code: z.enum(resultCodes),
  message: z.string(),
  retryable: z.boolean(),
  sequence: z.int().optional(),
});

export const submitTransfersResponseSchema = z.object({
  code: z.enum([
    'transfers_recorded',
    'transfers_partially_recorded',
    'transfers_refused',
    'overloaded',
  ]),
  message: z.string(),
  results: z.array(transferResultSchema),
});

export const newAccountSchema = z.strictObject({
  kind: z.enum(ACCOUNT_KINDS),
  ownerType: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  ownerId: storableText(MAX_IDENTIFIER_LENGTH).min(1),
  label: storableText(200).optional(),
  currency: z.enum(SUPPORTED_CURRENCIES),
  mayGoNegative: z.boolean(),
});

export const createAccountsBodySchema = z.strictObject({
  accounts: z.array(newAccountSchema).min(1).max(MAX_TRANSFERS_PER_REQUEST),
});

export const accountSchema = z.object({
  id: z.int(),
  kind: z.enum(ACCOUNT_KINDS),
  ownerType: z.string(),
  ownerId: z.string(),
  label: z.string(),
  currency: z.string(),
  mayGoNegative: z.boolean(),
  postedCents: z.int(),
  pendingDebitsCents: z.int(),
  pendingCreditsCents: z.int(),
  availableCents: z.int(),
  version: z.int(),
});

export const accountParamsSchema = z.strictObject({
  accountId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export { errorSchema } from '../platform/errors.js';
