import type pg from 'pg';
import type { BeneficiaryKind, Problem } from './model.js';
import type { BeneficiaryInput, ImportMapping, ImportStatus } from './schemas.js';
import { recordRow, recordSet } from './store.js';

// SQL of beneficiary imports, and only here: the uploaded file in chunks, the line-level
// report, the staged lines, and the copy of those lines into the registry.

export type ImportRecord = {
  id: number;
  organisationId: number;
  createdByPersonId: number | null;
  fileName: string;
  fileFormat: 'csv' | 'xlsx';
  fileBytes: number;
  bytesRead: number;
  kind: BeneficiaryKind;
  status: ImportStatus;
  linesRead: number;
  validLines: number;
  rejectedLines: number;
  duplicateLines: number;
  problemsFound: number;
  failure: string | null;
  failureCode: string | null;
  createdAt: Date;
  progressedAt: Date;
  finishedAt: Date | null;
  confirmedAt: Date | null;
  columns: string[];
  preview: string[][];
  suggestedMapping: ImportMapping;
  mapping: ImportMapping | null;
};

const IMPORT_SELECT = `select i.id, i.organisation_id as "organisationId",
  i.created_by_person_id as "createdByPersonId", i.file_name as "fileName",
  i.file_format as "fileFormat", i.file_bytes as "fileBytes", i.bytes_read as "bytesRead",
  i.kind, i.status, i.lines_read as "linesRead", i.valid_lines as "validLines",
  i.rejected_lines as "rejectedLines", i.duplicate_lines as "duplicateLines",
  i.problems_found as "problemsFound", i.failure, i.failure_code as "failureCode",
  i.created_at as "createdAt", i.progressed_at as "progressedAt", i.finished_at as "finishedAt",
  i.confirmed_at as "confirmedAt", i.columns, i.preview, i.suggested_mapping as "suggestedMapping",
  i.mapping
  from beneficiary_imports i`;

export async function insertImport(
  client: pg.ClientBase,
  upload: {
    organisationId: number;
    personId: number | null;
    fileName: string;
    fileFormat: 'csv' | 'xlsx';
  },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into beneficiary_imports (organisation_id, created_by_person_id, file_name, file_format, status)
     values ($1, $2, $3, $4, 'uploaded') returning id`,
    [upload.organisationId, upload.personId, upload.fileName, upload.fileFormat],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function insertImportChunk(
  client: pg.ClientBase,
  importId: number,
  position: number,
  content: Buffer,
): Promise<void> {
  await client.query(
    'insert into beneficiary_import_chunks (import_id, position, content) values ($1, $2, $3)',
    [importId, position, content],
  );
}

export async function saveImportHead(
  client: pg.ClientBase,
  importId: number,
  head: {
    fileBytes: number;
    columns: string[];
    preview: string[][];
    suggestedMapping: ImportMapping;
  },
): Promise<void> {
  await client.query(
    `update beneficiary_imports set file_bytes = $2, columns = $3, preview = $4, suggested_mapping = $5
      where id = $1`,
    [
      importId,
      head.fileBytes,
      JSON.stringify(head.columns),
      JSON.stringify(head.preview),
      JSON.stringify(head.suggestedMapping),
    ],
  );
}

/** Chunks one at a time, in order: the file is never whole in memory. */
export async function* importChunks(pool: pg.Pool, importId: number): AsyncGenerator<Buffer> {
  const count = await pool.query<{ positions: number }>(
    'select count(*)::int as positions from beneficiary_import_chunks where import_id = $1',
    [importId],
  );
  const positions = (count.rows[0] as { positions: number }).positions;
  for (let position = 0; position < positions; position += 1) {
    const result = await pool.query<{ content: Buffer }>(
      'select content from beneficiary_import_chunks where import_id = $1 and position = $2',
      [importId, position],
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error(`Morceau ${position} de l’import ${importId} absent`);
    yield row.content;
  }
}

/** Imports of these funders (`funderIds` null: every funder). */
export async function findImportInScope(
  client: pg.ClientBase | pg.Pool,
  funderIds: number[] | null,
  importId: number,
  options: { lock?: boolean } = {},
): Promise<ImportRecord | undefined> {
  const result = await client.query<ImportRecord>(
    `${IMPORT_SELECT} where i.id = $2 and ($1::bigint[] is null or i.organisation_id = any($1))
     ${options.lock === true ? 'for update' : ''}`,
    [funderIds, importId],
  );
  return result.rows[0];
}

export async function listImportsInScope(
  pool: pg.Pool,
  funderIds: number[] | null,
): Promise<ImportRecord[]> {
  const result = await pool.query<ImportRecord>(
    `${IMPORT_SELECT} where ($1::bigint[] is null or i.organisation_id = any($1))
      order by i.id desc limit 100`,
    [funderIds],
  );
  return result.rows;
}

/** A new analysis starts from nothing: the report and staged lines of a previous one go. */
export async function startAnalysis(
  client: pg.ClientBase,
  importId: number,
  mapping: ImportMapping,
  kind: BeneficiaryKind,
): Promise<void> {
  await client.query('delete from beneficiary_import_problems where import_id = $1', [importId]);
  await client.query('delete from beneficiary_import_batches where import_id = $1', [importId]);
  await client.query(
    `update beneficiary_imports set status = 'analysing', mapping = $2, kind = $3, lines_read = 0,
            bytes_read = 0, valid_lines = 0, rejected_lines = 0, duplicate_lines = 0,
            problems_found = 0, failure = null, failure_code = null, finished_at = null,
            progressed_at = now()
      where id = $1`,
    [importId, JSON.stringify(mapping), kind],
  );
}

export type AnalysisCounters = {
  linesRead: number;
  bytesRead: number;
  validLines: number;
  rejectedLines: number;
  duplicateLines: number;
  problemsFound: number;
};

/** Which of these identifiers and identity keys the funder's registry already holds. */
export async function existingKeys(
  pool: pg.Pool,
  organisationId: number,
  externalIds: string[],
  identityKeys: string[],
): Promise<{ externalIds: Set<string>; identityKeys: Set<string> }> {
  const result = await pool.query<{ externalId: string | null; identityKey: string | null }>(
    `select external_id as "externalId", null as "identityKey" from beneficiaries
      where organisation_id = $1 and external_id = any($2::text[])
     union all
     select null, identity_key from beneficiaries
      where organisation_id = $1 and identity_key = any($3::text[])`,
    [organisationId, externalIds, identityKeys],
  );
  const found = { externalIds: new Set<string>(), identityKeys: new Set<string>() };
  for (const row of result.rows) {
    if (row.externalId !== null) found.externalIds.add(row.externalId);
    if (row.identityKey !== null) found.identityKeys.add(row.identityKey);
  }
  return found;
}

export type StagedLine = {
  line: number;
  record: BeneficiaryInput;
  identityKey: string | null;
  claimCode: string;
};

/** The columns of a staged line, as `recordSet` reads them back. */
const STAGED_COLUMNS = ', line integer, claim_code text';
export type LineProblem = Problem & { line: number };

/** One statement for the batch's staged lines and one for its problems, with the counters. */
export async function saveAnalysisBatch(
  pool: pg.Pool,
  importId: number,
  batch: {
    number: number;
    staged: StagedLine[];
    problems: LineProblem[];
    counters: AnalysisCounters;
  },
): Promise<void> {
  if (batch.staged.length > 0) {
    const records = batch.staged.map((staged) => ({
      ...recordRow(staged.record, staged.identityKey),
      line: staged.line,
      claim_code: staged.claimCode,
    }));
    await pool.query(
      `insert into beneficiary_import_batches (import_id, batch, line_count, records)
       values ($1, $2, $3, $4::json)`,
      [importId, batch.number, records.length, JSON.stringify(records)],
    );
  }
  if (batch.problems.length > 0) {
    await pool.query(
      `insert into beneficiary_import_problems (import_id, line, field, code, reason)
       select $1, unnest($2::int[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[])
       on conflict do nothing`,
      [
        importId,
        batch.problems.map((found) => found.line),
        batch.problems.map((found) => found.field),
        batch.problems.map((found) => found.code),
        batch.problems.map((found) => found.reason),
      ],
    );
  }
  await saveCounters(pool, importId, batch.counters, 'analysing');
}

export async function saveCounters(
  pool: pg.Pool,
  importId: number,
  counters: AnalysisCounters,
  status: 'analysing' | 'analysed',
): Promise<void> {
  await pool.query(
    `update beneficiary_imports set lines_read = $2, bytes_read = $3, valid_lines = $4,
            rejected_lines = $5, duplicate_lines = $6, problems_found = $7, status = $8,
            progressed_at = now(),
            finished_at = case when $8 = 'analysed' then now() else null end
      where id = $1 and status = 'analysing'`,
    [
      importId,
      counters.linesRead,
      counters.bytesRead,
      counters.validLines,
      counters.rejectedLines,
      counters.duplicateLines,
      counters.problemsFound,
      status,
    ],
  );
}

/** A whole file refused: nothing stays staged, the reason is kept for the report. */
export async function failImport(
  pool: pg.Pool,
  importId: number,
  failure: { code: string; message: string },
): Promise<void> {
  await pool.query('delete from beneficiary_import_batches where import_id = $1', [importId]);
  await pool.query(
    `update beneficiary_imports set status = 'failed', failure_code = $2, failure = left($3, 500),
            finished_at = now(), valid_lines = 0
      where id = $1 and status = 'analysing'`,
    [importId, failure.code, failure.message],
  );
}

export async function listProblems(
  pool: pg.Pool,
  importId: number,
  page: { offset: number; limit: number },
): Promise<{ problems: LineProblem[]; total: number }> {
  const result = await pool.query<LineProblem>(
    `select line, field, code, reason from beneficiary_import_problems
      where import_id = $1 order by line, field offset $2 limit $3`,
    [importId, page.offset, page.limit],
  );
  const count = await pool.query<{ total: number }>(
    'select count(*)::int as total from beneficiary_import_problems where import_id = $1',
    [importId],
  );
  return { problems: result.rows, total: (count.rows[0] as { total: number }).total };
}

export async function countStagedLines(client: pg.ClientBase, importId: number): Promise<number> {
  const result = await client.query<{ lines: number }>(
    `select coalesce(sum(line_count), 0)::int as lines from beneficiary_import_batches
      where import_id = $1`,
    [importId],
  );
  return (result.rows[0] as { lines: number }).lines;
}

/** Imports of one funder confirm one at a time: duplicates between them are then seen. */
export async function lockFunderRegistry(
  client: pg.ClientBase,
  organisationId: number,
): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('beneficiaries'), $1::int)`, [
    organisationId,
  ]);
}

/**
 * Copies the staged lines into the registry in one statement, leaving out any that became a
 * duplicate since the analysis; answers how many were inserted.
 */
export async function copyStagedLines(
  client: pg.ClientBase,
  importRecord: { id: number; organisationId: number },
): Promise<number> {
  const result = await client.query(
    `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date,
       legal_name, siret, organisation_kind, address_line, postal_code, commune_code, email, phone,
       external_id, household, identity_key, claim_code, import_id)
     select $2, r.kind, r.family_name, r.given_names, r.birth_date, r.legal_name, r.siret,
            r.organisation_kind, r.address_line, r.postal_code, r.commune_code, r.email, r.phone,
            r.external_id, r.household, r.identity_key, r.claim_code, $1
       from beneficiary_import_batches s
            cross join lateral ${recordSet('s.records', STAGED_COLUMNS)}
      where s.import_id = $1
        and not exists (select 1 from beneficiaries e
                         where e.organisation_id = $2 and e.external_id = r.external_id)
        and not exists (select 1 from beneficiaries e
                         where e.organisation_id = $2 and e.identity_key = r.identity_key)`,
    [importRecord.id, importRecord.organisationId],
  );
  return result.rowCount ?? 0;
}

/** Confirmed or abandoned: the file and the staged lines are personal data no longer needed. */
export async function closeImport(
  client: pg.ClientBase,
  importId: number,
  outcome: { status: 'imported' | 'abandoned'; personId: number | null; inserted?: number },
): Promise<void> {
  await client.query('delete from beneficiary_import_batches where import_id = $1', [importId]);
  await client.query('delete from beneficiary_import_chunks where import_id = $1', [importId]);
  await client.query(
    `update beneficiary_imports
        set status = $2, confirmed_at = case when $2 = 'imported' then now() end,
            confirmed_by_person_id = case when $2 = 'imported' then $3::bigint end,
            duplicate_lines = case when $2 = 'imported'
                                   then duplicate_lines + valid_lines - $4::int
                                   else duplicate_lines end,
            valid_lines = case when $2 = 'imported' then $4::int else valid_lines end
      where id = $1`,
    [importId, outcome.status, outcome.personId, outcome.inserted ?? 0],
  );
}

/** An analysis that stopped moving this long ago died with its process. */
export async function failStaleAnalyses(
  pool: pg.Pool,
  staleSeconds: number,
  failure: { code: string; message: string },
  runningHere: number[],
): Promise<void> {
  await pool.query(
    `update beneficiary_imports set status = 'failed', failure_code = $2, failure = $3,
            finished_at = now()
      where status = 'analysing' and progressed_at < now() - make_interval(secs => $1)
        and not (id = any($4::bigint[]))`,
    [staleSeconds, failure.code, failure.message, runningHere],
  );
}
