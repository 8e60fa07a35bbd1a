import type pg from 'pg';
import { beneficiaryError, ImportFailure } from '../errors.js';
import { insertImportChunk } from '../import-store.js';
import { CsvParser, Utf8Decoder, type FileRow } from './csv.js';
import { readXlsxRows, MAX_XLSX_BYTES } from './xlsx.js';

// Receiving a file: the body streams into the database in chunks, never whole in memory (a
// workbook excepted, which must be unzipped whole); a CSV is checked for UTF-8 all along, and
// its first lines are read for the mapping step. Over the size limit, the transaction holding
// the chunks rolls back: nothing is stored.

export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
export const PREVIEW_LINES = 5;
const MAX_PREVIEW_CELL_LENGTH = 200;

export type FileFormat = 'csv' | 'xlsx';

/** The format a file's name announces, if any. */
export function formatOfFileName(fileName: string): FileFormat | undefined {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  return undefined;
}

export type FileHead = { columns: string[]; preview: string[][] };

function megabytes(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} Mo`;
}

export function tooLarge(limitBytes: number) {
  return beneficiaryError('file_too_large', { limitBytes }, `Au plus ${megabytes(limitBytes)}.`);
}

/** Reads what the mapping step needs while the bytes go by. */
interface HeadReader {
  push(chunk: Buffer): void;
  finish(): Promise<FileRow[]>;
}

class CsvHeadReader implements HeadReader {
  private readonly decoder = new Utf8Decoder();
  private parser: CsvParser | null = new CsvParser();
  private readonly rows: FileRow[] = [];

  push(chunk: Buffer): void {
    // The whole file is decoded, to refuse a wrong encoding now rather than after the mapping.
    const text = this.decoder.decode(chunk);
    if (this.parser === null) return;
    this.rows.push(...this.parser.feed(text));
    if (this.rows.length > PREVIEW_LINES) this.parser = null;
  }

  async finish(): Promise<FileRow[]> {
    this.decoder.finish();
    if (this.parser !== null) this.rows.push(...this.parser.finish());
    return this.rows;
  }
}

class XlsxHeadReader implements HeadReader {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > MAX_XLSX_BYTES) {
      throw beneficiaryError(
        'file_too_large',
        { limitBytes: MAX_XLSX_BYTES },
        `Un classeur XLSX fait au plus ${megabytes(MAX_XLSX_BYTES)} : au-delà, enregistrez-le en CSV UTF-8.`,
      );
    }
    this.chunks.push(chunk);
  }

  async finish(): Promise<FileRow[]> {
    return readXlsxRows(Buffer.concat(this.chunks));
  }
}

function headOf(rows: FileRow[]): FileHead {
  const clip = (cells: string[]) => cells.map((cell) => cell.slice(0, MAX_PREVIEW_CELL_LENGTH));
  const [header, ...lines] = rows;
  const columns = clip(header?.cells ?? []).map((cell) => cell.trim());
  if (columns.every((column) => column === '')) throw new ImportFailure('header_missing');
  return { columns, preview: lines.slice(0, PREVIEW_LINES).map((line) => clip(line.cells)) };
}

/** Stores the body in chunks under the import, and answers its size and its first lines. */
export async function storeUploadedFile(
  client: pg.ClientBase,
  importId: number,
  upload: { format: FileFormat; body: AsyncIterable<Buffer>; limitBytes: number },
): Promise<FileHead & { fileBytes: number }> {
  const reader: HeadReader = upload.format === 'csv' ? new CsvHeadReader() : new XlsxHeadReader();
  let fileBytes = 0;
  let position = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const store = async (final: boolean) => {
    let buffered = Buffer.concat(pending);
    while (buffered.length >= UPLOAD_CHUNK_BYTES || (final && buffered.length > 0)) {
      await insertImportChunk(client, importId, position, buffered.subarray(0, UPLOAD_CHUNK_BYTES));
      position += 1;
      buffered = buffered.subarray(UPLOAD_CHUNK_BYTES);
    }
    pending = buffered.length > 0 ? [buffered] : [];
    pendingBytes = buffered.length;
  };
  try {
    for await (const chunk of upload.body) {
      fileBytes += chunk.length;
      if (fileBytes > upload.limitBytes) throw tooLarge(upload.limitBytes);
      reader.push(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= UPLOAD_CHUNK_BYTES) await store(false);
    }
    await store(true);
    if (fileBytes === 0) throw beneficiaryError('file_empty');
    return { ...headOf(await reader.finish()), fileBytes };
  } catch (error) {
    if (error instanceof ImportFailure) throw error.toHttpError();
    throw error;
  }
}
