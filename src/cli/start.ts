import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApplication } from '../app.js';
import { loadConfiguration, type Configuration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrate } from '../platform/migrations.js';
import { API_DOCS_PATH } from '../platform/http.js';
import { seedDemoData } from './demo-data.js';
import { seedDemoBeneficiaries } from './demo-beneficiaries.js';
import { seedDemoCampaigns } from './demo-campaigns.js';
import { seedDemoProgrammes } from './demo-programmes.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoEmail, seedDemoPeople } from './demo-people.js';
import { ROLE_LABELS } from '../identity/roles.js';

/** The demo needs a way into the API; a token kept under ./data survives restarts. */
async function demoOperatorToken(configuration: Configuration): Promise<string> {
  if (configuration.FLECHAGE_OPERATOR_TOKEN !== undefined)
    return configuration.FLECHAGE_OPERATOR_TOKEN;
  await mkdir(configuration.dataDirectory, { recursive: true });
  const tokenFile = path.join(configuration.dataDirectory, 'operator-token');
  if (existsSync(tokenFile)) return (await readFile(tokenFile, 'utf8')).trim();
  const token = randomBytes(24).toString('base64url');
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}

function demoAccountsText(): string {
  const lines = Object.values(DEMO_ACCOUNTS).map(
    ([localPart, displayName, role]) =>
      `    ${demoEmail(localPart).padEnd(32)} ${ROLE_LABELS[role]} (${displayName})`,
  );
  return `  Comptes de démonstration, mot de passe « ${DEMO_PASSWORD} » :\n${lines.join('\n')}\n`;
}

export async function runStart(options: { demo: boolean }): Promise<void> {
  const loaded = loadConfiguration();
  const configuration = options.demo
    ? { ...loaded, FLECHAGE_OPERATOR_TOKEN: await demoOperatorToken(loaded) }
    : loaded;
  const log = (message: string) => console.log(message);
  const database = await openDatabase(configuration, log);
  // Closed in reverse order of opening: the server stops taking requests before the database goes.
  const closers: (() => Promise<void>)[] = [() => database.close()];
  const shutdown = async (signal: string) => {
    console.log(`\n${signal} reçu : arrêt propre…`);
    for (const close of closers.reverse()) await close();
    console.log('Arrêté.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await migrate(database.pool, log);
  const application = await buildApplication(configuration, database.pool, { log, web: true });
  closers.push(() => application.close());
  if (options.demo) {
    const seeded = await seedDemoData(application.ledger);
    const people = await seedDemoPeople(database.pool);
    if (people !== undefined) {
      await seedDemoProgrammes(database.pool, application.ledger, people);
      const inserted = await seedDemoBeneficiaries(database.pool, people);
      log(`${inserted} bénéficiaires de démonstration en Gironde ; campagnes de crédit :`);
      await seedDemoCampaigns(database.pool, application.ledger, people, log);
    }
    log(
      seeded.created || people !== undefined
        ? 'Données de démonstration chargées.'
        : 'Données de démonstration déjà présentes.',
    );
  }
  await application.server.listen({ host: configuration.HOST, port: configuration.PORT });
  // Crediting a stopped process left in the middle goes on, once the platform is up.
  await application.campaigns.resumeInterrupted();
  const address = `http://${configuration.HOST === '0.0.0.0' ? 'localhost' : configuration.HOST}:${configuration.PORT}`;
  console.log(`
Fléchage est démarré.
  Interface web          : ${address}/
  Documentation de l’API : ${address}${API_DOCS_PATH}
  Santé                  : ${address}/health
  Base de données        : ${database.embedded ? `PostgreSQL embarqué (${configuration.dataDirectory})` : 'DATABASE_URL'}
Connexion :
${options.demo ? demoAccountsText() : '  Créez les premiers comptes avec « flechage admin create-user » et « flechage admin grant ».\n'}  API (scripts de l’opérateur) : ${configuration.FLECHAGE_OPERATOR_TOKEN === undefined ? '(désactivée : définissez FLECHAGE_OPERATOR_TOKEN)' : `Authorization: Bearer ${configuration.FLECHAGE_OPERATOR_TOKEN}`}
Ctrl+C pour arrêter.`);
}
