import type pg from 'pg';
import { identityError } from '../../identity/errors.js';
import { journaled } from '../../identity/journal.js';
import type { JournalContext } from '../../identity/journal-store.js';
import { beneficiaryError, BENEFICIARY_ERRORS } from '../errors.js';
import {
  closeImport,
  copyStagedLines,
  countStagedLines,
  failStaleAnalyses,
  findImportInScope,
  insertImport,
  lockFunderRegistry,
  saveImportHead,
  startAnalysis,
  type AnalysisCounters,
  type ImportRecord,
} from '../import-store.js';
import type { BeneficiaryKind } from '../model.js';
import { today } from '../service.js';
import { IMPORT_FIELDS, type ImportMapping } from '../schemas.js';
import { runAnalysis } from './analysis.js';
import { checkMapping, suggestMapping } from './mapping.js';
import { storeUploadedFile, type FileFormat } from './upload.js';

// The four steps of an import: upload (the file stored, its head read), mapping (the analysis
// starts in the background), then confirm (every valid line into the registry in one
// transaction) or abandon. Each step is journaled; confirming twice inserts nothing twice.

/** An analysis that wrote no progress for this long died with the process that ran it. */
export const STALE_ANALYSIS_SECONDS = 120;
export const MAX_ANALYSES_PER_PROCESS = 2;

/** The analyses this process runs in the background, stopped cleanly with the server. */
export class ImportAnalyses {
  private readonly running = new Map<number, Promise<void>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly pool: pg.Pool,
    private readonly logError: (error: unknown) => void,
    private readonly onProgress?: (counters: AnalysisCounters) => void,
  ) {}

  start(importRecord: ImportRecord, plan: { mapping: ImportMapping; kind: BeneficiaryKind }) {
    const work = runAnalysis(this.pool, importRecord, plan, {
      today: today(),
      signal: this.controller.signal,
      ...(this.onProgress === undefined ? {} : { onProgress: this.onProgress }),
    })
      .catch(this.logError)
      .finally(() => this.running.delete(importRecord.id));
    this.running.set(importRecord.id, work);
  }

  hasRoom(): boolean {
    return this.running.size < MAX_ANALYSES_PER_PROCESS;
  }

  runningIds(): number[] {
    return [...this.running.keys()];
  }

  /** Resolves when the given import's analysis ends (at once if none runs here). */
  async settled(importId: number): Promise<void> {
    await this.running.get(importId);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.running.values());
  }
}

export async function failStaleImports(pool: pg.Pool, analyses: ImportAnalyses): Promise<void> {
  await failStaleAnalyses(
    pool,
    STALE_ANALYSIS_SECONDS,
    { code: 'analysis_interrupted', message: BENEFICIARY_ERRORS.analysis_interrupted.message },
    analyses.runningIds(),
  );
}

export type Upload = {
  organisationId: number;
  personId: number | null;
  fileName: string;
  format: FileFormat;
  body: AsyncIterable<Buffer>;
  limitBytes: number;
};

export async function uploadImport(
  pool: pg.Pool,
  context: JournalContext,
  upload: Upload,
): Promise<number> {
  return journaled(pool, context, async (client, journal) => {
    const importId = await insertImport(client, {
      organisationId: upload.organisationId,
      personId: upload.personId,
      fileName: upload.fileName,
      fileFormat: upload.format,
    });
    const head = await storeUploadedFile(client, importId, upload);
    await saveImportHead(client, importId, {
      ...head,
      suggestedMapping: suggestMapping(head.columns),
    });
    await journal({
      organisationId: upload.organisationId,
      action: 'beneficiary_import.upload',
      targetType: 'beneficiary_import',
      targetId: importId,
      after: { fileName: upload.fileName, fileFormat: upload.format, fileBytes: head.fileBytes },
    });
    return importId;
  });
}

function completeMapping(mapping: ImportMapping): Record<string, number | null> {
  return Object.fromEntries(IMPORT_FIELDS.map((field) => [field, mapping[field] ?? null]));
}

async function lockedImport(client: pg.ClientBase, importId: number): Promise<ImportRecord> {
  const locked = await findImportInScope(client, null, importId, { lock: true });
  if (locked === undefined) throw identityError('resource_not_found');
  return locked;
}

/** Checks the mapping against the file, then starts the analysis in the background. */
export async function chooseMapping(
  pool: pg.Pool,
  context: JournalContext,
  analyses: ImportAnalyses,
  importRecord: ImportRecord,
  choice: { mapping: ImportMapping; kind: BeneficiaryKind },
): Promise<ImportRecord> {
  checkMapping(choice.mapping, importRecord.columns.length, choice.kind);
  if (!analyses.hasRoom()) throw beneficiaryError('analysis_capacity');
  const mapping = completeMapping(choice.mapping);
  const started = await journaled(pool, context, async (client, journal) => {
    const locked = await lockedImport(client, importRecord.id);
    if (locked.status === 'analysing') throw beneficiaryError('import_analysing');
    if (locked.status === 'imported' || locked.status === 'abandoned') {
      throw beneficiaryError('import_closed');
    }
    await startAnalysis(client, locked.id, mapping, choice.kind);
    await journal({
      organisationId: locked.organisationId,
      action: 'beneficiary_import.analyse',
      targetType: 'beneficiary_import',
      targetId: locked.id,
      after: { kind: choice.kind, mapping },
    });
    return (await findImportInScope(client, null, locked.id)) as ImportRecord;
  });
  analyses.start(started, { mapping, kind: choice.kind });
  return started;
}

/**
 * Copies every staged line into the registry in one transaction. Confirming an import already
 * imported answers it as it is: nothing is inserted twice.
 */
export async function confirmImport(
  pool: pg.Pool,
  context: JournalContext,
  importId: number,
  personId: number | null,
): Promise<ImportRecord> {
  return journaled(pool, context, async (client, journal) => {
    const locked = await lockedImport(client, importId);
    if (locked.status === 'imported') return locked;
    if (locked.status === 'abandoned') throw beneficiaryError('import_closed');
    if (locked.status !== 'analysed') throw beneficiaryError('import_not_analysed');
    const staged = await countStagedLines(client, locked.id);
    if (staged !== locked.validLines) {
      throw new Error(
        `Import ${locked.id} : ${staged} lignes préparées, ${locked.validLines} valides`,
      );
    }
    await lockFunderRegistry(client, locked.organisationId);
    const inserted = await copyStagedLines(client, locked);
    await closeImport(client, locked.id, { status: 'imported', personId, inserted });
    await journal({
      organisationId: locked.organisationId,
      action: 'beneficiary_import.confirm',
      targetType: 'beneficiary_import',
      targetId: locked.id,
      after: { inserted, staged: locked.validLines },
    });
    return lockedImport(client, locked.id);
  });
}

export async function abandonImport(
  pool: pg.Pool,
  context: JournalContext,
  importId: number,
): Promise<ImportRecord> {
  return journaled(pool, context, async (client, journal) => {
    const locked = await lockedImport(client, importId);
    if (locked.status === 'abandoned') return locked;
    if (locked.status === 'imported') throw beneficiaryError('import_closed');
    if (locked.status === 'analysing') throw beneficiaryError('import_analysing');
    await closeImport(client, locked.id, { status: 'abandoned', personId: null });
    await journal({
      organisationId: locked.organisationId,
      action: 'beneficiary_import.abandon',
      targetType: 'beneficiary_import',
      targetId: locked.id,
    });
    return lockedImport(client, locked.id);
  });
}
