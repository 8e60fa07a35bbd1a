import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { totpCode, totpStepAt } from '../../src/identity/totp.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer } from '../support/server.js';
import {
  axeViolations,
  describeBrowser,
  launchBrowser,
  openWatchedPage,
  expectQuietPage,
  saveScreenshot,
  type WatchedPage,
} from './harness.js';

const desktop = { width: 1280, height: 800 };
const pageTimeoutMilliseconds = 45_000;

// Nothing listens on port 9: each provider fails at once, which shows the way back to the login.
const unreachableProviders = (
  [
    ['proconnect', 'ProConnect', 'proconnect', 'agents'],
    ['franceconnect', 'FranceConnect', 'franceconnect', 'citoyens'],
    ['keycloak', 'Keycloak du département', 'generique', 'agents'],
  ] as const
).map(([id, label, kind, audience]) => ({
  id,
  label,
  kind,
  audience,
  issuer: 'http://127.0.0.1:9/',
  clientId: 'flechage',
  clientSecret: 'secret-de-test',
}));

type People = Awaited<ReturnType<typeof seedPeople>>;
type AccountName = keyof People['accounts'];

describeBrowser('Interface web : connexion, espace, clés API, mandats et journal', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let people: People;
  let openedPages: WatchedPage[] = [];

  beforeAll(async () => {
    const environment = { FLECHAGE_OIDC_PROVIDERS: JSON.stringify(unreachableProviders) };
    [server, browser] = await Promise.all([
      startTestServer({ web: true, environment }),
      launchBrowser(),
    ]);
    people = await seedPeople(server.database.pool);
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

  async function open(path: string): Promise<WatchedPage> {
    const opened = await openWatchedPage(browser, { baseUrl: server.baseUrl, viewport: desktop });
    openedPages.push(opened);
    await opened.page.goto(urlOf(path), { waitUntil: 'networkidle' });
    return opened;
  }

  async function submitLogin(page: Page, email: string, password = people.password) {
    await page.getByRole('textbox', { name: /^Adresse électronique/ }).fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  }

  /** Logs in through the form, from a page that needs a login, and lands back on it. */
  async function logInAs(account: AccountName, path = '/espace'): Promise<WatchedPage> {
    const opened = await open(path);
    await opened.page.waitForURL(/\/connexion\?retour=/);
    await submitLogin(opened.page, people.accounts[account].email);
    await opened.page.waitForURL(urlOf(path));
    return opened;
  }

  function heading(page: Page, level: number) {
    return page.getByRole('heading', { level });
  }

  it(
    'présente une page de connexion accessible, avec les fournisseurs d’identité configurés',
    async () => {
      const opened = await open('/connexion');
      const { page } = opened;
      await expect.poll(() => page.title()).toBe('Connexion - Fléchage');
      expect(await heading(page, 1).innerText()).toBe('Se connecter à Fléchage');
      await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).waitFor();
      for (const [name, id] of [
        [/S’identifier avec\s*ProConnect/, 'proconnect'],
        [/S’identifier avec\s*FranceConnect/, 'franceconnect'],
        ['Se connecter avec Keycloak du département', 'keycloak'],
      ] as const) {
        expect(await page.getByRole('link', { name }).getAttribute('href')).toBe(
          `/api/identity/oidc/${id}/start?returnTo=%2Fespace`,
        );
      }
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'connexion-bureau');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'explique l’échec d’une connexion OpenID, et signale un mot de passe manquant',
    async () => {
      const opened = await open('/connexion');
      const { page } = opened;
      // The provider cannot be reached: the server sends the browser back with its reason.
      await page.getByRole('link', { name: 'Se connecter avec Keycloak du département' }).click();
      await page.waitForURL(/\/connexion\?erreur=/);
      await page.getByRole('heading', { name: 'La connexion n’a pas abouti' }).waitFor();
      await page.getByText('Le fournisseur d’identité ne répond pas').waitFor();

      await page
        .getByRole('textbox', { name: /^Adresse électronique/ })
        .fill('instructeur@demo.flechage.fr');
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      await page.getByText('Saisissez votre mot de passe.').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('connexion-mot-de-passe');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'connecte l’instructeur à son espace : organisation, rôle et actions selon le rôle',
    async () => {
      const opened = await logInAs('instructeur');
      const { page } = opened;
      await expect.poll(() => page.title()).toBe('Mon espace - Fléchage');
      expect(await heading(page, 1).innerText()).toBe('Bonjour Inès Instructrice');
      const roles = page.getByRole('region', { name: 'Vos rôles' });
      expect(await roles.innerText()).toContain('Instructeur — Département de la Gironde');
      const main = page.getByRole('main');
      // Everything an instructor does is open now: their files, beneficiaries and campaigns.
      await main.getByRole('link', { name: 'Instruire les demandes' }).waitFor();
      await main.getByRole('link', { name: 'Bénéficiaires', exact: true }).waitFor();
      expect(await main.textContent()).not.toContain('Bientôt');
      await main.getByRole('link', { name: 'Département de la Gironde' }).waitFor();
      await main.getByRole('link', { name: 'Mon compte' }).waitFor();
      // Auditors and merchants have theirs; an instructor has no journal nor API keys.
      expect(await main.getByRole('link', { name: /journal|clés API/i }).count()).toBe(0);

      const header = page.getByRole('banner');
      await header.getByRole('link', { name: /Inès Instructrice/ }).waitFor();
      await header.getByRole('link', { name: 'Mon compte' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'espace-instructeur-bureau');

      await header.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(urlOf('/'));
      await header.getByRole('link', { name: 'Se connecter' }).waitFor();
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'laisse l’auditeur chercher dans le journal d’audit',
    async () => {
      const opened = await logInAs('auditeur', '/journal');
      const { page } = opened;
      expect(await heading(page, 1).innerText()).toBe('Journal d’audit');
      await page
        .getByRole('status')
        .filter({ hasText: /entrée\(s\) affichée\(s\)/ })
        .waitFor();
      await page.getByLabel('Type d’objet').selectOption({ label: 'Session' });
      await page.getByRole('button', { name: 'Rechercher' }).click();
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'Ouverture de session' }).first().waitFor();
      expect(await table.innerText()).toContain('Aude Auditrice');
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'journal-auditeur-bureau');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'montre une seule fois le secret d’une clé API créée par le commerçant',
    async () => {
      const librairie = people.accounts.commercant.organisationId;
      const opened = await logInAs('commercant', `/organisation/${librairie}/cles-api`);
      const { page } = opened;
      await expect.poll(() => heading(page, 1).innerText()).toBe('Clés API — Librairie du centre');
      await page.getByLabel('Nom de la clé').fill('Caisse 1');
      await page.getByRole('button', { name: 'Créer la clé' }).click();

      const notice = page.getByRole('heading', { name: /Copiez maintenant le secret/ });
      await notice.waitFor();
      const secret = await page.locator('.copyable-text').nth(1).innerText();
      expect(secret.length).toBeGreaterThanOrEqual(20);
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'Caisse 1', exact: true }).waitFor();
      expect(await table.textContent()).toContain('Active');
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'cles-api-secret-bureau');

      await page.getByRole('button', { name: /J’ai copié le secret/ }).click();
      await notice.waitFor({ state: 'detached' });
      expect(await page.getByText(secret).count()).toBe(0);
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'permet à la bénéficiaire de donner un mandat, et à l’aidante d’agir pour elle',
    async () => {
      const beneficiary = await logInAs('beneficiaire', '/mandats');
      const { page } = beneficiary;
      await page.getByLabel('Adresse électronique de l’aidant').fill(people.accounts.aidant.email);
      await page.getByText('Consulter mes soldes et mon profil', { exact: true }).click();
      await page.getByText('J’ai lu ce texte et je donne mon accord.').click();
      await page.getByRole('button', { name: 'Donner le mandat' }).click();
      await page.getByText(/Mandat donné à Amina Aidante jusqu’au/).waitFor();
      const given = page.getByRole('region', { name: 'Mandats donnés' });
      await given.getByRole('cell', { name: /^Amina Aidante/ }).waitFor();
      expect(await given.textContent()).toContain('Actif');
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'mandats-beneficiaire-bureau');
      expectQuietPage(beneficiary, server.baseUrl);

      const aidant = await logInAs('aidant', '/mandats');
      await aidant.page.getByRole('button', { name: 'Agir pour Camille Martin' }).click();
      await aidant.page.getByText('Vous agissez pour Camille Martin').waitFor();
      await aidant.page.getByRole('banner').getByRole('link', { name: 'Mon compte' }).click();
      await aidant.page.getByRole('heading', { name: 'Profil de Camille Martin' }).waitFor();
      await aidant.page.getByLabel('Nom affiché').waitFor();
      expect(await aidant.page.getByLabel('Nom affiché').inputValue()).toBe('Camille Martin');
      await saveScreenshot(aidant.page, 'compte-aidant-pour-beneficiaire-bureau');
      expectQuietPage(aidant, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'fait inviter une personne par le gestionnaire, qui accepte puis se connecte',
    async () => {
      const gironde = people.accounts.gestionnaire.organisationId;
      const manager = await logInAs('gestionnaire', `/organisation/${gironde}`);
      const { page } = manager;
      await expect.poll(() => heading(page, 1).innerText()).toBe('Département de la Gironde');
      const members = page.getByRole('region', { name: 'Membres' });
      await members.getByRole('cell', { name: 'Inès Instructrice', exact: true }).waitFor();
      await page.getByLabel('Adresse électronique de la personne').fill('lea@demo.flechage.fr');
      await page.getByLabel('Rôle').selectOption({ label: 'Instructeur' });
      await page.getByRole('button', { name: 'Créer l’invitation' }).click();
      const link = await page.locator('.copyable-text').innerText();
      expect(link).toMatch(/\/invitation\/[\w-]+$/);
      await page.getByRole('cell', { name: 'lea@demo.flechage.fr', exact: true }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'organisation-gestionnaire-bureau');
      expectQuietPage(manager, server.baseUrl);

      const invited = await open(new URL(link).pathname);
      const { page: invitation } = invited;
      await invitation.getByText('Département de la Gironde', { exact: true }).waitFor();
      await invitation.getByLabel('Votre nom').fill('Léa Lemoine');
      await invitation.getByLabel(/^Mot de passe/).fill('un mot de passe long');
      await invitation.getByRole('button', { name: 'Accepter l’invitation' }).click();
      await invitation.getByRole('heading', { name: 'Votre compte est créé' }).waitFor();
      expect(await axeViolations(invitation)).toEqual([]);
      await invitation.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
      await submitLogin(invitation, 'lea@demo.flechage.fr', 'un mot de passe long');
      await invitation.getByRole('heading', { name: 'Bonjour Léa Lemoine' }).waitFor();
      expect(await invitation.getByRole('main').innerText()).toContain(
        'Instructeur — Département de la Gironde',
      );
      expectQuietPage(invited, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    'active la double authentification du contrôleur, demandée ensuite à la connexion',
    async () => {
      const opened = await logInAs('controleur', '/compte');
      const { page } = opened;
      await page.getByRole('button', { name: 'Configurer la double authentification' }).click();
      const secret = (await page.locator('.copyable-text').first().innerText()).replace(/ /g, '');
      const step = totpStepAt(Date.now() / 1000);
      await page.getByLabel('Code de vérification').fill(totpCode(secret, step));
      await saveScreenshot(page, 'compte-double-authentification-bureau');
      await page.getByRole('button', { name: 'Activer la double authentification' }).click();
      await page.getByText('La double authentification est activée.').waitFor();

      await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(urlOf('/'));
      await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).click();
      await submitLogin(page, people.accounts.controleur.email);
      // The code of the step just used is refused as a replay: the next one is still accepted.
      await page.getByLabel('Code à 6 chiffres').fill(totpCode(secret, step + 1));
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.waitForURL(urlOf('/espace'));
      await page.getByRole('heading', { name: 'Bonjour Charles Contrôleur' }).waitFor();
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );
});
