import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { runIdentityMaintenance } from '../../src/identity/maintenance.js';
import { verifyJournal } from '../../src/identity/verify.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, SessionClient, type Answer } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The audit journal: every change of the identity domain leaves exactly one entry per step,
// with who acted and for whom; the chain of hashes shows any later edit.

let server: TestServer;
let people: DemoPeople;

type JournalRow = {
  id: number;
  action: string;
  actor_type: string;
  actor_person_id: number | null;
  on_behalf_of_person_id: number | null;
  organisation_id: number | null;
  target_type: string;
  request_id: string | null;
};

async function journalSince(id: number): Promise<JournalRow[]> {
  const result = await server.database.pool.query<JournalRow>(
    'select * from audit_journal where id > $1 order by id',
    [id],
  );
  return result.rows;
}

async function lastJournalId(): Promise<number> {
  const result = await server.database.pool.query<{ id: number | null }>(
    'select max(id) as id from audit_journal',
  );
  return result.rows[0]?.id ?? 0;
}

function ok(answer: Answer, status: number): Answer {
  expect(answer.status, answer.text).toBe(status);
  return answer;
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  people = await seedPeople(server.database.pool);
});

afterAll(async () => {
  await server.close();
});

describe('journal d’audit : chaque modification, une entrée', () => {
  it('un parcours complet laisse exactement les entrées attendues, dans l’ordre', async () => {
    const start = await lastJournalId();
    const departement = people.organisations.departement;
    const librairie = people.organisations.librairie;
    const manager = await loggedIn(
      server.baseUrl,
      people.accounts.gestionnaire.email,
      people.password,
    );
    const invited = (
      ok(
        await manager.post(`/api/identity/organisations/${departement}/invitations`, {
          email: 'nouvel.instructeur@exemple.fr',
          role: 'instructeur',
        }),
        201,
      ).json as { acceptUrl: string }
    ).acceptUrl;
    const token = invited.split('/').pop() as string;
    ok(
      await new SessionClient(server.baseUrl).post(`/api/identity/invitations/${token}/accept`, {
        displayName: 'Nouvel Instructeur',
        password: 'mot-de-passe-de-test-2026',
      }),
      201,
    );
    const service = ok(
      await manager.post(`/api/identity/organisations/${departement}/services`, {
        name: 'Direction de la culture',
      }),
      201,
    ).json as { id: number };
    const owner = await loggedIn(server.baseUrl, people.accounts.commercant.email, people.password);
    const key = ok(
      await owner.post(`/api/identity/organisations/${librairie}/api-keys`, {
        label: 'Caisse',
        role: 'terminal',
      }),
      201,
    ).json as { id: number };
    ok(await owner.post(`/api/identity/organisations/${librairie}/api-keys/${key.id}/revoke`), 204);
    const beneficiary = await loggedIn(
      server.baseUrl,
      people.accounts.beneficiaire.email,
      people.password,
    );
    const mandate = ok(
      await beneficiary.post('/api/identity/mandates', {
        aidantEmail: people.accounts.aidant.email,
        scopes: ['demander_aide'],
        duration: '1_mois',
        consent: true,
      }),
      201,
    ).json as { id: number };
    const aidant = await loggedIn(server.baseUrl, people.accounts.aidant.email, people.password);
    ok(
      await aidant.patch(
        '/api/identity/profile',
        { phone: '0612345678' },
        { headers: { 'x-flechage-au-nom-de': String(people.accounts.beneficiaire.personId) } },
      ),
      200,
    );
    ok(await beneficiary.post(`/api/identity/mandates/${mandate.id}/revoke`), 204);
    ok(await manager.post('/api/identity/logout'), 204);

    const entries = await journalSince(start);
    expect(entries.map((entry) => entry.action)).toEqual([
      'session.open',
      'invitation.create',
      'person.create',
      'membership.grant',
      'invitation.accept',
      'service.create',
      'session.open',
      'api_key.create',
      'api_key.revoke',
      'session.open',
      'mandate.grant',
      'session.open',
      'profile.update',
      'mandate.revoke',
      'session.close',
    ]);
    const onBehalf = entries.find((entry) => entry.action === 'profile.update') as JournalRow;
    expect(onBehalf).toMatchObject({
      actor_type: 'personne',
      actor_person_id: people.accounts.aidant.personId,
      on_behalf_of_person_id: people.accounts.beneficiaire.personId,
    });
    const serviceEntry = entries.find((entry) => entry.action === 'service.create');
    expect(serviceEntry).toMatchObject({
      organisation_id: service.id,
      target_type: 'organisation',
    });
    expect(entries.every((entry) => entry.request_id !== null)).toBe(true);
    expect(await verifyJournal(server.database.pool)).toMatchObject({ violations: [] });
  });

  it('une requête refusée n’écrit rien au journal', async () => {
    const start = await lastJournalId();
    const cashier = await loggedIn(server.baseUrl, people.accounts.caissier.email, people.password);
    const afterLogin = await lastJournalId();
    expect(afterLogin).toBe(start + 1);
    const refused = await cashier.post(
      `/api/identity/organisations/${people.organisations.librairie}/invitations`,
      { email: 'x@exemple.fr', role: 'caissier' },
    );
    expect(refused.status).toBe(403);
    const invalid = await cashier.patch('/api/identity/profile', { displayName: '' });
    expect(invalid.status).toBe(400);
    expect(await lastJournalId()).toBe(afterLogin);
  });

  it('le rappel de fin de mandat prévient la personne une seule fois, et se journalise', async () => {
    const beneficiary = await loggedIn(
      server.baseUrl,
      people.accounts.beneficiaire.email,
      people.password,
    );
    const mandate = ok(
      await beneficiary.post('/api/identity/mandates', {
        aidantEmail: people.accounts.aidant.email,
        scopes: ['consulter_soldes'],
        duration: '1_jour',
        consent: true,
      }),
      201,
    ).json as { id: number };
    expect((await runIdentityMaintenance(server.database.pool)).mandateReminders).toBe(0);
    // Five hours left of a one-day mandate: within its last quarter.
    await server.database.pool.query(
      `update mandates set starts_at = now() - interval '19 hours', ends_at = now() + interval '5 hours'
        where id = $1`,
      [mandate.id],
    );
    const start = await lastJournalId();
    expect((await runIdentityMaintenance(server.database.pool)).mandateReminders).toBe(1);
    expect((await runIdentityMaintenance(server.database.pool)).mandateReminders).toBe(0);
    const notifications = (await beneficiary.get('/api/identity/notifications')).json as {
      kind: string;
      subject: string;
    }[];
    expect(notifications.filter((notice) => notice.kind === 'mandat_fin_proche')).toEqual([
      expect.objectContaining({ subject: 'Votre mandat à Amina Aidante se termine bientôt' }),
    ]);
    expect((await journalSince(start)).map((entry) => [entry.action, entry.actor_type])).toEqual([
      ['mandate.reminder', 'systeme'],
    ]);
  });
});

describe('journal d’audit : inaltérable et consultable', () => {
  it('la base refuse de modifier ou d’effacer une entrée', async () => {
    await expect(
      server.database.pool.query(`update audit_journal set action = 'rien' where id = 1`),
    ).rejects.toThrow(/append-only/);
    await expect(server.database.pool.query('delete from audit_journal')).rejects.toThrow(
      /append-only/,
    );
    await expect(server.database.pool.query('truncate audit_journal')).rejects.toThrow(
      /append-only/,
    );
  });

  it('l’auditeur cherche par personne, par objet et par période, page par page', async () => {
    const auditor = await loggedIn(server.baseUrl, people.accounts.auditeur.email, people.password);
    const managerId = people.accounts.gestionnaire.personId;
    const byPerson = ok(
      await auditor.get(`/api/identity/journal?personId=${managerId}&limit=2`),
      200,
    ).json as {
      entries: { id: number; actorPersonId: number; actionLabel: string }[];
      nextBeforeId: number;
    };
    expect(byPerson.entries).toHaveLength(2);
    expect(byPerson.entries.every((entry) => entry.actorPersonId === managerId)).toBe(true);
    const nextPage = ok(
      await auditor.get(
        `/api/identity/journal?personId=${managerId}&limit=2&beforeId=${byPerson.nextBeforeId}`,
      ),
      200,
    ).json as { entries: { id: number }[] };
    expect(nextPage.entries[0]?.id).toBeLessThan(byPerson.nextBeforeId + 1);
    const byTarget = ok(
      await auditor.get(
        `/api/identity/journal?targetType=organisation&targetId=${people.organisations.departement}`,
      ),
      200,
    ).json as { entries: { action: string; actionLabel: string }[] };
    expect(byTarget.entries.map((entry) => entry.actionLabel)).toContain(
      'Création d’une organisation',
    );
    const future = ok(await auditor.get('/api/identity/journal?from=2099-01-01'), 200).json as {
      entries: unknown[];
    };
    expect(future.entries).toEqual([]);
    const inverted = await auditor.get('/api/identity/journal?from=2026-12-01&to=2026-01-01');
    expect(inverted.status).toBe(400);
    expect((inverted.json as { code: string }).code).toBe('period_invalid');
    expect((await auditor.get('/api/identity/journal?limit=100000')).status).toBe(400);
    expect((await auditor.get("/api/identity/journal?targetId=' or 1=1 --")).json).toMatchObject({
      entries: [],
    });
  });

  it('une entrée modifiée ou effacée en contournant la base est signalée par verify', async () => {
    const client = await server.database.pool.connect();
    try {
      await client.query('set session_replication_role = replica');
      await client.query(`update audit_journal set target_id = '999' where id = 3`);
      await client.query('delete from audit_journal where id = 5');
    } finally {
      await client.query('set session_replication_role = origin');
      client.release();
    }
    const report = await verifyJournal(server.database.pool);
    expect(report.violations).toEqual([
      {
        check: 'journal_entry_modified',
        detail: 'entrée 3 du journal : contenu modifié (empreinte différente)',
      },
      {
        check: 'journal_chain_broken',
        detail: 'entrée 6 du journal : ne suit pas l’entrée précédente',
      },
    ]);
  });
});
