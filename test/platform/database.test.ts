import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/platform/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

it('aucune requête ne garde une connexion au-delà du délai fixé', async () => {
  const pool = createPool(database.url, 1, 200);
  try {
    const failure = await pool
      .query('select pg_sleep(2)')
      .catch((error: { code?: string }) => error);
    expect(failure).toMatchObject({ code: '57014' });
  } finally {
    await pool.end();
  }
});

it('un délai nul laisse une lecture longue aller à son terme', async () => {
  const pool = createPool(database.url, 1, 0);
  try {
    const result = await pool.query<{ done: boolean }>('select true as done from pg_sleep(0.3)');
    expect(result.rows).toEqual([{ done: true }]);
  } finally {
    await pool.end();
  }
});
