import { readSheet } from 'read-excel-file/node';
import { ImportFailure } from '../errors.js';
import type { FileRow } from './csv.js';

// The first sheet of an XLSX workbook as rows of text, like a CSV file would give them: numbers
// as the workbook wrote them (no rounding through floating point), dates as AAAA-MM-JJ.

/** A workbook is unzipped and parsed whole in memory: larger ones must come as CSV. */
export const MAX_XLSX_BYTES = 20 * 1024 * 1024;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return String(value);
}

export async function readXlsxRows(bytes: Buffer): Promise<FileRow[]> {
  let data: unknown[][];
  try {
    data = await readSheet<string>(bytes, 1, { parseNumber: (text) => text });
  } catch {
    throw new ImportFailure('xlsx_invalid');
  }
  const rows: FileRow[] = [];
  for (const [index, cells] of data.entries()) {
    const texts = cells.map(cellText);
    if (texts.every((text) => text.trim() === '')) continue;
    rows.push({ line: index + 1, cells: texts });
  }
  return rows;
}
