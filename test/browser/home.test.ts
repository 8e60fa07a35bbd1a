import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
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
const mobile = { width: 375, height: 800 };

const spaceTitles = [
  'Espace financeurs',
  'Espace bénéficiaires',
  'Espace commerçants',
  'Données publiques',
];

const pageTimeoutMilliseconds = 30_000;

describeBrowser('Interface web : accueil et espaces en construction', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let openedPages: WatchedPage[] = [];

  beforeAll(async () => {
    // The server may have to build the web app first on a fresh clone.
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  }, 300_000);

  afterEach(async () => {
    await Promise.all(openedPages.map((opened) => opened.context.close()));
    openedPages = [];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, viewport = desktop): Promise<WatchedPage> {
    const opened = await openWatchedPage(browser, { baseUrl: server.baseUrl, viewport });
    openedPages.push(opened);
    const response = await opened.page.goto(new URL(path, server.baseUrl).href, {
      waitUntil: 'networkidle',
    });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    return opened;
  }

  // Counted through the accessibility tree: the closed display settings dialog of the DSFR keeps
  // its own title out of it.
  function mainHeadings(page: Page) {
    return page.getByRole('heading', { level: 1 });
  }

  it(
    'présente la plateforme, ses quatre espaces, son en-tête et son pied de page',
    async () => {
      const opened = await open('/');
      const { page } = opened;

      await expect.poll(() => page.title()).toBe('Accueil - Fléchage');
      await expect.poll(() => mainHeadings(page).count()).toBe(1);
      expect(await mainHeadings(page).innerText()).toContain("L'argent public fléché");

      const header = page.getByRole('banner');
      expect(await header.locator('.fr-header__service-title').innerText()).toBe('Fléchage');
      expect(await header.innerText()).toContain(
        "L'argent public fléché : le bon montant, au bon destinataire, pour le bon usage",
      );
      // textContent, not innerText: the DSFR writes the brand in capitals through CSS.
      expect(await header.locator('.fr-logo').textContent()).toMatch(/République\s*Française/);

      const main = page.getByRole('main');
      for (const title of spaceTitles) {
        await main.getByRole('heading', { level: 3, name: title }).waitFor();
        expect(await main.getByRole('link', { name: title }).count()).toBe(1);
      }

      const footer = page.getByRole('contentinfo');
      expect(await footer.innerText()).toContain('Accessibilité : non conforme');
      expect(
        await footer
          .getByRole('link', { name: 'Accessibilité : non conforme' })
          .getAttribute('href'),
      ).toBe('/accessibilite');

      expect(await page.locator('.fr-skiplinks a').first().getAttribute('href')).toBe('#contenu');
      // The DSFR fonts and styles come from our own server: checking them catches an unstyled page.
      expect(await page.evaluate(() => document.fonts.check('1rem Marianne'))).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain(
        'Marianne',
      );

      await saveScreenshot(page, 'accueil-bureau');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    "mène à l'espace bénéficiaires, annoncé en construction",
    async () => {
      const opened = await open('/');
      const { page } = opened;

      await page.getByRole('main').getByRole('link', { name: 'Espace bénéficiaires' }).click();

      await page.waitForURL(new URL('/beneficiaires', server.baseUrl).href);
      await expect.poll(() => page.title()).toBe('Espace bénéficiaires - Fléchage');
      await expect.poll(() => mainHeadings(page).count()).toBe(1);
      expect(await mainHeadings(page).innerText()).toBe('Espace bénéficiaires');
      await page.getByText('Cet espace est en cours de construction').waitFor();
      // After an in-app navigation the focus moves to the new page's title.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

      await saveScreenshot(page, 'espace-beneficiaires-bureau');

      await page.getByRole('link', { name: "Retour à l'accueil" }).click();
      await page.waitForURL(new URL('/', server.baseUrl).href);
      await expect.poll(() => page.title()).toBe('Accueil - Fléchage');
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );

  it(
    "sert l'application pour une adresse de page directe ou inconnue, pas pour l'API",
    async () => {
      const direct = await open('/beneficiaires');
      expect(await mainHeadings(direct.page).innerText()).toBe('Espace bénéficiaires');
      expectQuietPage(direct, server.baseUrl);

      const unknown = await open('/une/adresse/qui-n-existe-pas');
      await expect.poll(() => unknown.page.title()).toBe('Page non trouvée - Fléchage');
      expect(await mainHeadings(unknown.page).innerText()).toBe('Page non trouvée');
      expect(await unknown.page.getByRole('banner').count()).toBe(1);
      expectQuietPage(unknown, server.baseUrl);

      const unknownApi = await fetch(new URL('/api/adresse-inconnue', server.baseUrl));
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.headers.get('content-type')).toMatch(/^application\/json/);
    },
    pageTimeoutMilliseconds,
  );

  it(
    "s'affiche sur un écran de téléphone, menu compris, sans défilement horizontal",
    async () => {
      const opened = await open('/', mobile);
      const { page } = opened;

      await mainHeadings(page).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        mobile.width,
      );
      await saveScreenshot(page, 'accueil-mobile', { fullPage: false });

      await page.getByRole('button', { name: 'Menu' }).click();
      const navigation = page.getByRole('navigation', { name: 'Menu principal' });
      await navigation.getByRole('link', { name: 'Espace commerçants' }).waitFor();
      await saveScreenshot(page, 'accueil-mobile-menu', { fullPage: false });

      await navigation.getByRole('link', { name: 'Espace commerçants' }).click();
      await page.waitForURL(new URL('/commercants', server.baseUrl).href);
      await expect.poll(() => mainHeadings(page).innerText()).toBe('Espace commerçants');
      await navigation.waitFor({ state: 'hidden' });
      await saveScreenshot(page, 'espace-commercants-mobile', { fullPage: false });
      expectQuietPage(opened, server.baseUrl);
    },
    pageTimeoutMilliseconds,
  );
  it(
    'ne présente aucune violation WCAG A/AA détectable automatiquement (axe-core), sur chaque page',
    async () => {
      for (const path of [
        '/',
        '/beneficiaires',
        '/accessibilite',
        '/plan-du-site',
        '/page-inconnue',
      ]) {
        const opened = await open(path);
        const violations = await axeViolations(opened.page);
        expect({ path, violations }).toEqual({ path, violations: [] });
        expectQuietPage(opened, server.baseUrl);
      }
    },
    pageTimeoutMilliseconds,
  );
});
