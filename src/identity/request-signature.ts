import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Signed requests from machines (merchant terminals, payment processors). The client signs
// method, path, timestamp, nonce and the body's hash with HMAC-SHA256; the key both sides use is
// the SHA-256 of the secret shown once, so the platform keeps no secret in clear. Pure.

export const SIGNATURE_HEADERS = {
  keyId: 'x-flechage-key-id',
  timestamp: 'x-flechage-timestamp',
  nonce: 'x-flechage-nonce',
  signature: 'x-flechage-signature',
} as const;

/** Five minutes either way: beyond, a captured request is stale even before its nonce is purged. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** Nonces are remembered a little longer than the window in which a timestamp is accepted. */
export const NONCE_RETENTION_SECONDS = 2 * MAX_CLOCK_SKEW_SECONDS + 60;

export const SIGNATURE_REFUSALS = {
  signature_headers_missing:
    'Requête signée incomplète : en-têtes x-flechage-key-id, x-flechage-timestamp, x-flechage-nonce et x-flechage-signature attendus.',
  signature_malformed: 'Signature mal formée : 64 caractères hexadécimaux attendus.',
  timestamp_malformed: 'Horodatage mal formé : un nombre de secondes depuis 1970 est attendu.',
  timestamp_out_of_window:
    'Horodatage hors délai : la requête a plus de 5 minutes d’écart avec l’horloge de la plateforme.',
  nonce_malformed: 'Nonce mal formé : 16 à 64 caractères parmi lettres, chiffres, « - » et « _ ».',
  api_key_unknown: 'Clé d’API inconnue, révoquée ou expirée.',
  signature_invalid: 'Signature invalide.',
  nonce_replayed: 'Requête rejouée : ce nonce a déjà été utilisé.',
} as const;

export type SignatureRefusal = keyof typeof SIGNATURE_REFUSALS;

export type SignedRequestHeaders = {
  keyId: string;
  timestamp: number;
  nonce: string;
  signature: string;
};

export function signingKeyOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function bodyHashOf(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalRequest(
  method: string,
  pathWithQuery: string,
  timestamp: number,
  nonce: string,
  body: string | Buffer,
): string {
  return [method.toUpperCase(), pathWithQuery, String(timestamp), nonce, bodyHashOf(body)].join(
    '\n',
  );
}

export function signatureOf(signingKey: Buffer, canonical: string): string {
  return createHmac('sha256', signingKey).update(canonical, 'utf8').digest('hex');
}

/** What a client library does: the headers to add to one request. */
export function signRequest(
  credentials: { keyId: string; secret: string },
  request: {
    method: string;
    pathWithQuery: string;
    body: string;
    timestamp: number;
    nonce: string;
  },
): Record<string, string> {
  const canonical = canonicalRequest(
    request.method,
    request.pathWithQuery,
    request.timestamp,
    request.nonce,
    request.body,
  );
  return {
    [SIGNATURE_HEADERS.keyId]: credentials.keyId,
    [SIGNATURE_HEADERS.timestamp]: String(request.timestamp),
    [SIGNATURE_HEADERS.nonce]: request.nonce,
    [SIGNATURE_HEADERS.signature]: signatureOf(signingKeyOf(credentials.secret), canonical),
  };
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function hasSignatureHeaders(headers: Record<string, unknown>): boolean {
  return headerText(headers, SIGNATURE_HEADERS.keyId) !== undefined;
}

/** Shape checks and the clock window, before any lookup: a malformed request costs nothing. */
export function parseSignedRequestHeaders(
  headers: Record<string, unknown>,
  nowSeconds: number,
): SignedRequestHeaders | SignatureRefusal {
  const keyId = headerText(headers, SIGNATURE_HEADERS.keyId);
  const timestampText = headerText(headers, SIGNATURE_HEADERS.timestamp);
  const nonce = headerText(headers, SIGNATURE_HEADERS.nonce);
  const signature = headerText(headers, SIGNATURE_HEADERS.signature);
  if (
    keyId === undefined ||
    timestampText === undefined ||
    nonce === undefined ||
    signature === undefined
  )
    return 'signature_headers_missing';
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'signature_malformed';
  if (!/^[0-9]{1,12}$/.test(timestampText)) return 'timestamp_malformed';
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) return 'timestamp_out_of_window';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return 'nonce_malformed';
  if (!/^fk_[A-Za-z0-9_-]{16,64}$/.test(keyId)) return 'api_key_unknown';
  return { keyId, timestamp, nonce, signature };
}

export function isSignatureValid(
  signingKey: Buffer,
  headers: SignedRequestHeaders,
  method: string,
  pathWithQuery: string,
  body: string | Buffer,
): boolean {
  const canonical = canonicalRequest(method, pathWithQuery, headers.timestamp, headers.nonce, body);
  const expected = Buffer.from(signatureOf(signingKey, canonical), 'hex');
  return timingSafeEqual(expected, Buffer.from(headers.signature, 'hex'));
}
