import { benchIdentity } from '../../bench/identity.js';
import { benchLedger } from '../../bench/ledger.js';
import { benchRules } from '../../bench/rules.js';
import { loadConfiguration } from '../platform/config.js';

export async function runBenchLedger(options: {
  json: boolean;
  secondsPerStep: number;
}): Promise<void> {
  const configuration = loadConfiguration();
  const result = await benchLedger({
    dataDirectory: configuration.dataDirectory,
    // The bench cluster sits beside the platform's own, never on it.
    embeddedPort: configuration.FLECHAGE_EMBEDDED_PORT + 1,
    databaseUrl: configuration.DATABASE_URL,
    secondsPerStep: options.secondsPerStep,
    log: (message) => console.error(message),
  });
  if (!options.json) {
    for (const [name, value] of Object.entries(result)) console.log(`${name.padEnd(28)} ${value}`);
  }
  console.log(JSON.stringify(result));
}

export async function runBenchIdentity(options: {
  json: boolean;
  secondsPerStep: number;
}): Promise<void> {
  const configuration = loadConfiguration();
  const result = await benchIdentity({
    dataDirectory: configuration.dataDirectory,
    embeddedPort: configuration.FLECHAGE_EMBEDDED_PORT + 1,
    databaseUrl: configuration.DATABASE_URL,
    secondsPerStep: options.secondsPerStep,
    log: (message) => console.error(message),
  });
  if (!options.json) {
    for (const [name, value] of Object.entries(result)) console.log(`${name.padEnd(32)} ${value}`);
  }
  console.log(JSON.stringify(result));
}

/** Pure computation on one core: no database, nothing to start. */
export async function runBenchRules(options: {
  json: boolean;
  secondsPerStep: number;
}): Promise<void> {
  const result = await benchRules({
    seconds: options.secondsPerStep,
    log: (message) => console.error(message),
  });
  if (!options.json) {
    for (const [name, value] of Object.entries(result)) console.log(`${name.padEnd(32)} ${value}`);
  }
  console.log(JSON.stringify(result));
}
