import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf, organisationFor, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses } from '../identity/schemas.js';
import type { Ledger } from '../ledger/service.js';
import type { TypedApp } from '../platform/http.js';
import { findProgrammeInScope } from '../programmes/store.js';
import { approveCampaign, cancelCampaign, createCampaign } from './campaigns.js';
import { ATTRIBUTION_STATUS_LABELS } from './model.js';
import type { CampaignRunner } from './runner.js';
import {
  attributionListQuerySchema,
  campaignAttributionRowSchema,
  campaignParamsSchema,
  campaignRequestSchema,
  campaignViewSchema,
  fourEyesSettingsSchema,
  organisationParamsSchema,
  reasonSchema,
} from './schemas.js';
import {
  findCampaignInScope,
  fourEyesThreshold,
  listCampaignAttributions,
  listCampaignsInScope,
  saveFourEyesThreshold,
  type CampaignRecord,
} from './store.js';
import { explanationOf, presentCampaign } from './views.js';
import { registerAttributionRoutes } from './attribution-routes.js';
import { registerWalletRoutes } from './wallet-routes.js';

// Campaigns over HTTP: prepare and simulate, approve (twice above the threshold), follow the
// crediting, cancel; and the funder's threshold for the second approval.

export type AttributionRoutesOptions = { pool: pg.Pool; ledger: Ledger; runner: CampaignRunner };

const tags = ['campagnes'];

function personIdOf(request: FastifyRequest): number | null {
  const actor = actorOf(request);
  return actor.type === 'personne' ? actor.personId : null;
}

async function campaignFor(
  pool: pg.Pool | pg.ClientBase,
  request: FastifyRequest,
  action: Action,
  options: { lock?: boolean } = {},
): Promise<CampaignRecord> {
  const { campaignId } = request.params as { campaignId: number };
  const actor = actorOf(request);
  const campaign = await findCampaignInScope(
    pool,
    visibleOrganisationIds(actor),
    campaignId,
    options,
  );
  if (campaign === undefined) throw identityError('resource_not_found');
  if (accessToOrganisation(actor, action, campaign.organisationId) !== 'allowed') {
    throw identityError('action_not_allowed');
  }
  return campaign;
}

export const attributionRoutes: FastifyPluginAsync<AttributionRoutesOptions> = async (
  plugin,
  options,
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerCampaignReading(app, options);
  registerCampaignChanges(app, options);
  registerCampaignDecisions(app, options);
  registerFunderSettings(app, options);
  registerAttributionRoutes(app, options);
  registerWalletRoutes(app, options);
};

function registerCampaignReading(app: TypedApp, { pool }: AttributionRoutesOptions): void {
  app.get(
    '/api/campaigns',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Les campagnes d’attribution visibles',
        tags,
        querystring: z.object({ programmeId: z.coerce.number().int().min(1).optional() }),
        response: { 200: z.object({ campaigns: z.array(campaignViewSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listCampaignsInScope(
        pool,
        visibleOrganisationIds(actorOf(request)),
        request.query.programmeId,
      );
      return { campaigns: await Promise.all(rows.map((row) => presentCampaign(pool, row))) };
    },
  );
  app.get(
    '/api/campaigns/:campaignId',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Une campagne : simulation, approbations, avancement du crédit',
        tags,
        params: campaignParamsSchema,
        response: { 200: campaignViewSchema, ...errorResponses },
      },
    },
    async (request) => presentCampaign(pool, await campaignFor(pool, request, 'campaign.read')),
  );
  app.get(
    '/api/campaigns/:campaignId/attributions',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Les attributions d’une campagne, chacune avec son explication',
        tags,
        params: campaignParamsSchema,
        querystring: attributionListQuerySchema,
        response: {
          200: z.object({ attributions: z.array(campaignAttributionRowSchema), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const campaign = await campaignFor(pool, request, 'campaign.read');
      const page = await listCampaignAttributions(pool, campaign.id, request.query);
      const attributions = await Promise.all(
        page.rows.map(async (row) => ({
          ...row,
          statusLabel: ATTRIBUTION_STATUS_LABELS[row.status],
          explanation: await explanationOf(pool, row),
        })),
      );
      return { attributions, total: page.total };
    },
  );
}

function registerCampaignChanges(app: TypedApp, options: AttributionRoutesOptions): void {
  const { pool, runner } = options;
  app.post(
    '/api/campaigns',
    {
      config: { permission: 'campaign.manage' },
      schema: {
        summary: 'Prépare une campagne et lance sa simulation (suivre son avancement)',
        tags,
        body: campaignRequestSchema,
        response: { 202: campaignViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const programme = await findProgrammeInScope(
        pool,
        visibleOrganisationIds(actor),
        request.body.programmeId,
      );
      if (programme === undefined) throw identityError('resource_not_found');
      if (accessToOrganisation(actor, 'campaign.manage', programme.organisationId) !== 'allowed') {
        throw identityError('action_not_allowed');
      }
      const campaignId = await journaledRequest(pool, request, (client, journal) =>
        createCampaign(client, journal, programme, {
          ...request.body,
          createdByPersonId: personIdOf(request),
        }),
      );
      runner.simulate(campaignId);
      const campaign = (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
      return reply.code(202).send(await presentCampaign(pool, campaign));
    },
  );
}

function registerCampaignDecisions(app: TypedApp, options: AttributionRoutesOptions): void {
  const { pool, runner } = options;
  app.post(
    '/api/campaigns/:campaignId/approve',
    {
      config: { permission: 'campaign.approve' },
      schema: {
        summary: 'Approuve une campagne simulée ; au-delà du seuil, une seconde personne approuve',
        tags,
        params: campaignParamsSchema,
        response: { 200: campaignViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const personId = personIdOf(request);
      if (personId === null) throw identityError('action_not_allowed');
      const next = await journaledRequest(pool, request, async (client, journal) => {
        const campaign = await campaignFor(client, request, 'campaign.approve', { lock: true });
        return approveCampaign(client, journal, campaign, personId);
      });
      if (next === 'approved') runner.credit(request.params.campaignId);
      return presentCampaign(pool, await campaignFor(pool, request, 'campaign.approve'));
    },
  );
  app.post(
    '/api/campaigns/:campaignId/cancel',
    {
      config: { permission: 'campaign.manage' },
      schema: {
        summary: 'Annule une campagne qui n’a pas commencé à créditer',
        tags,
        params: campaignParamsSchema,
        body: reasonSchema,
        response: { 200: campaignViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      await journaledRequest(pool, request, async (client, journal) => {
        const campaign = await campaignFor(client, request, 'campaign.manage', { lock: true });
        await cancelCampaign(client, journal, campaign, request.body.reason);
      });
      return presentCampaign(pool, await campaignFor(pool, request, 'campaign.manage'));
    },
  );
}

function registerFunderSettings(app: TypedApp, { pool }: AttributionRoutesOptions): void {
  const path = '/api/organisations/:organisationId/funder-settings';
  const response = { 200: fourEyesSettingsSchema, ...errorResponses };
  app.get(
    path,
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Le seuil de la double approbation des campagnes',
        tags,
        params: organisationParamsSchema,
        response,
      },
    },
    async (request) => {
      const organisation = await organisationFor(
        pool,
        request,
        'campaign.read',
        request.params.organisationId,
      );
      return { fourEyesThresholdCents: await fourEyesThreshold(pool, organisation.id) };
    },
  );
  app.put(
    path,
    {
      config: { permission: 'funder_settings.manage' },
      schema: {
        summary: 'Fixe le seuil au-delà duquel une campagne demande deux approbations',
        tags,
        params: organisationParamsSchema,
        body: fourEyesSettingsSchema,
        response,
      },
    },
    async (request) => {
      const organisation = await organisationFor(
        pool,
        request,
        'funder_settings.manage',
        request.params.organisationId,
      );
      const before = await fourEyesThreshold(pool, organisation.id);
      await journaledRequest(pool, request, async (client, journal) => {
        await saveFourEyesThreshold(
          client,
          organisation.id,
          request.body.fourEyesThresholdCents,
          personIdOf(request),
        );
        await journal({
          organisationId: organisation.id,
          action: 'funder_settings.update',
          targetType: 'organisation',
          targetId: organisation.id,
          before: { fourEyesThresholdCents: before },
          after: request.body,
        });
      });
      return request.body;
    },
  );
}
