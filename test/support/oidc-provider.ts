import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real OpenID Connect provider for tests (the `oidc-provider` package) on a free loopback
// port, and a browser stand-in (fetch, manual redirects, a cookie jar) to log in through it.

export type TestOidcAccount = {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  givenName?: string;
  familyName?: string;
};

export type TestOidcClient = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  authMethod?: 'client_secret_basic' | 'client_secret_post';
};

export type TestOidcProviderOptions = {
  clients: TestOidcClient[];
  accounts: TestOidcAccount[];
  /** Puts email and names in the ID token too; by default they come from userinfo only. */
  claimsInIdToken?: boolean;
};

export type TestOidcProvider = {
  issuer: string;
  /** What the provider's login form was told: one per login, in order. */
  logins: string[];
  /** Every path the provider served (`/me` is userinfo, `/token` the code exchange). */
  requestedPaths: string[];
  close(): Promise<void>;
};

/** The slice of oidc-provider's API these tests use (the package ships no type definitions). */
type OidcProviderInstance = {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  interactionDetails(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ uid: string; prompt: { name: string } }>;
  interactionFinished(
    request: IncomingMessage,
    response: ServerResponse,
    result: Record<string, unknown>,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
};
type OidcProviderConstructor = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => OidcProviderInstance;
type GrantLike = { addOIDCScope(scope: string): void; save(): Promise<string> };
type GrantContext = {
  oidc: {
    provider: { Grant: new (fields: { clientId: string; accountId: string }) => GrantLike };
    client: { clientId: string };
    session: { accountId: string };
  };
};

/**
 * Imports the package with its notices silenced: it warns about Node 20 and about the
 * development defaults (in-memory storage, generated keys) that a test wants anyway.
 */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const { warn, info } = console;
  const filter =
    (write: (...values: unknown[]) => void) =>
    (...values: unknown[]) => {
      if (typeof values[0] === 'string' && values[0].startsWith('oidc-provider ')) return;
      write(...values);
    };
  console.warn = filter(warn);
  console.info = filter(info);
  try {
    return await action();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

async function loadProviderClass(): Promise<OidcProviderConstructor> {
  // A computed specifier: TypeScript then asks for no type definitions the package lacks.
  const specifier = 'oidc-provider';
  const imported = (await import(specifier)) as { default: OidcProviderConstructor };
  return imported.default;
}

function accountClaims(account: TestOidcAccount): Record<string, unknown> {
  return {
    sub: account.sub,
    email: account.email,
    email_verified: account.emailVerified,
    given_name: account.givenName,
    family_name: account.familyName,
  };
}

function providerConfiguration(options: TestOidcProviderOptions): Record<string, unknown> {
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  return {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: client.authMethod ?? 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    // Short lives, in seconds, stated rather than left to defaults that print a notice each.
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 300,
      Interaction: 600,
      Session: 600,
    },
    claims: { email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    conformIdTokenClaims: options.claimsInIdToken !== true,
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_context: unknown, sub: string) {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return { accountId: sub, claims: async () => accountClaims(account) };
    },
    // First-party test clients: consent is granted at once instead of asking.
    async loadExistingGrant(context: GrantContext) {
      const grant = new context.oidc.provider.Grant({
        clientId: context.oidc.client.clientId,
        accountId: context.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async renderError(context: { type: string; body: string }, out: Record<string, string>) {
      context.type = 'json';
      context.body = JSON.stringify(out);
    },
  };
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const LOGIN_PAGE = `<!doctype html><form method="post"><input name="login"><button>Se connecter</button>
<button name="abort" value="1">Annuler</button></form>`;

/** The provider's own login page: any known account signs in with its subject, no password. */
async function handleInteraction(
  provider: OidcProviderInstance,
  request: IncomingMessage,
  response: ServerResponse,
  logins: string[],
): Promise<void> {
  await provider.interactionDetails(request, response);
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE);
    return;
  }
  const form = await readForm(request);
  const login = form.get('login') ?? '';
  logins.push(login);
  const result =
    form.get('abort') === '1'
      ? { error: 'access_denied', error_description: 'la personne a annulé' }
      : { login: { accountId: login } };
  await provider.interactionFinished(request, response, result, {
    mergeWithLastSubmission: false,
  });
}

export async function startTestOidcProvider(
  options: TestOidcProviderOptions,
): Promise<TestOidcProvider> {
  const logins: string[] = [];
  const requestedPaths: string[] = [];
  // The issuer names the port, so the provider exists only once the server listens.
  const ready: {
    provider?: OidcProviderInstance;
    handle?: (request: IncomingMessage, response: ServerResponse) => void;
  } = {};
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://provider.invalid').pathname;
    requestedPaths.push(path);
    const { provider, handle } = ready;
    if (provider === undefined || handle === undefined) return void response.writeHead(503).end();
    if (!path.startsWith('/interaction/')) return handle(request, response);
    handleInteraction(provider, request, response, logins).catch((error: unknown) => {
      response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ready.provider = await quietly(async () => {
    const Provider = await loadProviderClass();
    return new Provider(issuer, providerConfiguration(options));
  });
  ready.handle = ready.provider.callback();
  return {
    issuer,
    logins,
    requestedPaths,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type StoredCookie = { name: string; value: string; host: string; path: string; expiresAt: number };

/** Just enough of a browser's cookie store: per host (ports share cookies), path and expiry. */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      let path = '/';
      let expiresAt = Number.POSITIVE_INFINITY;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.trim().split('=');
        if (key.toLowerCase() === 'path') path = attributeValue;
        if (key.toLowerCase() === 'max-age') expiresAt = Date.now() + Number(attributeValue) * 1000;
        if (key.toLowerCase() === 'expires') expiresAt = Date.parse(attributeValue);
      }
      this.cookies = this.cookies.filter(
        (cookie) => !(cookie.name === name && cookie.host === url.hostname && cookie.path === path),
      );
      if (expiresAt > Date.now())
        this.cookies.push({ name, value, host: url.hostname, path, expiresAt });
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter(
        (cookie) =>
          cookie.host === url.hostname &&
          cookie.expiresAt > Date.now() &&
          (url.pathname === cookie.path ||
            url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)),
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  value(name: string): string | undefined {
    return this.cookies.find((cookie) => cookie.name === name)?.value;
  }
}

/** One request as a browser would send it: the jar's cookies, no automatic redirect. */
export async function browse(
  jar: CookieJar,
  url: URL,
  init: { method?: string; form?: URLSearchParams } = {},
): Promise<Response> {
  const headers: Record<string, string> = { cookie: jar.header(url) };
  if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.form?.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  jar.store(url, response);
  return response;
}

export type LoginJourney = {
  /** Where the journey stopped: by default where the application finally sends the browser
   *  (returnTo, or the login page on failure); not visited. */
  finalLocation: URL;
  /** Every address visited, in order. */
  visited: URL[];
};

/** Where a journey ends unless told: the application sends the browser outside its API. */
const leavesTheApi = (startUrl: URL) => (next: URL) =>
  next.origin === startUrl.origin && !next.pathname.startsWith('/api/');

/**
 * Drives a login as a browser: from `startUrl` (the application's start route) through the
 * provider's login page, where it types `login` (or cancels), back to the application, until
 * the next address satisfies `until` (by default: the application redirects outside its API).
 */
export async function loginThroughProvider(
  startUrl: URL,
  options: { jar: CookieJar; until?: (next: URL) => boolean } & (
    { login: string } | { cancel: true }
  ),
): Promise<LoginJourney> {
  const until = options.until ?? leavesTheApi(startUrl);
  const visited: URL[] = [];
  let url = startUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 20; step += 1) {
    visited.push(url);
    const response = await browse(options.jar, url, form ? { method: 'POST', form } : {});
    form = undefined;
    if (response.status === 200 && url.pathname.startsWith('/interaction/')) {
      form = new URLSearchParams('cancel' in options ? { abort: '1' } : { login: options.login });
      continue;
    }
    const location = response.headers.get('location');
    if (location === null) {
      const body = await response.text();
      throw new Error(`${url.href} a répondu ${response.status} sans redirection : ${body}`);
    }
    const next = new URL(location, url);
    if (until(next)) return { finalLocation: next, visited };
    url = next;
  }
  throw new Error(`Connexion sans fin : ${visited.map((visit) => visit.href).join(' → ')}`);
}

/**
 * A free loopback port, for an application whose public address (hence its OpenID redirect
 * URI) must be known before it listens. Another process could take it meanwhile: tests only.
 */
export async function reserveLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
