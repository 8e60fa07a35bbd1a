import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, SessionClient, type Answer } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Invitations and memberships, and the mandates between beneficiaries and aidants.

let server: TestServer;
let people: DemoPeople;
let manager: SessionClient;

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

async function invite(email: string, role: string): Promise<Answer> {
  return manager.post(
    `/api/identity/organisations/${people.organisations.departement}/invitations`,
    {
      email,
      role,
    },
  );
}

function tokenOf(answer: Answer): string {
  return (answer.json as { acceptUrl: string }).acceptUrl.split('/').pop() as string;
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  people = await seedPeople(server.database.pool);
  manager = await loggedIn(server.baseUrl, people.accounts.gestionnaire.email, people.password);
});

afterAll(async () => {
  await server.close();
});

describe('invitations et membres', () => {
  it('une invitation acceptée donne un compte et le rôle ; le lien ne sert qu’une fois', async () => {
    const invitation = await invite('Sophie.Durand@Exemple.fr', 'controleur_financier');
    expect(invitation.status, invitation.text).toBe(201);
    expect(invitation.json).toMatchObject({ email: 'sophie.durand@exemple.fr' });
    const token = tokenOf(invitation);
    const visitor = new SessionClient(server.baseUrl);
    expect((await visitor.get(`/api/identity/invitations/${token}`)).json).toMatchObject({
      organisationName: 'Département de la Gironde',
      roleLabel: 'Contrôleur financier',
    });
    expectRefusal(
      await visitor.post(`/api/identity/invitations/${token}/accept`, {
        displayName: 'Sophie',
        password: 'court',
      }),
      400,
      'password_rejected',
    );
    const accepted = await visitor.post(`/api/identity/invitations/${token}/accept`, {
      displayName: 'Sophie Durand',
      password: 'mot-de-passe-de-sophie',
    });
    expect(accepted.status, accepted.text).toBe(201);
    expectRefusal(
      await visitor.post(`/api/identity/invitations/${token}/accept`, {
        displayName: 'X',
        password: 'mot-de-passe-de-sophie',
      }),
      404,
      'invitation_invalid',
    );
    const sophie = await loggedIn(
      server.baseUrl,
      'sophie.durand@exemple.fr',
      'mot-de-passe-de-sophie',
    );
    expect((await sophie.get('/api/identity/session')).json).toMatchObject({
      memberships: [
        { role: 'controleur_financier', organisationId: people.organisations.departement },
      ],
    });
  });

  it('refuse un rôle étranger à l’organisation, une adresse déjà inscrite, un lien expiré ou annulé', async () => {
    expectRefusal(await invite('caissier@exemple.fr', 'caissier'), 422, 'role_not_valid_here');
    expectRefusal(await invite('pas-une-adresse', 'instructeur'), 400, 'validation_failed');
    expectRefusal(await invite('x@exemple.fr', 'roi'), 400, 'validation_failed');
    const existing = tokenOf(await invite(people.accounts.caissier.email, 'instructeur'));
    expectRefusal(
      await new SessionClient(server.baseUrl).post(`/api/identity/invitations/${existing}/accept`, {
        displayName: 'Claire',
        password: 'mot-de-passe-de-claire',
      }),
      409,
      'email_already_registered',
    );
    const expired = tokenOf(await invite('tardif@exemple.fr', 'instructeur'));
    await server.database.pool.query(
      `update invitations set expires_at = now() - interval '1 second' where email = 'tardif@exemple.fr'`,
    );
    expectRefusal(
      await new SessionClient(server.baseUrl).get(`/api/identity/invitations/${expired}`),
      404,
      'invitation_invalid',
    );
    const cancelled = await invite('annule@exemple.fr', 'auditeur');
    const id = (cancelled.json as { id: number }).id;
    const path = `/api/identity/organisations/${people.organisations.departement}/invitations/${id}`;
    expect((await manager.delete(path)).status).toBe(204);
    expectRefusal(await manager.delete(path), 404, 'resource_not_found');
    expectRefusal(
      await new SessionClient(server.baseUrl).get(
        `/api/identity/invitations/${tokenOf(cancelled)}`,
      ),
      404,
      'invitation_invalid',
    );
    expectRefusal(
      await new SessionClient(server.baseUrl).get('/api/identity/invitations/pas-un-jeton'),
      400,
      'validation_failed',
    );
  });

  it('retirer un membre lui ôte l’accès aussitôt', async () => {
    const controller = await loggedIn(
      server.baseUrl,
      people.accounts.controleur.email,
      people.password,
    );
    const organisationPath = `/api/identity/organisations/${people.organisations.departement}`;
    expect((await controller.get(organisationPath)).status).toBe(200);
    const members = (await manager.get(`${organisationPath}/members`)).json as {
      membershipId: number;
      personId: number;
    }[];
    const membership = members.find(
      (member) => member.personId === people.accounts.controleur.personId,
    );
    expect(
      (await manager.delete(`${organisationPath}/members/${membership?.membershipId}`)).status,
    ).toBe(204);
    expectRefusal(await controller.get(organisationPath), 403, 'action_not_allowed');
  });
});

describe('mandats', () => {
  let beneficiary: SessionClient;
  let aidant: SessionClient;

  beforeAll(async () => {
    beneficiary = await loggedIn(
      server.baseUrl,
      people.accounts.beneficiaire.email,
      people.password,
    );
    aidant = await loggedIn(server.baseUrl, people.accounts.aidant.email, people.password);
  });

  const grant = (body: Record<string, unknown>) =>
    beneficiary.post('/api/identity/mandates', {
      aidantEmail: people.accounts.aidant.email,
      scopes: ['consulter_soldes'],
      duration: '1_mois',
      consent: true,
      ...body,
    });

  it('le texte de consentement dit ce que l’aidant pourra faire, et pour combien de temps', async () => {
    const text = (
      (await beneficiary.get('/api/identity/mandates/consent-text?scopes=payer&duration=6_mois'))
        .json as { text: string }
    ).text;
    expect(text).toContain('Payer en mon nom');
    expect(text).toContain('pendant 6 mois');
    expect(text).not.toContain('Consulter mes soldes');
  });

  it('un mandat se donne avec consentement, à un aidant, pour une durée fixe', async () => {
    expectRefusal(await grant({ consent: false }), 422, 'consent_required');
    expectRefusal(
      await grant({ aidantEmail: people.accounts.caissier.email }),
      422,
      'aidant_unknown',
    );
    expectRefusal(
      await grant({ aidantEmail: people.accounts.beneficiaire.email }),
      422,
      'aidant_unknown',
    );
    expectRefusal(await grant({ aidantEmail: 'inconnu@exemple.fr' }), 422, 'aidant_unknown');
    expectRefusal(await grant({ scopes: [] }), 400, 'validation_failed');
    expectRefusal(await grant({ scopes: ['tout'] }), 400, 'validation_failed');
    expectRefusal(await grant({ duration: '10_ans' }), 400, 'validation_failed');
    const created = await grant({
      scopes: ['consulter_soldes', 'consulter_soldes', 'payer'],
      duration: '1_an',
    });
    expect(created.status, created.text).toBe(201);
    const mandate = created.json as {
      id: number;
      scopes: string[];
      startsAt: string;
      endsAt: string;
      status: string;
    };
    expect(mandate.scopes).toEqual(['consulter_soldes', 'payer']);
    expect(mandate.status).toBe('actif');
    const days =
      (new Date(mandate.endsAt).getTime() - new Date(mandate.startsAt).getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(365);
    expect(days).toBeLessThanOrEqual(366);
    const stored = await server.database.pool.query<{ consent_text: string }>(
      'select consent_text from mandates where id = $1',
      [mandate.id],
    );
    expect(stored.rows[0]?.consent_text).toContain('J’autorise Amina Aidante');
    const received = (await aidant.get('/api/identity/mandates')).json as {
      received: { id: number }[];
    };
    expect(received.received.map((row) => row.id)).toContain(mandate.id);
  });

  it('l’aidant agit dans le périmètre du mandat, jusqu’à sa révocation', async () => {
    const created = (await grant({ scopes: ['consulter_soldes'] })).json as { id: number };
    const forBeneficiary = {
      headers: { 'x-flechage-au-nom-de': String(people.accounts.beneficiaire.personId) },
    };
    expect((await aidant.get('/api/identity/profile', forBeneficiary)).json).toMatchObject({
      personId: people.accounts.beneficiaire.personId,
    });
    expectRefusal(
      await aidant.patch('/api/identity/profile', { phone: '0600000000' }, forBeneficiary),
      403,
      'mandate_scope_missing',
    );
    expectRefusal(
      await aidant.get('/api/identity/profile', {
        headers: { 'x-flechage-au-nom-de': String(people.accounts.caissier.personId) },
      }),
      403,
      'mandate_missing',
    );
    expectRefusal(
      await aidant.get('/api/identity/profile', {
        headers: { 'x-flechage-au-nom-de': '1 or 1=1' },
      }),
      403,
      'mandate_missing',
    );
    await server.database.pool.query(
      'update mandates set revoked_at = now() where beneficiary_person_id = $1 and id <> $2',
      [people.accounts.beneficiaire.personId, created.id],
    );
    expect((await aidant.post(`/api/identity/mandates/${created.id}/revoke`)).status).toBe(204);
    expectRefusal(
      await aidant.get('/api/identity/profile', forBeneficiary),
      403,
      'mandate_missing',
    );
    const listed = (await beneficiary.get('/api/identity/mandates')).json as {
      given: { id: number; status: string }[];
    };
    expect(listed.given.find((row) => row.id === created.id)?.status).toBe('revoque');
  });

  it('un mandat expiré ne permet plus rien', async () => {
    const created = (await grant({ scopes: ['consulter_soldes'], duration: '1_jour' })).json as {
      id: number;
    };
    await server.database.pool.query(
      `update mandates set starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' where id = $1`,
      [created.id],
    );
    const forBeneficiary = {
      headers: { 'x-flechage-au-nom-de': String(people.accounts.beneficiaire.personId) },
    };
    expectRefusal(
      await aidant.get('/api/identity/profile', forBeneficiary),
      403,
      'mandate_missing',
    );
    const listed = (await beneficiary.get('/api/identity/mandates')).json as {
      given: { id: number; status: string }[];
    };
    expect(listed.given.find((row) => row.id === created.id)?.status).toBe('expire');
    expectRefusal(
      await beneficiary.post(`/api/identity/mandates/${created.id}/revoke`),
      404,
      'resource_not_found',
    );
  });
});
