import type pg from 'pg';
import { expect } from 'vitest';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../../src/identity/journal.js';
import { accepted, createPerson, grantRole } from '../../src/identity/people.js';
import type { PersonRole } from '../../src/identity/roles.js';
import { registerOrganisation } from '../../src/identity/service.js';
import type { Answer, SessionClient } from '../support/identity-client.js';

// What the beneficiaries' tests share: a second funder, raw file uploads, waiting for an
// analysis, and counting what the registry holds.

export const PASSWORD = 'mot-de-passe-de-test-2026';

export async function createAccount(
  pool: pg.Pool,
  email: string,
  role: PersonRole,
  organisationId: number | null,
): Promise<number> {
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const personId = accepted(
      await createPerson(client, journal, { email, displayName: email, password: PASSWORD }),
    );
    accepted(await grantRole(client, journal, { personId, organisationId, role }));
    return personId;
  });
}

export async function newFunder(pool: pg.Pool, name: string): Promise<number> {
  const created = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, {
    kind: 'region',
    name,
  });
  if (!created.created) throw new Error(created.refusal);
  return created.organisation.id;
}

export function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a file as the raw body, as the web page does. */
export async function upload(
  client: SessionClient,
  query: { organisationId: number; fileName: string },
  bytes: Buffer,
  contentType = CSV_TYPE,
): Promise<Answer> {
  const path = `/api/beneficiaries/imports?organisationId=${query.organisationId}&fileName=${encodeURIComponent(query.fileName)}`;
  const response = await fetch(new URL(path, client.baseUrl), {
    method: 'POST',
    headers: {
      'content-type': contentType,
      cookie: client.cookie ?? '',
      'x-csrf-token': client.csrfToken ?? '',
    },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export type ImportView = {
  id: number;
  status: string;
  linesRead: number;
  bytesRead: number;
  fileBytes: number;
  validLines: number;
  rejectedLines: number;
  duplicateLines: number;
  problemsFound: number;
  failure: string | null;
  failureCode: string | null;
  columns: string[];
  preview: string[][];
  suggestedMapping: Record<string, number | null>;
};

/** Polls the import until its analysis ends, and answers every state seen on the way. */
export async function analysed(client: SessionClient, importId: number): Promise<ImportView[]> {
  const seen: ImportView[] = [];
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const answer = await client.get(`/api/beneficiaries/imports/${importId}`);
    expect(answer.status, answer.text).toBe(200);
    const view = answer.json as ImportView;
    seen.push(view);
    if (view.status !== 'analysing') return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`analyse de l’import ${importId} interminable`);
}

export async function countRows(pool: pg.Pool, table: string): Promise<number> {
  const result = await pool.query<{ count: number }>(`select count(*)::int as count from ${table}`);
  return (result.rows[0] as { count: number }).count;
}
