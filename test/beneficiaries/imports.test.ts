import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  analysed,
  countRows,
  createAccount,
  expectRefusal,
  newFunder,
  PASSWORD,
  upload,
  XLSX_TYPE,
  type ImportView,
} from './support.js';

// Imports through the API, the wizard's steps: a good CSV and a good XLSX go in whole after
// confirmation; malformed files (wrong encoding, missing columns, bad dates, formula cells,
// empty, too large) get a clear report and import nothing; duplicates are reported; confirming
// twice inserts nothing twice; progress can be watched.

const LIMIT_BYTES = 3 * 1024 * 1024;

let server: TestServer;
let people: DemoPeople;
let manager: SessionClient;
let otherManager: SessionClient;

const HEADER =
  'N° allocataire;Nom;Prénom(s);Date de naissance;Code INSEE;Téléphone;Quotient familial;Statuts';

function csv(lines: string[], header = HEADER): Buffer {
  return Buffer.from(`\ufeff${[header, ...lines].join('\r\n')}\r\n`, 'utf8');
}

type Counts = { beneficiaries: number; imports: number; chunks: number; staged: number };

async function counts(): Promise<Counts> {
  const pool = server.database.pool;
  return {
    beneficiaries: await countRows(pool, 'beneficiaries'),
    imports: await countRows(pool, 'beneficiary_imports'),
    chunks: await countRows(pool, 'beneficiary_import_chunks'),
    staged: await countRows(pool, 'beneficiary_import_batches'),
  };
}

function query(fileName: string) {
  return { organisationId: people.organisations.departement, fileName };
}

async function uploaded(bytes: Buffer, fileName = 'beneficiaires.csv', type?: string) {
  const answer = await upload(manager, query(fileName), bytes, type);
  expect(answer.status, answer.text).toBe(201);
  return (
    answer.json as { import: ImportView & { suggestedMapping: Record<string, number | null> } }
  ).import;
}

/** Maps as suggested, and waits for the end of the analysis. */
async function analysedImport(started: ImportView): Promise<ImportView> {
  const mapping = await manager.post(`/api/beneficiaries/imports/${started.id}/mapping`, {
    mapping: started.suggestedMapping,
    kind: 'personne',
  });
  expect(mapping.status, mapping.text).toBe(202);
  return (await analysed(manager, started.id)).at(-1) as ImportView;
}

/** Uploads, maps as suggested, and waits for the end of the analysis. */
async function analysedFile(bytes: Buffer, type?: string): Promise<ImportView> {
  const started = await uploaded(
    bytes,
    type === XLSX_TYPE ? 'beneficiaires.xlsx' : 'beneficiaires.csv',
    type,
  );
  const mapping = await manager.post(`/api/beneficiaries/imports/${started.id}/mapping`, {
    mapping: started.suggestedMapping,
    kind: 'personne',
  });
  expect(mapping.status, mapping.text).toBe(202);
  return (await analysed(manager, started.id)).at(-1) as ImportView;
}

async function problems(importId: number) {
  const answer = await manager.get(`/api/beneficiaries/imports/${importId}/problems?limit=500`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as {
    problems: { line: number; field: string; code: string; reason: string }[];
    total: number;
  };
}

beforeAll(async () => {
  server = await startTestServer({
    web: false,
    environment: { FLECHAGE_IMPORT_MAX_BYTES: String(LIMIT_BYTES) },
  });
  people = await seedPeople(server.database.pool);
  const otherFunder = await newFunder(server.database.pool, 'Région de test');
  await createAccount(
    server.database.pool,
    'gestionnaire@region.test',
    'gestionnaire',
    otherFunder,
  );
  manager = await loggedIn(server.baseUrl, people.accounts.gestionnaire.email, people.password);
  otherManager = await loggedIn(server.baseUrl, 'gestionnaire@region.test', PASSWORD);
});

afterAll(async () => {
  await server?.close();
});

describe('fichiers valides', () => {
  it('importe un CSV après confirmation, en une fois ; confirmer deux fois n’ajoute rien', async () => {
    const before = await counts();
    const file = csv([
      'A-1;Martin;Camille;14/03/2008;33063;06 12 34 56 78;712,50;lycéen',
      'A-2;"Durand; dit ""Dudu""";Léo;2007-11-02;33281;+33 6 00 00 00 01;;',
      'A-3;Petit;Inès;01/01/1990;33318;;1 234,5;"demandeur_emploi;etudiant"',
    ]);
    const started = await uploaded(file);
    expect(started).toMatchObject({
      status: 'uploaded',
      fileFormat: 'csv',
      fileBytes: file.length,
      columns: HEADER.split(';'),
      preview: [expect.arrayContaining(['A-1', 'Martin']), expect.any(Array), expect.any(Array)],
      suggestedMapping: {
        externalId: 0,
        familyName: 1,
        givenNames: 2,
        birthDate: 3,
        communeCode: 4,
        phone: 5,
        householdQuotientEuros: 6,
        statuses: 7,
        email: null,
      },
    });
    const report = await analysedImport(started);
    expect(report).toMatchObject({
      status: 'analysed',
      linesRead: 3,
      validLines: 3,
      rejectedLines: 0,
      duplicateLines: 0,
      bytesRead: file.length,
    });
    // Nothing in the registry before confirmation.
    expect((await counts()).beneficiaries).toBe(before.beneficiaries);
    const confirmed = await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({
      import: { status: 'imported', validLines: 3, confirmedAt: expect.any(String) },
    });
    const again = await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect(again.json).toEqual(confirmed.json);
    const after = await counts();
    expect(after.beneficiaries).toBe(before.beneficiaries + 3);
    expect(after.staged).toBe(0);
    const listed = await manager.get(`/api/beneficiaries?importId=${report.id}&limit=10`);
    const records = (listed.json as { beneficiaries: Record<string, unknown>[] }).beneficiaries;
    expect(records.map((record) => record.familyName).sort()).toEqual([
      'Durand; dit "Dudu"',
      'Martin',
      'Petit',
    ]);
    expect(records.find((record) => record.familyName === 'Petit')).toMatchObject({
      birthDate: '1990-01-01',
      household: { householdQuotientEuros: 1234.5, statuses: ['demandeur_emploi', 'etudiant'] },
    });
    const codes = await server.database.pool.query(
      `select count(distinct claim_code)::int as codes from beneficiaries where import_id = $1`,
      [report.id],
    );
    expect(codes.rows[0]).toEqual({ codes: 3 });
    expect((await counts()).chunks).toBe(before.chunks);
  });

  it('importe un classeur XLSX (première feuille, dates et nombres de tableur)', async () => {
    const before = await counts();
    const workbook = await writeXlsxFile([
      [
        'Nom',
        'Prénom',
        'Date de naissance',
        'Code commune',
        'Téléphone',
        'Nombre d’enfants',
        'Identifiant',
      ].map((value) => ({ value })),
      [
        { value: 'Moreau' },
        { value: 'Lina' },
        { value: new Date('2009-05-06'), format: 'dd/mm/yyyy' },
        { value: 33063 },
        { value: 612345678 },
        { value: 2 },
        { value: 'X-1' },
      ],
      [
        { value: 'Roux' },
        { value: 'Adam' },
        { value: '07/08/2006' },
        { value: '33281' },
        null,
        { value: 0 },
        { value: 'X-2' },
      ],
    ]).toBuffer();
    const report = await analysedFile(workbook, XLSX_TYPE);
    expect(report).toMatchObject({ status: 'analysed', validLines: 2, rejectedLines: 0 });
    await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect((await counts()).beneficiaries).toBe(before.beneficiaries + 2);
    const listed = await manager.get(`/api/beneficiaries?search=X-1`);
    expect(listed.json).toMatchObject({
      beneficiaries: [
        {
          familyName: 'Moreau',
          birthDate: '2009-05-06',
          phone: '0612345678',
          communeCode: '33063',
          household: { dependentChildren: 2 },
        },
      ],
    });
  });
});

describe('fichiers malformés : un rapport clair, rien d’importé', () => {
  it('refuse un fichier Windows-1252 en nommant la ligne fautive', async () => {
    const before = await counts();
    const latin1 = Buffer.from(
      `${HEADER}\r\nB-1;Lefevre;Helene;01/01/2000;33063;;;\r\nB-2;Lefèvre;Hélène;01/01/2000;33063;;;\r\n`,
      'latin1',
    );
    const answer = await upload(manager, query('latin1.csv'), latin1);
    expectRefusal(answer, 422, 'encoding_invalid');
    expect((answer.json as { message: string }).message).toContain('ligne 1');
    expect(await counts()).toEqual(before);
  });

  it('refuse un fichier vide, et un fichier au-delà de la taille permise (413), sans rien garder', async () => {
    const before = await counts();
    expectRefusal(await upload(manager, query('vide.csv'), Buffer.alloc(0)), 422, 'file_empty');
    const huge = Buffer.alloc(LIMIT_BYTES + 10, 'a');
    const answer = await upload(manager, query('enorme.csv'), huge);
    expectRefusal(answer, 413, 'file_too_large');
    expect((answer.json as { message: string }).message).toContain('3 Mo');
    // Without a declared length, the bytes are counted as they come.
    const streamed = await fetch(
      new URL(
        `/api/beneficiaries/imports?organisationId=${people.organisations.departement}&fileName=flux.csv`,
        server.baseUrl,
      ),
      {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          cookie: manager.cookie ?? '',
          'x-csrf-token': manager.csrfToken ?? '',
        },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(Buffer.from(`${HEADER}\n`));
            const lines = Buffer.from(`${'b'.repeat(99)}\n`.repeat(655));
            for (let index = 0; index < 60; index += 1) controller.enqueue(lines);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit,
    );
    expect(streamed.status, await streamed.text()).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('refuse un type de fichier inconnu et un classeur illisible', async () => {
    expectRefusal(
      await upload(manager, query('photo.png'), Buffer.from('png'), 'image/png'),
      415,
      'media_type_unsupported',
    );
    expectRefusal(
      await upload(manager, query('faux.xlsx'), Buffer.from('pas un zip'), XLSX_TYPE),
      422,
      'xlsx_invalid',
    );
  });

  it('refuse l’association quand une colonne obligatoire manque, avant de lire les lignes', async () => {
    const started = await uploaded(csv(['C-1;Martin;Camille'], 'Identifiant;Nom;Prénom'));
    const answer = await manager.post(`/api/beneficiaries/imports/${started.id}/mapping`, {
      mapping: started.suggestedMapping,
      kind: 'personne',
    });
    expectRefusal(answer, 422, 'columns_missing');
    expect(answer.json).toMatchObject({
      details: { fields: ['birthDate'] },
      message: expect.stringContaining('Date de naissance'),
    });
    expectRefusal(
      await manager.post(`/api/beneficiaries/imports/${started.id}/mapping`, {
        mapping: { familyName: 1, givenNames: 1, birthDate: 0 },
        kind: 'personne',
      }),
      422,
      'mapping_invalid',
    );
    const view = await manager.get(`/api/beneficiaries/imports/${started.id}`);
    expect(view.json).toMatchObject({ status: 'uploaded', linesRead: 0 });
    expectRefusal(
      await manager.post(`/api/beneficiaries/imports/${started.id}/confirm`),
      409,
      'import_not_analysed',
    );
  });

  it('rapporte dates fausses et formules ligne à ligne ; un numéro +33 reste valide', async () => {
    const before = await counts();
    const report = await analysedFile(
      csv([
        'D-1;Garcia;Noé;31/02/2008;33063;;;',
        'D-2;=HYPERLINK("http://x","clic");Jade;01/02/2008;33063;;;',
        'D-3;Blanc;Hugo;01/02/2008;33063;+33 6 11 22 33 44;;',
        'D-4;Faure;@SOMME(A1);demain;33999;;;',
      ]),
    );
    expect(report).toMatchObject({
      status: 'analysed',
      linesRead: 4,
      validLines: 1,
      rejectedLines: 3,
      problemsFound: 5,
    });
    expect(
      (await problems(report.id)).problems.map(
        ({ line, field, code }) => `${line}:${field}:${code}`,
      ),
    ).toEqual([
      '2:birthDate:date_invalid',
      '3:familyName:formula_injection',
      '5:birthDate:date_invalid',
      '5:communeCode:commune_unknown',
      '5:givenNames:formula_injection',
    ]);
    const reasons = (await problems(report.id)).problems.map((found) => found.reason);
    expect(reasons[1]).toMatch(/^Nom : une cellule ne peut pas commencer par =/);
    const abandoned = await manager.post(`/api/beneficiaries/imports/${report.id}/abandon`);
    expect(abandoned.json).toMatchObject({ import: { status: 'abandoned' } });
    expect(await counts()).toEqual({ ...before, imports: before.imports + 1 });
    expectRefusal(
      await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`),
      409,
      'import_closed',
    );
  });

  it('un fichier sans aucune ligne valide n’importe rien, même confirmé', async () => {
    const before = await counts();
    const report = await analysedFile(
      csv(['E-1;Roy;Zoé;hier;33063;;;', 'E-2;Roy;;01/01/2001;33063;;;']),
    );
    expect(report).toMatchObject({ validLines: 0, rejectedLines: 2 });
    const confirmed = await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect(confirmed.json).toMatchObject({ import: { status: 'imported', validLines: 0 } });
    expect((await counts()).beneficiaries).toBe(before.beneficiaries);
  });

  it('un guillemet jamais refermé fait échouer l’analyse du fichier entier', async () => {
    const before = await counts();
    const lines = Array.from(
      { length: 8 },
      (_, index) => `F-${index};Nom${index};Prénom;01/01/2001;33063;;;`,
    );
    lines.push('F-9;"Sans fin;Prénom;01/01/2001;33063;;;');
    const report = await analysedFile(csv(lines));
    expect(report).toMatchObject({
      status: 'failed',
      failureCode: 'quote_unclosed',
      validLines: 0,
    });
    expect(report.failure).toContain('ligne 10');
    expectRefusal(
      await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`),
      409,
      'import_not_analysed',
    );
    expect((await counts()).staged).toBe(before.staged);
  });
});

describe('doublons, avancement, isolement', () => {
  it('signale les doublons du fichier et ceux déjà enregistrés, et ne les importe pas', async () => {
    const existing = await manager.post('/api/beneficiaries', {
      organisationId: people.organisations.departement,
      kind: 'personne',
      familyName: 'Lambert',
      givenNames: 'Éloïse',
      birthDate: '2004-04-04',
      communeCode: '33063',
    });
    expect(existing.status, existing.text).toBe(201);
    const report = await analysedFile(
      csv([
        'G-1;Perrin;Tom;01/01/2001;33063;;;',
        'G-1;Perrin;Thomas;01/01/2001;33063;;;',
        'G-2;PERRIN;tom;01/01/2001;33063;;;',
        'G-3;LAMBERT;Eloise;04/04/2004;33063;;;',
        'A-1;Autre;Personne;01/01/2001;33063;;;',
      ]),
    );
    expect(report).toMatchObject({ validLines: 1, duplicateLines: 4, rejectedLines: 0 });
    expect((await problems(report.id)).problems.map(({ line, code }) => `${line}:${code}`)).toEqual(
      [
        '3:duplicate_in_file',
        '4:duplicate_in_file',
        '5:duplicate_existing',
        '6:duplicate_existing',
      ],
    );
  });

  it('laisse suivre l’avancement de l’analyse', async () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, index) =>
        `P-${index};Nom${index};Prénom;${String((index % 28) + 1).padStart(2, '0')}/05/2001;33063;;;`,
    );
    const started = await uploaded(csv(lines));
    await manager.post(`/api/beneficiaries/imports/${started.id}/mapping`, {
      mapping: started.suggestedMapping,
      kind: 'personne',
    });
    const seen = await analysed(manager, started.id);
    const progress = seen.map((view) => view.linesRead);
    expect(progress).toEqual([...progress].sort((left, right) => left - right));
    expect(
      seen.some(
        (view) => view.status === 'analysing' && view.linesRead > 0 && view.linesRead < 30_000,
      ),
    ).toBe(true);
    expect(seen.at(-1)).toMatchObject({
      status: 'analysed',
      linesRead: 30_000,
      validLines: 30_000,
    });
    const before = await counts();
    await manager.post(`/api/beneficiaries/imports/${started.id}/confirm`);
    expect((await counts()).beneficiaries).toBe(before.beneficiaries + 30_000);
  });

  it('une confirmation qui échoue en cours de route n’importe aucune ligne', async () => {
    const pool = server.database.pool;
    const report = await analysedFile(
      csv(['J-1;Atomique;Un;01/01/2001;33063;;;', 'J-2;Atomique;Deux;01/01/2001;33063;;;']),
    );
    expect(report).toMatchObject({ status: 'analysed', validLines: 2 });
    // The second staged line's claim code taken by another record: its insert must fail.
    const staged = await pool.query<{ code: string }>(
      `select records->1->>'claim_code' as code from beneficiary_import_batches where import_id = $1`,
      [report.id],
    );
    const code = (staged.rows[0] as { code: string }).code;
    const holder = await pool.query<{ id: number; claim_code: string }>(
      `select id, claim_code from beneficiaries where claim_code is not null order by id limit 1`,
    );
    const { id, claim_code: ownCode } = holder.rows[0] as { id: number; claim_code: string };
    await pool.query('update beneficiaries set claim_code = $2 where id = $1', [id, code]);
    const before = await counts();
    const failed = await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect(failed.status).toBe(500);
    expect(await counts()).toEqual(before);
    expect((await manager.get(`/api/beneficiaries/imports/${report.id}`)).json).toMatchObject({
      status: 'analysed',
    });
    await pool.query('update beneficiaries set claim_code = $2 where id = $1', [id, ownCode]);
    const confirmed = await manager.post(`/api/beneficiaries/imports/${report.id}/confirm`);
    expect(confirmed.json).toMatchObject({ import: { status: 'imported', validLines: 2 } });
    expect((await counts()).beneficiaries).toBe(before.beneficiaries + 2);
  });

  it('une analyse dont le processus s’est arrêté passe en échec, et se relance', async () => {
    const started = await uploaded(csv(['I-1;Interrompu;Camille;14/03/2008;33063;;;']));
    await server.database.pool.query(
      `update beneficiary_imports set status = 'analysing', progressed_at = now() - interval '10 minutes'
        where id = $1`,
      [started.id],
    );
    expectRefusal(
      await manager.post(`/api/beneficiaries/imports/${started.id}/confirm`),
      409,
      'import_not_analysed',
    );
    const view = await manager.get(`/api/beneficiaries/imports/${started.id}`);
    expect(view.json).toMatchObject({ status: 'failed', failureCode: 'analysis_interrupted' });
    const report = await analysedImport(started);
    expect(report).toMatchObject({ status: 'analysed', validLines: 1 });
  });

  it('un autre financeur ne voit ni ne touche les imports du premier : 404', async () => {
    const started = await uploaded(csv(['H-1;Martin;Camille;14/03/2008;33063;;;']));
    const path = `/api/beneficiaries/imports/${started.id}`;
    expectRefusal(await otherManager.get(path), 404, 'resource_not_found');
    expectRefusal(await otherManager.get(`${path}/problems`), 404, 'resource_not_found');
    expectRefusal(
      await otherManager.post(`${path}/mapping`, {
        mapping: started.suggestedMapping,
        kind: 'personne',
      }),
      404,
      'resource_not_found',
    );
    expectRefusal(await otherManager.post(`${path}/confirm`), 404, 'resource_not_found');
    expectRefusal(await otherManager.post(`${path}/abandon`), 404, 'resource_not_found');
    expect((await otherManager.get('/api/beneficiaries/imports')).json).toEqual({ imports: [] });
    expectRefusal(
      await upload(otherManager, query('intrus.csv'), csv([])),
      404,
      'resource_not_found',
    );
  });
});
