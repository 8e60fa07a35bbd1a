import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import { formatCents } from '../../src/programmes/rules/format.js';
import { createLedger } from '../../src/ledger/service.js';
import type { VerificationReport } from '../../src/ledger/verify.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedPeople } from '../support/identity-fixture.js';

// The `flechage` command as an operator runs it: `node bin/flechage.js …` from the repository
// root, judged by its exit code and what it prints. Each spawn costs a tsx start-up (~1 s).

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SPAWN_LIMIT_MS = 30_000;

type Run = { code: number | null; stdout: string; stderr: string };

/** Variables that must not leak from the test runner's environment into the command's. */
const INHERITED_CONFIGURATION = [
  'DATABASE_URL',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'FLECHAGE_DATA_DIR',
  'FLECHAGE_OPERATOR_TOKEN',
];

function flechage(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_CONFIGURATION) delete env[name];
  // A data directory of its own: a command that wrongly started PostgreSQL would not touch ./data.
  env.FLECHAGE_DATA_DIR = path.join(REPOSITORY_ROOT, 'test-output', 'cli-data');
  Object.assign(env, environment);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/flechage.js', ...args], {
      cwd: REPOSITORY_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const memoised = new Map<string, Promise<Run>>();

/** For commands that change nothing: one spawn serves every test that looks at its output. */
function flechageOnce(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<Run> {
  const key = JSON.stringify([args, environment]);
  let run = memoised.get(key);
  if (run === undefined) {
    run = flechage(args, environment);
    memoised.set(key, run);
  }
  return run;
}

const STACK_FRAME = /^\s+at\s/m;

/** Commander's own English words, which must not reach a French-speaking operator. */
const COMMANDER_ENGLISH =
  /\b(?:unknown|is invalid|error:|usage:|options:|commands:|arguments:|default:|too many|missing)/i;

/** Exit code 2, one French message on stderr naming `mention`, and no stack trace anywhere. */
function expectUsageError(run: Run, mention: string | RegExp): void {
  const context = `sortie : ${run.stdout}\nerreurs : ${run.stderr}`;
  expect(run.code, context).toBe(2);
  expect(run.stderr, context).toMatch(mention);
  expect(run.stderr, context).toMatch(/[éèàçùâêô’«»]|\b(inconnue?|invalide|attendu|entier)\b/i);
  expect(run.stderr + run.stdout, context).not.toMatch(STACK_FRAME);
  expect(run.stderr, context).not.toMatch(/node_modules|\.ts:\d+|Error:/);
}

describe('flechage : usage', () => {
  it('--help sort en 0 et affiche l’aide en français avec les commandes', async () => {
    const run = await flechageOnce(['--help']);
    expect(run.code, run.stderr).toBe(0);
    const help = run.stdout + run.stderr;
    expect(help).toContain('Fléchage');
    expect(help).toContain('afficher l’aide');
    for (const command of ['start', 'migrate', 'verify', 'bench']) expect(help).toContain(command);
    expect(help).toContain('vérifier le registre');
  });

  it.concurrent('une commande inconnue sort en 2 avec un message français sans trace', async () => {
    const run = await flechageOnce(['virer']);
    expectUsageError(run, /commande inconnue/);
    expect(run.stderr).toContain('virer');
    expect(run.stderr).toContain('flechage --help');
  });

  it.concurrent('une option inconnue sort en 2 avec un message français sans trace', async () => {
    const run = await flechageOnce(['verify', '--tout-reparer']);
    expectUsageError(run, /option inconnue/);
    expect(run.stderr).toContain('--tout-reparer');
  });

  it.concurrent('bench ledger --seconds -5 sort en 2', async () => {
    expectUsageError(await flechageOnce(['bench', 'ledger', '--seconds', '-5']), /--seconds|-5/);
  });

  it.concurrent('bench ledger --seconds abc sort en 2 en nommant l’option', async () => {
    const run = await flechageOnce(['bench', 'ledger', '--seconds', 'abc']);
    expectUsageError(run, /--seconds : entier attendu entre 1 et 60/);
  });

  it.concurrent(
    'l’aide est entièrement en français, titres et valeurs par défaut compris',
    async () => {
      const [main, bench] = await Promise.all([
        flechageOnce(['--help']),
        flechageOnce(['bench', 'ledger', '--help']),
      ]);
      expect(bench.code, bench.stderr).toBe(0);
      expect(bench.stdout).toContain('durée de chaque palier');
      for (const run of [main, bench])
        expect(run.stdout + run.stderr).not.toMatch(COMMANDER_ENGLISH);
    },
  );

  it.concurrent(
    'les erreurs d’usage ne recopient pas les messages anglais de commander',
    async () => {
      const runs = await Promise.all([
        flechageOnce(['virer']),
        flechageOnce(['verify', '--tout-reparer']),
        flechageOnce(['bench', 'ledger', '--seconds', 'abc']),
      ]);
      for (const run of runs) {
        expect(run.code).toBe(2);
        expect(run.stderr).not.toMatch(COMMANDER_ENGLISH);
      }
    },
  );

  it.concurrent(
    'une configuration invalide (PORT=abc) sort en 2 en nommant la variable',
    async () => {
      const run = await flechage(['verify'], {
        PORT: 'abc',
        DATABASE_URL: 'postgres://127.0.0.1:1/x',
      });
      expectUsageError(run, /Configuration invalide/);
      expect(run.stderr).toMatch(/^\s*PORT\s*:/m);
    },
  );

  it.concurrent(
    'une configuration invalide (DATABASE_URL=mysql://x) sort en 2 en nommant la variable',
    async () => {
      const run = await flechage(['migrate'], { DATABASE_URL: 'mysql://x' });
      expectUsageError(run, /Configuration invalide/);
      expect(run.stderr).toContain('DATABASE_URL doit commencer par postgres://');
    },
  );
});

describe('flechage : migrate et verify sur une base', () => {
  let database: TestDatabase;
  let corruptedAccountId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Some history: an account that money went through, which the test then corrupts.
    const ledger = createLedger(database.pool, {
      maxBatchSize: 100,
      maxQueueLength: 100,
      deadlineMs: 5_000,
    });
    const [source, envelope] = await ledger.createAccounts([
      {
        kind: 'contributor',
        ownerType: 'organisation',
        ownerId: 'etat',
        currency: 'EUR',
        mayGoNegative: true,
      },
      {
        kind: 'beneficiary_envelope',
        ownerType: 'attribution',
        ownerId: 'cli',
        currency: 'EUR',
        mayGoNegative: false,
      },
    ]);
    const results = await ledger.submit(
      [1, 2, 3].map((index) => ({
        clientId: `cli-${index}`,
        kind: 'test',
        phase: 'posted',
        currency: 'EUR',
        entries: [
          { accountId: source!.id, amountCents: -1_000 * index },
          { accountId: envelope!.id, amountCents: 1_000 * index },
        ],
      })),
    );
    expect(results.map((result) => result.code)).toEqual(['created', 'created', 'created']);
    await ledger.stop();
    corruptedAccountId = envelope!.id;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('admin create-org enregistre un financeur puis son service, et refuse un SIRET faux', async () => {
    const created = await flechage(
      [
        'admin',
        'create-org',
        '--kind',
        'departement',
        '--name',
        'Département de la Gironde',
        '--siret',
        '223 300 013 00016',
        '--json',
      ],
      { DATABASE_URL: database.url },
    );
    expect(created.code, created.stderr).toBe(0);
    const funder = JSON.parse(created.stdout) as { id: number; siren: string };
    expect(funder.siren).toBe('223300013');
    const service = await flechage(
      [
        'admin',
        'create-org',
        '--kind',
        'service',
        '--name',
        'Direction des solidarités',
        '--parent',
        String(funder.id),
      ],
      { DATABASE_URL: database.url },
    );
    expect(service.code, service.stderr).toBe(0);
    expect(service.stdout).toMatch(
      /Organisation créée : n° \d+, « Direction des solidarités » \(Service d’un financeur, sans SIREN\)\./,
    );
    const refused = await flechage(
      [
        'admin',
        'create-org',
        '--kind',
        'commune',
        '--name',
        'Bordeaux',
        '--siret',
        '21330063500018',
      ],
      { DATABASE_URL: database.url },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Refusé (siret_invalid) : SIRET invalide');
    const count = await database.pool.query('select count(*)::int as count from organisations');
    expect(count.rows).toEqual([{ count: 2 }]);
  });

  it('admin create-org sans --kind sort en 2 en nommant l’option', async () => {
    expectUsageError(await flechageOnce(['admin', 'create-org', '--name', 'X']), /--kind/);
  });

  it('migrate sur une base déjà migrée annonce qu’il n’y a rien à appliquer', async () => {
    const run = await flechage(['migrate'], { DATABASE_URL: database.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Schéma à jour : aucune migration à appliquer.');
    expect(run.stdout).not.toContain('Migration appliquée');
  });

  it('verify sur un registre sain sort en 0 et affiche « Vérification réussie »', async () => {
    const run = await flechage(['verify'], { DATABASE_URL: database.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Registre : 3 virements, 6 écritures, 2 comptes');
    expect(run.stdout).toContain('Vérification réussie');
    expect(run.stdout).not.toContain('VIOLATION');
  });

  it('verify sur une base non migrée sort en 1 sans la modifier, et dit de migrer', async () => {
    const empty = await createTestDatabase({ empty: true });
    try {
      const run = await flechage(['verify'], { DATABASE_URL: empty.url });
      expect(run.code, run.stdout).toBe(1);
      expect(run.stderr).toContain('lancez d’abord « flechage migrate »');
      const tables = await empty.pool.query(
        `select count(*)::int as count from information_schema.tables where table_schema = 'public'`,
      );
      expect(tables.rows[0]).toEqual({ count: 0 });
    } finally {
      await empty.drop();
    }
  });

  it('verify --json imprime un rapport JSON sans violation', async () => {
    const run = await flechage(['verify', '--json'], { DATABASE_URL: database.url });
    expect(run.code, run.stderr).toBe(0);
    // The report is the whole standard output: a machine reads it.
    const report = JSON.parse(run.stdout) as VerificationReport & { journalEntries: number };
    expect(report).toEqual({
      transfers: 3,
      entries: 6,
      accounts: 2,
      openPendings: 0,
      // The organisations created above, each journaled.
      journalEntries: expect.any(Number) as number,
      violations: [],
    });
    expect(report.journalEntries).toBeGreaterThanOrEqual(2);
  });

  it('admin create-user puis grant : un compte, un rôle, et des refus nommés', async () => {
    const created = await flechage(
      ['admin', 'create-user', '--email', 'Agent@Exemple.fr', '--name', 'Agent Test', '--json'],
      { DATABASE_URL: database.url },
    );
    expect(created.code, created.stderr).toBe(0);
    const user = JSON.parse(created.stdout) as { personId: number; password: string };
    expect(user.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const again = await flechage(
      ['admin', 'create-user', '--email', 'agent@exemple.fr', '--name', 'Doublon'],
      { DATABASE_URL: database.url },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('Refusé (email_already_registered)');
    const organisations = await database.pool.query<{ id: number }>(
      `select id from organisations where kind = 'departement' limit 1`,
    );
    const organisationId = String(organisations.rows[0]?.id);
    const granted = await flechage(
      [
        'admin',
        'grant',
        '--email',
        'agent@exemple.fr',
        '--role',
        'instructeur',
        '--org',
        organisationId,
      ],
      { DATABASE_URL: database.url },
    );
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain('Rôle accordé : Instructeur pour agent@exemple.fr');
    const wrongPlace = await flechage(
      [
        'admin',
        'grant',
        '--email',
        'agent@exemple.fr',
        '--role',
        'caissier',
        '--org',
        organisationId,
      ],
      { DATABASE_URL: database.url },
    );
    expect(wrongPlace.code).toBe(2);
    expect(wrongPlace.stderr).toContain('role_not_valid_here');
    const unknownRole = await flechage(
      ['admin', 'grant', '--email', 'agent@exemple.fr', '--role', 'roi'],
      { DATABASE_URL: database.url },
    );
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toContain('Rôle inconnu');
  });

  it('un solde falsifié en SQL fait sortir verify en 1 en nommant balance_mismatch', async () => {
    await database.pool.query(
      'update ledger_accounts set posted_cents = posted_cents + 1 where id = $1',
      [corruptedAccountId],
    );
    const [human, machine] = await Promise.all([
      flechage(['verify'], { DATABASE_URL: database.url }),
      flechage(['verify', '--json'], { DATABASE_URL: database.url }),
    ]);
    expect(human.code, human.stderr).toBe(1);
    expect(human.stdout).toMatch(
      new RegExp(`VIOLATION balance_mismatch : compte ${corruptedAccountId} : comptabilisé 6001`),
    );
    expect(human.stdout).toContain('1 anomalie(s).');
    expect(human.stdout).not.toContain('Vérification réussie');
    expect(human.stdout + human.stderr).not.toMatch(STACK_FRAME);

    expect(machine.code, machine.stderr).toBe(1);
    const report = JSON.parse(machine.stdout) as VerificationReport;
    expect(report.violations).toEqual([
      {
        check: 'balance_mismatch',
        detail: expect.stringContaining(`compte ${corruptedAccountId}`),
      },
    ]);
  });

  it('une entrée du journal d’audit modifiée en SQL fait échouer verify, qui la nomme', async () => {
    const client = await database.pool.connect();
    let tamperedId: number;
    try {
      // Only a superuser can switch triggers off; the append-only trigger stops anyone else.
      await client.query(`set session_replication_role = replica`);
      const tampered = await client.query<{ id: number }>(
        `update audit_journal set after_summary = '{"name": "Falsifié"}'
          where id = (select min(id) from audit_journal) returning id`,
      );
      tamperedId = (tampered.rows[0] as { id: number }).id;
    } finally {
      await client.query(`set session_replication_role = origin`);
      client.release();
    }
    const run = await flechage(['verify'], { DATABASE_URL: database.url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `VIOLATION journal_entry_modified : entrée ${tamperedId} du journal : contenu modifié`,
    );
  });
});

describe('flechage simulate', () => {
  let database: TestDatabase;
  let programmeId: number;
  const baseFile = path.join(REPOSITORY_ROOT, 'test-output', 'simulation-base.jsonl');

  beforeAll(async () => {
    database = await createTestDatabase();
    const ledger = createLedger(database.pool, {
      maxBatchSize: 100,
      maxQueueLength: 100,
      deadlineMs: 5_000,
    });
    const people = await seedPeople(database.pool);
    await seedDemoProgrammes(database.pool, ledger, people);
    await ledger.stop();
    const programmes = await database.pool.query<{ id: number }>(
      `select id from programmes where template_id = 'pass-culture-jeunes'`,
    );
    programmeId = (programmes.rows[0] as { id: number }).id;
    // 20 000 people, one in ten born in 2008: 18 on the reference date.
    const lines = Array.from({ length: 20_000 }, (_unused, index) =>
      JSON.stringify({
        birthDate: `${index % 10 === 0 ? 2008 : 1990}-03-10`,
        communeCode: '33063',
      }),
    );
    await mkdir(path.dirname(baseFile), { recursive: true });
    await writeFile(baseFile, `${lines.join('\n')}\n`);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('simule une version sur une base de 20 000 personnes, avec la progression', async () => {
    const run = await flechage(
      [
        'simulate',
        '--programme',
        String(programmeId),
        '--version',
        '1',
        '--date',
        '2026-09-01',
        '--file',
        baseFile,
      ],
      { DATABASE_URL: database.url },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Simulation : 20000/20000 (100 %)');
    expect(run.stdout).toContain(
      `Version 1 : 2000 éligibles sur 20000, coût ${formatCents(600_000_00)}.`,
    );
    const json = await flechage(
      [
        'simulate',
        '--programme',
        String(programmeId),
        '--version',
        '1',
        '--compare-with',
        '1',
        '--date',
        '2026-09-01',
        '--file',
        baseFile,
        '--json',
      ],
      { DATABASE_URL: database.url },
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      report: { evaluated: 20_000, eligible: 2_000, totalCents: 600_000_00 },
      comparison: { eligibleDelta: 0, totalCentsDelta: 0 },
    });
  });

  it('nomme la ligne fautive et ne simule rien', async () => {
    const badFile = path.join(REPOSITORY_ROOT, 'test-output', 'simulation-bad.jsonl');
    await writeFile(badFile, '{"birthDate":"2008-03-10"}\n{"birthDate":"hier"}\n');
    const run = await flechage(
      [
        'simulate',
        '--programme',
        String(programmeId),
        '--version',
        '1',
        '--date',
        '2026-09-01',
        '--file',
        badFile,
      ],
      { DATABASE_URL: database.url },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Ligne 2');
    expect(run.stderr + run.stdout).not.toMatch(STACK_FRAME);
  });
});
