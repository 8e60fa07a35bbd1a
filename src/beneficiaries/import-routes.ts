import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf } from '../identity/access.js';
import { identityError } from '../identity/errors.js';
import { journalContextOf } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses, identifierSchema } from '../identity/schemas.js';
import { errorSchema } from '../platform/errors.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { funderScope, listedFunders, requestedFunder, requireFunderAccess } from './access.js';
import { beneficiaryError } from './errors.js';
import {
  findImportInScope,
  listImportsInScope,
  listProblems,
  type ImportRecord,
} from './import-store.js';
import {
  abandonImport,
  chooseMapping,
  confirmImport,
  failStaleImports,
  uploadImport,
  type ImportAnalyses,
} from './import/service.js';
import { formatOfFileName, tooLarge, type FileFormat } from './import/upload.js';
import { MAX_XLSX_BYTES } from './import/xlsx.js';
import type { BeneficiaryRoutesOptions } from './routes.js';
import {
  importParamsSchema,
  importViewSchema,
  mappingBodySchema,
  problemViewSchema,
  type ImportView,
} from './schemas.js';

// Imports over HTTP, the wizard's four steps: upload (the raw file as the body, streamed),
// mapping (the analysis starts), progress and report, then confirm or abandon.

type ImportRoutesOptions = BeneficiaryRoutesOptions & { analyses: ImportAnalyses };

const tags = ['bénéficiaires'];
const MAX_PROBLEMS_PAGE = 500;

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_MEDIA_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

/** The format a body announces; a generic type falls back on the file name's extension. */
export function formatOf(contentType: string | undefined, fileName: string): FileFormat {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === XLSX_MEDIA_TYPE) return 'xlsx';
  if (CSV_MEDIA_TYPES.includes(mediaType)) return 'csv';
  const named = mediaType === 'application/octet-stream' ? formatOfFileName(fileName) : undefined;
  if (named !== undefined) return named;
  throw beneficiaryError('media_type_unsupported');
}

export function presentImport(record: ImportRecord): ImportView {
  return {
    id: record.id,
    organisationId: record.organisationId,
    fileName: record.fileName,
    fileFormat: record.fileFormat,
    fileBytes: record.fileBytes,
    bytesRead: record.bytesRead,
    kind: record.kind,
    status: record.status,
    linesRead: record.linesRead,
    validLines: record.validLines,
    rejectedLines: record.rejectedLines,
    duplicateLines: record.duplicateLines,
    problemsFound: record.problemsFound,
    failure: record.failure,
    failureCode: record.failureCode,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    confirmedAt: record.confirmedAt,
    columns: record.columns,
    preview: record.preview,
    suggestedMapping: record.suggestedMapping,
    mapping: record.mapping,
  };
}

async function importFor(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
): Promise<ImportRecord> {
  const { importId } = request.params as { importId: number };
  const scope = await funderScope(pool, actorOf(request), action);
  const found = await findImportInScope(pool, scope.visible, importId);
  if (found === undefined) throw identityError('resource_not_found');
  requireFunderAccess(scope, found.organisationId);
  return found;
}

function personIdOf(request: FastifyRequest): number | null {
  const actor = actorOf(request);
  return actor.type === 'personne' ? actor.personId : null;
}

const importAnswer = z.object({ import: importViewSchema });

export const importRoutes: FastifyPluginAsync<ImportRoutesOptions> = async (plugin, options) => {
  // Within this plugin only: a file body reaches the route as the raw stream, unread.
  plugin.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerUpload(app, options);
  registerImportReads(app, options);
  registerMapping(app, options);
  registerClosing(app, options);
};

function registerUpload(app: TypedApp, { pool, importMaxBytes }: ImportRoutesOptions): void {
  app.post(
    '/api/beneficiaries/imports',
    {
      config: { permission: 'beneficiary.manage' },
      bodyLimit: importMaxBytes,
      schema: {
        summary:
          'Déposer un fichier de bénéficiaires (corps brut : text/csv ou XLSX), lu en flux et borné en taille',
        tags,
        querystring: z.strictObject({
          organisationId: identifierSchema,
          fileName: storableText(200).trim().min(1),
        }),
        response: { 201: importAnswer, 413: errorSchema, 415: errorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      // A refusal before the body is read closes the connection rather than read it all.
      void reply.header('connection', 'close');
      const { organisationId, fileName } = request.query;
      const funderId = await requestedFunder(pool, request, 'beneficiary.manage', organisationId);
      const format = formatOf(request.headers['content-type'], fileName);
      const limitBytes =
        format === 'xlsx' ? Math.min(importMaxBytes, MAX_XLSX_BYTES) : importMaxBytes;
      if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw tooLarge(limitBytes);
      const importId = await uploadImport(pool, journalContextOf(request.actor, request.id), {
        organisationId: funderId,
        personId: personIdOf(request),
        fileName,
        format,
        body: request.body as AsyncIterable<Buffer>,
        limitBytes,
      });
      const created = (await findImportInScope(pool, null, importId)) as ImportRecord;
      void reply.removeHeader('connection');
      return reply.status(201).send({ import: presentImport(created) });
    },
  );
}

function registerImportReads(app: TypedApp, { pool, analyses }: ImportRoutesOptions): void {
  app.get(
    '/api/beneficiaries/imports',
    {
      config: { permission: 'beneficiary.read' },
      schema: {
        summary: 'Les derniers imports des financeurs de l’appelant',
        tags,
        querystring: z.strictObject({ organisationId: identifierSchema.optional() }),
        response: { 200: z.object({ imports: importViewSchema.array() }), ...errorResponses },
      },
    },
    async (request) => {
      const { organisationId } = request.query;
      const funderIds = await listedFunders(pool, request, 'beneficiary.read', organisationId);
      await failStaleImports(pool, analyses);
      const imports = await listImportsInScope(pool, funderIds);
      return { imports: imports.map(presentImport) };
    },
  );
  app.get(
    '/api/beneficiaries/imports/:importId',
    {
      config: { permission: 'beneficiary.read' },
      schema: {
        summary: 'Un import et l’avancement de son analyse (à interroger pendant l’analyse)',
        tags,
        params: importParamsSchema,
        response: { 200: importViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      await failStaleImports(pool, analyses);
      return presentImport(await importFor(pool, request, 'beneficiary.read'));
    },
  );
  app.get(
    '/api/beneficiaries/imports/:importId/problems',
    {
      config: { permission: 'beneficiary.read' },
      schema: {
        summary: 'Le rapport ligne à ligne : ligne, champ, code et raison en français',
        tags,
        params: importParamsSchema,
        querystring: z.strictObject({
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(MAX_PROBLEMS_PAGE).default(100),
        }),
        response: {
          200: z.object({ problems: problemViewSchema.array(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const found = await importFor(pool, request, 'beneficiary.read');
      return listProblems(pool, found.id, request.query);
    },
  );
}

function registerMapping(app: TypedApp, { pool, analyses }: ImportRoutesOptions): void {
  app.post(
    '/api/beneficiaries/imports/:importId/mapping',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary: 'Associer les colonnes aux champs et lancer l’analyse (en arrière-plan)',
        tags,
        params: importParamsSchema,
        body: mappingBodySchema,
        response: { 202: importAnswer, 503: errorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const found = await importFor(pool, request, 'beneficiary.manage');
      const context = journalContextOf(request.actor, request.id);
      const started = await chooseMapping(pool, context, analyses, found, request.body);
      return reply.status(202).send({ import: presentImport(started) });
    },
  );
}

function registerClosing(app: TypedApp, { pool }: ImportRoutesOptions): void {
  app.post(
    '/api/beneficiaries/imports/:importId/confirm',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary:
          'Importer toutes les lignes valides en une transaction (sans effet si déjà importé)',
        tags,
        params: importParamsSchema,
        response: { 200: importAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const found = await importFor(pool, request, 'beneficiary.manage');
      const context = journalContextOf(request.actor, request.id);
      const confirmed = await confirmImport(pool, context, found.id, personIdOf(request));
      return { import: presentImport(confirmed) };
    },
  );
  app.post(
    '/api/beneficiaries/imports/:importId/abandon',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary: 'Abandonner un import : le fichier et les lignes préparées sont supprimés',
        tags,
        params: importParamsSchema,
        response: { 200: importAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const found = await importFor(pool, request, 'beneficiary.manage');
      const context = journalContextOf(request.actor, request.id);
      return { import: presentImport(await abandonImport(pool, context, found.id)) };
    },
  );
}
