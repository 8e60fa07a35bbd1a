// Named limits of the ledger, quoted by the code, the errors and the documentation.
export const MAX_ENTRIES_PER_TRANSFER = 64;
export const MIN_ENTRIES_PER_TRANSFER = 2;
/** 100 billion euros: far beyond any real transfer, far below the bigint and double limits. */
export const MAX_TRANSFER_AMOUNT_CENTS = 10_000_000_000_000;
export const MAX_BALANCE_CENTS = Number.MAX_SAFE_INTEGER;
export const MAX_PENDING_TIMEOUT_SECONDS = 90 * 24 * 3600;
export const MAX_REFERENCE_LENGTH = 200;
export const MAX_METADATA_KEYS = 32;
export const MAX_METADATA_KEY_LENGTH = 64;
export const MAX_METADATA_STRING_LENGTH = 500;
export const MAX_TRANSFERS_PER_REQUEST = 1_000;
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const SUPPORTED_CURRENCIES = ['EUR'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];
