import type pg from 'pg';
import { newClaimCodes } from '../claim-codes.js';
import { ImportFailure } from '../errors.js';
import {
  existingKeys,
  failImport,
  importChunks,
  saveAnalysisBatch,
  saveCounters,
  type AnalysisCounters,
  type ImportRecord,
  type LineProblem,
  type StagedLine,
} from '../import-store.js';
import {
  identityKey,
  normaliseBeneficiary,
  problem,
  type BeneficiaryData,
  type Problem,
  type BeneficiaryKind,
} from '../model.js';
import type { ImportMapping } from '../schemas.js';
import { CsvParser, Utf8Decoder, type FileRow } from './csv.js';
import { rawFromCells } from './mapping.js';
import { readXlsxRows } from './xlsx.js';

// The analysis of an uploaded file: every line read, normalised and checked, duplicates found
// (in the file, and against the funder's registry), valid lines staged and problems stored,
// batch by batch with the progress written as it goes. Nothing reaches the registry here.

/** Lines per batch: one query for duplicates, one insert of staged lines, one of problems. */
export const ANALYSIS_BATCH_LINES = 5_000;
export const MAX_IMPORT_LINES = 1_000_000;
/** The report keeps this many problems; beyond, only their count. */
export const MAX_STORED_PROBLEMS = 10_000;

type Candidate = { line: number; data: BeneficiaryData; key: string | null };

/** The file's rows, header first, a chunk's worth at a time (CSV) or all at once (XLSX). */
export async function* fileRows(
  pool: pg.Pool,
  importRecord: Pick<ImportRecord, 'id' | 'fileFormat'>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<FileRow[]> {
  if (importRecord.fileFormat === 'xlsx') {
    const chunks: Buffer[] = [];
    for await (const chunk of importChunks(pool, importRecord.id)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    onBytes(bytes.length);
    yield await readXlsxRows(bytes);
    return;
  }
  const decoder = new Utf8Decoder();
  const parser = new CsvParser();
  let bytesRead = 0;
  for await (const chunk of importChunks(pool, importRecord.id)) {
    bytesRead += chunk.length;
    onBytes(bytesRead);
    yield parser.feed(decoder.decode(chunk));
  }
  decoder.finish();
  yield parser.finish();
}

type Batch = { candidates: Candidate[]; problems: LineProblem[] };

/**
 * Reads lines, and writes them batch by batch; a batch's writing overlaps the reading of the
 * next one (one write at a time), so that the database and the checks work side by side.
 */
export class Analysis {
  readonly counters: AnalysisCounters = {
    linesRead: 0,
    bytesRead: 0,
    validLines: 0,
    rejectedLines: 0,
    duplicateLines: 0,
    problemsFound: 0,
  };
  private readonly seenExternalIds = new Set<string>();
  private readonly seenIdentityKeys = new Set<string>();
  private batch: Batch = { candidates: [], problems: [] };
  private linesInBatch = 0;
  private problemsKept = 0;
  private batchesWritten = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly importRecord: Pick<ImportRecord, 'id' | 'organisationId'>,
    private readonly plan: { mapping: ImportMapping; kind: BeneficiaryKind; columnCount: number },
    private readonly today: string,
    private readonly onProgress: (counters: AnalysisCounters) => void = () => undefined,
  ) {}

  async lines(rows: FileRow[]): Promise<void> {
    for (const row of rows) {
      this.counters.linesRead += 1;
      if (this.counters.linesRead > MAX_IMPORT_LINES) {
        throw new ImportFailure(
          'too_many_lines',
          `Au plus ${MAX_IMPORT_LINES} lignes par fichier.`,
        );
      }
      this.check(row);
      this.linesInBatch += 1;
      if (this.linesInBatch >= ANALYSIS_BATCH_LINES) await this.flush();
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
    await saveCounters(this.pool, this.importRecord.id, this.counters, 'analysed');
  }

  /** Waits for the write in flight, whatever its outcome: nothing may land after a failure. */
  async settled(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private check(row: FileRow): void {
    const extra = row.cells.slice(this.plan.columnCount).some((cell) => cell.trim() !== '');
    const normalised = normaliseBeneficiary(
      rawFromCells(row.cells, this.plan.mapping, this.plan.kind),
      this.today,
    );
    const problems = extra
      ? [problem('line', 'columns_extra'), ...normalised.problems]
      : normalised.problems;
    if (problems.length > 0 || !('data' in normalised)) {
      this.reject(this.batch, row.line, problems, 'rejected');
      return;
    }
    const { data } = normalised;
    const key = identityKey(data);
    const seen =
      (data.externalId !== null && this.seenExternalIds.has(data.externalId)) ||
      (key !== null && this.seenIdentityKeys.has(key));
    if (seen) {
      this.reject(this.batch, row.line, [problem('line', 'duplicate_in_file')], 'duplicate');
      return;
    }
    if (data.externalId !== null) this.seenExternalIds.add(data.externalId);
    if (key !== null) this.seenIdentityKeys.add(key);
    this.batch.candidates.push({ line: row.line, data, key });
  }

  private reject(
    batch: Batch,
    line: number,
    problems: Problem[],
    outcome: 'rejected' | 'duplicate',
  ): void {
    if (outcome === 'rejected') this.counters.rejectedLines += 1;
    else this.counters.duplicateLines += 1;
    this.counters.problemsFound += problems.length;
    for (const found of problems) {
      if (this.problemsKept >= MAX_STORED_PROBLEMS) return;
      this.problemsKept += 1;
      batch.problems.push({ ...found, line });
    }
  }

  /** Hands the batch to the writer once the previous write is done. */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = { candidates: [], problems: [] };
    this.linesInBatch = 0;
    await this.writing;
    this.writing = this.write(batch);
    // Observed by the next flush or by finish; a rejection must not go unhandled meanwhile.
    this.writing.catch(() => undefined);
  }

  /** Checks the batch against the registry, then stages its valid lines. */
  private async write(batch: Batch): Promise<void> {
    const { candidates } = batch;
    const existing = await existingKeys(
      this.pool,
      this.importRecord.organisationId,
      candidates.flatMap((candidate) =>
        candidate.data.externalId === null ? [] : [candidate.data.externalId],
      ),
      candidates.flatMap((candidate) => (candidate.key === null ? [] : [candidate.key])),
    );
    const staged: StagedLine[] = [];
    const claimCodes = newClaimCodes(candidates.length);
    for (const [index, candidate] of candidates.entries()) {
      const known =
        (candidate.data.externalId !== null &&
          existing.externalIds.has(candidate.data.externalId)) ||
        (candidate.key !== null && existing.identityKeys.has(candidate.key));
      if (known) {
        this.reject(batch, candidate.line, [problem('line', 'duplicate_existing')], 'duplicate');
        continue;
      }
      staged.push({
        line: candidate.line,
        record: candidate.data,
        identityKey: candidate.key,
        claimCode: claimCodes[index] as string,
      });
    }
    this.counters.validLines += staged.length;
    await saveAnalysisBatch(this.pool, this.importRecord.id, {
      number: this.batchesWritten,
      staged,
      problems: batch.problems,
      counters: { ...this.counters },
    });
    this.batchesWritten += 1;
    this.onProgress(this.counters);
  }
}

export type AnalysisOptions = {
  today: string;
  signal?: AbortSignal;
  onProgress?: (counters: AnalysisCounters) => void;
};

/**
 * Runs the analysis of an import already marked `analysing` to its end: `analysed`, or
 * `failed` with the reason a whole file is refused. Never throws for a bad file.
 */
export async function runAnalysis(
  pool: pg.Pool,
  importRecord: ImportRecord,
  plan: { mapping: ImportMapping; kind: BeneficiaryKind },
  options: AnalysisOptions,
): Promise<void> {
  const analysis = new Analysis(
    pool,
    importRecord,
    { ...plan, columnCount: importRecord.columns.length },
    options.today,
    options.onProgress,
  );
  try {
    let header = true;
    const rows = fileRows(pool, importRecord, (bytes) => {
      analysis.counters.bytesRead = bytes;
    });
    for await (const batch of rows) {
      if (options.signal?.aborted === true) throw new ImportFailure('analysis_interrupted');
      await analysis.lines(header ? batch.slice(1) : batch);
      if (batch.length > 0) header = false;
    }
    await analysis.finish();
  } catch (error) {
    await analysis.settled();
    const failure = error instanceof ImportFailure ? error : new ImportFailure('analysis_failed');
    await failImport(pool, importRecord.id, { code: failure.code, message: failure.message });
    if (!(error instanceof ImportFailure)) throw error;
  }
}
