import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { personOf } from '../identity/access.js';
import { journaledRequest, type Journal } from '../identity/journal.js';
import { errorResponses } from '../identity/schemas.js';
import { errorSchema } from '../platform/errors.js';
import {
  cleanFileName,
  contentMatchesType,
  DOCUMENT_MEDIA_TYPES,
  isDocumentMediaType,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_APPLICATION,
  sha256Of,
  type DocumentMediaType,
} from './documents.js';
import { applicationError } from './errors.js';
import { ownApplication } from './me-routes.js';
import { applicationParamsSchema, documentSchema } from './schemas.js';
import { lockOpenApplication } from './service.js';
import { countDocuments, insertDocument, type ApplicationRecord } from './store.js';

// Attaching a document: the file itself is the request body (no multipart to parse), its
// type in Content-Type, its name in x-file-name. Parsers and the size limit live in this scope
// only, so that no other route accepts a binary body.

export const documentUploadRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (
  plugin,
  { pool },
) => {
  plugin.addContentTypeParser(
    [...DOCUMENT_MEDIA_TYPES],
    { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES },
    (_request, body, done) => done(null, body),
  );
  plugin.addContentTypeParser('*', (_request, _payload, done) =>
    done(applicationError('document_type_not_accepted'), undefined),
  );
  // The generic « body too large » would not say the limit; this one does.
  plugin.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw applicationError('document_too_large');
    throw error;
  });
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/me/applications/:applicationId/documents',
    {
      config: { permission: 'own_aid.apply' },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        summary: 'Joindre un document (PDF, PNG ou JPEG, 5 Mo au plus, 10 par demande)',
        description:
          'Le corps de la requête est le fichier, son type dans Content-Type, son nom (encodé en URI) dans l’en-tête x-file-name. Le contenu doit commencer par la signature de son type.',
        tags: ['demandes'],
        params: applicationParamsSchema,
        response: { 201: documentSchema, 413: errorSchema, 415: errorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      const application = await ownApplication(pool, request);
      const mediaType = declaredMediaType(request.headers['content-type']);
      const content = request.body;
      if (mediaType === undefined || !Buffer.isBuffer(content)) {
        throw applicationError('document_type_not_accepted');
      }
      if (content.length === 0) throw applicationError('document_empty');
      if (!contentMatchesType(content, mediaType)) {
        throw applicationError('document_content_mismatch');
      }
      const fileName = cleanFileName(request.headers['x-file-name']);
      if (fileName === undefined) throw applicationError('file_name_invalid');
      const document = await journaledRequest(pool, request, (client, journal) =>
        attachDocument(client, journal, application, {
          fileName,
          mediaType,
          content,
          uploadedByPersonId: actor.personId,
        }),
      );
      return reply.status(201).send(document);
    },
  );
};

function declaredMediaType(header: string | undefined): DocumentMediaType | undefined {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  return isDocumentMediaType(mediaType) ? mediaType : undefined;
}

async function attachDocument(
  client: pg.ClientBase,
  journal: Journal,
  application: ApplicationRecord,
  file: {
    fileName: string;
    mediaType: DocumentMediaType;
    content: Buffer;
    uploadedByPersonId: number;
  },
) {
  // The lock also serialises two uploads racing for the last of the ten places.
  await lockOpenApplication(client, application.id);
  if ((await countDocuments(client, application.id)) >= MAX_DOCUMENTS_PER_APPLICATION) {
    throw applicationError('document_limit_reached');
  }
  const sha256 = sha256Of(file.content);
  const { uploadedByPersonId: _uploader, ...document } = await insertDocument(client, {
    applicationId: application.id,
    ...file,
    sha256,
  });
  await journal({
    organisationId: application.organisationId,
    action: 'application.document_add',
    targetType: 'application',
    targetId: application.id,
    after: {
      documentId: document.id,
      fileName: file.fileName,
      mediaType: file.mediaType,
      sizeBytes: file.content.length,
      sha256: document.sha256,
    },
  });
  return document;
}
