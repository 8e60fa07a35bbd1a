import type { AddressInfo } from 'node:net';
import { buildApplication, type Application } from '../../src/app.js';
import { loadConfiguration } from '../../src/platform/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_OPERATOR_TOKEN = 'jeton-operateur-de-test-0123456789abcdef';

export type TestServer = {
  baseUrl: string;
  application: Application;
  database: TestDatabase;
  close(): Promise<void>;
};

/** The real application on its own database, listening on a free loopback port. */
export async function startTestServer(
  // A fixed port for an application whose public address must be known before it listens.
  options: { web?: boolean; environment?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const configuration = loadConfiguration({
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    FLECHAGE_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    FLECHAGE_BODY_LIMIT_BYTES: '262144',
    ...options.environment,
  });
  const application = await buildApplication(configuration, database.pool, {
    log: () => undefined,
    web: options.web ?? true,
  });
  await application.server.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = application.server.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    application,
    database,
    async close() {
      await application.close();
      await database.drop();
    },
  };
}
