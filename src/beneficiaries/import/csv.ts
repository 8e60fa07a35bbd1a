import { isUtf8 } from 'node:buffer';
import { ImportFailure } from '../errors.js';

// CSV as spreadsheets write it (RFC 4180): fields in double quotes may hold separators, line
// breaks and doubled quotes; lines end with CRLF or LF; `;` (French spreadsheets) or `,`
// separates fields. The text must be UTF-8, with or without a byte-order mark. Both classes
// take the file chunk by chunk, so that a file of any size flows through a bounded memory.

export type FileRow = { line: number; cells: string[] };

export const MAX_RECORD_CHARACTERS = 100_000;
export const MAX_COLUMNS = 200;

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const LINE_FEED = 0x0a;

function countLineFeeds(bytes: Buffer, end = bytes.length): number {
  let count = 0;
  let position = bytes.indexOf(LINE_FEED);
  while (position !== -1 && position < end) {
    count += 1;
    position = bytes.indexOf(LINE_FEED, position + 1);
  }
  return count;
}

/** The length of the UTF-8 sequence a lead byte starts, or 0 for a byte that starts none. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Where the first byte that is not valid UTF-8 sits (the caller knows there is one). */
export function firstInvalidOffset(bytes: Buffer): number {
  let position = 0;
  while (position < bytes.length) {
    const length = sequenceLength(bytes[position] as number);
    if (length === 0 || position + length > bytes.length) return position;
    const slice = bytes.subarray(position, position + length);
    if (length > 1 && !isUtf8(slice)) return position;
    position += length;
  }
  return position;
}

/** Bytes at the end that begin a character the next chunk completes. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const length = sequenceLength(byte);
    return length > back ? back : 0;
  }
  return 0;
}

/** UTF-8 bytes to text, refusing the first invalid byte with the line it is on. */
export class Utf8Decoder {
  private carry: Buffer = Buffer.alloc(0);
  private lineFeeds = 0;
  private started = false;

  decode(chunk: Buffer): string {
    let bytes: Buffer = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    if (!this.started) {
      if (
        bytes.length < BYTE_ORDER_MARK.length &&
        BYTE_ORDER_MARK.subarray(0, bytes.length).equals(bytes)
      ) {
        this.carry = bytes;
        return '';
      }
      this.started = true;
      if (bytes.subarray(0, 3).equals(BYTE_ORDER_MARK)) bytes = bytes.subarray(3);
    }
    const tail = incompleteTail(bytes);
    const complete = bytes.subarray(0, bytes.length - tail);
    this.carry = Buffer.from(bytes.subarray(bytes.length - tail));
    this.check(complete);
    this.lineFeeds += countLineFeeds(complete);
    return complete.toString('utf8');
  }

  finish(): void {
    this.started = true;
    if (this.carry.length > 0) this.fail(this.carry, 0);
  }

  private check(bytes: Buffer): void {
    if (!isUtf8(bytes)) this.fail(bytes, firstInvalidOffset(bytes));
  }

  private fail(bytes: Buffer, offset: number): never {
    const line = this.lineFeeds + countLineFeeds(bytes, offset) + 1;
    throw new ImportFailure('encoding_invalid', `Premier octet invalide à la ligne ${line}.`);
  }
}

/** The separator of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) {
      counts.set(character, (counts.get(character) as number) + 1);
    }
  }
  let best = ',';
  for (const [separator, count] of counts) {
    if (count > (counts.get(best) as number)) best = separator;
  }
  return best;
}

type Parsed = { cells: string[]; end: number; lineBreaks: number } | undefined;

const QUOTE = 0x22;
const CARRIAGE_RETURN = 0x0d;

/**
 * Records from text fed chunk by chunk. A record that the chunk does not finish waits for the
 * next one; `finish` closes the last. Each record carries the line of the file it starts on.
 */
export class CsvParser {
  private pending = '';
  private line = 1;
  private separatorCode = -1;

  constructor(private separator: string | null = null) {
    if (separator !== null) this.separatorCode = separator.charCodeAt(0);
  }

  feed(text: string): FileRow[] {
    return this.parse(this.pending + text, false);
  }

  finish(): FileRow[] {
    const rows = this.parse(this.pending, true);
    if (this.pending !== '') {
      throw new ImportFailure('quote_unclosed', `Le guillemet s’ouvre à la ligne ${this.line}.`);
    }
    return rows;
  }

  private parse(text: string, final: boolean): FileRow[] {
    if (this.separator === null) {
      if (!final && !/[\r\n]/.test(text)) {
        this.pending = text;
        return [];
      }
      this.separator = detectSeparator(text);
      this.separatorCode = this.separator.charCodeAt(0);
    }
    const rows: FileRow[] = [];
    let position = 0;
    while (position < text.length) {
      const parsed = this.record(text, position, final);
      if (parsed === undefined) break;
      const isBlank = parsed.cells.length === 1 && parsed.cells[0] === '';
      if (!isBlank) rows.push({ line: this.line, cells: parsed.cells });
      this.line += parsed.lineBreaks;
      position = parsed.end;
    }
    this.pending = text.slice(position);
    if (this.pending.length > MAX_RECORD_CHARACTERS) {
      throw new ImportFailure(
        'line_too_long',
        `Ligne ${this.line} : plus de ${MAX_RECORD_CHARACTERS} caractères.`,
      );
    }
    return rows;
  }

  /** One record from `start`, or undefined when the text ends before the record does. */
  private record(text: string, start: number, final: boolean): Parsed {
    const cells: string[] = [];
    let position = start;
    let lineBreaks = 0;
    for (;;) {
      let cell: string;
      if (text.charCodeAt(position) === QUOTE) {
        const quoted = this.quotedCell(text, position, final);
        if (quoted === undefined) return undefined;
        cell = quoted.cell;
        lineBreaks += quoted.lineBreaks;
        position = quoted.end;
      } else {
        let end = position;
        while (end < text.length) {
          const code = text.charCodeAt(end);
          if (code === this.separatorCode || code === LINE_FEED || code === CARRIAGE_RETURN) break;
          end += 1;
        }
        cell = text.slice(position, end);
        position = end;
      }
      cells.push(cell);
      if (cells.length > MAX_COLUMNS) {
        throw new ImportFailure(
          'too_many_columns',
          `Ligne ${this.line} : plus de ${MAX_COLUMNS} colonnes.`,
        );
      }
      if (position >= text.length) {
        return final ? { cells, end: position, lineBreaks } : undefined;
      }
      const code = text.charCodeAt(position);
      if (code === this.separatorCode) {
        position += 1;
        continue;
      }
      if (code === CARRIAGE_RETURN) {
        // A CR at the very end may be the first half of a CRLF the next chunk completes.
        if (position + 1 >= text.length && !final) return undefined;
        position += text.charCodeAt(position + 1) === LINE_FEED ? 2 : 1;
      } else {
        position += 1;
      }
      return { cells, end: position, lineBreaks: lineBreaks + 1 };
    }
  }

  /** A quoted cell; characters after its closing quote (not RFC 4180, but seen) are kept. */
  private quotedCell(text: string, start: number, final: boolean) {
    let cell = '';
    let position = start + 1;
    for (;;) {
      const quote = text.indexOf('"', position);
      if (quote === -1) return undefined;
      cell += text.slice(position, quote);
      if (text.charCodeAt(quote + 1) === QUOTE) {
        cell += '"';
        position = quote + 2;
        continue;
      }
      if (quote + 1 >= text.length && !final) return undefined;
      position = quote + 1;
      break;
    }
    let end = position;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (code === this.separatorCode || code === LINE_FEED || code === CARRIAGE_RETURN) break;
      end += 1;
    }
    cell += text.slice(position, end);
    return { cell, end, lineBreaks: countBreaks(cell) };
  }
}

function countBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === LINE_FEED) count += 1;
    else if (code === CARRIAGE_RETURN && text.charCodeAt(index + 1) !== LINE_FEED) count += 1;
  }
  return count;
}
