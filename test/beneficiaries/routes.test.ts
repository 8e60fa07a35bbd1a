import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../../src/identity/journal.js';
import { registerOrganisation } from '../../src/identity/service.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createAccount, expectRefusal, newFunder, PASSWORD } from './support.js';

// The registry through the API: create, list and search, correct, export (GDPR access right),
// erase when retention allows; a beneficiary's own records; and another funder's staff, who
// get 404 for every record of the first, exactly as for a record that does not exist.

let server: TestServer;
let people: DemoPeople;
let manager: SessionClient;
let auditor: SessionClient;
let beneficiary: SessionClient;
let otherManager: SessionClient;
let otherFunder: number;
let programme: { id: number; version: number };

type View = Record<string, unknown> & { id: number };

function personBody(overrides: Record<string, unknown> = {}) {
  return {
    organisationId: people.organisations.departement,
    kind: 'personne',
    familyName: 'Lefèvre',
    givenNames: 'Hélène',
    birthDate: '12/06/2007',
    communeCode: '33063',
    postalCode: '33000',
    email: 'Helene.Lefevre@exemple.fr',
    phone: '06 12 34 56 78',
    externalId: 'CAF-0001',
    household: { householdQuotientEuros: 612.5, dependentChildren: 0, statuses: ['Lycéen'] },
    ...overrides,
  };
}

async function create(body: Record<string, unknown>): Promise<View> {
  const answer = await manager.post('/api/beneficiaries', body);
  expect(answer.status, answer.text).toBe(201);
  return (answer.json as { beneficiary: View }).beneficiary;
}

async function journalActions(targetId: number): Promise<string[]> {
  const result = await server.database.pool.query<{ action: string }>(
    `select action from audit_journal where target_type = 'beneficiary' and target_id = $1
      order by id`,
    [String(targetId)],
  );
  return result.rows.map((row) => row.action);
}

let envelopeAccountId = 900_000;

async function attribute(beneficiaryId: number, attribution: Record<string, unknown>) {
  envelopeAccountId += 1;
  await server.database.pool.query(
    `insert into attributions (organisation_id, programme_id, rule_version, beneficiary_id,
       amount_cents, status, facts, reference_date, envelope_account_id, funding, credited_at,
       valid_until, status_changed_at)
     values ($1, $2, $3, $4, 30000, $5, '{}', '2020-01-01', $6, '{}', $7, $8, $9)`,
    [
      people.organisations.departement,
      programme.id,
      programme.version,
      beneficiaryId,
      attribution.status,
      envelopeAccountId,
      attribution.creditedAt,
      attribution.validUntil,
      attribution.statusChangedAt ?? new Date(),
    ],
  );
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  const pool = server.database.pool;
  people = await seedPeople(pool);
  await seedDemoProgrammes(pool, server.application.ledger, people);
  const found = await pool.query<{ id: number; version: number }>(
    'select id, published_version as version from programmes order by id limit 1',
  );
  programme = found.rows[0] as { id: number; version: number };
  otherFunder = await newFunder(pool, 'Région de test');
  await createAccount(pool, 'gestionnaire@region.test', 'gestionnaire', otherFunder);
  manager = await loggedIn(server.baseUrl, people.accounts.gestionnaire.email, people.password);
  auditor = await loggedIn(server.baseUrl, people.accounts.auditeur.email, people.password);
  beneficiary = await loggedIn(server.baseUrl, people.accounts.beneficiaire.email, people.password);
  otherManager = await loggedIn(server.baseUrl, 'gestionnaire@region.test', PASSWORD);
});

afterAll(async () => {
  await server?.close();
});

describe('registre des bénéficiaires', () => {
  it('enregistre une personne normalisée, avec le nom de sa commune', async () => {
    const created = await create(personBody());
    expect(created).toMatchObject({
      organisationId: people.organisations.departement,
      familyName: 'Lefèvre',
      birthDate: '2007-06-12',
      communeName: 'Bordeaux',
      email: 'helene.lefevre@exemple.fr',
      phone: '0612345678',
      household: { householdQuotientEuros: 612.5, dependentChildren: 0, statuses: ['lyceen'] },
      linked: false,
      erasedAt: null,
      retentionUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(await journalActions(created.id)).toEqual(['beneficiary.create']);
  });

  it('refuse une fiche invalide en nommant chaque champ, sans rien enregistrer', async () => {
    const answer = await manager.post(
      '/api/beneficiaries',
      personBody({ birthDate: '31/02/2007', communeCode: '99999', externalId: 'X-1' }),
    );
    expectRefusal(answer, 400, 'validation_failed');
    expect((answer.json as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
      'body.birthDate',
      'body.communeCode',
    ]);
    const list = await manager.get('/api/beneficiaries?search=X-1');
    expect((list.json as { total: number }).total).toBe(0);
  });

  it('refuse un doublon (même identité sans tenir compte des accents, ou même identifiant)', async () => {
    expectRefusal(
      await manager.post(
        '/api/beneficiaries',
        personBody({ familyName: 'LEFEVRE', givenNames: 'helene', externalId: null }),
      ),
      409,
      'beneficiary_exists',
    );
    expectRefusal(
      await manager.post(
        '/api/beneficiaries',
        personBody({ givenNames: 'Léa', birthDate: '2009-01-01' }),
      ),
      409,
      'beneficiary_exists',
    );
  });

  it('enregistre une organisation, et refuse d’enregistrer chez un commerçant', async () => {
    const created = await create({
      organisationId: people.organisations.departement,
      kind: 'organisation',
      legalName: 'Les Amis du livre',
      siret: '732 829 320 00074',
      organisationKind: 'association',
      communeCode: '33281',
    });
    expect(created).toMatchObject({ siret: '73282932000074', communeName: 'Mérignac' });
    expectRefusal(
      await manager.post(
        '/api/beneficiaries',
        personBody({ organisationId: people.organisations.librairie }),
      ),
      404,
      'resource_not_found',
    );
  });

  it('cherche par nom sans accents, par identifiant, par commune, page par page', async () => {
    await create(
      personBody({
        familyName: 'Dupont',
        givenNames: 'Jean',
        externalId: 'CAF-0002',
        communeCode: '33281',
        email: null,
      }),
    );
    const byName = await manager.get('/api/beneficiaries?search=lefevre%20hel');
    expect(
      (byName.json as { beneficiaries: View[] }).beneficiaries.map((b) => b.familyName),
    ).toEqual(['Lefèvre']);
    const byId = await manager.get('/api/beneficiaries?search=CAF-0002');
    expect((byId.json as { total: number }).total).toBe(1);
    const byCommune = await manager.get(
      `/api/beneficiaries?organisationId=${people.organisations.departement}&communeCode=33281`,
    );
    expect((byCommune.json as { total: number }).total).toBe(2);
    const page = await manager.get('/api/beneficiaries?limit=1&offset=1');
    expect(page.json).toMatchObject({ total: 3, beneficiaries: [expect.any(Object)] });
    expectRefusal(await manager.get('/api/beneficiaries?limit=201'), 400, 'validation_failed');
  });

  it('laisse lire l’auditeur mais pas modifier', async () => {
    const list = await auditor.get('/api/beneficiaries');
    expect(list.status).toBe(200);
    expectRefusal(
      await auditor.post('/api/beneficiaries', personBody({ externalId: 'A' })),
      403,
      'action_not_allowed',
    );
  });

  it('corrige une fiche : seuls les champs envoyés changent, journalisés par leur nom', async () => {
    const created = await create(
      personBody({ familyName: 'Bernard', externalId: 'CAF-0003', email: null }),
    );
    const answer = await manager.patch(`/api/beneficiaries/${created.id}`, {
      email: 'Nouvelle@Exemple.fr',
      household: { dependentChildren: 2 },
    });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as { beneficiary: View }).beneficiary).toMatchObject({
      email: 'nouvelle@exemple.fr',
      familyName: 'Bernard',
      household: { dependentChildren: 2 },
    });
    const refused = await manager.patch(`/api/beneficiaries/${created.id}`, { birthDate: 'hier' });
    expectRefusal(refused, 400, 'validation_failed');
    const entries = await server.database.pool.query(
      `select after_summary from audit_journal where action = 'beneficiary.update' and target_id = $1`,
      [String(created.id)],
    );
    expect(entries.rows).toEqual([{ after_summary: { fields: ['email', 'household'] } }]);
    const detail = await manager.get(`/api/beneficiaries/${created.id}`);
    expect(detail.json).toMatchObject({
      beneficiary: { birthDate: '2007-06-12' },
      attributions: [],
      applications: [],
    });
  });
});

describe('droit d’accès et effacement', () => {
  it('exporte tout ce qui concerne la fiche, en pièce jointe, et le journalise', async () => {
    const created = await create(personBody({ familyName: 'Export', externalId: 'CAF-0010' }));
    await attribute(created.id, {
      status: 'credited',
      creditedAt: new Date('2025-01-01'),
      validUntil: new Date('2025-06-30'),
    });
    const answer = await manager.get(`/api/beneficiaries/${created.id}/export`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="beneficiaire-${created.id}.json"`,
    );
    expect(answer.json).toMatchObject({
      beneficiary: { id: created.id, familyName: 'Export' },
      attributions: [{ status: 'credited', amountCents: 300_00, history: [] }],
      applications: [],
      notifications: [],
      journal: [{ action: 'beneficiary.create' }],
    });
    expect(await journalActions(created.id)).toEqual(['beneficiary.create', 'beneficiary.export']);
  });

  it('efface aussitôt une fiche qui n’a jamais reçu d’aide, en gardant la ligne', async () => {
    const created = await create(personBody({ familyName: 'Efface', externalId: 'CAF-0020' }));
    const answer = await manager.post(`/api/beneficiaries/${created.id}/erase`, {
      reason: 'Demande de la personne',
    });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as { beneficiary: View }).beneficiary).toMatchObject({
      id: created.id,
      familyName: null,
      birthDate: null,
      email: null,
      externalId: null,
      household: {},
      erasedAt: expect.any(String),
    });
    expect(await journalActions(created.id)).toEqual(['beneficiary.create', 'beneficiary.erase']);
    expectRefusal(
      await manager.patch(`/api/beneficiaries/${created.id}`, { email: 'a@b.fr' }),
      409,
      'record_erased',
    );
    // The identity is free again: the same person may be registered anew.
    await create(personBody({ familyName: 'Efface', externalId: 'CAF-0020' }));
  });

  it('refuse d’effacer pendant une aide, puis pendant les cinq ans qui suivent sa fin', async () => {
    const running = await create(personBody({ familyName: 'Encours', externalId: 'CAF-0030' }));
    await attribute(running.id, {
      status: 'credited',
      creditedAt: new Date(),
      validUntil: new Date(Date.now() + 86_400_000),
    });
    expectRefusal(
      await manager.post(`/api/beneficiaries/${running.id}/erase`, { reason: 'test' }),
      409,
      'aid_in_progress',
    );
    const recent = await create(personBody({ familyName: 'Recent', externalId: 'CAF-0031' }));
    await attribute(recent.id, {
      status: 'credited',
      creditedAt: new Date('2024-01-01'),
      validUntil: new Date('2024-12-31T12:00:00Z'),
    });
    const refused = await manager.post(`/api/beneficiaries/${recent.id}/erase`, { reason: 'test' });
    expectRefusal(refused, 409, 'retention_running');
    expect(refused.json).toMatchObject({ details: { retentionUntil: '2029-12-31' } });
    expect((refused.json as { message: string }).message).toContain('31/12/2029');
    const old = await create(personBody({ familyName: 'Ancien', externalId: 'CAF-0032' }));
    const sixYearsAgo = new Date(Date.now() - 6 * 365 * 86_400_000);
    await attribute(old.id, {
      status: 'revoked',
      creditedAt: sixYearsAgo,
      validUntil: null,
      statusChangedAt: sixYearsAgo,
    });
    const view = await manager.get(`/api/beneficiaries/${old.id}`);
    expect(view.json).toMatchObject({
      attributions: [{ status: 'revoked', programmeId: programme.id }],
    });
    const erased = await manager.post(`/api/beneficiaries/${old.id}/erase`, {
      reason: 'Fin de conservation',
    });
    expect(erased.status, erased.text).toBe(200);
  });
});

describe('services d’un financeur', () => {
  it('l’agent d’un service travaille sur les fiches de son financeur', async () => {
    const pool = server.database.pool;
    const service = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, {
      kind: 'service',
      name: 'Service des solidarités',
      parentId: people.organisations.departement,
    });
    if (!service.created) throw new Error(service.refusal);
    await createAccount(pool, 'instructeur@service.test', 'instructeur', service.organisation.id);
    const agent = await loggedIn(server.baseUrl, 'instructeur@service.test', PASSWORD);
    const created = await agent.post(
      '/api/beneficiaries',
      personBody({
        familyName: 'Service',
        externalId: 'SRV-1',
        organisationId: service.organisation.id,
      }),
    );
    expect(created.status, created.text).toBe(201);
    const record = (created.json as { beneficiary: View }).beneficiary;
    expect(record.organisationId).toBe(people.organisations.departement);
    expect((await agent.get(`/api/beneficiaries/${record.id}`)).status).toBe(200);
    const list = await agent.get(
      `/api/beneficiaries?organisationId=${service.organisation.id}&search=SRV-1`,
    );
    expect(list.json).toMatchObject({ total: 1 });
  });
});

describe('isolement entre financeurs', () => {
  it('un autre financeur ne lit, ne corrige, n’exporte ni n’efface la fiche : 404', async () => {
    const created = await create(personBody({ familyName: 'Isole', externalId: 'CAF-0040' }));
    const path = `/api/beneficiaries/${created.id}`;
    expectRefusal(await otherManager.get(path), 404, 'resource_not_found');
    expectRefusal(await otherManager.patch(path, { email: 'x@y.fr' }), 404, 'resource_not_found');
    expectRefusal(await otherManager.get(`${path}/export`), 404, 'resource_not_found');
    expectRefusal(
      await otherManager.post(`${path}/erase`, { reason: 'test' }),
      404,
      'resource_not_found',
    );
    expectRefusal(
      await otherManager.get('/api/beneficiaries/999999999'),
      404,
      'resource_not_found',
    );
    const list = await otherManager.get('/api/beneficiaries');
    expect(list.json).toEqual({ beneficiaries: [], total: 0 });
    expectRefusal(
      await otherManager.get(
        `/api/beneficiaries?organisationId=${people.organisations.departement}`,
      ),
      404,
      'resource_not_found',
    );
    expectRefusal(
      await otherManager.post('/api/beneficiaries', personBody({ externalId: 'R-1' })),
      404,
      'resource_not_found',
    );
    // Its own record, under the same identity, is another record.
    const own = await otherManager.post(
      '/api/beneficiaries',
      personBody({ familyName: 'Isole', externalId: 'CAF-0040', organisationId: otherFunder }),
    );
    expect(own.status, own.text).toBe(201);
    const unchanged = await manager.get(path);
    expect(unchanged.json).toMatchObject({ beneficiary: { email: 'helene.lefevre@exemple.fr' } });
  });
});

describe('les fiches du bénéficiaire', () => {
  it('rattache par courriel, montre, et laisse corriger les coordonnées', async () => {
    const email = people.accounts.beneficiaire.email;
    const created = await create(
      personBody({
        familyName: 'Martin',
        givenNames: 'Camille',
        externalId: 'CAF-0050',
        email: email.toUpperCase(),
      }),
    );
    const mine = await beneficiary.get('/api/me/beneficiary-records');
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json).toEqual({
      records: [
        expect.objectContaining({
          id: created.id,
          funderName: 'Département de la Gironde',
          email,
          communeName: 'Bordeaux',
        }),
      ],
    });
    const corrected = await beneficiary.patch(`/api/me/beneficiary-records/${created.id}`, {
      phone: '+33 7 00 00 00 01',
      communeCode: '33281',
    });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.json).toMatchObject({
      record: { phone: '+33700000001', communeName: 'Mérignac' },
    });
    expectRefusal(
      await beneficiary.patch(`/api/me/beneficiary-records/${created.id}`, { email: 'faux' }),
      400,
      'validation_failed',
    );
    const other = await create(
      personBody({ familyName: 'Autre', externalId: 'CAF-0051', email: null }),
    );
    expectRefusal(
      await beneficiary.patch(`/api/me/beneficiary-records/${other.id}`, { phone: '0600000000' }),
      404,
      'resource_not_found',
    );
    expect(await journalActions(created.id)).toEqual([
      'beneficiary.create',
      'beneficiary.contact_update',
    ]);
    expect((await manager.get(`/api/beneficiaries/${created.id}`)).json).toMatchObject({
      beneficiary: { linked: true },
    });
  });

  it('rattache par code, une seule fiche par financeur, et freine les essais au hasard', async () => {
    const own = await otherManager.post(
      '/api/beneficiaries',
      personBody({
        familyName: 'Code',
        externalId: 'R-9',
        email: null,
        organisationId: otherFunder,
      }),
    );
    const recordId = (own.json as { beneficiary: View }).beneficiary.id;
    const codes = await server.database.pool.query<{ claim_code: string }>(
      'select claim_code from beneficiaries where id = $1',
      [recordId],
    );
    const code = (codes.rows[0] as { claim_code: string }).claim_code;
    const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`;
    const claimed = await beneficiary.post('/api/me/beneficiary-records/claim', {
      claimCode: typed,
    });
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json).toMatchObject({ record: { id: recordId, funderName: 'Région de test' } });
    expectRefusal(
      await beneficiary.post('/api/me/beneficiary-records/claim', { claimCode: code }),
      422,
      'claim_code_invalid',
    );
    const second = await create(
      personBody({ familyName: 'Second', externalId: 'CAF-0060', email: null }),
    );
    const secondCode = await server.database.pool.query<{ claim_code: string }>(
      'select claim_code from beneficiaries where id = $1',
      [second.id],
    );
    expectRefusal(
      await beneficiary.post('/api/me/beneficiary-records/claim', {
        claimCode: secondCode.rows[0]?.claim_code,
      }),
      409,
      'already_linked_at_funder',
    );
    for (let attempt = 2; attempt <= 10; attempt += 1) {
      expectRefusal(
        await beneficiary.post('/api/me/beneficiary-records/claim', { claimCode: 'ZZZZZZZZZZ' }),
        422,
        'claim_code_invalid',
      );
    }
    expectRefusal(
      await beneficiary.post('/api/me/beneficiary-records/claim', { claimCode: 'ZZZZZZZZZZ' }),
      429,
      'too_many_claim_attempts',
    );
  });

  it('un aidant sous mandat voit les fiches de la personne', async () => {
    const mandate = await beneficiary.post('/api/identity/mandates', {
      aidantEmail: people.accounts.aidant.email,
      scopes: ['consulter_soldes'],
      duration: '1_mois',
      consent: true,
    });
    expect(mandate.status, mandate.text).toBe(201);
    const aidant = await loggedIn(server.baseUrl, people.accounts.aidant.email, people.password);
    const headers = { 'x-flechage-au-nom-de': String(people.accounts.beneficiaire.personId) };
    const seen = await aidant.get('/api/me/beneficiary-records', { headers });
    expect(seen.status, seen.text).toBe(200);
    expect((seen.json as { records: unknown[] }).records).toHaveLength(2);
    // Reading the balances does not open correcting the contact data.
    const records = (seen.json as { records: { id: number }[] }).records;
    const refused = await aidant.patch(
      `/api/me/beneficiary-records/${records[0]?.id}`,
      { phone: '0600000000' },
      { headers },
    );
    expect(refused.status).toBe(403);
  });
});
