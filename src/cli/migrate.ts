import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrate } from '../platform/migrations.js';

export async function runMigrate(): Promise<void> {
  const configuration = loadConfiguration();
  const database = await openDatabase(configuration, (message) => console.log(message));
  try {
    const applied = await migrate(database.pool, (message) => console.log(message));
    console.log(
      applied.length === 0
        ? 'Schéma à jour : aucune migration à appliquer.'
        : `${applied.length} migration(s) appliquée(s).`,
    );
  } finally {
    await database.close();
  }
}
