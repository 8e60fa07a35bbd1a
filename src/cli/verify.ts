import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrationStatus } from '../platform/migrations.js';
import { verifyJournal } from '../identity/verify.js';
import { verifyLedger } from '../ledger/verify.js';
import { createProgressBar } from './progress.js';

export async function runVerify(options: { json: boolean }): Promise<void> {
  const configuration = loadConfiguration();
  const log = options.json ? () => undefined : (message: string) => console.log(message);
  // Verification reads the whole history: no statement timeout, however long the ledger.
  const database = await openDatabase(configuration, log, { statementTimeoutMs: 0 });
  try {
    // A verification reads and never writes: a schema behind the code is reported, not upgraded.
    const status = await migrationStatus(database.pool).catch(() => undefined);
    if (status?.current !== true) {
      throw new Error(
        'Le schéma de la base n’est pas à jour (ou absent) : lancez d’abord « flechage migrate ».',
      );
    }
    const progress = createProgressBar('Chaîne d’empreintes', !options.json);
    const report = await verifyLedger(database.pool, (done, total) => progress.update(done, total));
    progress.stop();
    const journal = await verifyJournal(database.pool);
    const violations = [...report.violations, ...journal.violations];
    if (options.json) {
      console.log(JSON.stringify({ ...report, journalEntries: journal.entries, violations }));
    } else {
      console.log(
        `Registre : ${report.transfers} virements, ${report.entries} écritures, ${report.accounts} comptes, ` +
          `${report.openPendings} réservations ouvertes.`,
      );
      console.log(`Journal d’audit : ${journal.entries} entrées.`);
      for (const violation of violations)
        console.log(`VIOLATION ${violation.check} : ${violation.detail}`);
      console.log(
        violations.length === 0
          ? 'Vérification réussie : aucune anomalie.'
          : `${violations.length} anomalie(s).`,
      );
    }
    if (violations.length > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
}
