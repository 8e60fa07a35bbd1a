import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.js';

// What every bench shares: a database of its own beside the platform's, and the arithmetic
// of the figures it prints.

export type BenchDatabaseOptions = {
  dataDirectory: string;
  embeddedPort: number;
  databaseUrl: string | undefined;
  log: (message: string) => void;
};

export function percentile(sortedValues: number[], fraction: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)] as number;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A fresh database named `name`, on the bench's own embedded cluster or on DATABASE_URL. */
export async function prepareBenchDatabase(
  options: BenchDatabaseOptions,
  name: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  let adminUrl = options.databaseUrl;
  let stop = async (): Promise<void> => undefined;
  if (adminUrl === undefined) {
    const embedded = await startEmbeddedPostgres({
      dataDirectory: path.join(options.dataDirectory, 'bench'),
      port: options.embeddedPort,
      log: options.log,
      durable: true,
    });
    adminUrl = embedded.connectionString;
    stop = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const fsync = await admin.query<{ fsync: string; synchronous_commit: string }>(
    `select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`,
  );
  await admin.end();
  options.log(
    `fsync=${fsync.rows[0]?.fsync}, synchronous_commit=${fsync.rows[0]?.synchronous_commit}`,
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop };
}
