import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { fundFor } from '../funds/routes.js';
import { actorOf, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses, identifierSchema } from '../identity/schemas.js';
import { availableCents } from '../ledger/model.js';
import type { Ledger } from '../ledger/service.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { explanationSentences } from './rules/engine.js';
import { compareSimulations, simulate } from './rules/simulation.js';
import {
  beneficiaryFactsSchema,
  envelopeStateSchema,
  explanationSchema,
  MAX_SIMULATION_SAMPLE,
  paymentContextSchema,
  programmeParamsSchema,
  programmeViewSchema,
  rulesInputSchema,
} from './schemas.js';
import {
  addRuleVersion,
  compiledVersion,
  createProgramme,
  programmeError,
  publishRuleVersion,
  reserveBudget,
} from './service.js';
import {
  findProgrammeInScope,
  listProgrammesInScope,
  lockProgramme,
  type ProgrammeRecord,
} from './store.js';
import { PROGRAMME_TEMPLATES } from './templates.js';

// Programmes over HTTP: create from scratch or a template, version and publish the rules,
// reserve budget, explain a decision, check a payment, simulate before launching.

export type ProgrammeRoutesOptions = { pool: pg.Pool; ledger: Ledger };

const tags = ['dispositifs'];
const versionSchema = z.int().min(1).max(1_000_000);

async function programmeFor(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
): Promise<ProgrammeRecord> {
  const { programmeId } = request.params as { programmeId: number };
  const actor = actorOf(request);
  const programme = await findProgrammeInScope(pool, visibleOrganisationIds(actor), programmeId);
  if (programme === undefined) throw identityError('resource_not_found');
  if (accessToOrganisation(actor, action, programme.organisationId) !== 'allowed') {
    throw identityError('action_not_allowed');
  }
  return programme;
}

async function presentProgramme(ledger: Ledger, programme: ProgrammeRecord) {
  const balances = await ledger.findAccounts(programme.reserves.map((r) => r.accountId));
  const reserves = programme.reserves.map((reserve) => {
    const row = balances.find((candidate) => candidate.id === reserve.accountId);
    return {
      contributorId: reserve.contributorId,
      availableCents: row === undefined ? 0 : availableCents(row),
    };
  });
  return {
    ...programme,
    versions: programme.versions.map(({ version, createdAt }) => ({ version, createdAt })),
    reservedCents: reserves.reduce((total, reserve) => total + reserve.availableCents, 0),
    reserves,
  };
}

function personIdOf(request: FastifyRequest): number | null {
  const actor = actorOf(request);
  return actor.type === 'personne' ? actor.personId : null;
}

/** The version asked for, else the published one, else the newest. */
function chosenVersion(programme: ProgrammeRecord, asked: number | undefined): number {
  const version = asked ?? programme.publishedVersion ?? programme.versions.at(-1)?.version;
  if (version === undefined) throw programmeError('version_unknown');
  return version;
}

export const programmeRoutes: FastifyPluginAsync<ProgrammeRoutesOptions> = async (
  plugin,
  options,
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerTemplates(app);
  registerProgrammeList(app, options);
  registerProgrammeCreation(app, options);
  registerProgrammeView(app, options);
  registerVersionRoutes(app, options);
  registerBudget(app, options);
  registerExplain(app, options);
  registerUsageCheck(app, options);
  registerSimulation(app, options);
};

function registerTemplates(app: TypedApp): void {
  app.get(
    '/api/programme-templates',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Les modèles de dispositifs, tirés de dispositifs réels',
        tags,
        response: {
          200: z
            .object({
              id: z.string(),
              name: z.string(),
              description: z.string(),
              rules: z.unknown(),
              sampleFacts: z.unknown(),
            })
            .array(),
          ...errorResponses,
        },
      },
    },
    async () => PROGRAMME_TEMPLATES,
  );
}

function registerProgrammeList(app: TypedApp, { pool, ledger }: ProgrammeRoutesOptions): void {
  app.get(
    '/api/programmes',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Les dispositifs des organisations de l’appelant',
        tags,
        response: { 200: programmeViewSchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const programmes = await listProgrammesInScope(
        pool,
        visibleOrganisationIds(actorOf(request)),
      );
      return Promise.all(programmes.map((programme) => presentProgramme(ledger, programme)));
    },
  );
}

function registerProgrammeCreation(app: TypedApp, { pool, ledger }: ProgrammeRoutesOptions): void {
  app.post(
    '/api/programmes',
    {
      config: { permission: 'programme.manage' },
      schema: {
        summary: 'Créer un dispositif sur un axe d’un fonds, à partir de règles ou d’un modèle',
        tags,
        body: z.strictObject({
          fundId: identifierSchema,
          axisId: identifierSchema,
          name: storableText(200).trim().min(1),
          description: storableText(4000),
          templateId: z.string().max(60).optional(),
          rules: rulesInputSchema.optional(),
        }),
        response: { 201: programmeViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { fundId, ...programmeRequest } = request.body;
      const fund = await fundFor(pool, request, 'programme.manage', fundId);
      const programmeId = await journaledRequest(pool, request, (client, journal) =>
        createProgramme(client, journal, fund, {
          ...programmeRequest,
          createdByPersonId: personIdOf(request),
        }),
      );
      const programme = (await findProgrammeInScope(pool, null, programmeId)) as ProgrammeRecord;
      return reply.status(201).send(await presentProgramme(ledger, programme));
    },
  );
}

function registerProgrammeView(app: TypedApp, { pool, ledger }: ProgrammeRoutesOptions): void {
  app.get(
    '/api/programmes/:programmeId',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Un dispositif : versions des règles, version publiée, réserve par contributeur',
        tags,
        params: programmeParamsSchema,
        response: { 200: programmeViewSchema, ...errorResponses },
      },
    },
    async (request) =>
      presentProgramme(ledger, await programmeFor(pool, request, 'programme.read')),
  );
}

function registerVersionRoutes(app: TypedApp, { pool, ledger }: ProgrammeRoutesOptions): void {
  app.get(
    '/api/programmes/:programmeId/versions/:version',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Les règles d’une version',
        tags,
        params: programmeParamsSchema.extend({ version: z.coerce.number().pipe(versionSchema) }),
        response: { 200: z.object({ version: z.number(), rules: z.unknown() }), ...errorResponses },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.read');
      const { rules } = await compiledVersion(pool, programme.id, request.params.version);
      return { version: request.params.version, rules };
    },
  );
  app.post(
    '/api/programmes/:programmeId/versions',
    {
      config: { permission: 'programme.manage' },
      schema: {
        summary: 'Enregistrer de nouvelles règles : une nouvelle version, les anciennes restent',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({ rules: rulesInputSchema }),
        response: { 201: z.object({ version: z.number() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const programme = await programmeFor(pool, request, 'programme.manage');
      const version = await journaledRequest(pool, request, async (client, journal) => {
        await lockProgramme(client, programme.id);
        return addRuleVersion(client, journal, programme, {
          rules: request.body.rules,
          createdByPersonId: personIdOf(request),
        });
      });
      return reply.status(201).send({ version });
    },
  );
  app.post(
    '/api/programmes/:programmeId/publish',
    {
      config: { permission: 'programme.manage' },
      schema: {
        summary: 'Publier une version : celle qu’appliqueront les attributions suivantes',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({ version: versionSchema }),
        response: { 200: programmeViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.manage');
      await journaledRequest(pool, request, (client, journal) =>
        publishRuleVersion(client, journal, programme, request.body.version),
      );
      return presentProgramme(ledger, { ...programme, publishedVersion: request.body.version });
    },
  );
}

function registerBudget(app: TypedApp, { pool, ledger }: ProgrammeRoutesOptions): void {
  app.post(
    '/api/programmes/:programmeId/budget',
    {
      config: { permission: 'programme.manage' },
      schema: {
        summary: 'Réserver un budget pour le dispositif sur son axe (au prorata des contributeurs)',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({
          amountCents: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
          clientKey: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
        }),
        response: {
          200: z.object({ status: z.enum(['created', 'already_exists']) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.manage');
      const fund = await fundFor(pool, request, 'programme.manage', programme.fundId);
      const status = await journaledRequest(pool, request, (_client, journal) =>
        reserveBudget(ledger, journal, fund, programme, request.body),
      );
      return { status };
    },
  );
}

function registerExplain(app: TypedApp, { pool }: ProgrammeRoutesOptions): void {
  app.post(
    '/api/programmes/:programmeId/explain',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Décider pour une personne et expliquer chaque condition et le calcul du montant',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({
          version: versionSchema.optional(),
          referenceDate: z.iso.date(),
          facts: beneficiaryFactsSchema,
        }),
        response: { 200: explanationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.read');
      const version = chosenVersion(programme, request.body.version);
      const { compiled } = await compiledVersion(pool, programme.id, version);
      const decision = compiled.evaluate(request.body.facts, request.body.referenceDate);
      return { version, ...decision, sentences: explanationSentences(decision) };
    },
  );
}

function registerUsageCheck(app: TypedApp, { pool }: ProgrammeRoutesOptions): void {
  app.post(
    '/api/programmes/:programmeId/usage-check',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary: 'Vérifier un paiement contre les règles d’usage (sans rien débiter)',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({
          version: versionSchema.optional(),
          envelope: envelopeStateSchema,
          payment: paymentContextSchema,
        }),
        response: {
          200: z.object({
            version: z.number(),
            allowed: z.boolean(),
            coverableCents: z.number(),
            refusals: z.object({ code: z.string(), message: z.string() }).array(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.read');
      const version = chosenVersion(programme, request.body.version);
      const { compiled } = await compiledVersion(pool, programme.id, version);
      return { version, ...compiled.checkUsage(request.body.envelope, request.body.payment) };
    },
  );
}

function registerSimulation(app: TypedApp, { pool }: ProgrammeRoutesOptions): void {
  app.post(
    '/api/programmes/:programmeId/simulations',
    {
      config: { permission: 'programme.read' },
      schema: {
        summary:
          'Simuler une version sur un échantillon de bénéficiaires, et la comparer à une autre',
        tags,
        params: programmeParamsSchema,
        body: z.strictObject({
          version: versionSchema,
          compareWithVersion: versionSchema.optional(),
          referenceDate: z.iso.date(),
          beneficiaries: z
            .array(z.strictObject({ facts: beneficiaryFactsSchema }))
            .min(1)
            .max(MAX_SIMULATION_SAMPLE),
        }),
        response: {
          200: z.object({ report: z.unknown(), baseline: z.unknown(), comparison: z.unknown() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const programme = await programmeFor(pool, request, 'programme.read');
      const { version, compareWithVersion, referenceDate, beneficiaries } = request.body;
      const candidate = await compiledVersion(pool, programme.id, version);
      const report = simulate(candidate.compiled, beneficiaries, referenceDate);
      if (compareWithVersion === undefined) return { report, baseline: null, comparison: null };
      const base = await compiledVersion(pool, programme.id, compareWithVersion);
      const baseline = simulate(base.compiled, beneficiaries, referenceDate);
      return { report, baseline, comparison: compareSimulations(baseline, report) };
    },
  );
}
