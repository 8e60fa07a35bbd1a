import { expect } from 'vitest';
import { TRANSFER_RESULT_MESSAGES } from '../../src/ledger/results.js';
import { PLATFORM_ERRORS } from '../../src/platform/errors.js';
import { TEST_OPERATOR_TOKEN } from '../support/server.js';

// Small HTTP client for the tests of the real server: every answer is kept, so that a test can
// check afterwards that none of them leaked a stack trace.

export type HttpAnswer = {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
};

export type RequestOptions = {
  /** A value to send as JSON (serialised with JSON.stringify). */
  body?: unknown;
  /** Raw text sent as is (for malformed JSON, numbers beyond 2^53, `__proto__` keys…). */
  raw?: string;
  contentType?: string;
  /** The Authorization header: the operator token by default, `null` to send none. */
  authorization?: string | null;
};

export type HttpClient = {
  request(method: string, path: string, options?: RequestOptions): Promise<HttpAnswer>;
  get(path: string, options?: RequestOptions): Promise<HttpAnswer>;
  post(path: string, body: unknown, options?: RequestOptions): Promise<HttpAnswer>;
  answers: HttpAnswer[];
};

export const OPERATOR_AUTHORIZATION = `Bearer ${TEST_OPERATOR_TOKEN}`;

export function httpClient(baseUrl: string): HttpClient {
  const answers: HttpAnswer[] = [];
  async function request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    const authorization =
      options.authorization === undefined ? OPERATOR_AUTHORIZATION : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined || options.contentType !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(new URL(path, baseUrl), { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let json: unknown;
    if (contentType.includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const answer: HttpAnswer = {
      method,
      path,
      status: response.status,
      contentType,
      text,
      headers: response.headers,
      json,
    };
    answers.push(answer);
    return answer;
  }
  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    answers,
  };
}

// A French sentence: an accented letter, French typography or a common French word; and none of
// the English words of the default messages of Fastify, zod or Node.
const FRENCH_MARK =
  /[àâçéèêëîïôûùüÿœ’«»]|\b(le|la|les|des|du|de|un|une|est|pas|au|aux|et|ou|ce|cette|en|sur|dans|pour|par|avec|aucun|aucune|requise?|attendue?|reçue?|compte|solde|virement|montant|inconnue?|insuffisante?|invalide|refusée?|trop)\b/i;
const ENGLISH_MARK =
  /\b(the|is|not|invalid|expected|must|required|found|error|received|bad request|unauthorized|forbidden|payload|too large|unsupported)\b/i;

export function expectFrench(message: unknown, context = ''): void {
  expect(typeof message, `message texte attendu ${context}`).toBe('string');
  const text = message as string;
  expect(text.trim().length, `message vide ${context}`).toBeGreaterThan(0);
  expect(text, `message non français ${context}`).toMatch(FRENCH_MARK);
  expect(text, `message en anglais ${context}`).not.toMatch(ENGLISH_MARK);
}

/** The one French message the code has in the platform's or the ledger's catalogue. */
export function catalogMessage(code: string): string | undefined {
  if (Object.hasOwn(PLATFORM_ERRORS, code)) {
    return PLATFORM_ERRORS[code as keyof typeof PLATFORM_ERRORS].message;
  }
  if (Object.hasOwn(TRANSFER_RESULT_MESSAGES, code)) {
    return TRANSFER_RESULT_MESSAGES[code as keyof typeof TRANSFER_RESULT_MESSAGES];
  }
  return undefined;
}

/** An error answer: the given status and code, a French message, and French details if any. */
export function expectError(answer: HttpAnswer, status: number, code: string): void {
  const context = `(${answer.method} ${answer.path} → ${answer.status} ${answer.text.slice(0, 300)})`;
  expect(answer.status, context).toBe(status);
  expect(answer.contentType, context).toContain('application/json');
  const body = answer.json as { code?: unknown; message?: unknown; details?: unknown };
  expect(body?.code, context).toBe(code);
  expectFrench(body.message, context);
  expect(body.message, context).toBe(catalogMessage(code) ?? body.message);
  if (Array.isArray(body.details)) {
    for (const detail of body.details as { message?: unknown }[]) {
      expectFrench(detail.message, context);
    }
  }
  expectNoStackTrace(answer);
}

const STACK_FRAME = /\bat\s+(?:[\w$.<>[\] ]+\s+\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+/;

export function expectNoStackTrace(answer: HttpAnswer): void {
  const context = `(${answer.method} ${answer.path} → ${answer.status})`;
  expect(answer.text, context).not.toMatch(STACK_FRAME);
  expect(answer.text, context).not.toContain('Error:');
  expect(answer.text, context).not.toMatch(/"stack"\s*:/);
  expect(answer.text, context).not.toMatch(/node_modules|\/src\/|\.ts:\d+/);
}
