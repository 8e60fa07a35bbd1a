import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { insertBeneficiary } from '../../src/beneficiaries/store.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../../src/identity/journal.js';
import { registerOrganisation } from '../../src/identity/service.js';
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

type People = Awaited<ReturnType<typeof seedPeople>>;

/**
 * More lines than two of the server's batches of 5 000, whose progress it writes batch by batch:
 * the analysis lasts several polls, so that its progress shows on screen.
 */
const generatedLines = 12_000;

/**
 * A file as a département sends it: French headers, `;` separators, French dates. Besides the
 * generated people, one line lacks its given names and has an impossible date, and one repeats
 * an earlier line's identifier.
 */
function departementFile(): string {
  const header =
    'Nom;Prénom;Date de naissance;Code INSEE;Courriel;Téléphone;N° allocataire;QF;Enfants';
  const generated = Array.from({ length: generatedLines }, (_, index) => {
    const day = `${(index % 28) + 1}`.padStart(2, '0');
    return `Habitant${index};Jean;${day}/01/1970;33063;;;GEN-${index};;`;
  });
  return [
    header,
    'Durand;Léa;01/07/2005;33281;lea.durand@exemple.fr;0611223344;CAF-002;612;0',
    'Petit;;31/02/1980;33063;;;CAF-003;;',
    ...generated,
    'Durand;Léa;01/07/2005;33281;;;CAF-002;;',
  ].join('\n');
}

describeBrowser('Interface web : bénéficiaires, import d’un fichier et coordonnées', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let people: People;
  let camilleCafClaimCode: string;
  let openedPages: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ web: true }), launchBrowser()]);
    people = await seedPeople(server.database.pool);
    const pool = server.database.pool;
    // Camille is known by the département under her email, and by the CAF only by a letter.
    await insertBeneficiary(pool, people.organisations.departement, {
      kind: 'personne',
      familyName: 'Martin',
      givenNames: 'Camille',
      birthDate: '1990-03-12',
      addressLine: '4 rue Sainte-Catherine',
      postalCode: '33000',
      communeCode: '33063',
      email: people.accounts.beneficiaire.email,
      phone: '0612345678',
      household: {},
    });
    const caf = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, {
      kind: 'caisse_allocations_familiales',
      name: 'Caisse d’allocations familiales de la Gironde',
    });
    if (!caf.created) throw new Error(`CAF refusée : ${caf.refusal}`);
    const cafRecord = await insertBeneficiary(pool, caf.organisation.id, {
      kind: 'personne',
      familyName: 'Martin',
      givenNames: 'Camille',
      birthDate: '1990-03-12',
      household: {},
    });
    const code = await pool.query<{ claim_code: string }>(
      'select claim_code from beneficiaries where id = $1',
      [cafRecord],
    );
    camilleCafClaimCode = code.rows[0]?.claim_code ?? '';
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
  async function openAs(
    account: 'gestionnaire' | 'beneficiaire',
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

  it('importe un fichier par l’assistant : colonnes, progression, rapport, confirmation', async () => {
    const opened = await openAs('gestionnaire', '/espace');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Bénéficiaires', exact: true }).click();
    await page.waitForURL(urlOf('/beneficiaires/liste'));
    await main(page).getByRole('table', { name: 'Bénéficiaires trouvés' }).waitFor();

    await main(page).getByRole('link', { name: 'Importer un fichier' }).click();
    await page.waitForURL(urlOf('/beneficiaires/import'));
    await main(page).getByText('Aucun fichier importé pour le moment.').waitFor();
    await expectAccessible(page, '/beneficiaires/import');
    // Sending nothing says what is missing, on the field itself.
    await main(page).getByRole('button', { name: 'Envoyer le fichier' }).click();
    await main(page).getByText('Choisissez le fichier à importer.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-fichier');
    await main(page)
      .getByLabel(/^Fichier des bénéficiaires/)
      .setInputFiles({
        name: 'allocataires-gironde.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(departementFile()),
      });
    await saveScreenshot(page, 'beneficiaires-import-fichier');
    await main(page).getByRole('button', { name: 'Envoyer le fichier' }).click();

    // Step 2: the columns, suggested from the headers, and the file's first lines.
    await page.waitForURL(/\/beneficiaires\/import\/\d+$/);
    const familyName = main(page).getByRole('combobox', {
      name: /^Nom de famille \(obligatoire\)/,
    });
    await familyName.waitFor();
    expect(await familyName.inputValue()).toBe('0');
    expect(
      await main(page)
        .getByRole('combobox', { name: /^Identifiant chez le financeur/ })
        .inputValue(),
    ).toBe('6');
    await main(page)
      .getByRole('combobox', { name: /^Quotient familial/ })
      .selectOption({ label: 'QF' });
    const preview = main(page).getByRole('table', { name: /Premières lignes du fichier/ });
    expect(await preview.innerText()).toContain('lea.durand@exemple.fr');
    await expectAccessible(page, '/beneficiaires/import/:id (colonnes)');
    await saveScreenshot(page, 'beneficiaires-import-colonnes');

    // Step 3: the analysis, followed twice a second.
    await main(page).getByRole('button', { name: 'Analyser le fichier' }).click();
    await main(page)
      .getByRole('progressbar', { name: /^Avancement de l’analyse/ })
      .waitFor();
    // The bar follows the server's progress, batch after batch. On a quiet machine the analysis
    // may end between two polls: the report then replaces the bar, which is fine. The server's
    // progress itself is checked by test/beneficiaries/imports.test.ts.
    const partWay = await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('#import-analyse');
      if (bar === null) return 'rapport déjà affiché';
      return bar.position > 0 && bar.position < 1 ? bar.position : false;
    });
    const seen = await partWay.jsonValue();
    if (typeof seen === 'number') expect(seen).toBeLessThan(1);
    else expect(seen).toBe('rapport déjà affiché');
    await saveScreenshot(page, 'beneficiaires-import-analyse', { fullPage: false });

    // Step 4: the report.
    await main(page)
      .getByRole('heading', { name: /Vérifier et confirmer/ })
      .waitFor({ timeout: 30_000 });
    const valid = generatedLines + 1;
    const counts = await main(page).locator('.import-counts').innerText();
    expect(counts).toMatch(
      new RegExp(`${valid.toLocaleString('fr-FR').replace(/\s/g, '\\s')}\\s+Lignes valides`),
    );
    expect(counts).toMatch(/1\s+Lignes rejetées/);
    expect(counts).toMatch(/1\s+Doublons/);
    const problems = main(page).getByRole('table', { name: /Problèmes relevés/ });
    const problemsText = await problems.innerText();
    expect(problemsText).toMatch(/Prénoms/);
    expect(problemsText).toMatch(/Date de naissance/);
    expect(problemsText).toMatch(/doublon/i);
    await expectAccessible(page, '/beneficiaires/import/:id (rapport)');
    await saveScreenshot(page, 'beneficiaires-import-rapport');

    await main(page)
      .getByRole('button', { name: `Importer les ${valid.toLocaleString('fr-FR')} lignes valides` })
      .click();
    await main(page)
      .getByRole('heading', { name: /bénéficiaires importés/ })
      .waitFor();
    await saveScreenshot(page, 'beneficiaires-import-termine', { fullPage: false });

    // The list shows the import's records only, and finds Léa among them.
    await main(page).getByRole('link', { name: 'Voir les bénéficiaires de cet import' }).click();
    await page.waitForURL(/\/beneficiaires\/liste\?import=\d+$/);
    await main(page)
      .getByText(/12\s001 bénéficiaires trouvés/)
      .waitFor();
    await main(page)
      .getByRole('searchbox', { name: /^Nom, raison sociale ou identifiant/ })
      .fill('durand');
    await main(page).getByRole('button', { name: 'Rechercher' }).click();
    await main(page).getByText('1 bénéficiaire trouvé.').waitFor();
    await expectAccessible(page, '/beneficiaires/liste (recherche)');
    await saveScreenshot(page, 'beneficiaires-liste');
    expectQuietPage(opened, server.baseUrl);
  }, 90_000);

  it('ouvre une fiche, la corrige, l’exporte et montre le refus d’effacement', async () => {
    const opened = await openAs('gestionnaire', '/beneficiaires/liste?recherche=durand');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Léa Durand' }).click();
    await page.waitForURL(/\/beneficiaires\/\d+$/);
    await main(page).getByRole('heading', { level: 1, name: 'Léa Durand' }).waitFor();
    const summary = await main(page).locator('dl').innerText();
    expect(summary).toContain('Mérignac');
    expect(summary).toContain('Quotient familial : 612 €');
    expect(summary).toContain('Aucun enfant à charge');
    expect(summary).toContain('CAF-002');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      main(page).getByRole('link', { name: 'Exporter la fiche (droit d’accès)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const exported = await readFile(await download.path(), 'utf8');
    expect(exported).toContain('lea.durand@exemple.fr');

    // A wrong phone number is refused before sending, on its field.
    await main(page).getByRole('button', { name: 'Modifier la fiche' }).click();
    const phone = main(page).getByRole('textbox', { name: /^Téléphone/ });
    await phone.fill('pas un numéro');
    await main(page).getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await main(page)
      .getByRole('link', { name: /Téléphone : Saisissez un numéro/ })
      .click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fiche-phone');
    await expectAccessible(page, '/beneficiaires/:id (modification)');
    await saveScreenshot(page, 'beneficiaire-fiche-erreurs');
    await phone.fill('06 99 88 77 66');
    await main(page).getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await main(page).getByText('Fiche enregistrée.').waitFor();
    await main(page).locator('dl').getByText('06 99 88 77 66').waitFor();

    // The server refuses while the law requires keeping the data: the page says until when.
    await page.route('**/erase', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'retention_running',
          message:
            'La durée de conservation court encore : l’effacement n’est pas encore permis. Effacement possible à partir du 15/03/2031.',
          details: { retentionUntil: '2031-03-15' },
        }),
      }),
    );
    await main(page).getByRole('button', { name: 'Effacer les données' }).click();
    await main(page).getByRole('button', { name: 'Confirmer l’effacement' }).click();
    await main(page)
      .getByText(/^Indiquez le motif de l’effacement/)
      .waitFor();
    await main(page)
      .getByRole('textbox', { name: /^Motif de l’effacement/ })
      .fill('Demande de la personne');
    await main(page).getByRole('button', { name: 'Confirmer l’effacement' }).click();
    await main(page)
      .getByRole('heading', { name: 'Effacement impossible avant le 15 mars 2031' })
      .waitFor();
    await expectAccessible(page, '/beneficiaires/:id (effacement refusé)');
    await saveScreenshot(page, 'beneficiaire-fiche-effacement-refuse');

    // Léa never received any aid: the server itself lets her data go at once.
    await page.unroute('**/erase');
    await main(page).getByRole('button', { name: 'Confirmer l’effacement' }).click();
    await main(page)
      .getByText('Les données personnelles du bénéficiaire ont été effacées.')
      .waitFor();
    await main(page)
      .getByRole('heading', { level: 1, name: /données effacées/ })
      .waitFor();
    expect(await main(page).innerText()).not.toContain('lea.durand@exemple.fr');
    expectQuietPage(opened, server.baseUrl, [/\/erase \(HTTP 409\)/, /status of 409/]);
  }, 60_000);

  it('laisse la bénéficiaire corriger son téléphone et rattacher une aide avec son code', async () => {
    const opened = await openAs('beneficiaire', '/espace');
    const { page } = opened;
    await main(page).getByRole('link', { name: 'Mes coordonnées chez les financeurs' }).click();
    await page.waitForURL(urlOf('/mes-coordonnees'));
    const departement = main(page).getByRole('region', { name: 'Département de la Gironde' });
    await departement.getByText('06 12 34 56 78').waitFor();

    await departement
      .getByRole('button', { name: 'Corriger mes coordonnées chez Département de la Gironde' })
      .click();
    await departement.getByRole('textbox', { name: /^Téléphone/ }).fill('07 98 76 54 32');
    await departement.getByRole('button', { name: 'Enregistrer mes coordonnées' }).click();
    await departement
      .getByText('Coordonnées enregistrées chez Département de la Gironde.')
      .waitFor();
    await departement.getByText('07 98 76 54 32').waitFor();

    const claim = main(page).getByRole('region', { name: 'Rattacher une aide' });
    await claim.getByRole('textbox', { name: /^Code de rattachement/ }).fill('AAAA-BBBB-CC');
    await claim.getByRole('button', { name: 'Rattacher' }).click();
    await claim.getByText(/Code de rattachement inconnu/).waitFor();
    await claim.getByRole('textbox', { name: /^Code de rattachement/ }).fill(camilleCafClaimCode);
    await claim.getByRole('button', { name: 'Rattacher' }).click();
    await main(page)
      .getByText(/^Votre fiche chez Caisse d’allocations familiales de la Gironde est rattachée/)
      .waitFor();
    await main(page)
      .getByRole('region', { name: 'Caisse d’allocations familiales de la Gironde' })
      .waitFor();
    await expectAccessible(page, '/mes-coordonnees (rattachée)');
    await saveScreenshot(page, 'mes-coordonnees');
    // Beneficiaries mostly come on a phone: the page fits its width.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await main(page).getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'mes-coordonnees-mobile', { fullPage: false });
    expectQuietPage(opened, server.baseUrl, [/\/claim \(HTTP 422\)/, /status of 422/]);
  });
});
