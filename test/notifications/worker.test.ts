import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { startMailCatcher, type MailCatcher } from '../../src/notifications/catcher.js';
import {
  createEmailChannel,
  createSmsChannel,
  type EmailChannel,
} from '../../src/notifications/channels.js';
import { queueBeneficiaryNotices, type BeneficiaryNotice } from '../../src/notifications/outbox.js';
import {
  createNotificationWorker,
  type NotificationWorker,
} from '../../src/notifications/worker.js';
import { claimDueNotices } from '../../src/notifications/worker-store.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { insertTestBeneficiaries } from './fixture.js';

// The worker against a real SMTP server (the local catcher) and the real fake SMS provider of
// a running application, whose own worker sleeps for the hour so that these tests drive theirs.

const SMS_TOKEN = 'jeton-sms-de-test-0123456789';
const MAIL_FROM = 'Fléchage <ne-pas-repondre@flechage.test>';

let server: TestServer;
let people: DemoPeople;
let catcher: MailCatcher;
const channelsToClose: EmailChannel[] = [];

beforeAll(async () => {
  server = await startTestServer({
    web: false,
    environment: { FLECHAGE_NOTIFICATION_INTERVAL_MS: '3600000', FLECHAGE_SMS_TOKEN: SMS_TOKEN },
  });
  people = await seedPeople(server.database.pool);
  catcher = await startMailCatcher(server.database.pool, { port: 0, onError: () => undefined });
});

afterAll(async () => {
  for (const channel of channelsToClose) channel.close();
  await catcher.close();
  await server.close();
});

function worker(options: { smtpUrl?: string; maxAttempts?: number } = {}): NotificationWorker {
  const email = createEmailChannel({
    smtpUrl: options.smtpUrl ?? catcher.smtpUrl,
    from: MAIL_FROM,
  });
  channelsToClose.push(email);
  const sms = createSmsChannel({
    url: () => `${server.baseUrl}/api/fake-sms/messages`,
    token: SMS_TOKEN,
  });
  return createNotificationWorker(
    server.database.pool,
    { email, sms },
    {
      batchSize: 20,
      maxAttempts: options.maxAttempts ?? 8,
      intervalMs: 3_600_000,
      spaceUrl: () => 'https://flechage.exemple.fr/espace',
      onError: (error) => {
        throw error;
      },
    },
  );
}

let eventCounter = 0;

async function queueCredit(records: Parameters<typeof insertTestBeneficiaries>[2]) {
  const ids = await insertTestBeneficiaries(
    server.database.pool,
    people.organisations.departement,
    records,
  );
  eventCounter += 1;
  const notices: BeneficiaryNotice[] = ids.map((beneficiaryId) => ({
    beneficiaryId,
    eventKey: `attribution:${eventCounter}-${beneficiaryId}:credited`,
    payload: {
      programmeName: 'Pass sport',
      funderName: 'Département de la Gironde',
      amountCents: 5_000,
      validUntil: '2026-12-31',
    },
  }));
  const client = await server.database.pool.connect();
  try {
    await queueBeneficiaryNotices(client, 'attribution_credited', notices);
  } finally {
    client.release();
  }
  return notices.map((notice) => notice.eventKey);
}

type OutboxState = {
  id: number;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  dueInSeconds: number;
};

async function outboxOf(eventKey: string): Promise<OutboxState[]> {
  const result = await server.database.pool.query<OutboxState>(
    `select id, channel, status, attempts, last_error as "lastError",
            round(extract(epoch from next_attempt_at - now()))::int as "dueInSeconds"
       from notification_outbox where event_key = $1 order by channel`,
    [eventKey],
  );
  return result.rows;
}

async function caughtFor(outboxId: number) {
  const result = await server.database.pool.query<{
    channel: string;
    recipient: string;
    subject: string | null;
    body: string;
  }>('select channel, recipient, subject, body from caught_messages where outbox_id = $1', [
    outboxId,
  ]);
  return result.rows;
}

async function makeDue(eventKey: string): Promise<void> {
  await server.database.pool.query(
    `update notification_outbox set next_attempt_at = now() where event_key = $1`,
    [eventKey],
  );
}

/** A loopback port nobody listens on: an SMTP relay that is down. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('distribution des notifications', () => {
  it('envoie le courriel en SMTP au collecteur, en français, au bon destinataire', async () => {
    const [eventKey] = await queueCredit([{ email: 'camille@exemple.fr' }]);
    expect(await worker().runOnce()).toBeGreaterThanOrEqual(1);
    const [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 });
    const [message] = await caughtFor(row!.id);
    expect(message).toMatchObject({
      channel: 'email',
      recipient: 'camille@exemple.fr',
      subject: 'Vous avez reçu une aide : Pass sport',
    });
    expect(message?.body).toContain('Bonjour,');
    expect(message?.body).toContain('vous a attribué 50,00\u00a0€');
    expect(message?.body).toContain('jusqu’au 31 décembre 2026');
    expect(message?.body).toMatch(/en saisissant ce code : [A-Z0-9]{10}/);
    expect(message?.body).toContain('espace personnel : https://flechage.exemple.fr/espace');
  });

  it('envoie le SMS au fournisseur factice quand le dossier n’a pas de courriel', async () => {
    const [eventKey] = await queueCredit([{ phone: '0612345678' }]);
    await worker().runOnce();
    const [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ channel: 'sms', status: 'sent' });
    const [message] = await caughtFor(row!.id);
    expect(message).toMatchObject({ channel: 'sms', recipient: '0612345678', subject: null });
    expect(message?.body).toContain('vous a attribué 50,00\u00a0€');
    expect(message?.body.length).toBeLessThanOrEqual(300);
  });

  it('écrit la notification de l’espace personnel une seule fois, même livrée deux fois', async () => {
    const personId = people.accounts.beneficiaire.personId;
    const [eventKey] = await queueCredit([{ personId }]);
    await worker().runOnce();
    const inApp = (await outboxOf(eventKey!)).find((row) => row.channel === 'in_app');
    expect(inApp?.status).toBe('sent');
    // A second delivery, as after a worker that died before recording the first.
    await server.database.pool.query(
      `update notification_outbox set status = 'pending', next_attempt_at = now() where id = $1`,
      [inApp!.id],
    );
    await worker().runOnce();
    const notifications = await server.database.pool.query<{ kind: string; subject: string }>(
      'select kind, subject from notifications where person_id = $1 and event_key = $2',
      [personId, eventKey],
    );
    expect(notifications.rows).toEqual([
      { kind: 'aide_creditee', subject: 'Vous avez reçu une aide : Pass sport' },
    ]);
  });

  it('réessaie plus tard quand le relais SMTP est arrêté, puis envoie une fois revenu', async () => {
    const [eventKey] = await queueCredit([{ email: 'relais@exemple.fr' }]);
    const down = worker({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    await down.runOnce();
    let [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toMatch(/ECONNREFUSED/);
    expect(row?.dueInSeconds).toBeGreaterThanOrEqual(28);
    expect(row?.dueInSeconds).toBeLessThanOrEqual(30);
    // Not due yet: nobody takes it.
    await down.runOnce();
    expect((await outboxOf(eventKey!))[0]?.attempts).toBe(1);
    await makeDue(eventKey!);
    await down.runOnce();
    [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row?.dueInSeconds).toBeGreaterThanOrEqual(118);
    await makeDue(eventKey!);
    await worker().runOnce();
    [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(await caughtFor(row!.id)).toHaveLength(1);
  });

  it('abandonne après le nombre maximal d’essais, en gardant la dernière erreur', async () => {
    const [eventKey] = await queueCredit([{ email: 'abandon@exemple.fr' }]);
    const down = worker({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, maxAttempts: 2 });
    await down.runOnce();
    await makeDue(eventKey!);
    await down.runOnce();
    const [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row?.lastError).toMatch(/ECONNREFUSED/);
    await makeDue(eventKey!);
    expect(await down.runOnce()).toBe(0);
  });

  it('n’envoie rien pour un dossier effacé depuis la mise en file', async () => {
    const [eventKey] = await queueCredit([{ email: 'efface@exemple.fr' }]);
    await server.database.pool.query(
      `update beneficiaries set erased_at = now()
        where id = (select beneficiary_id from notification_outbox where event_key = $1)`,
      [eventKey],
    );
    await worker().runOnce();
    const [row] = await outboxOf(eventKey!);
    expect(row).toMatchObject({ status: 'failed', lastError: 'dossier du bénéficiaire effacé' });
    expect(await caughtFor(row!.id)).toEqual([]);
  });

  it('un travailleur tué en pleine livraison : les messages repartent, et ne sont reçus qu’une fois', async () => {
    const eventKeys = await queueCredit([
      { email: 'un@exemple.fr' },
      { email: 'deux@exemple.fr' },
      { phone: '0699887766' },
    ]);
    // The first worker claims, sends, and dies before recording anything.
    const claimed = await claimDueNotices(server.database.pool, 20, 60);
    expect(claimed).toHaveLength(3);
    const email = createEmailChannel({ smtpUrl: catcher.smtpUrl, from: MAIL_FROM });
    channelsToClose.push(email);
    const sms = createSmsChannel({
      url: () => `${server.baseUrl}/api/fake-sms/messages`,
      token: SMS_TOKEN,
    });
    for (const notice of claimed) {
      const message = { outboxId: notice.id, to: notice.address!, text: 'premier envoi' };
      if (notice.channel === 'email') await email.send({ ...message, subject: 'premier envoi' });
      else await sms.send(message);
    }
    // While its lease runs, nobody else takes the rows.
    expect(await worker().runOnce()).toBe(0);
    await server.database.pool.query(
      `update notification_outbox set leased_until = now() - interval '1 second'
        where event_key = any($1::text[])`,
      [eventKeys],
    );
    expect(await worker().runOnce()).toBe(3);
    for (const eventKey of eventKeys) {
      const [row] = await outboxOf(eventKey);
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      const caught = await caughtFor(row!.id);
      expect(caught).toHaveLength(1);
    }
  });

  it('s’arrête proprement : stop attend le lot en cours', async () => {
    const [eventKey] = await queueCredit([{ email: 'arret@exemple.fr' }]);
    const email = createEmailChannel({ smtpUrl: catcher.smtpUrl, from: MAIL_FROM });
    channelsToClose.push(email);
    const running = createNotificationWorker(
      server.database.pool,
      { email, sms: createSmsChannel({ url: () => server.baseUrl, token: SMS_TOKEN }) },
      {
        batchSize: 20,
        maxAttempts: 3,
        intervalMs: 50,
        spaceUrl: () => '/espace',
        onError: () => undefined,
      },
    );
    running.start();
    for (let waited = 0; waited < 100; waited += 1) {
      if ((await outboxOf(eventKey!))[0]?.status === 'sent') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await running.stop();
    expect((await outboxOf(eventKey!))[0]?.status).toBe('sent');
  });
});

describe('fournisseur SMS factice', () => {
  const body = { to: '0611223344', text: 'Bonjour', reference: 'essai-1' };

  it('refuse sans le jeton du processus (401), et n’enregistre rien', async () => {
    for (const authorization of [undefined, 'Bearer mauvais-jeton']) {
      const response = await fetch(`${server.baseUrl}/api/fake-sms/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'sms_token_invalid' });
    }
    const caught = await server.database.pool.query(
      `select 1 from caught_messages where recipient = '0611223344'`,
    );
    expect(caught.rowCount).toBe(0);
  });
});
