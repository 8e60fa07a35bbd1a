import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { queueBeneficiaryNotices } from '../../src/notifications/outbox.js';
import { loggedIn, type SessionClient } from '../support/identity-client.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { insertTestBeneficiaries } from './fixture.js';

// The application as it runs by default: its own worker, its local mail catcher and its fake
// SMS provider (with a secret of its own), then the back-office's view of what they caught.

let server: TestServer;
let people: DemoPeople;
let admin: SessionClient;

type MessageList = {
  messages: { id: number; channel: string; recipient: string; subject: string | null }[];
  total: number;
};

beforeAll(async () => {
  server = await startTestServer({
    web: false,
    environment: { FLECHAGE_NOTIFICATION_INTERVAL_MS: '100' },
  });
  people = await seedPeople(server.database.pool);
  admin = await loggedIn(server.baseUrl, people.accounts.admin.email, people.password);
  const [withEmail, withPhone] = await insertTestBeneficiaries(
    server.database.pool,
    people.organisations.departement,
    [{ email: 'lou@exemple.fr' }, { phone: '0622334455' }],
  );
  const client = await server.database.pool.connect();
  try {
    await queueBeneficiaryNotices(
      client,
      'payment_refused',
      [withEmail, withPhone].map((beneficiaryId) => ({
        beneficiaryId: beneficiaryId!,
        eventKey: `payment:${beneficiaryId}:refused`,
        payload: {
          merchantName: 'Librairie du centre',
          amountCents: 1_250,
          reasons: ['Le montant dépasse le plafond journalier.'],
        },
      })),
    );
  } finally {
    client.release();
  }
  for (let waited = 0; waited < 200; waited += 1) {
    const list = (await admin.get('/api/messages')).json as MessageList;
    if (list.total >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('les messages ne sont pas arrivés');
});

afterAll(async () => {
  await server.close();
});

describe('messages reçus, vus par l’administrateur de la plateforme', () => {
  it('liste le courriel et le SMS livrés par le travailleur de l’application', async () => {
    const list = (await admin.get('/api/messages')).json as MessageList;
    expect(list.total).toBe(2);
    expect(list.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          recipient: 'lou@exemple.fr',
          subject: 'Paiement refusé chez Librairie du centre',
        }),
        expect.objectContaining({ channel: 'sms', recipient: '0622334455', subject: null }),
      ]),
    );
    const sms = (await admin.get('/api/messages?channel=sms')).json as MessageList;
    expect(sms.messages.map((message) => message.recipient)).toEqual(['0622334455']);
    const byRecipient = (await admin.get('/api/messages?recipient=LOU@exemple.fr'))
      .json as MessageList;
    expect(byRecipient.total).toBe(1);
  });

  it('montre le texte d’un message, et 404 pour un message inconnu', async () => {
    const list = (await admin.get('/api/messages?channel=email')).json as MessageList;
    const detail = await admin.get(`/api/messages/${list.messages[0]!.id}`);
    expect(detail.status).toBe(200);
    const { message } = detail.json as { message: { body: string } };
    expect(message.body).toContain('Pourquoi :\n- Le montant dépasse le plafond journalier.');
    const missing = await admin.get('/api/messages/999999');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 'resource_not_found' });
  });

  it('résume la file d’envoi par canal et par état', async () => {
    const answer = await admin.get('/api/notifications/outbox/summary');
    expect(answer.status).toBe(200);
    const summary = answer.json as { counts: { channel: string; status: string; count: number }[] };
    expect(summary.counts).toEqual(
      expect.arrayContaining([
        { channel: 'email', status: 'sent', count: 1 },
        { channel: 'sms', status: 'sent', count: 1 },
      ]),
    );
  });

  it('refuse les autres rôles (403) et les anonymes (401)', async () => {
    const manager = await loggedIn(
      server.baseUrl,
      people.accounts.gestionnaire.email,
      people.password,
    );
    for (const path of ['/api/messages', '/api/messages/1', '/api/notifications/outbox/summary']) {
      expect((await manager.get(path)).status).toBe(403);
      expect((await fetch(`${server.baseUrl}${path}`)).status).toBe(401);
    }
  });

  it('refuse une page trop grande ou un canal inconnu (400)', async () => {
    expect((await admin.get('/api/messages?limit=101')).status).toBe(400);
    expect((await admin.get('/api/messages?channel=pigeon')).status).toBe(400);
  });
});
