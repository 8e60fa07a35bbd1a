import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalIdentity, OidcProviderConfiguration } from '../../src/identity/oidc.js';
import {
  oidcRoutes,
  OIDC_STATE_COOKIE,
  type OidcLoginOutcome,
} from '../../src/identity/oidc-routes.js';
import {
  consumeOidcTransaction,
  purgeExpiredOidcTransactions,
  saveOidcTransaction,
} from '../../src/identity/oidc-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  browse,
  CookieJar,
  loginThroughProvider,
  reserveLoopbackPort,
  startTestOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider.js';

// The whole OpenID Connect login against a real provider (oidc-provider) on loopback: our
// start route, its authorization endpoint and login page, our callback, then completeLogin.

const CLIENT_ID = 'flechage-test';
const CLIENT_SECRET = 'secret-du-client-de-test-0123456789';
const AGENT = {
  sub: 'agent-0001',
  email: 'Camille.Martin@Example.gouv.fr',
  emailVerified: true,
  givenName: 'Camille',
  familyName: 'Martin',
};
const REFUSED = { sub: 'inconnu-0002', email: 'refuse@example.fr', emailVerified: false };

type LogLine = { level: number; msg: string; code?: string; providerId?: string };

let database: TestDatabase;
let server: FastifyInstance;
let baseUrl: string;
let userinfoProvider: TestOidcProvider;
let idTokenProvider: TestOidcProvider;
const identities: ExternalIdentity[] = [];
const logs: LogLine[] = [];

function provider(
  id: string,
  issuer: string,
  overrides: Partial<OidcProviderConfiguration> = {},
): OidcProviderConfiguration {
  return {
    id,
    label: `Fournisseur ${id}`,
    kind: 'generique',
    audience: 'agents',
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: 'openid email profile',
    acrValues: undefined,
    ...overrides,
  };
}

/** Records who logged in; refuses the one account no person matches, as the platform would. */
async function completeLogin(
  identity: ExternalIdentity,
  _request: unknown,
  reply: { header(name: string, value: string): unknown },
): Promise<OidcLoginOutcome> {
  identities.push(identity);
  if (identity.subject === REFUSED.sub)
    return {
      ok: false,
      code: 'compte_inconnu',
      message: 'Aucun compte n’est lié à cette identité.',
    };
  reply.header('set-cookie', 'flechage_session=session-de-test; Path=/; HttpOnly');
  return { ok: true };
}

function callbackUris(publicUrl: string, ids: string[]): string[] {
  return ids.map((id) => `${publicUrl}/api/identity/oidc/${id}/callback`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const port = await reserveLoopbackPort();
  baseUrl = `http://127.0.0.1:${port}`;
  const client = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  userinfoProvider = await startTestOidcProvider({
    clients: [
      { ...client, redirectUris: callbackUris(baseUrl, ['test', 'mauvais-secret', 'acr']) },
    ],
    accounts: [AGENT, REFUSED],
  });
  idTokenProvider = await startTestOidcProvider({
    clients: [{ ...client, redirectUris: callbackUris(baseUrl, ['jetons-complets']) }],
    accounts: [AGENT],
    claimsInIdToken: true,
  });
  const closedPort = await reserveLoopbackPort();
  server = Fastify({
    logger: { level: 'warn', stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  await server.register(oidcRoutes, {
    pool: database.pool,
    publicUrl: `${baseUrl}/`,
    completeLogin,
    providers: [
      provider('test', userinfoProvider.issuer),
      provider('mauvais-secret', userinfoProvider.issuer, { clientSecret: 'pas-le-bon-secret' }),
      provider('acr', userinfoProvider.issuer, { kind: 'proconnect', acrValues: 'eidas1' }),
      provider('jetons-complets', idTokenProvider.issuer, { audience: 'citoyens' }),
      provider('injoignable', `http://127.0.0.1:${closedPort}`),
    ],
  });
  await server.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await server?.close();
  await userinfoProvider?.close();
  await idTokenProvider?.close();
  await database?.drop();
});

beforeEach(async () => {
  identities.length = 0;
  logs.length = 0;
  await database.pool.query('delete from oidc_transactions');
});

const startUrl = (providerId: string, returnTo?: string) => {
  const url = new URL(`/api/identity/oidc/${providerId}/start`, baseUrl);
  if (returnTo !== undefined) url.searchParams.set('returnTo', returnTo);
  return url;
};

const isCallback = (next: URL) => next.pathname.endsWith('/callback');

/** Logs in up to the provider's redirect to our callback, which is not followed. */
async function reachCallback(providerId = 'test', login = AGENT.sub) {
  const jar = new CookieJar();
  const journey = await loginThroughProvider(startUrl(providerId), {
    jar,
    login,
    until: isCallback,
  });
  return { jar, callbackUrl: journey.finalLocation };
}

function expectLoginFailure(location: URL, code: string): void {
  expect(location.origin).toBe(baseUrl);
  expect(location.pathname).toBe('/connexion');
  expect(location.searchParams.get('erreur')).toBe(code);
  expect(location.searchParams.get('message')).toMatch(/[a-zà-ÿ’ ]{10,}/i);
}

async function transactionCount(): Promise<number> {
  const result = await database.pool.query<{ count: string }>(
    'select count(*) from oidc_transactions',
  );
  return Number(result.rows[0]?.count);
}

describe('connexion OpenID Connect contre un vrai fournisseur', () => {
  it('liste les fournisseurs sans jamais livrer leurs secrets', async () => {
    const response = await fetch(new URL('/api/identity/oidc/providers', baseUrl));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain('pas-le-bon-secret');
    expect(JSON.parse(text)).toContainEqual({
      id: 'jetons-complets',
      label: 'Fournisseur jetons-complets',
      kind: 'generique',
      audience: 'citoyens',
    });
  });

  it('connecte de bout en bout (PKCE S256, state, nonce, userinfo) et revient à returnTo', async () => {
    const jar = new CookieJar();
    const journey = await loginThroughProvider(startUrl('test', '/espace/dossiers?onglet=2'), {
      jar,
      login: AGENT.sub,
    });
    expect(journey.finalLocation.href).toBe(`${baseUrl}/espace/dossiers?onglet=2`);
    const authorization = journey.visited.find((url) => url.pathname === '/auth');
    expect(authorization?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization?.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(32);
    expect(authorization?.searchParams.get('redirect_uri')).toBe(
      `${baseUrl}/api/identity/oidc/test/callback`,
    );
    expect(identities).toEqual([
      {
        providerId: 'test',
        audience: 'agents',
        issuer: userinfoProvider.issuer,
        subject: AGENT.sub,
        email: 'camille.martin@example.gouv.fr',
        emailVerified: true,
        givenName: 'Camille',
        familyName: 'Martin',
      },
    ]);
    expect(userinfoProvider.requestedPaths).toContain('/me');
    expect(jar.value('flechage_session')).toBe('session-de-test');
    expect(jar.value(OIDC_STATE_COOKIE)).toBeUndefined();
    expect(await transactionCount()).toBe(0);
  });

  it('se passe de userinfo quand le jeton d’identité porte déjà le courriel', async () => {
    const journey = await loginThroughProvider(startUrl('jetons-complets'), {
      jar: new CookieJar(),
      login: AGENT.sub,
    });
    expect(journey.finalLocation.href).toBe(`${baseUrl}/espace`);
    expect(identities[0]).toMatchObject({
      providerId: 'jetons-complets',
      audience: 'citoyens',
      issuer: idTokenProvider.issuer,
      email: 'camille.martin@example.gouv.fr',
      familyName: 'Martin',
    });
    expect(idTokenProvider.requestedPaths).not.toContain('/me');
  });

  it('transmet acr_values quand le fournisseur en demande', async () => {
    const journey = await loginThroughProvider(startUrl('acr'), {
      jar: new CookieJar(),
      login: AGENT.sub,
    });
    const authorization = journey.visited.find((url) => url.pathname === '/auth');
    expect(authorization?.searchParams.get('acr_values')).toBe('eidas1');
    expect(journey.finalLocation.pathname).toBe('/espace');
  });

  it('ramène un returnTo hors du site à /espace', async () => {
    for (const returnTo of ['//evil.example', '/\\evil.example', 'https://evil.example/']) {
      const journey = await loginThroughProvider(startUrl('test', returnTo), {
        jar: new CookieJar(),
        login: AGENT.sub,
      });
      expect(journey.finalLocation.href).toBe(`${baseUrl}/espace`);
    }
  });

  it('refuse de rejouer un retour du fournisseur (un state ne sert qu’une fois)', async () => {
    const { jar, callbackUrl } = await reachCallback();
    const first = await browse(jar, callbackUrl);
    expect(first.headers.get('location')).toBe('/espace');
    // The same answer again, even from a browser still holding the state cookie.
    const state = callbackUrl.searchParams.get('state') ?? '';
    const replay = await fetch(callbackUrl, {
      redirect: 'manual',
      headers: { cookie: `${OIDC_STATE_COOKIE}=${state}` },
    });
    expect(replay.status).toBe(302);
    expectLoginFailure(new URL(replay.headers.get('location') ?? '', baseUrl), 'state_invalid');
    expect(identities).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, code: 'state_invalid', providerId: 'test' }),
    );
  });

  it('n’accepte qu’un seul de deux retours simultanés avec le même state', async () => {
    const { jar, callbackUrl } = await reachCallback();
    const responses = await Promise.all([browse(jar, callbackUrl), browse(jar, callbackUrl)]);
    const locations = responses.map((response) => response.headers.get('location') ?? '');
    expect(locations.filter((location) => location === '/espace')).toHaveLength(1);
    expect(identities).toHaveLength(1);
  });

  it('vérifie le nonce du jeton d’identité', async () => {
    const { jar, callbackUrl } = await reachCallback();
    await database.pool.query(`update oidc_transactions set nonce = repeat('n', 43)`);
    const response = await browse(jar, callbackUrl);
    expectLoginFailure(
      new URL(response.headers.get('location') ?? '', baseUrl),
      'response_invalid',
    );
    expect(identities).toEqual([]);
  });

  it('présente le vérificateur PKCE : un autre est refusé par le fournisseur', async () => {
    const { jar, callbackUrl } = await reachCallback();
    await database.pool.query(`update oidc_transactions set code_verifier = repeat('v', 43)`);
    const response = await browse(jar, callbackUrl);
    expectLoginFailure(
      new URL(response.headers.get('location') ?? '', baseUrl),
      'code_exchange_refused',
    );
    expect(identities).toEqual([]);
  });

  it('refuse un state altéré', async () => {
    const { jar, callbackUrl } = await reachCallback();
    callbackUrl.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
    const response = await browse(jar, callbackUrl);
    expectLoginFailure(new URL(response.headers.get('location') ?? '', baseUrl), 'state_invalid');
    expect(identities).toEqual([]);
  });

  it('refuse un retour ouvert dans un autre navigateur (connexion forcée)', async () => {
    const { callbackUrl } = await reachCallback();
    const response = await browse(new CookieJar(), callbackUrl);
    expectLoginFailure(new URL(response.headers.get('location') ?? '', baseUrl), 'state_invalid');
    expect(identities).toEqual([]);
  });

  it('refuse un state émis pour un autre fournisseur', async () => {
    const { jar, callbackUrl } = await reachCallback();
    const elsewhere = new URL(
      callbackUrl.href.replace('/test/callback', '/jetons-complets/callback'),
    );
    const response = await browse(jar, elsewhere);
    expectLoginFailure(new URL(response.headers.get('location') ?? '', baseUrl), 'state_invalid');
  });

  it('refuse une connexion expirée, et la purge la supprime', async () => {
    const { jar, callbackUrl } = await reachCallback();
    await database.pool.query(
      "update oidc_transactions set expires_at = now() - interval '1 second'",
    );
    const response = await browse(jar, callbackUrl);
    expectLoginFailure(new URL(response.headers.get('location') ?? '', baseUrl), 'state_invalid');
    expect(await purgeExpiredOidcTransactions(database.pool)).toBe(1);
    expect(await transactionCount()).toBe(0);
  });

  it('rend compte d’une connexion annulée chez le fournisseur (access_denied)', async () => {
    const journey = await loginThroughProvider(startUrl('test'), {
      jar: new CookieJar(),
      cancel: true,
    });
    expectLoginFailure(journey.finalLocation, 'login_cancelled');
    expect(identities).toEqual([]);
    expect(await transactionCount()).toBe(0);
  });

  it('répond 404 en JSON pour un fournisseur inconnu', async () => {
    const response = await fetch(startUrl('inexistant'), { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 'provider_unknown',
      message: expect.stringMatching(/fournisseur/),
    });
    const callback = await fetch(new URL('/api/identity/oidc/inexistant/callback', baseUrl), {
      redirect: 'manual',
    });
    expectLoginFailure(
      new URL(callback.headers.get('location') ?? '', baseUrl),
      'provider_unknown',
    );
  });

  it('refuse la connexion, en français et sans erreur 500, quand le secret client est faux', async () => {
    const journey = await loginThroughProvider(startUrl('mauvais-secret'), {
      jar: new CookieJar(),
      login: AGENT.sub,
    });
    expectLoginFailure(journey.finalLocation, 'code_exchange_refused');
    expect(journey.finalLocation.searchParams.get('message')).toContain('fournisseur d’identité');
    expect(identities).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        code: 'code_exchange_refused',
        providerId: 'mauvais-secret',
      }),
    );
  });

  it('renvoie vers la page de connexion quand la plateforme refuse l’identité', async () => {
    const journey = await loginThroughProvider(startUrl('test'), {
      jar: new CookieJar(),
      login: REFUSED.sub,
    });
    expectLoginFailure(journey.finalLocation, 'compte_inconnu');
    expect(journey.finalLocation.searchParams.get('message')).toBe(
      'Aucun compte n’est lié à cette identité.',
    );
    expect(identities).toMatchObject([{ subject: REFUSED.sub, emailVerified: false }]);
  });

  it('renvoie vers la page de connexion quand le fournisseur ne répond pas', async () => {
    const response = await fetch(startUrl('injoignable'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expectLoginFailure(
      new URL(response.headers.get('location') ?? '', baseUrl),
      'provider_unreachable',
    );
  });
});

describe('stockage des connexions en cours', () => {
  const transaction = (state: string) => ({
    state,
    providerId: 'test',
    codeVerifier: 'v'.repeat(43),
    nonce: 'n'.repeat(16),
    returnTo: '/espace',
  });

  it('borne le nombre de connexions en cours et n’en rend chacune qu’une fois', async () => {
    const limits = { lifetimeSeconds: 600, maxPending: 2 };
    expect(await saveOidcTransaction(database.pool, transaction('a'.repeat(16)), limits)).toBe(
      true,
    );
    expect(await saveOidcTransaction(database.pool, transaction('b'.repeat(16)), limits)).toBe(
      true,
    );
    expect(await saveOidcTransaction(database.pool, transaction('c'.repeat(16)), limits)).toBe(
      false,
    );
    expect(await consumeOidcTransaction(database.pool, 'a'.repeat(16))).toEqual(
      transaction('a'.repeat(16)),
    );
    expect(await consumeOidcTransaction(database.pool, 'a'.repeat(16))).toBeUndefined();
    expect(await saveOidcTransaction(database.pool, transaction('c'.repeat(16)), limits)).toBe(
      true,
    );
    await database.pool.query('delete from oidc_transactions');
  });
});
