import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf, organisationFor, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses, identifierSchema } from '../identity/schemas.js';
import { availableCents } from '../ledger/model.js';
import type { Ledger } from '../ledger/service.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { MAX_AXES_PER_FUND, MAX_CONTRIBUTORS_PER_FUND } from './model.js';
import { allocateToAxis, createFund, ensureCommitments, recordContribution } from './service.js';
import { allocatedByAxis, findFundInScope, listFundsInScope, type FundRecord } from './store.js';

// Funds over HTTP: who pays in, what is on each axis, and where every euro came from.

export type FundRoutesOptions = { pool: pg.Pool; ledger: Ledger };

const tags = ['fonds'];
const centsSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const dateSchema = z.iso.date();
const clientKeySchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,64}$/,
    'Clé d’idempotence : 1 à 64 caractères parmi lettres, chiffres, « . », « _ », « - ».',
  );
const fundParamsSchema = z.strictObject({ fundId: identifierSchema });

const fundViewSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  contributors: z
    .object({
      id: z.number(),
      organisationId: z.number(),
      organisationName: z.string(),
      committedCents: z.number(),
      paidCents: z.number(),
      unallocatedCents: z.number(),
    })
    .array(),
  axes: z
    .object({
      id: z.number(),
      name: z.string(),
      budgetCents: z.number(),
      allocatedCents: z.number(),
      availableCents: z.number(),
      byContributor: z.object({ contributorId: z.number(), availableCents: z.number() }).array(),
    })
    .array(),
});

/** Balances read from the ledger, per contributor and per axis: the provenance of each euro. */
async function presentFund(pool: pg.Pool, ledger: Ledger, fund: FundRecord) {
  const accountIds = [
    ...fund.contributors.flatMap((c) => [c.commitmentAccountId, c.budgetAccountId]),
    ...fund.axes.flatMap((axis) => axis.accounts.map((link) => link.accountId)),
  ];
  const balances = new Map(
    (await ledger.findAccounts(accountIds)).map((row) => [row.id, availableCents(row)]),
  );
  const balance = (accountId: number) => balances.get(accountId) ?? 0;
  const allocated = await allocatedByAxis(pool, fund.id);
  return {
    id: fund.id,
    organisationId: fund.organisationId,
    name: fund.name,
    startsOn: fund.startsOn,
    endsOn: fund.endsOn,
    contributors: fund.contributors.map((contributor) => ({
      id: contributor.id,
      organisationId: contributor.organisationId,
      organisationName: contributor.organisationName,
      committedCents: contributor.committedCents,
      // The commitment account holds what is promised and not yet paid.
      paidCents: contributor.committedCents - balance(contributor.commitmentAccountId),
      unallocatedCents: balance(contributor.budgetAccountId),
    })),
    axes: fund.axes.map((axis) => ({
      id: axis.id,
      name: axis.name,
      budgetCents: axis.budgetCents,
      allocatedCents: allocated.get(axis.id) ?? 0,
      availableCents: axis.accounts.reduce((total, link) => total + balance(link.accountId), 0),
      byContributor: axis.accounts.map((link) => ({
        contributorId: link.contributorId,
        availableCents: balance(link.accountId),
      })),
    })),
  };
}

/** The fund if the caller may see it (owner or contributor), and may do `action` on it. */
export async function fundFor(
  pool: pg.Pool,
  request: FastifyRequest,
  action: Action,
  fundId: number,
): Promise<FundRecord> {
  const actor = actorOf(request);
  const fund = await findFundInScope(pool, visibleOrganisationIds(actor), fundId);
  if (fund === undefined) throw identityError('resource_not_found');
  const access = accessToOrganisation(actor, action, fund.organisationId);
  if (access === 'allowed') return fund;
  // A contributor's staff see the fund, but only its owner's staff change it.
  const readsAsContributor =
    action === 'fund.read' &&
    fund.contributors.some(
      (contributor) =>
        accessToOrganisation(actor, action, contributor.organisationId) === 'allowed',
    );
  if (readsAsContributor) return fund;
  throw identityError('action_not_allowed');
}

const createFundBody = z.strictObject({
  organisationId: identifierSchema.describe('Le financeur qui gère le fonds'),
  name: storableText(200),
  startsOn: dateSchema,
  endsOn: dateSchema,
  contributors: z
    .array(z.strictObject({ organisationId: identifierSchema, committedCents: centsSchema }))
    .min(1)
    .max(MAX_CONTRIBUTORS_PER_FUND),
  axes: z
    .array(z.strictObject({ name: storableText(200), budgetCents: centsSchema }))
    .min(1)
    .max(MAX_AXES_PER_FUND),
});

export const fundRoutes: FastifyPluginAsync<FundRoutesOptions> = async (plugin, options) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerFundList(app, options);
  registerFundCreation(app, options);
  registerFundView(app, options);
  registerContribution(app, options);
  registerAllocation(app, options);
};

function registerFundList(app: TypedApp, { pool, ledger }: FundRoutesOptions): void {
  app.get(
    '/api/funds',
    {
      config: { permission: 'fund.read' },
      schema: {
        summary: 'Les fonds que l’appelant gère ou auxquels son organisation contribue',
        tags,
        response: { 200: fundViewSchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const funds = await listFundsInScope(pool, visibleOrganisationIds(actorOf(request)));
      return Promise.all(funds.map((fund) => presentFund(pool, ledger, fund)));
    },
  );
}

function registerFundCreation(app: TypedApp, { pool, ledger }: FundRoutesOptions): void {
  app.post(
    '/api/funds',
    {
      config: { permission: 'fund.manage' },
      schema: {
        summary: 'Créer un fonds : contributeurs et engagements, axes et budgets',
        tags,
        body: createFundBody,
        response: { 201: fundViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { organisationId, ...fundRequest } = request.body;
      await organisationFor(pool, request, 'fund.manage', organisationId);
      const fund = await journaledRequest(pool, request, (client, journal) =>
        createFund(client, journal, { organisationId }, fundRequest),
      );
      await ensureCommitments(ledger, fund);
      return reply.status(201).send(await presentFund(pool, ledger, fund));
    },
  );
}

function registerFundView(app: TypedApp, { pool, ledger }: FundRoutesOptions): void {
  app.get(
    '/api/funds/:fundId',
    {
      config: { permission: 'fund.read' },
      schema: {
        summary: 'Un fonds, ses soldes par contributeur et par axe',
        tags,
        params: fundParamsSchema,
        response: { 200: fundViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const fund = await fundFor(pool, request, 'fund.read', request.params.fundId);
      return presentFund(pool, ledger, fund);
    },
  );
}

const movementResponse = z.object({ status: z.enum(['created', 'already_exists']) });

function registerContribution(app: TypedApp, { pool, ledger }: FundRoutesOptions): void {
  app.post(
    '/api/funds/:fundId/contributions',
    {
      config: { permission: 'fund.contribute' },
      schema: {
        summary: 'Enregistrer un versement d’un contributeur (jamais au-delà de son engagement)',
        tags,
        params: fundParamsSchema,
        body: z.strictObject({
          contributorId: identifierSchema,
          amountCents: centsSchema,
          clientKey: clientKeySchema,
        }),
        response: { 200: movementResponse, ...errorResponses },
      },
    },
    async (request) => {
      const fund = await fundFor(pool, request, 'fund.contribute', request.params.fundId);
      const status = await journaledRequest(pool, request, (_client, journal) =>
        recordContribution(ledger, journal, fund, request.body),
      );
      return { status };
    },
  );
}

function registerAllocation(app: TypedApp, { pool, ledger }: FundRoutesOptions): void {
  app.post(
    '/api/funds/:fundId/allocations',
    {
      config: { permission: 'fund.manage' },
      schema: {
        summary:
          'Affecter de l’argent du fonds à un axe, au prorata de ce que chaque contributeur a versé',
        tags,
        params: fundParamsSchema,
        body: z.strictObject({
          axisId: identifierSchema,
          amountCents: centsSchema,
          clientKey: clientKeySchema,
        }),
        response: { 200: movementResponse, ...errorResponses },
      },
    },
    async (request) => {
      const fund = await fundFor(pool, request, 'fund.manage', request.params.fundId);
      const status = await journaledRequest(pool, request, (client, journal) =>
        allocateToAxis(client, ledger, journal, fund, request.body),
      );
      return { status };
    },
  );
}
