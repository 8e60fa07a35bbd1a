import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migrationStatus, readMigrations } from '../../src/platform/migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase({ empty: true });
});

const temporaryDirectories: string[] = [];

afterEach(async () => {
  await database.drop();
  for (const directory of temporaryDirectories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function migrationsDirectory(files: Record<string, string>): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'flechage-migrations-'));
  temporaryDirectories.push(directory);
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(directory, name), sql);
  return directory;
}

async function tableNames(): Promise<string[]> {
  const result = await database.pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

describe('migrations', () => {
  it('applique les migrations du projet une fois, puis plus rien', async () => {
    const applied = await migrate(database.pool);
    expect(applied).toEqual(readMigrations().map((migration) => migration.name));
    expect(await migrate(database.pool)).toEqual([]);
    expect(await migrationStatus(database.pool)).toMatchObject({ current: true });
    expect(await tableNames()).toContain('ledger_transfers');
  });

  it('une migration qui échoue ne laisse rien derrière elle', async () => {
    const directory = migrationsDirectory({
      '0001_first.sql': 'create table first_table (id int);',
      '0002_broken.sql': 'create table half_done (id int);\nselect * from missing_table;',
    });
    const failure = await migrate(database.pool, () => undefined, directory).catch(
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /0002_broken\.sql a échoué, rien n'en a été appliqué/,
    );
    expect(await tableNames()).toEqual(['first_table', 'schema_migrations']);
    const versions = await database.pool.query('select version from schema_migrations');
    expect(versions.rows).toEqual([{ version: 1 }]);
  });

  it('refuse une migration modifiée après avoir été appliquée', async () => {
    const directory = migrationsDirectory({
      '0001_first.sql': 'create table first_table (id int);',
    });
    await migrate(database.pool, () => undefined, directory);
    writeFileSync(path.join(directory, '0001_first.sql'), 'create table first_table (id bigint);');
    const failure = await migrate(database.pool, () => undefined, directory).catch(
      (error: Error) => error,
    );
    expect((failure as Error).message).toMatch(/modifiée après avoir été appliquée/);
  });

  it('refuse des numéros de migration non contigus et les noms invalides', () => {
    expect(() =>
      readMigrations(migrationsDirectory({ '0001_a.sql': '', '0003_c.sql': '' })),
    ).toThrow(/non contiguës/);
    expect(() => readMigrations(migrationsDirectory({ '1_a.sql': '' }))).toThrow(
      /Nom de migration invalide/,
    );
  });

  it('deux migrations lancées ensemble (deux connexions) n’appliquent chaque fichier qu’une fois', async () => {
    const results = await Promise.all([migrate(database.pool), migrate(database.pool)]);
    expect(results.flat().sort()).toEqual(readMigrations().map((migration) => migration.name));
  });
});
