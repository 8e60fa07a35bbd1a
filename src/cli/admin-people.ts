import { randomBytes } from 'node:crypto';
import { IDENTITY_ERRORS } from '../identity/errors.js';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import { createPerson, grantRole, isRefused } from '../identity/people.js';
import { findPersonByEmail } from '../identity/people-store.js';
import { isPersonRole, PERSON_ROLES, ROLE_LABELS } from '../identity/roles.js';
import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrate } from '../platform/migrations.js';

// `flechage admin create-user` and `flechage admin grant`: how an operator bootstraps people on
// a fresh install, before anyone can invite anyone.

const EXIT_REFUSED = 2;

type Output = { json: boolean };

function refuse(options: Output, code: string, message: string): void {
  console.error(options.json ? JSON.stringify({ code, message }) : `Refusé (${code}) : ${message}`);
  process.exitCode = EXIT_REFUSED;
}

async function withDatabase(options: Output, work: (pool: import('pg').Pool) => Promise<void>) {
  const configuration = loadConfiguration();
  const log = options.json ? () => undefined : (message: string) => console.error(message);
  const database = await openDatabase(configuration, log);
  try {
    await migrate(database.pool, log);
    await work(database.pool);
  } finally {
    await database.close();
  }
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export type CreateUserOptions = Output & { email: string; name: string; passwordStdin: boolean };

/** Without --password-stdin, a password is drawn and printed once: the operator passes it on. */
export async function runCreateUser(options: CreateUserOptions): Promise<void> {
  const drawn = options.passwordStdin ? undefined : randomBytes(15).toString('base64url');
  const password = drawn ?? (await readStandardInput());
  await withDatabase(options, async (pool) => {
    const result = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
      createPerson(client, journal, {
        email: options.email.trim().toLowerCase(),
        displayName: options.name.trim(),
        password,
      }),
    );
    if (isRefused(result)) {
      refuse(options, result.refused, IDENTITY_ERRORS[result.refused].message);
      return;
    }
    if (options.json) {
      console.log(JSON.stringify({ personId: result, email: options.email, password: drawn }));
      return;
    }
    console.log(`Compte créé : n° ${result}, ${options.email}.`);
    if (drawn !== undefined) console.log(`Mot de passe (affiché une seule fois) : ${drawn}`);
  });
}

export type GrantOptions = Output & { email: string; role: string; organisation?: number };

export async function runGrant(options: GrantOptions): Promise<void> {
  if (!isPersonRole(options.role)) {
    refuse(options, 'role_unknown', `Rôle inconnu. Rôles : ${PERSON_ROLES.join(', ')}.`);
    return;
  }
  const role = options.role;
  await withDatabase(options, async (pool) => {
    const person = await findPersonByEmail(pool, options.email.trim().toLowerCase());
    if (person === undefined) {
      refuse(options, 'person_not_found', 'Aucun compte avec cette adresse électronique.');
      return;
    }
    const result = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
      grantRole(client, journal, {
        personId: person.id,
        organisationId: options.organisation ?? null,
        role,
      }),
    );
    if (isRefused(result)) {
      refuse(options, result.refused, IDENTITY_ERRORS[result.refused].message);
      return;
    }
    console.log(
      options.json
        ? JSON.stringify({ membershipId: result, personId: person.id, role })
        : `Rôle accordé : ${ROLE_LABELS[role]} pour ${person.email} (adhésion n° ${result}).`,
    );
  });
}
