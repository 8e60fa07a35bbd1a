import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { installAuthentication } from './identity/authentication.js';
import { scheduleIdentityMaintenance } from './identity/maintenance.js';
import { registerIdentityRoutes } from './identity/routes.js';
import { applicationRoutes } from './applications/routes.js';
import { attributionRoutes } from './attributions/routes.js';
import { beneficiaryRoutes } from './beneficiaries/routes.js';
import { createCampaignRunner, type CampaignRunner } from './attributions/runner.js';
import { fundRoutes } from './funds/routes.js';
import { ledgerRoutes } from './ledger/routes.js';
import { programmeRoutes } from './programmes/routes.js';
import { createLedger, type Ledger } from './ledger/service.js';
import { startNotifications } from './notifications/service.js';
import type { Configuration } from './platform/config.js';
import {
  createHttpServer,
  installNotFound,
  registerPublicPlugin,
  type HttpServer,
} from './platform/http.js';
import { ensureWebBuilt, isWebAppPath, registerWebApp, sendWebAppIndex } from './platform/web.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Application = {
  server: HttpServer;
  ledger: Ledger;
  campaigns: CampaignRunner;
  close(): Promise<void>;
};

const MAINTENANCE_INTERVAL_MS = 60_000;

/** The composition root: the only place that knows every domain and wires them together. */
export async function buildApplication(
  configuration: Configuration,
  pool: pg.Pool,
  options: { log: (message: string) => void; web: boolean },
): Promise<Application> {
  const ledger = createLedger(pool, {
    maxBatchSize: configuration.FLECHAGE_LEDGER_MAX_BATCH,
    maxQueueLength: configuration.FLECHAGE_LEDGER_MAX_QUEUE,
    deadlineMs: configuration.FLECHAGE_LEDGER_DEADLINE_MS,
    expiryIntervalMs: configuration.FLECHAGE_PENDING_EXPIRY_INTERVAL_MS,
  });
  const server = await createHttpServer(configuration, pool, (app) =>
    installAuthentication(app, {
      pool,
      operatorToken: configuration.FLECHAGE_OPERATOR_TOKEN,
      sessionIdleMinutes: configuration.FLECHAGE_SESSION_IDLE_MINUTES,
    }),
  );
  await registerIdentityRoutes(server, configuration, pool);
  await server.register(ledgerRoutes, { ledger });
  await server.register(fundRoutes, { pool, ledger });
  await server.register(programmeRoutes, { pool, ledger });
  await server.register(beneficiaryRoutes, {
    pool,
    importMaxBytes: configuration.FLECHAGE_IMPORT_MAX_BYTES,
  });
  const campaigns = createCampaignRunner(pool, ledger, (error) =>
    server.log.error({ err: error }, 'campaign run failed'),
  );
  await server.register(attributionRoutes, { pool, ledger, runner: campaigns });
  await server.register(applicationRoutes, { pool, ledger });
  const notifications = await startNotifications(configuration, pool, server);
  if (options.web) {
    const distDir = await ensureWebBuilt({ rootDir: PROJECT_ROOT, log: options.log });
    await registerPublicPlugin(server, (scope) => registerWebApp(scope, { distDir }));
    installNotFound(server, { servesPath: isWebAppPath, sendPage: sendWebAppIndex });
  } else {
    installNotFound(server);
  }
  const maintenance = scheduleIdentityMaintenance(pool, MAINTENANCE_INTERVAL_MS, (error) =>
    server.log.error({ err: error }, 'identity maintenance failed'),
  );
  return {
    server,
    ledger,
    campaigns,
    async close() {
      // The worker first: it may be sending an SMS to this very server's fake provider.
      await notifications.close();
      await server.close();
      await campaigns.stop();
      await maintenance.stop();
      await ledger.stop();
    },
  };
}
