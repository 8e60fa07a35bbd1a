import { expect, it } from 'vitest';
import { installAuthentication } from '../../src/identity/authentication.js';
import { loadConfiguration } from '../../src/platform/config.js';
import { createHttpServer } from '../../src/platform/http.js';
import { createTestDatabase } from '../support/database.js';

// The rule every domain relies on: a route that does not say who may call it never serves.

it('un serveur dont une route ne déclare pas de permission refuse de démarrer, en la nommant', async () => {
  const database = await createTestDatabase();
  const configuration = loadConfiguration({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const server = await createHttpServer(configuration, database.pool, (app) =>
    installAuthentication(app, {
      pool: database.pool,
      operatorToken: undefined,
      sessionIdleMinutes: 30,
    }),
  );
  server.get('/api/oubliee', async () => ({ ok: true }));
  server.get('/api/declaree', { config: { permission: 'organisation.read' } }, async () => ({}));
  try {
    await expect(server.ready()).rejects.toThrow(
      /Routes sans permission déclarée \(config\.permission\) : GET \/api\/oubliee, HEAD \/api\/oubliee$/,
    );
  } finally {
    await server.close().catch(() => undefined);
    await database.drop();
  }
});
