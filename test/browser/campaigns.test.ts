import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer } from '../support/server.js';
import {
  axeViolations,
  describeBrowser,
  expectQuietPage,
  launchBrowser,
  openWatchedPage,
  saveScreenshot,
  type WatchedPage,
} from './harness.js';

const desktop = { width: 1280, height: 900 };
const programmeName = 'Pass culture des jeunes de 18 ans';
const campaignName = 'Pass culture — rentrée des jeunes du fichier';

type People = Awaited<ReturnType<typeof seedPeople>>;
type Account = keyof People['accounts'];

/** « 15/03/2008 »: a birth date that makes a person 18 today, as a département writes dates. */
function eighteenYearsOld(): string {
  const birth = new Date();
  birth.setUTCFullYear(birth.getUTCFullYear() - 18);
  birth.setUTCDate(birth.getUTCDate() - 60);
  const day = `${birth.getUTCDate()}`.padStart(2, '0');
  const month = `${birth.getUTCMonth() + 1}`.padStart(2, '0');
  return `${day}/${month}/${birth.getUTCFullYear()}`;
}

/**
 * Three people of 18, among them the demo beneficiary under her account's email, and one of 46
 * whom the pass culture does not concern.
 */
function youthFile(beneficiaryEmail: string): string {
  const born = eighteenYearsOld();
  return [
    'Nom;Prénom;Date de naissance;Code INSEE;Courriel',
    `Martin;Camille;${born};33063;${beneficiaryEmail}`,
    `Durand;Léo;${born};33281;`,
    `Bernard;Inès;${born};33318;`,
    'Petit;Jeanne;14/02/1980;33063;',
  ].join('\n');
}

describeBrowser(
  'Interface web : campagne d’attribution à double approbation et porte-monnaie',
  () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let browser: Browser;
    let people: People;
    let openedPages: WatchedPage[] = [];
    let campaignPath = '';

    beforeAll(async () => {
      [server, browser] = await Promise.all([startTestServer({ web: true }), launchBrowser()]);
      people = await seedPeople(server.database.pool);
      await seedDemoProgrammes(server.database.pool, server.application.ledger, people);
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
    const main = (page: Page) => page.getByRole('main');

    /** Opens a page that needs a login, logs in, and lands back on it. */
    async function openAs(account: Account, path: string): Promise<WatchedPage> {
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

    async function expectAccessible(page: Page, where: string): Promise<void> {
      expect({ where, violations: await axeViolations(page) }).toEqual({ where, violations: [] });
    }

    /** Through the import wizard, from its first step to the confirmation. */
    async function importYouthFile(page: Page): Promise<void> {
      await main(page)
        .getByLabel(/^Fichier des bénéficiaires/)
        .setInputFiles({
          name: 'jeunes-gironde.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(youthFile(people.accounts.beneficiaire.email)),
        });
      await main(page).getByRole('button', { name: 'Envoyer le fichier' }).click();
      await page.waitForURL(/\/beneficiaires\/import\/\d+$/);
      await main(page).getByRole('button', { name: 'Analyser le fichier' }).click();
      await main(page).getByRole('button', { name: 'Importer les 4 lignes valides' }).click();
      await main(page)
        .getByRole('heading', { name: /bénéficiaires importés/ })
        .waitFor();
      await saveScreenshot(page, 'campagne-1-import-termine', { fullPage: false });
    }

    it('le contrôleur financier fixe le seuil de la double approbation', async () => {
      const opened = await openAs('controleur', '/campagnes');
      const { page } = opened;
      const section = main(page).getByRole('region', { name: 'Double approbation' });
      await section.getByText(/Au-delà de 50\s000,00\s€/).waitFor();
      // A threshold that is not an amount is refused on its field, before sending.
      const threshold = section.getByRole('textbox', { name: /^Seuil de la double approbation/ });
      await threshold.fill('beaucoup');
      await section.getByRole('button', { name: 'Enregistrer le seuil' }).click();
      await section.getByText('Indiquez un montant en euros', { exact: false }).waitFor();
      await threshold.fill('100');
      await section.getByRole('button', { name: 'Enregistrer le seuil' }).click();
      await section.getByText(/Seuil enregistré : 100,00\s€/).waitFor();
      await section.getByText(/Au-delà de 100,00\s€/).waitFor();
      await expectAccessible(page, '/campagnes (contrôleur)');
      await saveScreenshot(page, 'campagne-0-seuil');
      expectQuietPage(opened, server.baseUrl);
    });

    it('le gestionnaire importe un fichier, prépare la campagne, voit la simulation et approuve', async () => {
      const opened = await openAs('gestionnaire', '/beneficiaires/import');
      const { page } = opened;
      await importYouthFile(page);

      await main(page).getByRole('link', { name: 'Mon espace' }).click();
      await page.waitForURL(urlOf('/espace'));
      await main(page).getByRole('link', { name: 'Campagnes d’attribution' }).click();
      await page.waitForURL(urlOf('/campagnes'));
      await main(page).getByText('Aucune campagne pour le moment.').waitFor();
      await main(page).getByRole('link', { name: 'Nouvelle campagne' }).click();
      await page.waitForURL(urlOf('/campagnes/nouvelle'));
      await main(page)
        .getByRole('combobox', { name: /^Dispositif attribué/ })
        .selectOption({ label: `${programmeName} (version 1)` });
      await main(page)
        .getByRole('textbox', { name: /^Nom de la campagne/ })
        .fill(campaignName);
      // The DSFR draws its own radio over the input: a person clicks its label.
      await main(page)
        .locator('label', { hasText: /^Les bénéficiaires d’un fichier importé/ })
        .click();
      const fileChoice = main(page).getByRole('combobox', { name: 'Fichier importé' });
      await fileChoice.selectOption({ index: 1 });
      expect(await fileChoice.locator('option:checked').innerText()).toMatch(
        /^jeunes-gironde\.csv — 4 bénéficiaires/,
      );
      await expectAccessible(page, '/campagnes/nouvelle');
      await saveScreenshot(page, 'campagne-2-nouvelle');
      // Four people are simulated at once: the first answers are held back as they would be for
      // a large population, so that the live progress shows.
      await page.route(
        '**/api/campaigns/*',
        async (route) => {
          const response = await route.fetch();
          const campaign = (await response.json()) as Record<string, unknown>;
          await route.fulfill({
            response,
            json: {
              ...campaign,
              status: 'simulating',
              statusLabel: 'simulation en cours',
              simulation: null,
              examinedCount: 2,
            },
          });
        },
        { times: 3 },
      );
      await main(page).getByRole('button', { name: 'Préparer et simuler la campagne' }).click();

      await page.waitForURL(/\/campagnes\/\d+$/);
      campaignPath = new URL(page.url()).pathname;
      await main(page).getByRole('heading', { level: 1, name: campaignName }).waitFor();
      const progress = main(page).getByRole('region', { name: 'Simulation en cours' });
      await progress.getByText('2 personnes examinées').waitFor();
      expect(await progress.getByRole('progressbar').count()).toBe(1);
      await saveScreenshot(page, 'campagne-3-simulation-en-cours', { fullPage: false });
      const simulation = main(page).getByRole('region', { name: 'Simulation', exact: true });
      await simulation.waitFor({ timeout: 30_000 });
      const figures = await simulation.locator('.key-figure').allInnerTexts();
      expect(figures.map((text) => text.replace(/\s+/g, ' '))).toEqual([
        'Personnes évaluées 4',
        'Éligibles 3',
        expect.stringMatching(/^Enveloppes à créditer 3 Aucun éligible/),
        expect.stringMatching(/^Montant à créditer 900,00 € Soit 300,00 €/),
      ]);
      const communes = simulation.getByRole('table', { name: /par commune/ });
      expect(await communes.innerText()).toMatch(/Bordeaux \(33063\)\s+2\s+1\s+300,00\s€/);
      expect(await simulation.innerText()).toMatch(/Âge \(condition 1\)\s+1/);
      const approval = main(page).getByRole('region', { name: 'Approbation' });
      await approval
        .getByText('deux personnes différentes doivent approuver', { exact: false })
        .waitFor();
      const attributions = main(page).getByRole('region', { name: 'Attributions' });
      expect(await attributions.getByRole('table').innerText()).toMatch(/Camille Martin/);
      await expectAccessible(page, '/campagnes/:id (simulée)');
      await saveScreenshot(page, 'campagne-4-simulation');

      await approval.getByRole('button', { name: 'Approuver la campagne' }).click();
      await approval.getByText(/Approuver le crédit de 3 enveloppes pour 900,00\s€/).waitFor();
      await approval.getByRole('button', { name: 'Confirmer l’approbation' }).click();
      await approval
        .getByText('Vous avez donné la première approbation', { exact: false })
        .waitFor();
      await approval.getByText(/Première approbation par Gaspard Gestionnaire/).waitFor();
      expect(await approval.getByRole('button', { name: /approbation/ }).count()).toBe(0);
      await expectAccessible(page, '/campagnes/:id (première approbation)');
      await saveScreenshot(page, 'campagne-5-premiere-approbation', { fullPage: false });
      expectQuietPage(opened, server.baseUrl);
    }, 60_000);

    it('le contrôleur financier donne la seconde approbation et suit le crédit', async () => {
      expect(campaignPath).not.toBe('');
      const opened = await openAs('controleur', campaignPath);
      const { page } = opened;
      const approval = main(page).getByRole('region', { name: 'Approbation' });
      await approval.getByRole('button', { name: 'Donner la seconde approbation' }).click();
      await approval.getByRole('button', { name: 'Confirmer l’approbation' }).click();
      const crediting = main(page).getByRole('region', { name: 'Crédit des enveloppes' });
      await crediting
        .getByRole('heading', { name: 'Campagne terminée' })
        .waitFor({ timeout: 30_000 });
      expect(await crediting.innerText()).toMatch(/3 enveloppes créditées sur 3 \(100 %\)/);
      await approval.getByText(/Seconde approbation par Charles Contrôleur/).waitFor();
      const rows = main(page).getByRole('region', { name: 'Attributions' }).getByRole('row');
      await expect.poll(() => rows.filter({ hasText: 'Créditée' }).count()).toBe(3);
      await rows
        .nth(1)
        .getByText(/^Explication/)
        .click();
      await expectAccessible(page, '/campagnes/:id (terminée)');
      await saveScreenshot(page, 'campagne-6-terminee');

      await main(page).getByRole('link', { name: 'Campagnes d’attribution' }).click();
      await page.waitForURL(urlOf('/campagnes'));
      const list = main(page).getByRole('table', { name: /Campagnes d’attribution/ });
      expect(await list.innerText()).toMatch(/Terminée\s+3\s+900,00\s€\s+3 sur 3/i);
      await saveScreenshot(page, 'campagne-7-liste', { fullPage: false });
      expectQuietPage(opened, server.baseUrl);
    }, 60_000);

    it('la bénéficiaire voit sa nouvelle aide, où l’utiliser et pourquoi elle l’a reçue', async () => {
      const opened = await openAs('beneficiaire', '/espace');
      const { page } = opened;
      // Her aid is the first thing her space offers.
      const firstTile = main(page)
        .getByRole('region', { name: 'Que souhaitez-vous faire ?' })
        .getByRole('listitem')
        .first();
      await firstTile.getByRole('link', { name: 'Mes aides' }).click();
      await page.waitForURL(urlOf('/mes-aides'));
      const card = main(page)
        .locator('.fr-card')
        .filter({ has: page.getByRole('heading', { name: programmeName }) });
      await card.waitFor();
      const text = await card.innerText();
      expect(text).toMatch(/300,00\s€\s+disponibles sur 300,00\s€/);
      expect(text).toContain('Financé par Département de la Gironde');
      expect(text).toMatch(/Valable jusqu’au \d+ \S+ \d{4}/);
      expect(text).toContain('Utilisable pour :');
      await card.getByRole('button', { name: 'Pourquoi cette aide ?' }).click();
      const explanation = card.locator('.explanation-sentences li');
      await expect.poll(() => explanation.count()).toBeGreaterThan(1);
      expect(await explanation.allInnerTexts()).toEqual(
        expect.arrayContaining([expect.stringMatching(/18 ans/)]),
      );
      await expectAccessible(page, '/mes-aides');
      await saveScreenshot(page, 'campagne-8-mes-aides');

      await card.getByRole('link', { name: programmeName }).click();
      await page.waitForURL(/\/mes-aides\/\d+$/);
      const history = main(page).getByRole('table', { name: /Opérations de l’enveloppe/ });
      expect(await history.innerText()).toMatch(/Crédit de l’aide\s+\+?300,00\s€\s+300,00\s€/);
      await expectAccessible(page, '/mes-aides/:id');
      await saveScreenshot(page, 'campagne-9-enveloppe');
      expectQuietPage(opened, server.baseUrl);
    });

    it('le gestionnaire suspend une attribution avec un motif et la voit dans l’historique', async () => {
      expect(campaignPath).not.toBe('');
      const opened = await openAs('gestionnaire', campaignPath);
      const { page } = opened;
      const attributions = main(page).getByRole('region', { name: 'Attributions' });
      await attributions.getByRole('link', { name: /Durand/ }).click();
      await page.waitForURL(/\/attributions\/\d+$/);
      await main(page)
        .getByRole('heading', { level: 1, name: new RegExp(`^${programmeName}`) })
        .waitFor();
      const form = main(page).getByRole('region', { name: 'Changer le statut' });
      await form.getByRole('button', { name: 'Suspendre l’enveloppe' }).click();
      await form.getByText('Indiquez le motif (3 caractères au moins).').waitFor();
      await form.getByRole('textbox', { name: /^Motif/ }).fill('Adresse à vérifier');
      await form.getByRole('button', { name: 'Suspendre l’enveloppe' }).click();
      await form.getByText('Enveloppe suspendue.').waitFor();
      const history = main(page).getByRole('table', { name: /Changements de statut/ });
      await history.getByText('Adresse à vérifier').waitFor();
      expect(await main(page).locator('dl').innerText()).toMatch(/Statut\s+Suspendue/i);
      await form.getByRole('radio', { name: /^Rétablir l’enveloppe/ }).waitFor();
      await expectAccessible(page, '/attributions/:id');
      await saveScreenshot(page, 'campagne-10-attribution');
      expectQuietPage(opened, server.baseUrl);
    });
  },
);
