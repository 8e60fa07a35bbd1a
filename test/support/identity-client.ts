import { randomBytes } from 'node:crypto';
import { signRequest } from '../../src/identity/request-signature.js';

// A client that behaves like the web app (session cookie, anti-forgery header) or like a
// terminal (signed requests), for the tests of the real server.

export type Answer = { status: number; json: unknown; text: string; headers: Headers };

export type CallOptions = {
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends no anti-forgery header even when the client has one. */
  withoutCsrf?: boolean;
};

async function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Answer> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export class SessionClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    if (this.csrfToken !== undefined && options.withoutCsrf !== true) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const answer = await send(this.baseUrl, method, path, headers, body);
    const setCookie = answer.headers.get('set-cookie');
    if (setCookie !== null) {
      const value = /flechage_session=([^;]*)/.exec(setCookie)?.[1];
      this.cookie = value === undefined || value === '' ? undefined : `flechage_session=${value}`;
    }
    return answer;
  }

  async login(email: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/api/identity/login', { body: { email, password } });
    const csrfToken = (answer.json as { csrfToken?: string } | undefined)?.csrfToken;
    if (csrfToken !== undefined) this.csrfToken = csrfToken;
    return answer;
  }

  get(path: string, options?: CallOptions) {
    return this.call('GET', path, options);
  }

  post(path: string, body?: unknown, options?: CallOptions) {
    return this.call('POST', path, { ...options, body: body ?? {} });
  }

  patch(path: string, body: unknown, options?: CallOptions) {
    return this.call('PATCH', path, { ...options, body });
  }

  delete(path: string, options?: CallOptions) {
    return this.call('DELETE', path, options);
  }
}

export async function loggedIn(baseUrl: string, email: string, password: string) {
  const client = new SessionClient(baseUrl);
  const answer = await client.login(email, password);
  if (answer.status !== 200) throw new Error(`connexion de ${email} refusée : ${answer.text}`);
  return client;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** A terminal: every request signed with its key, a fresh nonce and the current time. */
export class SignedClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials: { keyId: string; secret: string },
  ) {}

  async call(
    method: string,
    path: string,
    options: { body?: unknown; timestamp?: number; nonce?: string } = {},
  ): Promise<Answer & { sentHeaders: Record<string, string> }> {
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const headers = signRequest(this.credentials, {
      method,
      pathWithQuery: path,
      body,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      nonce: options.nonce ?? newNonce(),
    });
    const answer = await send(this.baseUrl, method, path, headers, body === '' ? undefined : body);
    return { ...answer, sentHeaders: headers };
  }
}
