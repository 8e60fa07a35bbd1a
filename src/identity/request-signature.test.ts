import { describe, expect, it } from 'vitest';
import {
  isSignatureValid,
  parseSignedRequestHeaders,
  signRequest,
  signingKeyOf,
  SIGNATURE_HEADERS,
} from './request-signature.js';

const credentials = { keyId: 'fk_abcdefghijklmnop', secret: 'secret-de-test-tres-long-0123456789' };
const now = 1_800_000_000;
const request = {
  method: 'POST',
  pathWithQuery: '/api/paiements?x=1',
  body: '{"montant":100}',
  timestamp: now,
  nonce: 'nonce-0123456789abcdef',
};

function verify(
  headers: Record<string, string>,
  overrides: Partial<typeof request> = {},
  nowSeconds = now,
) {
  const parsed = parseSignedRequestHeaders(headers, nowSeconds);
  if (typeof parsed === 'string') return parsed;
  const changed = { ...request, ...overrides };
  return isSignatureValid(
    signingKeyOf(credentials.secret),
    parsed,
    changed.method,
    changed.pathWithQuery,
    changed.body,
  );
}

describe('requêtes signées', () => {
  it('une requête signée correctement est acceptée', () => {
    expect(verify(signRequest(credentials, request))).toBe(true);
  });

  it.each([
    ['la méthode', { method: 'PUT' }],
    ['le chemin', { pathWithQuery: '/api/paiements?x=2' }],
    ['le corps', { body: '{"montant":1000}' }],
  ])('changer %s invalide la signature', (_name, overrides) => {
    expect(verify(signRequest(credentials, request), overrides)).toBe(false);
  });

  it('une autre clé secrète ne signe pas pour celle-ci', () => {
    const forged = signRequest(
      { ...credentials, secret: 'un-autre-secret-0123456789abcdef' },
      request,
    );
    expect(verify(forged)).toBe(false);
  });

  it('refuse un horodatage à plus de 5 minutes, dans les deux sens', () => {
    const headers = signRequest(credentials, request);
    expect(verify(headers, {}, now + 300)).toBe(true);
    expect(verify(headers, {}, now + 301)).toBe('timestamp_out_of_window');
    expect(verify(headers, {}, now - 301)).toBe('timestamp_out_of_window');
  });

  it.each([
    [SIGNATURE_HEADERS.signature, 'zz', 'signature_malformed'],
    [SIGNATURE_HEADERS.timestamp, '-5', 'timestamp_malformed'],
    [SIGNATURE_HEADERS.timestamp, '1e9', 'timestamp_malformed'],
    [SIGNATURE_HEADERS.timestamp, '99999999999999999999', 'timestamp_malformed'],
    [SIGNATURE_HEADERS.nonce, 'court', 'nonce_malformed'],
    [SIGNATURE_HEADERS.nonce, "'; drop table api_keys; --xxxxxx", 'nonce_malformed'],
    [SIGNATURE_HEADERS.keyId, 'fk_<script>alert(1)</script>', 'api_key_unknown'],
  ])('refuse un en-tête %s mal formé (%j)', (header, value, refusal) => {
    expect(verify({ ...signRequest(credentials, request), [header]: value })).toBe(refusal);
  });

  it('refuse une requête sans les quatre en-têtes', () => {
    for (const header of Object.values(SIGNATURE_HEADERS)) {
      const headers: Record<string, string> = signRequest(credentials, request);
      delete headers[header];
      expect(verify(headers)).toBe('signature_headers_missing');
    }
  });
});
