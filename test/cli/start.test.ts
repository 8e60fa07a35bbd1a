import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PROGRAMME_TEMPLATES } from '../../src/programmes/templates.js';

// The README's first command, as a newcomer runs it: a private PostgreSQL under the data
// folder, demo data, the address and the way in printed, and a clean stop on a signal.

const children: ChildProcess[] = [];
const temporaryDirectories: string[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  // A cluster weighs about 40 MB: each run leaves none behind.
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function runToEnd(args: string[], dataDirectory: string, databasePort: number) {
  const { child, output } = spawnFlechage(args, dataDirectory, 0, databasePort);
  return { exit: new Promise<number | null>((resolve) => child.once('exit', resolve)), output };
}

function startPlatform(dataDirectory: string, httpPort: number, databasePort: number) {
  return spawnFlechage(['start', '--demo'], dataDirectory, httpPort, databasePort);
}

function spawnFlechage(
  args: string[],
  dataDirectory: string,
  httpPort: number,
  databasePort: number,
) {
  let output = '';
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    FLECHAGE_DATA_DIR: dataDirectory,
    PORT: String(httpPort),
    FLECHAGE_EMBEDDED_PORT: String(databasePort),
    LOG_LEVEL: 'warn',
  };
  delete environment.DATABASE_URL;
  delete environment.FLECHAGE_OPERATOR_TOKEN;
  const child = spawn(process.execPath, ['bin/flechage.js', ...args], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(
  child: ChildProcess,
  condition: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (child.exitCode !== null)
      throw new Error(`Arrêté avant d’être prêt (code ${child.exitCode}) :\n${describe()}`);
    if (Date.now() > deadline) throw new Error(`Délai dépassé :\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('démarre sur sa base embarquée avec la démonstration, puis s’arrête proprement sur SIGTERM', async () => {
  const dataDirectory = temporaryDirectory('flechage-start-');
  // mkdtemp makes a private folder; as root, PostgreSQL's own user must be able to enter it.
  chmodSync(dataDirectory, 0o755);
  const [httpPort, databasePort] = [await freePort(), await freePort()];
  const first = startPlatform(dataDirectory, httpPort, databasePort);
  await waitFor(
    first.child,
    () => first.output().includes('Ctrl+C pour arrêter'),
    120_000,
    first.output,
  );
  expect(first.output()).toContain(`http://127.0.0.1:${httpPort}/`);
  expect(first.output()).toMatch(/Authorization: Bearer \S{32,}/);
  expect(first.output()).toContain('Données de démonstration chargées.');
  expect(first.output()).toMatch(
    /Pass culture des jeunes de 18 ans : [1-9]\d* enveloppes créditées/,
  );
  const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
  expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
  const home = await fetch(`http://127.0.0.1:${httpPort}/`);
  expect(await home.text()).toContain('<html lang="fr"');
  // The printed demo accounts open a session, as printed.
  const password = /mot de passe « ([^»]+) »/.exec(first.output())?.[1];
  expect(first.output()).toContain('instructeur@demo.flechage.fr');
  const login = await fetch(`http://127.0.0.1:${httpPort}/api/identity/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'instructeur@demo.flechage.fr', password }),
  });
  expect(await login.json()).toMatchObject({ status: 'connecte' });
  const lockFile = path.join(dataDirectory, 'postgres', 'postmaster.pid');
  expect(existsSync(lockFile)).toBe(true);
  const firstExit = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGTERM');
  expect(await firstExit).toBe(0);
  expect(existsSync(lockFile)).toBe(false);
  expect(first.output()).toContain('Arrêté.');

  // A second start reuses the same data: the demonstration is not loaded twice.
  const second = startPlatform(dataDirectory, httpPort, databasePort);
  await waitFor(
    second.child,
    () => second.output().includes('Ctrl+C pour arrêter'),
    60_000,
    second.output,
  );
  expect(second.output()).toContain('Données de démonstration déjà présentes.');
  const secondExit = new Promise<number | null>((resolve) => second.child.once('exit', resolve));
  second.child.kill('SIGINT');
  expect(await secondExit).toBe(0);

  // The demonstration moved money: the ledger it left must verify, from the same data folder.
  const verification = runToEnd(['verify'], dataDirectory, databasePort);
  const verified = await verification.exit;
  // Six transfers of the ledger demo; then, for the demo fund, two commitments, two payments,
  // three allocations and one reserve per programme template; then the campaigns' lots.
  const transfers = Number(/Registre : (\d+) virements/.exec(verification.output())?.[1]);
  expect(transfers).toBeGreaterThan(6 + 2 + 2 + 3 + PROGRAMME_TEMPLATES.length);
  expect(verification.output()).toContain('Vérification réussie');
  expect(verified).toBe(0);
}, 200_000);

it('explique en français pourquoi la base embarquée ne peut pas démarrer dans un dossier fermé', async () => {
  if (process.getuid?.() !== 0) return;
  const closedDirectory = temporaryDirectory('flechage-closed-');
  const { child, output } = startPlatform(
    path.join(closedDirectory, 'data'),
    await freePort(),
    await freePort(),
  );
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(exitCode).toBe(1);
  expect(output()).toContain(`ne peut pas traverser ${closedDirectory}`);
  expect(output()).not.toMatch(/\n\s+at /);
}, 60_000);
