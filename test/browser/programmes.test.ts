import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
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

const desktop = { width: 1280, height: 900 };
const fundName = 'Fonds Jeunesse et territoires de la Gironde';

type People = Awaited<ReturnType<typeof seedPeople>>;

describeBrowser('Interface web : fonds, dispositifs, règles et simulation', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let people: People;
  let openedPages: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({
        web: true,
        // The production default: a sample of 5 000 people weighs more than the tests' 256 kio.
        environment: { FLECHAGE_BODY_LIMIT_BYTES: '1048576' },
      }),
      launchBrowser(),
    ]);
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

  /** Opens a page that needs a login, logs in, and lands back on it. */
  async function openAs(
    account: 'gestionnaire' | 'instructeur',
    path: string,
  ): Promise<WatchedPage> {
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

  const main = (page: Page) => page.getByRole('main');

  it('montre un fonds, ses contributeurs et la provenance de chaque axe, et y affecte de l’argent', async () => {
    const opened = await openAs('gestionnaire', '/espace');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Fonds', exact: true }).click();
    await page.waitForURL(urlOf('/fonds'));
    await main(page).getByRole('link', { name: fundName }).waitFor();
    await expectAccessible(page, '/fonds');
    await saveScreenshot(page, 'fonds-liste');

    await main(page).getByRole('link', { name: fundName }).click();
    await page.waitForURL(/\/fonds\/\d+$/);
    await expect.poll(() => page.title()).toBe('Détail du fonds - Fléchage');
    const contributors = main(page).getByRole('table', { name: /Contributeurs du fonds/ });
    await contributors
      .getByRole('cell', { name: 'Caisse d’allocations familiales de la Gironde' })
      .waitFor();
    expect(await contributors.innerText()).toMatch(
      /Département de la Gironde\s+6\s000\s000,00\s€\s+3\s000\s000,00\s€/,
    );
    const axes = main(page).getByRole('table', { name: /Axes du fonds/ });
    expect(await axes.innerText()).toContain('Jeunesse et culture');
    // Half of each axis was allocated, pro rata of what each contributor paid in (3:1).
    expect(await axes.innerText()).toMatch(/Département de la Gironde : [\d\s]+,00\s€/);
    expect(await axes.innerText()).toMatch(
      /Caisse d’allocations familiales de la Gironde : [\d\s]+,00\s€/,
    );

    // Everything paid in is already allocated: the CAF pays more in before an allocation.
    const contribution = main(page).getByRole('region', { name: 'Enregistrer un versement' });
    await contribution
      .getByRole('combobox', { name: 'Contributeur qui verse' })
      .selectOption({ label: 'Caisse d’allocations familiales de la Gironde' });
    await contribution.getByRole('textbox', { name: /^Montant/ }).fill('10000');
    await contribution.getByRole('button', { name: 'Enregistrer le versement' }).click();
    await contribution.getByText(/Versement de 10\s000,00\s€ par Caisse/).waitFor();
    const allocation = main(page).getByRole('region', { name: 'Affecter de l’argent à un axe' });
    await allocation.getByRole('combobox', { name: 'Axe' }).selectOption({ label: 'Solidarités' });
    await allocation.getByRole('textbox', { name: /^Montant/ }).fill('1 000,50');
    await allocation.getByRole('button', { name: 'Affecter' }).click();
    await allocation.getByText(/1\s000,50\s€ affectés à l’axe « Solidarités »/).waitFor();
    await main(page)
      .getByRole('table', { name: /Dispositifs financés/ })
      .waitFor();
    await expectAccessible(page, '/fonds/:id');
    await saveScreenshot(page, 'fonds-detail');

    await page.goto(urlOf('/fonds/nouveau'), { waitUntil: 'networkidle' });
    await main(page)
      .getByRole('textbox', { name: /^Montant engagé/ })
      .fill('1000');
    await main(page)
      .getByRole('textbox', { name: /^Budget de l’axe/ })
      .fill('2000');
    await main(page)
      .getByText(/Les budgets des axes dépassent les engagements de 1\s000,00\s€/)
      .waitFor();
    await main(page).getByRole('button', { name: 'Créer le fonds' }).click();
    const summary = main(page).getByRole('heading', { name: /Le formulaire contient des erreurs/ });
    await summary.waitFor();
    await main(page)
      .getByRole('link', { name: /Nom : Nommez le fonds/ })
      .click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fonds-nom');
    await expectAccessible(page, '/fonds/nouveau');
    await saveScreenshot(page, 'fonds-nouveau-erreurs');
    expectQuietPage(opened, server.baseUrl);
  });

  it('crée un dispositif depuis le pass culture, modifie son montant, l’explique, le publie et le simule', async () => {
    const opened = await openAs('gestionnaire', '/dispositifs');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Pass culture des jeunes de 18 ans' }).waitFor();
    await expectAccessible(page, '/dispositifs');
    await main(page).getByRole('link', { name: 'Créer un dispositif' }).click();
    await page.waitForURL(urlOf('/dispositifs/nouveau'));
    await main(page)
      .getByRole('radio', { name: /^Pass culture des jeunes de 18 ans/ })
      .check();
    const name = main(page).getByRole('textbox', { name: 'Nom du dispositif' });
    expect(await name.inputValue()).toBe('Pass culture des jeunes de 18 ans');
    await name.fill('Pass culture de Gironde');
    await expectAccessible(page, '/dispositifs/nouveau');
    await saveScreenshot(page, 'dispositif-nouveau');
    await main(page).getByRole('button', { name: 'Créer le dispositif' }).click();
    await page.waitForURL(/\/dispositifs\/\d+$/);
    await main(page).getByRole('heading', { level: 1, name: 'Pass culture de Gironde' }).waitFor();
    const explanation = main(page).getByRole('region', {
      name: 'Explication pour un bénéficiaire type',
    });
    await explanation
      .getByText(/300,00\s€/)
      .first()
      .waitFor();

    // A refused amount: the server's message shows next to the field and in the summary.
    await main(page).getByRole('button', { name: 'Modifier les règles' }).click();
    const amount = main(page).getByRole('textbox', { name: /^Montant de l’aide/ });
    await amount.fill('0');
    await main(page).getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await main(page)
      .getByRole('heading', { name: /Les règles contiennent des erreurs/ })
      .waitFor();
    await main(page)
      .getByRole('link', {
        name: /Montant — Montant de l’aide : Un montant doit être strictement positif/,
      })
      .click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('regle-amount-amountCents');
    expect(await amount.getAttribute('aria-describedby')).toContain('desc-error');

    await amount.fill('350');
    // The corrected value no longer carries the refusal of the former one.
    expect(await page.locator('#regle-amount-amountCents-desc-error').count()).toBe(0);
    await explanation
      .getByText('Enregistrez pour voir l’explication avec ces règles', { exact: false })
      .waitFor();
    await main(page).getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await main(page).getByText('Version 2 enregistrée', { exact: false }).waitFor();
    await explanation.getByText('selon la version 2', { exact: false }).waitFor();
    await explanation.getByText('Éligible', { exact: true }).waitFor();
    const sentences = explanation.getByRole('listitem');
    await expect.poll(() => sentences.count()).toBeGreaterThan(1);
    expect(await explanation.innerText()).toMatch(/350,00\s€/);
    await expectAccessible(page, '/dispositifs/:id (règles)');
    await saveScreenshot(page, 'dispositif-regles');
    await main(page)
      .getByRole('heading', { name: /^Modifier les règles/ })
      .scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'dispositif-regles-editeur', { fullPage: false });
    for (const part of ['Montant', 'Usage']) {
      await main(page).getByRole('heading', { name: part, exact: true }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, `dispositif-regles-${part.toLowerCase()}`, { fullPage: false });
    }

    await main(page).getByRole('button', { name: 'Publier cette version (2)' }).click();
    await main(page)
      .getByRole('button', { name: 'Confirmer la publication de la version 2' })
      .click();
    await main(page).getByText('La version 2 est la version publiée.').waitFor();
    await main(page)
      .getByRole('table', { name: 'Versions des règles du dispositif' })
      .getByText('Publiée', { exact: true })
      .waitFor();

    const simulation = main(page).getByRole('region', { name: 'Simulation' });
    expect(await simulation.getByRole('combobox', { name: 'Version simulée' }).inputValue()).toBe(
      '2',
    );
    await simulation.getByRole('button', { name: 'Lancer la simulation' }).click();
    await simulation
      .getByRole('heading', { name: 'Résultats de la version 2' })
      .waitFor({ timeout: 30_000 });
    await simulation
      .getByRole('img', { name: 'Nombre de bénéficiaires par montant accordé' })
      .waitFor();
    await simulation
      .getByRole('img', { name: /Bénéficiaires éligibles par département/ })
      .waitFor();
    const figures = await simulation.innerText();
    expect(figures).toMatch(/Personnes évaluées\s+3\s000/);
    // Version 1 granted 300 €, version 2 grants 350 €, to the same people.
    expect(figures).toMatch(/\+[\d\s]+,00\s€ par rapport à la version 1/);
    expect(figures).toContain('Autant d’éligibles qu’avec la version 1');
    expect(await simulation.locator('.departement-map rect').count()).toBe(96);
    await simulation.getByText('Voir les données de la carte en tableau').click();
    await simulation
      .getByRole('table', { name: /par département/ })
      .getByText('Gironde (33)')
      .waitFor();
    await simulation.getByRole('radio', { name: 'Coût' }).check({ force: true });
    await expectAccessible(page, '/dispositifs/:id (simulation)');
    await saveScreenshot(page, 'dispositif-simulation');
    await simulation
      .getByRole('heading', { name: 'Résultats de la version 2' })
      .scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'dispositif-simulation-resultats', { fullPage: false });
    await simulation
      .getByRole('heading', { name: 'Carte par département' })
      .scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'dispositif-simulation-carte', { fullPage: false });

    // A sample of the person's own, read in the browser from a CSV file.
    await simulation.getByRole('radio', { name: /^Importer un fichier/ }).check({ force: true });
    await simulation.getByLabel(/^Fichier de l’échantillon/).setInputFiles({
      name: 'echantillon.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'birthDate;communeCode;householdQuotientEuros;dependentChildren;statuses\n' +
          '2008-01-15;33063;612;0;etudiant|boursier\n1990-05-01;75056;;2;\n',
      ),
    });
    await expectAccessible(page, '/dispositifs/:id (import)');
    await simulation.getByRole('button', { name: 'Lancer la simulation' }).click();
    await expect.poll(() => simulation.innerText()).toMatch(/Personnes évaluées\s+2\s/);
    expect(await simulation.innerText()).toMatch(/Éligibles\s+1 \(50 %\)/);

    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await simulation
      .getByRole('heading', { name: 'Carte par département' })
      .scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'dispositif-simulation-mobile', { fullPage: false });
    // The refused version is the one expected failure of this visit.
    expectQuietPage(opened, server.baseUrl, [/\/versions \(HTTP 422\)/, /status of 422/]);
  }, 120_000);

  it('montre aux instructeurs les dispositifs et leurs explications, sans les modifier', async () => {
    const opened = await openAs('instructeur', '/espace');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Dispositifs', exact: true }).click();
    await main(page).getByRole('link', { name: 'Aide d’urgence communale' }).click();
    await page.waitForURL(/\/dispositifs\/\d+$/);
    const explanation = main(page).getByRole('region', {
      name: 'Explication pour un bénéficiaire type',
    });
    await explanation
      .getByText(/200,00\s€/)
      .first()
      .waitFor();
    expect(await main(page).getByRole('button', { name: 'Modifier les règles' }).count()).toBe(0);
    expect(await main(page).getByRole('heading', { name: 'Réserver un budget' }).count()).toBe(0);
    await expectAccessible(page, '/dispositifs/:id (instructeur)');
    expectQuietPage(opened, server.baseUrl);
  });
});
