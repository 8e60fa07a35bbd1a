import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApplication, PROJECT_ROOT } from '../app.js';
import { renderApiMarkdown, type CodeTable } from '../platform/api-docs.js';
import {
  TRANSFER_RESULTS,
  TRANSFER_RESULT_MESSAGES,
  type TransferResultCode,
} from '../ledger/results.js';
import { loadConfiguration } from '../platform/config.js';
import { createPool } from '../platform/database.js';

export const API_REFERENCE_FILE = path.join(PROJECT_ROOT, 'docs', 'api.md');

export function ledgerCodeTable(): CodeTable {
  return {
    title: 'Résultats d’un virement (registre), par ordre de priorité',
    rows: (Object.keys(TRANSFER_RESULTS) as TransferResultCode[]).map((code) => ({
      code,
      message: TRANSFER_RESULT_MESSAGES[code],
      note: TRANSFER_RESULTS[code].succeeded
        ? 'succès'
        : TRANSFER_RESULTS[code].retryable
          ? 'refus, peut réussir plus tard'
          : 'refus définitif',
    })),
  };
}

/** Writes docs/api.md from the routes' schemas; no database is needed, none is contacted. */
export async function runApiDocs(): Promise<void> {
  const configuration = loadConfiguration({
    ...process.env,
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
  });
  const pool = createPool(configuration.DATABASE_URL as string, 2);
  const application = await buildApplication(configuration, pool, {
    log: () => undefined,
    web: false,
  });
  try {
    await application.server.ready();
    const markdown = renderApiMarkdown(
      application.server.swagger() as Parameters<typeof renderApiMarkdown>[0],
      [ledgerCodeTable()],
    );
    await writeFile(API_REFERENCE_FILE, markdown);
    console.log(
      `Référence de l’API écrite dans ${path.relative(process.cwd(), API_REFERENCE_FILE)}.`,
    );
  } finally {
    await application.close();
    await pool.end();
  }
}
