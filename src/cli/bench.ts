import { benchCampaign } from '../../bench/campaign.js';
import { benchIdentity } from '../../bench/identity.js';
import { benchImport } from '../../bench/import.js';
import { benchLedger } from '../../bench/ledger.js';
import { benchRules } from '../../bench/rules.js';
import type { BenchDatabaseOptions } from '../../bench/support.js';
import { loadConfiguration } from '../platform/config.js';

// `flechage bench …`: each bench measures, this prints its figures, a JSON line last.

type BenchResult = Record<string, number | string | boolean>;

export type Bench = {
  description: string;
  defaultSeconds: number;
  run(secondsPerStep: number): Promise<BenchResult>;
};

function log(message: string): void {
  console.error(message);
}

/** The bench cluster sits beside the platform's own, never on it. */
function benchDatabase(): BenchDatabaseOptions {
  const configuration = loadConfiguration();
  return {
    dataDirectory: configuration.dataDirectory,
    embeddedPort: configuration.FLECHAGE_EMBEDDED_PORT + 1,
    databaseUrl: configuration.DATABASE_URL,
    log,
  };
}

export const BENCHES: Record<string, Bench> = {
  ledger: {
    description: 'débit du registre, latences, compte chaud et surcharge',
    defaultSeconds: 5,
    run: (secondsPerStep) => benchLedger({ ...benchDatabase(), secondsPerStep }),
  },
  identity: {
    description: 'coût de l’authentification : session, requête signée, écriture journalisée',
    defaultSeconds: 5,
    run: (secondsPerStep) => benchIdentity({ ...benchDatabase(), secondsPerStep }),
  },
  campaign: {
    // Not a duration: the size of the population (1,000,000 by default, the target).
    description: 'campagne sur 1 000 000 de bénéficiaires générés : évaluer, créditer, notifier',
    defaultSeconds: 0,
    run: () =>
      benchCampaign({
        ...benchDatabase(),
        beneficiaries: Number(process.env.FLECHAGE_BENCH_BENEFICIARIES ?? 1_000_000),
      }),
  },
  import: {
    // Not a duration: the lines of the generated file (100,000 by default, the target).
    description: 'import d’un CSV de 100 000 bénéficiaires : dépôt, analyse, confirmation',
    defaultSeconds: 0,
    run: () =>
      benchImport({
        ...benchDatabase(),
        lines: Number(process.env.FLECHAGE_BENCH_IMPORT_LINES ?? 100_000),
      }),
  },
  rules: {
    // Pure computation on one core: no database, nothing to start.
    description: 'moteur de règles : évaluations d’éligibilité et contrôles d’usage par seconde',
    defaultSeconds: 3,
    run: (seconds) => benchRules({ seconds, log }),
  },
};

export async function runBench(
  bench: Bench,
  options: { json: boolean; secondsPerStep: number },
): Promise<void> {
  const result = await bench.run(options.secondsPerStep);
  if (!options.json) {
    const width = Math.max(...Object.keys(result).map((name) => name.length)) + 1;
    for (const [name, value] of Object.entries(result))
      console.log(`${name.padEnd(width)} ${value}`);
  }
  console.log(JSON.stringify(result));
}
