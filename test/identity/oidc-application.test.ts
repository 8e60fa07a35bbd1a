import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedPeople } from '../support/identity-fixture.js';
import {
  browse,
  CookieJar,
  loginThroughProvider,
  reserveLoopbackPort,
  startTestOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider.js';
import { startTestServer, type TestServer } from '../support/server.js';

// OpenID Connect through the whole application: an agent invited beforehand (ProConnect-like)
// and a citizen seen for the first time (FranceConnect-like), against a real provider.

const CLIENT = { clientId: 'flechage', clientSecret: 'secret-du-client-flechage-0123456789' };

let agents: TestOidcProvider;
let citizens: TestOidcProvider;
let server: TestServer;
let people: DemoPeople;

beforeAll(async () => {
  const port = await reserveLoopbackPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const redirectUris = (id: string) => [`${publicUrl}/api/identity/oidc/${id}/callback`];
  agents = await startTestOidcProvider({
    clients: [{ ...CLIENT, redirectUris: redirectUris('agents') }],
    accounts: [
      { sub: 'agent-instructeur', email: 'instructeur@demo.flechage.fr', givenName: 'Inès' },
      { sub: 'agent-inconnu', email: 'inconnu@exemple.gouv.fr' },
    ],
  });
  citizens = await startTestOidcProvider({
    clients: [{ ...CLIENT, redirectUris: redirectUris('citoyens') }],
    accounts: [
      { sub: 'citoyen-1', email: 'Lea.Petit@exemple.fr', givenName: 'Léa', familyName: 'Petit' },
    ],
  });
  const providers = [
    {
      id: 'agents',
      label: 'ProConnect',
      kind: 'proconnect',
      audience: 'agents',
      issuer: agents.issuer,
      ...CLIENT,
    },
    {
      id: 'citoyens',
      label: 'FranceConnect',
      kind: 'franceconnect',
      audience: 'citoyens',
      issuer: citizens.issuer,
      ...CLIENT,
    },
  ];
  server = await startTestServer({
    web: false,
    port,
    environment: {
      FLECHAGE_PUBLIC_URL: publicUrl,
      FLECHAGE_OIDC_PROVIDERS: JSON.stringify(providers),
    },
  });
  people = await seedPeople(server.database.pool);
});

afterAll(async () => {
  await server.close();
  await agents.close();
  await citizens.close();
});

async function loginWith(providerId: string, login: string) {
  const jar = new CookieJar();
  const start = new URL(`/api/identity/oidc/${providerId}/start?returnTo=/espace`, server.baseUrl);
  const journey = await loginThroughProvider(start, { jar, login });
  const session = await browse(jar, new URL('/api/identity/session', server.baseUrl));
  return { journey, session: (await session.json()) as Record<string, unknown> };
}

describe('connexion OpenID Connect dans l’application', () => {
  it('la liste des fournisseurs ne montre aucun secret', async () => {
    const answer = await fetch(`${server.baseUrl}/api/identity/oidc/providers`);
    const text = await answer.text();
    expect(JSON.parse(text)).toEqual([
      expect.objectContaining({ id: 'agents', label: 'ProConnect', kind: 'proconnect' }),
      expect.objectContaining({ id: 'citoyens', label: 'FranceConnect', kind: 'franceconnect' }),
    ]);
    expect(text).not.toContain(CLIENT.clientSecret);
  });

  it('un agent invité se connecte et retrouve son compte et son rôle', async () => {
    const { journey, session } = await loginWith('agents', 'agent-instructeur');
    expect(journey.finalLocation.pathname).toBe('/espace');
    expect(session).toMatchObject({
      authenticated: true,
      person: { email: 'instructeur@demo.flechage.fr' },
      memberships: [{ role: 'instructeur' }],
    });
    const link = await server.database.pool.query(
      'select person_id from person_external_identities where subject = $1',
      ['agent-instructeur'],
    );
    expect(link.rows).toEqual([{ person_id: people.accounts.instructeur.personId }]);
    // Linked now: the next login finds the person by the provider's identity.
    expect((await loginWith('agents', 'agent-instructeur')).session).toMatchObject({
      authenticated: true,
    });
  });

  it('un agent sans compte est renvoyé vers la connexion avec un message en français', async () => {
    const { journey, session } = await loginWith('agents', 'agent-inconnu');
    expect(journey.finalLocation.pathname).toBe('/connexion');
    expect(journey.finalLocation.searchParams.get('erreur')).toBe('agent_unknown');
    expect(journey.finalLocation.searchParams.get('message')).toContain('demandez une invitation');
    expect(session).toEqual({ authenticated: false });
  });

  it('un citoyen vu pour la première fois reçoit un compte de bénéficiaire', async () => {
    const { session } = await loginWith('citoyens', 'citoyen-1');
    expect(session).toMatchObject({
      authenticated: true,
      person: { email: 'lea.petit@exemple.fr', displayName: 'Léa Petit' },
      memberships: [{ role: 'beneficiaire', organisationId: null }],
    });
    const journal = await server.database.pool.query<{ action: string }>(
      `select action from audit_journal where actor_person_id is null and action in
         ('person.create', 'membership.grant', 'external_identity.link') order by id desc limit 3`,
    );
    expect(journal.rows.map((row) => row.action).sort()).toEqual([
      'external_identity.link',
      'membership.grant',
      'person.create',
    ]);
  });
});
