import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf } from '../identity/access.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses, identifierSchema } from '../identity/schemas.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { funderScope, listedFunders, requestedFunder, requireFunderAccess } from './access.js';
import { applicationsOf, attributionsOf, personalDataAbout } from './gdpr-store.js';
import { importRoutes } from './import-routes.js';
import { ImportAnalyses } from './import/service.js';
import { foldText } from './model.js';
import { registerOwnRecordRoutes } from './own-routes.js';
import {
  beneficiaryParamsSchema,
  beneficiaryPatchSchema,
  beneficiaryViewSchema,
  correctionOf,
  rawBeneficiaryOf,
  rawBeneficiarySchema,
} from './schemas.js';
import {
  correctBeneficiary,
  createBeneficiary,
  eraseRecord,
  presentBeneficiary,
  validRecord,
} from './service.js';
import { findBeneficiaryInScope, searchBeneficiaries, type RegistryRow } from './store.js';

// The beneficiary registry over HTTP: a funder's staff list, search, create, correct, export
// (GDPR access right) and erase records, and import files; beneficiaries see their own.

export type BeneficiaryRoutesOptions = { pool: pg.Pool; importMaxBytes: number };

const tags = ['bénéficiaires'];
export const MAX_PAGE_SIZE = 200;
const MAX_SEARCH_LENGTH = 100;

/** The record if the caller's funders hold it (else 404) and the caller may do `action` (else 403). */
export async function recordFor(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
): Promise<{ row: RegistryRow; funderIds: number[] | null }> {
  const { beneficiaryId } = request.params as { beneficiaryId: number };
  const scope = await funderScope(pool, actorOf(request), action);
  const row = await findBeneficiaryInScope(pool, scope.visible, beneficiaryId);
  if (row === undefined) throw identityError('resource_not_found');
  requireFunderAccess(scope, row.organisationId);
  return { row, funderIds: scope.allowed };
}

export const beneficiaryRoutes: FastifyPluginAsync<BeneficiaryRoutesOptions> = async (
  plugin,
  options,
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  const analyses = new ImportAnalyses(options.pool, (error) =>
    plugin.log.error({ err: error }, 'beneficiary import analysis failed'),
  );
  plugin.addHook('onClose', () => analyses.close());
  registerList(app, options);
  registerCreation(app, options);
  registerView(app, options);
  registerCorrection(app, options);
  registerExport(app, options);
  registerErasure(app, options);
  registerOwnRecordRoutes(app, options);
  await plugin.register(importRoutes, { ...options, analyses });
};

const listQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional(),
  search: z.string().trim().max(MAX_SEARCH_LENGTH).optional(),
  communeCode: z.string().trim().max(5).optional(),
  importId: identifierSchema.optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function registerList(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.get(
    '/api/beneficiaries',
    {
      config: { permission: 'beneficiary.read' },
      schema: {
        summary: 'Les bénéficiaires des financeurs de l’appelant, par nom, identifiant ou commune',
        tags,
        querystring: listQuerySchema,
        response: {
          200: z.object({ beneficiaries: beneficiaryViewSchema.array(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const funderIds = await listedFunders(
        pool,
        request,
        'beneficiary.read',
        query.organisationId,
      );
      const search = query.search === undefined || query.search === '' ? null : query.search;
      const found = await searchBeneficiaries(pool, {
        funderIds,
        foldedSearch:
          search === null ? null : likePattern(foldText(search).replace(/[-\s]+/g, ' ')),
        search: search === null ? null : likePattern(search),
        communeCode:
          query.communeCode === undefined || query.communeCode === ''
            ? null
            : query.communeCode.toUpperCase(),
        importId: query.importId ?? null,
        offset: query.offset,
        limit: query.limit,
      });
      return { beneficiaries: found.rows.map(presentBeneficiary), total: found.total };
    },
  );
}

const beneficiaryAnswer = z.object({ beneficiary: beneficiaryViewSchema });

function registerCreation(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.post(
    '/api/beneficiaries',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary: 'Enregistrer un bénéficiaire (personne ou organisation) chez un financeur',
        tags,
        body: rawBeneficiarySchema.extend({
          organisationId: identifierSchema.describe('Le financeur, ou l’un de ses services'),
        }),
        response: { 201: beneficiaryAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { organisationId, ...body } = request.body;
      const funderId = await requestedFunder(pool, request, 'beneficiary.manage', organisationId);
      const record = validRecord(rawBeneficiaryOf(body));
      const id = await journaledRequest(pool, request, (client, journal) =>
        createBeneficiary(client, journal, funderId, record),
      );
      const row = (await findBeneficiaryInScope(pool, null, id)) as RegistryRow;
      return reply.status(201).send({ beneficiary: presentBeneficiary(row) });
    },
  );
}

const attributionSummarySchema = z.object({
  id: z.number(),
  programmeId: z.number(),
  programmeName: z.string(),
  amountCents: z.number(),
  status: z.enum(['proposed', 'approved', 'credited', 'suspended', 'revoked', 'expired']),
  creditedAt: z.date().nullable(),
  validUntil: z.date().nullable(),
});

const applicationSummarySchema = z.object({
  id: z.number(),
  programmeName: z.string(),
  status: z.enum(['submitted', 'information_requested', 'accepted', 'refused', 'withdrawn']),
  createdAt: z.date(),
});

function registerView(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.get(
    '/api/beneficiaries/:beneficiaryId',
    {
      config: { permission: 'beneficiary.read' },
      schema: {
        summary: 'Un bénéficiaire, ses attributions et ses demandes',
        tags,
        params: beneficiaryParamsSchema,
        response: {
          200: beneficiaryAnswer.extend({
            attributions: attributionSummarySchema.array(),
            applications: applicationSummarySchema.array(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { row } = await recordFor(pool, request, 'beneficiary.read');
      return {
        beneficiary: presentBeneficiary(row),
        attributions: await attributionsOf(pool, row.id),
        applications: await applicationsOf(pool, row.organisationId, row.id),
      };
    },
  );
}

function registerCorrection(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.patch(
    '/api/beneficiaries/:beneficiaryId',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary:
          'Corriger un bénéficiaire : seuls les champs envoyés changent, le tout est revérifié',
        tags,
        params: beneficiaryParamsSchema,
        body: beneficiaryPatchSchema,
        response: { 200: beneficiaryAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const { row } = await recordFor(pool, request, 'beneficiary.manage');
      await journaledRequest(pool, request, async (client, journal) => {
        const locked = (await findBeneficiaryInScope(client, null, row.id, {
          lock: true,
        })) as RegistryRow;
        const correction = correctionOf(request.body);
        await correctBeneficiary(client, journal, locked, correction, 'beneficiary.update');
      });
      const updated = (await findBeneficiaryInScope(pool, null, row.id)) as RegistryRow;
      return { beneficiary: presentBeneficiary(updated) };
    },
  );
}

function registerExport(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.get(
    '/api/beneficiaries/:beneficiaryId/export',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary:
          'Tout ce que la plateforme garde sur un bénéficiaire (droit d’accès RGPD), en fichier JSON',
        tags,
        params: beneficiaryParamsSchema,
        response: {
          200: z.object({
            exportedAt: z.date(),
            beneficiary: beneficiaryViewSchema,
            attributions: z.array(z.unknown()),
            applications: z.array(z.unknown()),
            notifications: z.array(z.unknown()),
            journal: z.array(z.unknown()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { row } = await recordFor(pool, request, 'beneficiary.manage');
      const about = await personalDataAbout(pool, row.organisationId, row.id);
      // Reading personal data in bulk is itself an act the journal keeps.
      await journaledRequest(pool, request, (_client, journal) =>
        journal({
          organisationId: row.organisationId,
          action: 'beneficiary.export',
          targetType: 'beneficiary',
          targetId: row.id,
        }),
      );
      void reply.header(
        'content-disposition',
        `attachment; filename="beneficiaire-${row.id}.json"`,
      );
      return { exportedAt: new Date(), beneficiary: presentBeneficiary(row), ...about };
    },
  );
}

function registerErasure(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.post(
    '/api/beneficiaries/:beneficiaryId/erase',
    {
      config: { permission: 'beneficiary.manage' },
      schema: {
        summary:
          'Effacer les données personnelles d’un bénéficiaire, une fois la durée de conservation écoulée',
        tags,
        params: beneficiaryParamsSchema,
        body: z.strictObject({ reason: storableText(500).trim().min(3) }),
        response: { 200: beneficiaryAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const { row, funderIds } = await recordFor(pool, request, 'beneficiary.manage');
      await journaledRequest(pool, request, (client, journal) =>
        eraseRecord(client, journal, funderIds, row.id, request.body.reason),
      );
      const erased = (await findBeneficiaryInScope(pool, null, row.id)) as RegistryRow;
      return { beneficiary: presentBeneficiary(erased) };
    },
  );
}
