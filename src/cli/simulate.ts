import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrationStatus } from '../platform/migrations.js';
import { beneficiaryFactsSchema } from '../programmes/schemas.js';
import { compiledVersion } from '../programmes/service.js';
import { formatCents } from '../programmes/rules/format.js';
import { compareSimulations, simulate } from '../programmes/rules/simulation.js';
import { createProgressBar } from './progress.js';

// `flechage simulate`: a rule version over a whole base in a file (one JSON object of facts per
// line), with progress, for bases too large to send through the web page.

export type SimulateOptions = {
  programme: number;
  version: number;
  compareWith?: number;
  date: string;
  file: string;
  json: boolean;
};

const MAX_BENEFICIARIES = 10_000_000;

/** Reads and checks every line before evaluating any: a bad line is named, nothing is half-done. */
async function readBase(file: string) {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  if (lines.length > MAX_BENEFICIARIES) {
    throw new Error(`Au plus ${MAX_BENEFICIARIES} bénéficiaires par fichier.`);
  }
  return lines.map((line, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`Ligne ${index + 1} : ce n’est pas un objet JSON.`);
    }
    const facts = beneficiaryFactsSchema.safeParse(parsed);
    if (!facts.success) {
      throw new Error(`Ligne ${index + 1} : ${z.prettifyError(facts.error).replaceAll('\n', ' ')}`);
    }
    return { facts: facts.data };
  });
}

export async function runSimulate(options: SimulateOptions): Promise<void> {
  if (!z.iso.date().safeParse(options.date).success) {
    throw new Error(`Date de référence invalide : ${options.date} (AAAA-MM-JJ attendu).`);
  }
  const configuration = loadConfiguration();
  const log = options.json ? () => undefined : (message: string) => console.error(message);
  const beneficiaries = await readBase(options.file);
  const database = await openDatabase(configuration, log);
  try {
    if ((await migrationStatus(database.pool).catch(() => undefined))?.current !== true) {
      throw new Error(
        'Le schéma de la base n’est pas à jour : lancez d’abord « flechage migrate ».',
      );
    }
    const candidate = await compiledVersion(database.pool, options.programme, options.version);
    const progress = createProgressBar('Simulation', !options.json);
    const total = beneficiaries.length;
    const report = simulate(candidate.compiled, beneficiaries, options.date, (done) =>
      progress.update(done, total),
    );
    progress.update(total, total);
    progress.stop();
    let comparison = null;
    if (options.compareWith !== undefined) {
      const base = await compiledVersion(database.pool, options.programme, options.compareWith);
      comparison = compareSimulations(simulate(base.compiled, beneficiaries, options.date), report);
    }
    if (options.json) {
      console.log(JSON.stringify({ report, comparison }));
      return;
    }
    console.log(
      `Version ${options.version} : ${report.eligible} éligibles sur ${report.evaluated}, coût ${formatCents(report.totalCents)}.`,
    );
    if (comparison !== null) {
      console.log(
        `Par rapport à la version ${options.compareWith} : ${comparison.eligibleDelta >= 0 ? '+' : ''}${comparison.eligibleDelta} éligibles, ${comparison.totalCentsDelta >= 0 ? '+' : ''}${formatCents(comparison.totalCentsDelta)}.`,
      );
    }
  } finally {
    await database.close();
  }
}
