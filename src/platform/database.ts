import pg from 'pg';
import type { Configuration } from './config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

// bigint columns come back as strings by default; our amounts are asserted safe integers, so
// they are parsed to numbers, and a value beyond 2^53 fails loudly instead of losing cents.
pg.types.setTypeParser(pg.types.builtins.INT8, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`Entier hors de la plage sûre : ${text}`);
  return value;
});

export type Database = {
  pool: pg.Pool;
  connectionString: string;
  embedded: boolean;
  close(): Promise<void>;
};

export const MINIMUM_POSTGRES_VERSION = 150000;

/** No statement may hold a connection longer than this, unless a caller says otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export function createPool(
  connectionString: string,
  maximumConnections: number,
  statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: maximumConnections,
    connectionTimeoutMillis: 10_000,
    // 0 means no limit in PostgreSQL: kept for whole-ledger reads such as `flechage verify`.
    statement_timeout: statementTimeoutMs,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a client checked out and held between queries (the ledger writer keeps one): when
  // the server ends it (shutdown, restart), the error reaches the next query on it, which is
  // handled there; without a listener, pg raises it as an uncaught event and the process dies.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction on one connection: all of it commits, or none of it. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function assertServerVersion(pool: pg.Pool): Promise<void> {
  const result = await pool.query<{ server_version_num: string }>('show server_version_num');
  const version = Number(result.rows[0]?.server_version_num);
  if (!(version >= MINIMUM_POSTGRES_VERSION)) {
    throw new Error(`PostgreSQL 15 ou plus récent est requis (version trouvée : ${version}).`);
  }
}

export async function openDatabase(
  configuration: Configuration,
  log: (message: string) => void,
  options: { statementTimeoutMs?: number } = {},
): Promise<Database> {
  let connectionString = configuration.DATABASE_URL;
  let stopEmbedded = async (): Promise<void> => undefined;
  if (connectionString === undefined) {
    const embedded = await startEmbeddedPostgres({
      dataDirectory: configuration.dataDirectory,
      port: configuration.FLECHAGE_EMBEDDED_PORT,
      log,
    });
    connectionString = embedded.connectionString;
    stopEmbedded = embedded.stop;
  }
  const pool = createPool(
    connectionString,
    configuration.FLECHAGE_DATABASE_POOL_SIZE,
    options.statementTimeoutMs,
  );
  await assertServerVersion(pool);
  return {
    pool,
    connectionString,
    embedded: configuration.DATABASE_URL === undefined,
    async close() {
      await pool.end();
      await stopEmbedded();
    },
  };
}
