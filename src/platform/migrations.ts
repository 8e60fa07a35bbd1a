import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIRECTORY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);
const MIGRATION_FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every process of the platform.
const MIGRATION_LOCK_KEY = 7_415_020_001;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export function readMigrations(directory = MIGRATIONS_DIRECTORY): Migration[] {
  const migrations = readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const match = MIGRATION_FILE_PATTERN.exec(name);
      if (match === null)
        throw new Error(`Nom de migration invalide : ${name} (attendu NNNN_nom.sql)`);
      const sql = readFileSync(path.join(directory, name), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      return { version: Number(match[1]), name, sql, checksum };
    });
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migrations non contiguës : ${migration.name} devrait porter le numéro ${index + 1}`,
      );
    }
  });
  return migrations;
}

async function appliedMigrations(client: pg.ClientBase): Promise<Map<number, string>> {
  await client.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, checksum text not null,
    applied_at timestamptz not null default now())`);
  const result = await client.query<{ version: number; checksum: string }>(
    'select version, checksum from schema_migrations order by version',
  );
  return new Map(result.rows.map((row) => [row.version, row.checksum]));
}

function assertHistoryMatches(migrations: Migration[], applied: Map<number, string>): void {
  for (const [version, checksum] of applied) {
    const migration = migrations.find((candidate) => candidate.version === version);
    if (migration === undefined) {
      throw new Error(
        `La base contient la migration ${version}, inconnue de ce code : code trop ancien ?`,
      );
    }
    if (migration.checksum !== checksum) {
      throw new Error(`La migration ${migration.name} a été modifiée après avoir été appliquée.`);
    }
  }
}

/** Applies the missing migrations in order, each in its own transaction; returns their names. */
export async function migrate(
  pool: pg.Pool,
  log: (message: string) => void = () => undefined,
  directory = MIGRATIONS_DIRECTORY,
): Promise<string[]> {
  const migrations = readMigrations(directory);
  const client = await pool.connect();
  try {
    // Two processes starting together must not apply the same migration twice.
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await appliedMigrations(client);
    assertHistoryMatches(migrations, applied);
    const appliedNow: string[] = [];
    for (const migration of migrations.filter((candidate) => !applied.has(candidate.version))) {
      await applyOne(client, migration);
      log(`Migration appliquée : ${migration.name}`);
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client
      .query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    client.release();
  }
}

async function applyOne(client: pg.ClientBase, migration: Migration): Promise<void> {
  try {
    await client.query('begin');
    await client.query(migration.sql);
    await client.query(
      'insert into schema_migrations (version, name, checksum) values ($1, $2, $3)',
      [migration.version, migration.name, migration.checksum],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw new Error(
      `La migration ${migration.name} a échoué, rien n'en a été appliqué : ${(error as Error).message}`,
    );
  }
}

export type MigrationStatus = { current: boolean; applied: number; expected: number };

/** `expected` defaults to the files on disk; a caller polled often reads them once and passes it. */
export async function migrationStatus(
  pool: pg.Pool,
  expected = readMigrations().length,
): Promise<MigrationStatus> {
  const result = await pool.query<{ count: number }>(
    `select count(*)::int as count from schema_migrations`,
  );
  const applied = result.rows[0]?.count ?? 0;
  return { current: applied === expected, applied, expected };
}
