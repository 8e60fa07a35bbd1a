import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../src/platform/embedded-postgres.js';
import { migrate } from '../../src/platform/migrations.js';
import { withDatabase } from './database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
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
  // A template of this run's own: two runs on one server never drop each other's.
  const templateDatabase = `flechage_test_template_${process.pid}`;
  await admin.query(`drop database if exists ${templateDatabase} with (force)`);
  await admin.query(`create database ${templateDatabase}`);
  await admin.end();
  const templatePool = new pg.Pool({
    connectionString: withDatabase(adminUrl, templateDatabase),
    max: 1,
  });
  await migrate(templatePool);
  await templatePool.end();
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    const cleaner = new pg.Client({ connectionString: adminUrl });
    await cleaner.connect();
    await cleaner.query(`drop database if exists ${templateDatabase} with (force)`);
    await cleaner.end();
    await embedded?.stop();
  };
}
