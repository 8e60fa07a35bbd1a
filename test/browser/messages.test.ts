import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { queueBeneficiaryNotices } from '../../src/notifications/outbox.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer } from '../support/server.js';
import { insertTestBeneficiaries } from '../notifications/fixture.js';
import {
  axeViolations,
  describeBrowser,
  expectQuietPage,
  launchBrowser,
  openWatchedPage,
  saveScreenshot,
  type WatchedPage,
} from './harness.js';

const desktop = { width: 1280, height: 800 };
const pageTimeoutMilliseconds = 45_000;

type People = Awaited<ReturnType<typeof seedPeople>>;

describeBrowser('Interface web : messages envoyés, vus par l’administrateur', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let people: People;
  let openedPages: WatchedPage[] = [];

  /** An email and an SMS, delivered by the application's own worker to its local catchers. */
  async function deliverTwoMessages(): Promise<void> {
    const pool = server.database.pool;
    const ids = await insertTestBeneficiaries(pool, people.organisations.departement, [
      { email: 'nadia@exemple.fr' },
      { phone: '0655443322' },
    ]);
    const client = await pool.connect();
    try {
      await queueBeneficiaryNotices(
        client,
        'attribution_credited',
        ids.map((beneficiaryId) => ({
          beneficiaryId,
          eventKey: `attribution:${beneficiaryId}:credited`,
          payload: {
            programmeName: 'Pass culture départemental',
            funderName: 'Département de la Gironde',
            amountCents: 15_000,
            validUntil: '2026-12-31',
          },
        })),
      );
    } finally {
      client.release();
    }
    for (let waited = 0; waited < 400; waited += 1) {
      if ((await pool.query('select 1 from caught_messages')).rowCount === 2) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('les messages ne sont pas arrivés');
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ web: true, environment: { FLECHAGE_NOTIFICATION_INTERVAL_MS: '100' } }),
      launchBrowser(),
    ]);
    people = await seedPeople(server.database.pool);
    await deliverTwoMessages();
  }, 300_000);

  afterEach(async () => {
    await Promise.all(openedPages.map((opened) => opened.context.close()));
    openedPages = [];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const urlOf = (path: string) => new URL(path, server.baseUrl).href;

  async function logInAs(account: 'admin' | 'gestionnaire', path: string): Promise<WatchedPage> {
    const opened = await openWatchedPage(browser, { baseUrl: server.baseUrl, viewport: desktop });
    openedPages.push(opened);
    const { page } = opened;
    await page.goto(urlOf(path), { waitUntil: 'networkidle' });
    await page.waitForURL(/\/connexion\?retour=/);
    await page
      .getByRole('textbox', { name: /^Adresse électronique/ })
      .fill(people.accounts[account].email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(people.password);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL(urlOf(path));
    return opened;
  }

  it(
    'liste les messages depuis l’espace, les filtre et montre le texte d’un courriel',
    async () => {
      const opened = await logInAs('admin', '/espace');
      const { page } = opened;
      await page.getByRole('link', { name: /Messages envoyés/ }).click();
      await page.waitForURL(urlOf('/messages'));
      await page.getByRole('heading', { level: 1, name: 'Messages envoyés' }).waitFor();
      const table = page.getByRole('table', { name: /Messages reçus par le collecteur local/ });
      await table.getByRole('cell', { name: 'nadia@exemple.fr' }).waitFor();
      await table.getByRole('cell', { name: '0655443322' }).waitFor();
      await table
        .getByRole('cell', { name: 'Vous avez reçu une aide : Pass culture départemental' })
        .waitFor();
      const summary = page.getByRole('table', { name: 'Notifications par canal et par état' });
      expect(await summary.getByRole('row', { name: /^Courriel/ }).innerText()).toMatch(
        /0\s+1\s+0/,
      );
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'messages-liste-bureau');

      await page.getByLabel('Canal').selectOption('sms');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.getByRole('status').filter({ hasText: '1 message(s)' }).waitFor();
      expect(await table.getByRole('cell', { name: 'nadia@exemple.fr' }).count()).toBe(0);

      await page.getByLabel('Canal').selectOption('');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.getByRole('status').filter({ hasText: '2 message(s)' }).waitFor();
      await table
        .getByRole('row', { name: /nadia@exemple.fr/ })
        .getByRole('link')
        .click();
      await page.waitForURL(/\/messages\/\d+$/);
      await page
        .getByRole('heading', {
          level: 1,
          name: 'Vous avez reçu une aide : Pass culture départemental',
        })
        .waitFor();
      await page.getByText(/vous a attribué 150,00\s€/).waitFor();
      await page.getByText(/en saisissant ce code : [A-Z0-9]{10}/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'messages-detail-bureau');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'dit au gestionnaire que son rôle ne permet pas de lire les messages',
    async () => {
      const opened = await logInAs('gestionnaire', '/messages');
      const { page } = opened;
      await page.getByText('Votre rôle ne permet pas cette action.').first().waitFor();
      expectQuietPage(opened, server.baseUrl, [/\/api\/(messages|notifications)/, /403/]);
    },
    pageTimeoutMilliseconds,
  );
});
