import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

// One journey through an individual application: a beneficiary applies online and attaches a
// PDF, a case worker asks for information, the beneficiary answers, the case worker accepts,
// and the beneficiary reads the decision with its reason and the explanation.

const desktop = { width: 1280, height: 900 };
const programmeLabel = /Allocation de rentrée scolaire départementale — Département de la Gironde/;
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.alloc(1_000, 0x20),
  Buffer.from('%%EOF'),
]);

type People = Awaited<ReturnType<typeof seedPeople>>;

describeBrowser('Interface web : une demande d’aide, du dépôt à la décision', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let people: People;
  let camille: WatchedPage;
  let instructeur: WatchedPage;
  let applicationPath: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ web: true }), launchBrowser()]);
    people = await seedPeople(server.database.pool);
    await seedDemoProgrammes(server.database.pool, server.application.ledger, people);
  }, 300_000);

  afterAll(async () => {
    await camille?.context.close();
    await instructeur?.context.close();
    await browser?.close();
    await server?.close();
  });

  const urlOf = (path: string) => new URL(path, server.baseUrl).href;
  const main = (page: Page) => page.getByRole('main');

  async function openAs(
    account: 'beneficiaire' | 'instructeur',
    path: string,
  ): Promise<WatchedPage> {
    const opened = await openWatchedPage(browser, { baseUrl: server.baseUrl, viewport: desktop });
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

  it('le bénéficiaire répond aux questions du dispositif, voit l’évaluation expliquée et joint un PDF', async () => {
    camille = await openAs('beneficiaire', '/espace');
    const { page } = camille;
    await main(page).getByRole('link', { name: 'Mes demandes d’aide' }).click();
    await page.waitForURL(urlOf('/mes-demandes'));
    await main(page).getByText('Vous n’avez déposé aucune demande pour le moment.').waitFor();
    await main(page).getByRole('link', { name: 'Faire une demande' }).click();
    await page.waitForURL(urlOf('/mes-demandes/nouvelle'));
    await main(page).getByRole('radio', { name: programmeLabel }).check({ force: true });
    await main(page).getByRole('button', { name: 'Déposer ma demande' }).click();
    await main(page)
      .getByRole('heading', { name: /Le formulaire contient des erreurs \(6\)/ })
      .waitFor();
    await expectAccessible(page, '/mes-demandes/nouvelle (erreurs)');

    await main(page).getByRole('textbox', { name: 'Nom de famille' }).fill('Martin');
    await main(page).getByRole('textbox', { name: 'Prénoms' }).fill('Camille');
    await main(page).getByLabel('Date de naissance').fill('1988-04-02');
    await main(page)
      .getByRole('textbox', { name: /^Rechercher la commune/ })
      .fill('Bordeaux');
    const commune = main(page).getByRole('combobox', { name: 'Commune' });
    await commune
      .locator('option', { hasText: 'Bordeaux (33) — 33063' })
      .waitFor({ state: 'attached' });
    await commune.selectOption('33063');
    await main(page)
      .getByRole('textbox', { name: /^Quotient familial/ })
      .fill('612');
    await main(page).getByRole('textbox', { name: 'Nombre d’enfants à charge' }).fill('2');
    await saveScreenshot(page, 'demande-questions');
    await main(page).getByRole('button', { name: 'Déposer ma demande' }).click();
    await page.waitForURL(/\/mes-demandes\/\d+\?deposee=1$/);
    applicationPath = new URL(page.url()).pathname;
    await main(page).getByText('Éligible : 200,00 €').waitFor();
    await main(page)
      .getByText(/Votre demande est déposée/)
      .waitFor();
    expect(
      await main(page).getByRole('region', { name: 'Évaluation automatique' }).innerText(),
    ).toMatch(/quotient familial/i);

    await page.setInputFiles('#document-fichier', {
      name: 'attestation-caf.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await main(page).getByRole('button', { name: 'Envoyer le document' }).click();
    await main(page)
      .getByText('Le document « attestation-caf.pdf » est joint à votre demande.')
      .waitFor();
    await main(page).getByText('attestation-caf.pdf', { exact: true }).waitFor();
    await expectAccessible(page, '/mes-demandes/:id');
    await saveScreenshot(page, 'demande-deposee');
    expectQuietPage(camille, server.baseUrl);
  });

  it('l’instructeur voit la demande et son évaluation, et demande des informations', async () => {
    instructeur = await openAs('instructeur', '/espace');
    const { page } = instructeur;
    await main(page).getByRole('link', { name: 'Instruire les demandes' }).click();
    await page.waitForURL(urlOf('/demandes'));
    const table = main(page).getByRole('table', { name: 'Demandes d’aide' });
    await table.getByRole('cell', { name: 'Camille Martin' }).waitFor();
    expect(await table.innerText()).toMatch(/Éligible : 200,00\s€/);
    await expectAccessible(page, '/demandes');
    await saveScreenshot(page, 'demandes-liste');

    const applicationId = applicationPath.split('/').at(-1) as string;
    await table.getByRole('link', { name: `Demande n° ${applicationId}` }).click();
    await page.waitForURL(urlOf(`/demandes/${applicationId}`));
    await main(page).getByRole('link', { name: 'Télécharger attestation-caf.pdf' }).waitFor();
    await main(page)
      .getByRole('textbox', { name: /^Demander des informations/ })
      .fill('Merci de joindre l’attestation de quotient familial de moins de trois mois.');
    await main(page).getByRole('button', { name: 'Envoyer la demande d’informations' }).click();
    await main(page).getByText('Informations demandées', { exact: true }).first().waitFor();
    await expectAccessible(page, '/demandes/:id');
    await saveScreenshot(page, 'demande-instruction');
    expectQuietPage(instructeur, server.baseUrl);
  });

  it('le bénéficiaire lit la demande d’informations et répond', async () => {
    const { page } = camille;
    await page.goto(urlOf(applicationPath), { waitUntil: 'networkidle' });
    await main(page)
      .getByRole('heading', { name: 'L’instructeur vous demande des informations' })
      .waitFor();
    await main(page)
      .getByRole('textbox', { name: /^Votre message/ })
      .fill('Voici l’attestation, jointe à l’instant.');
    await main(page).getByRole('button', { name: 'Envoyer le message' }).click();
    await main(page).getByText('Voici l’attestation, jointe à l’instant.').waitFor();
    await main(page)
      .getByText('Déposée, en cours d’instruction', { exact: true })
      .first()
      .waitFor();
    await saveScreenshot(page, 'demande-reponse');
    expectQuietPage(camille, server.baseUrl);
  });

  it('l’instructeur accepte avec un motif', async () => {
    const { page } = instructeur;
    await page.reload({ waitUntil: 'networkidle' });
    await main(page).getByText('Voici l’attestation, jointe à l’instant.').waitFor();
    await main(page).getByRole('button', { name: 'Enregistrer la décision' }).click();
    await main(page)
      .getByRole('heading', { name: /Le formulaire contient des erreurs \(2\)/ })
      .waitFor();
    await main(page).getByRole('radio', { name: 'Accepter la demande' }).check({ force: true });
    expect(
      await main(page)
        .getByRole('textbox', { name: /^Montant accordé/ })
        .inputValue(),
    ).toBe('200');
    await main(page)
      .getByRole('textbox', { name: /^Motif de la décision/ })
      .fill('Attestation reçue, deux enfants scolarisés.');
    await main(page).getByRole('button', { name: 'Enregistrer la décision' }).click();
    await main(page).getByRole('heading', { name: 'Demande acceptée' }).waitFor();
    await expectAccessible(page, '/demandes/:id (décidée)');
    await saveScreenshot(page, 'demande-acceptee-instruction');
    expectQuietPage(instructeur, server.baseUrl);
  });

  it('le bénéficiaire voit la décision, son motif et le montant crédité', async () => {
    const { page } = camille;
    await page.reload({ waitUntil: 'networkidle' });
    const decision = main(page).getByRole('heading', { name: 'Demande acceptée' });
    await decision.waitFor();
    const text = await main(page).innerText();
    expect(text).toMatch(/Montant accordé : 200,00\s€/);
    expect(text).toContain('Motif : Attestation reçue, deux enfants scolarisés.');
    await main(page).getByRole('link', { name: 'Voir mes aides' }).waitFor();
    await expectAccessible(page, '/mes-demandes/:id (décidée)');
    await saveScreenshot(page, 'demande-acceptee-beneficiaire');
    await page.goto(urlOf('/mes-demandes'), { waitUntil: 'networkidle' });
    expect(
      await main(page).getByRole('table', { name: 'Vos demandes d’aide' }).innerText(),
    ).toMatch(/Accordé : 200,00\s€/);
    expectQuietPage(camille, server.baseUrl);
  });
});
