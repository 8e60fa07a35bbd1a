import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { totpCode, totpStepAt } from '../../src/identity/totp.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, SessionClient, SignedClient, type Answer } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';

// Logging in and staying in: sessions, anti-forgery, brute-force limits, the second factor,
// and the signed requests of machines.

let server: TestServer;
let people: DemoPeople;

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  const body = answer.json as { code: string; message: string };
  expect(body.code).toBe(code);
  expect(body.message).toMatch(/[a-zà-ÿ]{3,}/i);
}

async function journalCount(): Promise<number> {
  const result = await server.database.pool.query<{ count: number }>(
    'select count(*)::int as count from audit_journal',
  );
  return (result.rows[0] as { count: number }).count;
}

beforeAll(async () => {
  server = await startTestServer({
    web: false,
    environment: {
      FLECHAGE_LOGIN_MAX_FAILURES_PER_EMAIL: '5',
      FLECHAGE_LOGIN_MAX_FAILURES_PER_ADDRESS: '12',
    },
  });
  people = await seedPeople(server.database.pool);
});

afterAll(async () => {
  await server.close();
});

describe('connexion par mot de passe', () => {
  it('ouvre une session dans un cookie httpOnly, SameSite=Strict et Secure', async () => {
    const client = new SessionClient(server.baseUrl);
    const answer = await client.login(people.accounts.instructeur.email, people.password);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'connecte', csrfToken: expect.any(String) });
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^flechage_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    const session = await client.get('/api/identity/session');
    expect(session.json).toMatchObject({
      authenticated: true,
      person: { email: people.accounts.instructeur.email },
      memberships: [{ role: 'instructeur', organisationName: 'Département de la Gironde' }],
    });
  });

  it('l’adresse est insensible à la casse et aux espaces autour', async () => {
    const client = new SessionClient(server.baseUrl);
    const email = `  ${people.accounts.controleur.email.toUpperCase()} `;
    expect((await client.login(email, people.password)).status).toBe(200);
  });

  it('mauvais mot de passe et compte inconnu donnent la même réponse', async () => {
    const wrong = await new SessionClient(server.baseUrl).login(
      people.accounts.auditeur.email,
      'pas-le-bon-mot-de-passe',
    );
    const unknown = await new SessionClient(server.baseUrl).login(
      'personne@nulle-part.fr',
      'pas-le-bon-mot-de-passe',
    );
    expectRefusal(wrong, 401, 'invalid_credentials');
    expect(unknown.text).toBe(wrong.text);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['une adresse trop longue', { email: `${'a'.repeat(300)}@x.fr`, password: 'x' }],
    ['une adresse en forme d’injection', { email: "' or 1=1 --", password: 'x' }],
    ['un mot de passe de 10 000 caractères', { email: 'a@b.fr', password: 'x'.repeat(10_000) }],
    ['un champ inconnu', { email: 'a@b.fr', password: 'x', admin: true }],
    ['un nombre à la place du mot de passe', { email: 'a@b.fr', password: 12 }],
  ])('refuse %s : 400, en français', async (_name, body) => {
    const answer = await new SessionClient(server.baseUrl).post('/api/identity/login', body);
    expectRefusal(answer, 400, 'validation_failed');
  });

  it('après 5 échecs sur une adresse, même le bon mot de passe attend : 429', async () => {
    const email = people.accounts.gestionnaire.email;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await new SessionClient(server.baseUrl).login(email, 'mauvais-mot-de-passe');
      expectRefusal(answer, 401, 'invalid_credentials');
    }
    const blocked = await new SessionClient(server.baseUrl).login(email, people.password);
    expectRefusal(blocked, 429, 'too_many_attempts');
    expect(blocked.headers.get('set-cookie')).toBeNull();
    // Another account is not locked by someone guessing this one.
    expect(
      (
        await new SessionClient(server.baseUrl).login(
          people.accounts.caissier.email,
          people.password,
        )
      ).status,
    ).toBe(200);
  });

  it('une même adresse IP qui essaie beaucoup de comptes est arrêtée aussi', async () => {
    let last: Answer | undefined;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      last = await new SessionClient(server.baseUrl).login(
        `essai-${attempt}@exemple.fr`,
        'mauvais-mot-de-passe',
      );
    }
    expectRefusal(last as Answer, 429, 'too_many_attempts');
    await server.database.pool.query('delete from login_attempts');
  });
});

describe('session et anti-falsification', () => {
  it('une modification sans jeton anti-falsification est refusée et n’écrit rien', async () => {
    const client = await loggedIn(
      server.baseUrl,
      people.accounts.beneficiaire.email,
      people.password,
    );
    const other = await loggedIn(server.baseUrl, people.accounts.aidant.email, people.password);
    const before = await journalCount();
    const withoutToken = await client.patch(
      '/api/identity/profile',
      { displayName: 'Pirate' },
      { withoutCsrf: true },
    );
    expectRefusal(withoutToken, 403, 'csrf_token_invalid');
    const wrongToken = await client.patch(
      '/api/identity/profile',
      { displayName: 'Pirate' },
      { withoutCsrf: true, headers: { 'x-csrf-token': 'A'.repeat(43) } },
    );
    expectRefusal(wrongToken, 403, 'csrf_token_invalid');
    const tokenOfAnotherSession = await client.patch(
      '/api/identity/profile',
      { displayName: 'Pirate' },
      { withoutCsrf: true, headers: { 'x-csrf-token': other.csrfToken as string } },
    );
    expectRefusal(tokenOfAnotherSession, 403, 'csrf_token_invalid');
    expect(await journalCount()).toBe(before);
    expect((await client.get('/api/identity/profile')).json).toMatchObject({
      displayName: 'Camille Martin',
    });
    // The same change with the token goes through.
    const accepted = await client.patch('/api/identity/profile', { phone: '06 12 34 56 78' });
    expect(accepted.status, accepted.text).toBe(200);
  });

  it('une session fermée est refusée aussitôt, sur cette session comme depuis une autre', async () => {
    const first = await loggedIn(server.baseUrl, people.accounts.auditeur.email, people.password);
    const second = await loggedIn(server.baseUrl, people.accounts.auditeur.email, people.password);
    const sessions = (await first.get('/api/identity/sessions')).json as {
      id: number;
      current: boolean;
    }[];
    const secondId = sessions.find((session) => !session.current)?.id;
    expect((await first.delete(`/api/identity/sessions/${secondId}`)).status).toBe(204);
    expectRefusal(await second.get('/api/identity/organisations'), 401, 'authentication_required');
    const cookie = first.cookie;
    expect((await first.post('/api/identity/logout')).status).toBe(204);
    const replayed = new SessionClient(server.baseUrl);
    replayed.cookie = cookie;
    expectRefusal(
      await replayed.get('/api/identity/organisations'),
      401,
      'authentication_required',
    );
  });

  it('une session inactive au-delà du délai est refusée', async () => {
    const client = await loggedIn(server.baseUrl, people.accounts.caissier.email, people.password);
    expect((await client.get('/api/identity/me')).status).toBe(200);
    await server.database.pool.query(
      `update sessions set last_seen_at = now() - interval '31 minutes'
        where person_id = $1 and revoked_at is null`,
      [people.accounts.caissier.personId],
    );
    expectRefusal(await client.get('/api/identity/me'), 401, 'authentication_required');
  });

  it('un cookie forgé ou mal formé ne donne rien', async () => {
    for (const cookie of [
      'flechage_session=abc',
      `flechage_session=${'A'.repeat(43)}`,
      'flechage_session=%00',
    ]) {
      const client = new SessionClient(server.baseUrl);
      client.cookie = cookie;
      expectRefusal(await client.get('/api/identity/me'), 401, 'authentication_required');
    }
  });

  it('changer de mot de passe ferme les autres sessions', async () => {
    const email = people.accounts.aidant.email;
    const kept = await loggedIn(server.baseUrl, email, people.password);
    const other = await loggedIn(server.baseUrl, email, people.password);
    expectRefusal(
      await kept.post('/api/identity/password', {
        currentPassword: 'faux-mot-de-passe',
        newPassword: 'nouveau-mot-de-passe-2026',
      }),
      403,
      'current_password_incorrect',
    );
    expectRefusal(
      await kept.post('/api/identity/password', {
        currentPassword: people.password,
        newPassword: 'court',
      }),
      400,
      'password_rejected',
    );
    const changed = await kept.post('/api/identity/password', {
      currentPassword: people.password,
      newPassword: 'nouveau-mot-de-passe-2026',
    });
    expect(changed.status, changed.text).toBe(204);
    expectRefusal(await other.get('/api/identity/me'), 401, 'authentication_required');
    expect((await kept.get('/api/identity/me')).status).toBe(200);
    expect(
      (await new SessionClient(server.baseUrl).login(email, 'nouveau-mot-de-passe-2026')).status,
    ).toBe(200);
  });
});

function currentCode(secret: string, stepOffset = 0): string {
  return totpCode(secret, totpStepAt(Date.now() / 1000) + stepOffset);
}

describe('double authentification (TOTP)', () => {
  // The server runs in this process: freezing the clock in the middle of a 30-second step keeps
  // a slow machine from crossing a step between computing a code and sending it. Only Date is
  // frozen, a few seconds from the real time, so the database's clock still agrees.
  beforeEach(() => {
    const step = totpStepAt(Date.now() / 1000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((step * 30 + 15) * 1000);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('un agent l’active, puis chaque connexion demande un code, jamais deux fois le même', async () => {
    const email = people.accounts.controleur.email;
    const client = await loggedIn(server.baseUrl, email, people.password);
    const setup = await client.post('/api/identity/totp/setup');
    expect(setup.status, setup.text).toBe(200);
    const { secret, otpauthUri } = setup.json as { secret: string; otpauthUri: string };
    expect(otpauthUri).toContain(`secret=${secret}`);
    expectRefusal(
      await client.post('/api/identity/totp/confirm', { code: '000000' }),
      401,
      'totp_code_invalid',
    );
    expect(
      (await client.post('/api/identity/totp/confirm', { code: currentCode(secret, -1) })).status,
    ).toBe(204);

    const second = new SessionClient(server.baseUrl);
    expect((await second.login(email, people.password)).json).toMatchObject({
      status: 'second_facteur_requis',
    });
    expectRefusal(await second.get('/api/identity/organisations'), 401, 'second_factor_required');
    expectRefusal(
      await second.post('/api/identity/login/totp', { code: '123456' }, { withoutCsrf: true }),
      403,
      'csrf_token_invalid',
    );
    expectRefusal(
      await second.post('/api/identity/login/totp', { code: currentCode(secret, -1) }),
      401,
      'totp_code_invalid',
    );
    const completed = await second.post('/api/identity/login/totp', { code: currentCode(secret) });
    expect(completed.json).toMatchObject({ status: 'connecte' });
    expect((await second.get('/api/identity/organisations')).status).toBe(200);

    const third = new SessionClient(server.baseUrl);
    await third.login(email, people.password);
    expectRefusal(
      await third.post('/api/identity/login/totp', { code: currentCode(secret) }),
      401,
      'totp_code_invalid',
    );
  });

  it('les codes ne s’essaient pas à la chaîne : 429 après 5 erreurs', async () => {
    const email = people.accounts.instructeur.email;
    const client = await loggedIn(server.baseUrl, email, people.password);
    const { secret } = (await client.post('/api/identity/totp/setup')).json as { secret: string };
    expect(
      (await client.post('/api/identity/totp/confirm', { code: currentCode(secret) })).status,
    ).toBe(204);
    const attacker = new SessionClient(server.baseUrl);
    await attacker.login(email, people.password);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expectRefusal(
        await attacker.post('/api/identity/login/totp', { code: '000000' }),
        401,
        'totp_code_invalid',
      );
    }
    expectRefusal(
      await attacker.post('/api/identity/login/totp', { code: currentCode(secret, 1) }),
      429,
      'too_many_attempts',
    );
    await server.database.pool.query('delete from login_attempts');
  });

  it('n’est pas proposée aux bénéficiaires', async () => {
    const client = await loggedIn(
      server.baseUrl,
      people.accounts.beneficiaire.email,
      people.password,
    );
    expectRefusal(await client.post('/api/identity/totp/setup'), 403, 'second_factor_not_offered');
  });
});

describe('clés d’API et requêtes signées', () => {
  let owner: SessionClient;
  let keysPath: string;

  beforeAll(async () => {
    owner = await loggedIn(server.baseUrl, people.accounts.commercant.email, people.password);
    keysPath = `/api/identity/organisations/${people.accounts.commercant.organisationId}/api-keys`;
  });

  async function newKey(label: string) {
    const created = await owner.post(keysPath, { label, role: 'terminal' });
    expect(created.status, created.text).toBe(201);
    return created.json as { id: number; keyId: string; secret: string };
  }

  it('le secret est montré une fois et n’est stocké nulle part', async () => {
    const key = await newKey('Caisse 1');
    const listed = (await owner.get(keysPath)).json as Record<string, unknown>[];
    expect(listed.find((row) => row.keyId === key.keyId)).not.toHaveProperty('secret');
    const dump = await server.database.pool.query(
      `select count(*)::int as count from api_keys k
        where position($1 in row_to_json(k)::text) > 0`,
      [key.secret],
    );
    expect(dump.rows[0]).toEqual({ count: 0 });
    const terminal = new SignedClient(server.baseUrl, key);
    const me = await terminal.call('GET', '/api/identity/me');
    expect(me.json).toMatchObject({ actorType: 'cle_api', roles: [{ role: 'terminal' }] });
  });

  it('refuse une requête rejouée, périmée, falsifiée ou d’une clé inconnue', async () => {
    const key = await newKey('Caisse 2');
    const terminal = new SignedClient(server.baseUrl, key);
    const first = await terminal.call('GET', '/api/identity/me', {
      nonce: 'nonce-rejoue-0123456789',
    });
    expect(first.status).toBe(200);
    expectRefusal(
      await terminal.call('GET', '/api/identity/me', { nonce: 'nonce-rejoue-0123456789' }),
      401,
      'nonce_replayed',
    );
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    expectRefusal(
      await terminal.call('GET', '/api/identity/me', { timestamp: sixMinutesAgo }),
      401,
      'timestamp_out_of_window',
    );
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expectRefusal(
      await terminal.call('GET', '/api/identity/me', { timestamp: inAnHour }),
      401,
      'timestamp_out_of_window',
    );
    const forged = new SignedClient(server.baseUrl, {
      keyId: key.keyId,
      secret: 'secret-devine-0123456789abcdef',
    });
    expectRefusal(await forged.call('GET', '/api/identity/me'), 401, 'signature_invalid');
    const unknown = new SignedClient(server.baseUrl, {
      keyId: 'fk_inconnueinconnueinconnue',
      secret: key.secret,
    });
    expectRefusal(await unknown.call('GET', '/api/identity/me'), 401, 'api_key_unknown');
  });

  it('le corps est couvert par la signature', async () => {
    const key = await newKey('Caisse 3');
    const signed = new SignedClient(server.baseUrl, key);
    const answer = await signed.call('POST', '/api/identity/logout', { body: { a: 1 } });
    // The signature holds (a machine may not log out, it has no session): refused after it.
    expect(answer.status).toBe(403);
    const headers = {
      ...answer.sentHeaders,
      'content-type': 'application/json',
      'x-flechage-nonce': 'autre-nonce-0123456789',
    };
    const tampered = await fetch(`${server.baseUrl}/api/identity/logout`, {
      method: 'POST',
      headers,
      body: '{"a":2}',
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { code: string }).code).toBe('signature_invalid');
  });

  it('une clé révoquée est refusée aussitôt ; une clé renouvelée vit encore 24 h', async () => {
    const revoked = await newKey('Caisse 4');
    const terminal = new SignedClient(server.baseUrl, revoked);
    expect((await terminal.call('GET', '/api/identity/me')).status).toBe(200);
    expect((await owner.post(`${keysPath}/${revoked.id}/revoke`)).status).toBe(204);
    expectRefusal(await terminal.call('GET', '/api/identity/me'), 401, 'api_key_unknown');
    expectRefusal(await owner.post(`${keysPath}/${revoked.id}/revoke`), 404, 'resource_not_found');

    const old = await newKey('Caisse 5');
    const rotated = await owner.post(`${keysPath}/${old.id}/rotate`);
    expect(rotated.status, rotated.text).toBe(201);
    const replacement = rotated.json as { keyId: string; secret: string };
    expect(
      (await new SignedClient(server.baseUrl, replacement).call('GET', '/api/identity/me')).status,
    ).toBe(200);
    expect(
      (await new SignedClient(server.baseUrl, old).call('GET', '/api/identity/me')).status,
    ).toBe(200);
    const listed = (await owner.get(keysPath)).json as { id: number; expiresAt: string | null }[];
    const expiresAt = new Date(listed.find((row) => row.id === old.id)?.expiresAt ?? 0).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await server.database.pool.query(
      `update api_keys set expires_at = now() - interval '1 second' where id = $1`,
      [old.id],
    );
    expectRefusal(
      await new SignedClient(server.baseUrl, old).call('GET', '/api/identity/me'),
      401,
      'api_key_unknown',
    );
  });

  it('un terminal ne peut pas être créé hors d’un commerce', async () => {
    const admin = await loggedIn(server.baseUrl, people.accounts.admin.email, people.password);
    const path = `/api/identity/organisations/${people.organisations.departement}/api-keys`;
    expectRefusal(
      await admin.post(path, { label: 'Terminal', role: 'terminal' }),
      422,
      'role_not_valid_here',
    );
  });
});
