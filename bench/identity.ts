import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApplication } from '../src/app.js';
import { seedDemoPeople } from '../src/cli/demo-people.js';
import { signRequest } from '../src/identity/request-signature.js';
import { verifyJournal } from '../src/identity/verify.js';
import { loadConfiguration } from '../src/platform/config.js';
import { createPool } from '../src/platform/database.js';
import { migrate } from '../src/platform/migrations.js';
import { percentile, prepareBenchDatabase, round, type BenchDatabaseOptions } from './support.js';

// `flechage bench identity`: what authentication costs a request, measured against a route
// that needs none on the same server in the same run. Traffic stays on loopback; each step is
// bounded in time and in count.

export type IdentityBenchOptions = BenchDatabaseOptions & { secondsPerStep: number };

const IN_FLIGHT = 16;
const LOGIN_IN_FLIGHT = 2;
const MAX_REQUESTS_PER_STEP = 200_000;

type Call = () => Promise<number>;
type StepResult = { perSecond: number; p50Ms: number; p99Ms: number; failures: number };

/** A closed loop: `inFlight` callers, each sending its next request when the last one answers. */
async function step(call: Call, seconds: number, inFlight: number): Promise<StepResult> {
  const latencies: number[] = [];
  let failures = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && latencies.length < MAX_REQUESTS_PER_STEP) {
      const sentAt = performance.now();
      const status = await call();
      latencies.push(performance.now() - sentAt);
      if (status >= 300) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, caller));
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  latencies.sort((left, right) => left - right);
  return {
    perSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures,
  };
}

type Clients = {
  noop: Call;
  session: Call;
  signed: Call;
  journaledWrite: Call;
  login: Call;
};

async function loginCookie(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/identity/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken: string };
  const cookie = /flechage_session=[^;]*/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  if (cookie === undefined) throw new Error(`connexion refusée pour ${email}`);
  return { cookie, csrfToken: body.csrfToken };
}

async function prepareClients(baseUrl: string, pool: import('pg').Pool): Promise<Clients> {
  const people = await seedDemoPeople(pool);
  if (people === undefined) throw new Error('base du banc déjà peuplée');
  const agent = await loginCookie(baseUrl, people.accounts.instructeur.email, people.password);
  const beneficiary = await loginCookie(
    baseUrl,
    people.accounts.beneficiaire.email,
    people.password,
  );
  const owner = await loginCookie(baseUrl, people.accounts.commercant.email, people.password);
  const keyResponse = await fetch(
    `${baseUrl}/api/identity/organisations/${people.organisations.librairie}/api-keys`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: owner.cookie,
        'x-csrf-token': owner.csrfToken,
      },
      body: JSON.stringify({ label: 'Banc d’essai', role: 'terminal' }),
    },
  );
  const key = (await keyResponse.json()) as { keyId: string; secret: string };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    return response.status;
  };
  let writes = 0;
  return {
    noop: () => get('/api/identity/session'),
    session: () => get('/api/identity/me', { cookie: agent.cookie }),
    signed: () =>
      get(
        '/api/identity/me',
        signRequest(key, {
          method: 'GET',
          pathWithQuery: '/api/identity/me',
          body: '',
          timestamp: Math.floor(Date.now() / 1000),
          nonce: randomBytes(16).toString('hex'),
        }),
      ),
    journaledWrite: async () => {
      writes += 1;
      const response = await fetch(`${baseUrl}/api/identity/profile`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          cookie: beneficiary.cookie,
          'x-csrf-token': beneficiary.csrfToken,
        },
        body: JSON.stringify({ displayName: `Camille ${writes}` }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    login: async () => {
      const response = await fetch(`${baseUrl}/api/identity/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: people.accounts.auditeur.email, password: people.password }),
      });
      await response.arrayBuffer();
      return response.status;
    },
  };
}

export type IdentityBenchResult = Record<string, number | string>;

function figures(name: string, result: StepResult, noop: StepResult): IdentityBenchResult {
  return {
    [`${name}_per_s`]: Math.round(result.perSecond),
    [`${name}_p50_ms`]: round(result.p50Ms),
    [`${name}_p99_ms`]: round(result.p99Ms),
    [`${name}_ratio_to_noop`]: round(result.perSecond / noop.perSecond),
    [`${name}_failures`]: result.failures,
  };
}

async function measure(baseUrl: string, pool: import('pg').Pool, options: IdentityBenchOptions) {
  const clients = await prepareClients(baseUrl, pool);
  const seconds = options.secondsPerStep;
  options.log(`Route sans authentification (${seconds} s)…`);
  const noop = await step(clients.noop, seconds, IN_FLIGHT);
  options.log('Route authentifiée par session…');
  const session = await step(clients.session, seconds, IN_FLIGHT);
  options.log('Route authentifiée par requête signée…');
  const signed = await step(clients.signed, seconds, IN_FLIGHT);
  options.log('Modification journalisée (profil)…');
  const journaled = await step(clients.journaledWrite, seconds, IN_FLIGHT);
  options.log('Connexions par mot de passe (argon2id)…');
  const login = await step(clients.login, seconds, LOGIN_IN_FLIGHT);
  return {
    noop_per_s: Math.round(noop.perSecond),
    noop_p99_ms: round(noop.p99Ms),
    ...figures('session', session, noop),
    ...figures('signed', signed, noop),
    ...figures('journaled_write', journaled, noop),
    ...figures('login', login, noop),
  };
}

export async function benchIdentity(options: IdentityBenchOptions): Promise<IdentityBenchResult> {
  const { url, stop } = await prepareBenchDatabase(options, 'flechage_bench_identity');
  const pool = createPool(url, 12);
  const configuration = loadConfiguration({
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    FLECHAGE_DATABASE_POOL_SIZE: '12',
  });
  try {
    await migrate(pool);
    const application = await buildApplication(configuration, pool, {
      log: () => undefined,
      web: false,
    });
    try {
      await application.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = application.server.server.address() as AddressInfo;
      const result = await measure(`http://127.0.0.1:${port}`, pool, options);
      const journal = await verifyJournal(pool);
      return {
        ...result,
        journal_entries: journal.entries,
        journal_violations: journal.violations.length,
      };
    } finally {
      await application.close();
    }
  } finally {
    await pool.end();
    await stop();
  }
}
