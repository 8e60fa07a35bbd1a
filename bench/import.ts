import {
  ImportAnalyses,
  chooseMapping,
  confirmImport,
  uploadImport,
} from '../src/beneficiaries/import/service.js';
import { findImportInScope, type ImportRecord } from '../src/beneficiaries/import-store.js';
import type { BeneficiaryInput } from '../src/beneficiaries/schemas.js';
import { generatePeople } from '../src/cli/demo-beneficiaries.js';
import { seedDemoPeople } from '../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../src/identity/journal.js';
import { createPool } from '../src/platform/database.js';
import { migrate } from '../src/platform/migrations.js';
import { prepareBenchDatabase, round, type BenchDatabaseOptions } from './support.js';

// `flechage bench import`: a CSV of generated people of the Gironde (built in memory, not
// timed) goes through the import service as the web page drives it: upload (streamed in
// 64 KiB pieces), analysis with the suggested mapping, confirmation in one transaction.

export type ImportBenchOptions = BenchDatabaseOptions & { lines: number };

export const MAX_BENCH_IMPORT_LINES = 1_000_000;
const BENCH_SEED = 4_242;
const PIECE_BYTES = 64 * 1024;
const HEADER = [
  'N° allocataire',
  'Nom',
  'Prénom(s)',
  'Date de naissance',
  'Adresse',
  'Code INSEE',
  'Courriel',
  'Téléphone',
  'Quotient familial',
  'Nombre d’enfants',
  'Statuts',
];

/** A line as a French spreadsheet writes it: `;` between fields, JJ/MM/AAAA, decimal comma. */
function csvLine(person: BeneficiaryInput): string {
  const [year, month, day] = (person.birthDate ?? '').split('-');
  const household = person.household ?? {};
  const statuses = (household.statuses ?? []).join(';');
  return [
    person.externalId,
    person.familyName,
    person.givenNames,
    `${day}/${month}/${year}`,
    person.addressLine,
    person.communeCode,
    person.email ?? '',
    person.phone ?? '',
    String(household.householdQuotientEuros ?? '').replace('.', ','),
    String(household.dependentChildren ?? ''),
    statuses === '' ? '' : `"${statuses}"`,
  ].join(';');
}

export function benchCsv(lines: number): Buffer {
  const text = [HEADER.join(';'), ...generatePeople(lines, BENCH_SEED).map(csvLine)].join('\r\n');
  return Buffer.from(`\ufeff${text}\r\n`, 'utf8');
}

async function* pieces(file: Buffer): AsyncGenerator<Buffer> {
  for (let start = 0; start < file.length; start += PIECE_BYTES) {
    yield file.subarray(start, start + PIECE_BYTES);
  }
}

function seconds(from: number, to: number): number {
  return round((to - from) / 1000);
}

export async function benchImport(options: ImportBenchOptions): Promise<Record<string, number>> {
  const database = await prepareBenchDatabase(options, 'flechage_bench_import');
  const pool = createPool(database.url, 6, 0);
  const analyses = new ImportAnalyses(pool, (error) => options.log(String(error)));
  try {
    await migrate(pool);
    const people = await seedDemoPeople(pool);
    if (people === undefined) throw new Error('base de mesure déjà remplie');
    options.log(`Génération d’un CSV de ${options.lines} lignes…`);
    const file = benchCsv(options.lines);
    const startedAt = performance.now();
    const importId = await uploadImport(pool, OPERATOR_JOURNAL_CONTEXT, {
      organisationId: people.organisations.departement,
      personId: null,
      fileName: 'mesure.csv',
      format: 'csv',
      body: pieces(file),
      limitBytes: file.length,
    });
    const uploadedAt = performance.now();
    const uploaded = (await findImportInScope(pool, null, importId)) as ImportRecord;
    await chooseMapping(pool, OPERATOR_JOURNAL_CONTEXT, analyses, uploaded, {
      mapping: uploaded.suggestedMapping,
      kind: 'personne',
    });
    await analyses.settled(importId);
    const analysedAt = performance.now();
    const analysed = (await findImportInScope(pool, null, importId)) as ImportRecord;
    if (analysed.status !== 'analysed')
      throw new Error(`analyse : ${analysed.failure ?? analysed.status}`);
    const confirmed = await confirmImport(pool, OPERATOR_JOURNAL_CONTEXT, importId, null);
    const confirmedAt = performance.now();
    // Generated people may share a name, a birth date and a commune: those are duplicates.
    if (confirmed.linesRead !== options.lines || confirmed.rejectedLines !== 0) {
      throw new Error(`${confirmed.rejectedLines} lignes refusées sur ${confirmed.linesRead}`);
    }
    options.log(
      `Dépôt ${seconds(startedAt, uploadedAt)} s, analyse ${seconds(uploadedAt, analysedAt)} s, confirmation ${seconds(analysedAt, confirmedAt)} s`,
    );
    const total = (confirmedAt - startedAt) / 1000;
    return {
      lines: options.lines,
      imported: confirmed.validLines,
      duplicates: confirmed.duplicateLines,
      megabytes: round(file.length / (1024 * 1024)),
      upload_seconds: seconds(startedAt, uploadedAt),
      analysis_seconds: seconds(uploadedAt, analysedAt),
      confirm_seconds: seconds(analysedAt, confirmedAt),
      seconds: round(total),
      lines_per_s: Math.round(options.lines / total),
    };
  } finally {
    await analyses.close();
    await pool.end();
    await database.stop();
  }
}
