import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../src/platform/embedded-postgres.js';
import { migrate } from '../../src/platform/migrations.js';
import { TEMPLATE_DATABASE, withDatabase } from './database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

const TEST_CLUSTER_PORT = 54_339;

/**
 * One PostgreSQL for the whole run: the embedded one (fsync off, it is thrown away) unless
 * DATABASE_URL names another. Every test file then clones a migrated template database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined) {
    const port = Number(process.env.FLECHAGE_TEST_PORT ?? TEST_CLUSTER_PORT);
    embedded = await startEmbeddedPostgres({
      // Under the system's temporary folder: as root, PostgreSQL's own user must be able to reach
      // it, which a clone inside a private home would not allow.
      // One cluster per port, so that two runs on other ports never share (and stop) a server.
      dataDirectory: path.join(
        tmpdir(),
        `flechage-test-cluster-${process.getuid?.() ?? 'user'}-${port}`,
      ),
      port,
      durable: false,
      log: (message) => console.log(`[tests] ${message}`),
    });
    adminUrl = embedded.connectionString;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = await admin.query<{ server_version: string }>('show server_version');
  console.log(
    `[tests] PostgreSQL ${version.rows[0]?.server_version} (${embedded ? 'embarqué' : 'DATABASE_URL'})`,
  );
  await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templatePool = new pg.Pool({
    connectionString: withDatabase(adminUrl, TEMPLATE_DATABASE),
    max: 1,
  });
  await migrate(templatePool);
  await templatePool.end();
  project.provide('adminDatabaseUrl', adminUrl);
  return async () => {
    await embedded?.stop();
  };
}
