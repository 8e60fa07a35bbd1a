import { createHash } from 'node:crypto';

// Documents attached to an application: a PDF or an image, checked by its first bytes rather
// than trusted by its name or declared type, so that a renamed program is never stored as a
// « PDF » that a case worker would then open.

export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_APPLICATION = 10;
export const MAX_FILE_NAME_LENGTH = 200;

const SIGNATURES: Record<DocumentMediaType, readonly number[]> = {
  // « %PDF- »
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

export function isDocumentMediaType(value: string): value is DocumentMediaType {
  return (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(value);
}

/** Whether the content starts with the signature of its declared type. */
export function contentMatchesType(content: Uint8Array, mediaType: DocumentMediaType): boolean {
  const signature = SIGNATURES[mediaType];
  return (
    content.length >= signature.length && signature.every((byte, index) => content[index] === byte)
  );
}

export function sha256Of(content: Uint8Array): Buffer {
  return createHash('sha256').update(content).digest();
}

/**
 * The name as the applicant's computer gave it (sent percent-encoded, since a header carries
 * only ASCII), reduced to its last path segment, without control characters; undefined when
 * nothing usable is left.
 */
export function cleanFileName(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return undefined;
  }
  const lastSegment = decoded.split(/[/\\]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned.length === 0 || cleaned === '.' || cleaned === '..') return undefined;
  if (!cleaned.isWellFormed()) return undefined;
  return cleaned.slice(0, MAX_FILE_NAME_LENGTH);
}

/** For the download header: an ASCII fallback and the exact name, encoded as RFC 6266 says. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
