import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { funderOf } from '../beneficiaries/access.js';
import {
  listProblems,
  findImportInScope,
  type ImportRecord,
} from '../beneficiaries/import-store.js';
import {
  ImportAnalyses,
  chooseMapping,
  confirmImport,
  uploadImport,
} from '../beneficiaries/import/service.js';
import { formatOfFileName } from '../beneficiaries/import/upload.js';
import { MAX_XLSX_BYTES } from '../beneficiaries/import/xlsx.js';
import type { BeneficiaryKind } from '../beneficiaries/model.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import { findOrganisation } from '../identity/store.js';
import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { migrationStatus } from '../platform/migrations.js';
import { createProgressBar } from './progress.js';

// `flechage import-beneficiaires`: a file of beneficiaries through the same steps as the web
// page (upload, analysis with the suggested mapping, report, confirmation), with progress, for
// files too large to send through a browser or for scheduled loads.

export type ImportBeneficiariesOptions = {
  organisation: number;
  file: string;
  kind: BeneficiaryKind;
  confirm: boolean;
};

/** Problems printed under the summary; the rest stay in the report of the web page. */
const PRINTED_PROBLEMS = 20;

async function funderId(pool: pg.Pool, organisationId: number): Promise<number> {
  const organisation = await findOrganisation(pool, organisationId);
  if (organisation === undefined) throw new Error(`Organisation ${organisationId} inconnue.`);
  const funder = funderOf(organisation);
  if (funder === null) {
    throw new Error(`${organisation.name} n’est ni un financeur, ni le service d’un financeur.`);
  }
  return funder;
}

async function printReport(pool: pg.Pool, report: ImportRecord): Promise<void> {
  if (report.status === 'failed') {
    console.log(`Fichier refusé : ${report.failure ?? 'raison inconnue'}`);
    return;
  }
  console.log(
    `Lignes lues : ${report.linesRead} ; valides : ${report.validLines} ; refusées : ${report.rejectedLines} ; doublons : ${report.duplicateLines}.`,
  );
  const { problems, total } = await listProblems(pool, report.id, {
    offset: 0,
    limit: PRINTED_PROBLEMS,
  });
  for (const found of problems) console.log(`  ligne ${found.line} — ${found.reason}`);
  if (total > problems.length) {
    console.log(`  … et ${report.problemsFound - problems.length} autres problèmes.`);
  }
}

async function analyse(
  pool: pg.Pool,
  options: ImportBeneficiariesOptions,
  limitBytes: number,
): Promise<ImportRecord> {
  const fileName = path.basename(options.file);
  const format = formatOfFileName(fileName);
  if (format === undefined) throw new Error('Fichier .csv ou .xlsx attendu.');
  const fileBytes = (await stat(options.file)).size;
  const progress = createProgressBar('Analyse', true);
  const analyses = new ImportAnalyses(
    pool,
    (error) => console.error(error),
    (counters) => progress.update(counters.bytesRead, fileBytes),
  );
  const importId = await uploadImport(pool, OPERATOR_JOURNAL_CONTEXT, {
    organisationId: await funderId(pool, options.organisation),
    personId: null,
    fileName,
    format,
    body: createReadStream(options.file),
    limitBytes: format === 'xlsx' ? Math.min(limitBytes, MAX_XLSX_BYTES) : limitBytes,
  });
  const uploaded = (await findImportInScope(pool, null, importId)) as ImportRecord;
  await chooseMapping(pool, OPERATOR_JOURNAL_CONTEXT, analyses, uploaded, {
    mapping: uploaded.suggestedMapping,
    kind: options.kind,
  });
  await analyses.settled(importId);
  progress.update(fileBytes, fileBytes);
  progress.stop();
  return (await findImportInScope(pool, null, importId)) as ImportRecord;
}

/** Exit code 1 when nothing was imported (file refused, no valid line, or nothing confirmed). */
export async function runImportBeneficiaries(options: ImportBeneficiariesOptions): Promise<void> {
  const configuration = loadConfiguration();
  const database = await openDatabase(configuration, (message) => console.error(message));
  try {
    if ((await migrationStatus(database.pool).catch(() => undefined))?.current !== true) {
      throw new Error(
        'Le schéma de la base n’est pas à jour : lancez d’abord « flechage migrate ».',
      );
    }
    const report = await analyse(database.pool, options, configuration.FLECHAGE_IMPORT_MAX_BYTES);
    await printReport(database.pool, report);
    if (report.status !== 'analysed' || report.validLines === 0) {
      process.exitCode = 1;
      return;
    }
    if (!options.confirm) {
      console.log(
        `Rien n’est importé sans --confirm : relancez avec --confirm, ou confirmez l’import n° ${report.id} depuis l’interface.`,
      );
      return;
    }
    const confirmed = await confirmImport(database.pool, OPERATOR_JOURNAL_CONTEXT, report.id, null);
    const plural = confirmed.validLines > 1 ? 's' : '';
    console.log(
      `${confirmed.validLines} bénéficiaire${plural} importé${plural} (import n° ${confirmed.id}).`,
    );
    if (confirmed.validLines === 0) process.exitCode = 1;
  } catch (error) {
    // Refusals of the import (a wrong encoding, a missing column) are the user's to fix.
    if (!(error instanceof HttpError)) throw error;
    console.log(`Fichier refusé : ${error.message}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}
