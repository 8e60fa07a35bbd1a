import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../src/platform/database.js';
import { withDatabase } from './database-url.js';

export type TestDatabase = { pool: pg.Pool; url: string; name: string; drop(): Promise<void> };

/**
 * A fresh database of its own for one test file: a copy of the migrated template, or an empty
 * one for tests of the migrations themselves.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `flechage_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(
    `create database ${name} template ${options.empty === true ? 'template0' : inject('templateDatabase')}`,
  );
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, 10);
  return {
    pool,
    url,
    name,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
