import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import type { Action } from '../identity/permissions.js';
import { errorResponses } from '../identity/schemas.js';
import type { TypedApp } from '../platform/http.js';
import type { AttributionRoutesOptions } from './routes.js';
import { attributionParamsSchema, attributionViewSchema, reasonSchema } from './schemas.js';
import { changeStatus, creditApproved, type StatusChange } from './service.js';
import { findAttributionInScope, type AttributionRecord } from './store.js';
import { presentAttribution } from './views.js';

// One attribution: read it with its explanation and history; suspend, reinstate, revoke it
// with a reason; credit an approved one the reserve could not pay at first.

const tags = ['attributions'];

async function attributionFor(
  db: pg.Pool | pg.ClientBase,
  request: FastifyRequest,
  action: Action,
  options: { lock?: boolean } = {},
): Promise<AttributionRecord> {
  const { attributionId } = request.params as { attributionId: number };
  const actor = actorOf(request);
  const attribution = await findAttributionInScope(
    db,
    visibleOrganisationIds(actor),
    attributionId,
    options,
  );
  if (attribution === undefined) throw identityError('resource_not_found');
  if (accessToOrganisation(actor, action, attribution.organisationId) !== 'allowed') {
    throw identityError('action_not_allowed');
  }
  return attribution;
}

const CHANGES: { path: string; to: StatusChange['to']; summary: string }[] = [
  { path: 'suspend', to: 'suspended', summary: 'Suspend une enveloppe : elle ne paie plus' },
  { path: 'reinstate', to: 'credited', summary: 'Rétablit une enveloppe suspendue' },
  {
    path: 'revoke',
    to: 'revoked',
    summary: 'Révoque une attribution : le solde restant retourne à la réserve',
  },
];

export function registerAttributionRoutes(app: TypedApp, options: AttributionRoutesOptions): void {
  const { pool, ledger } = options;
  app.get(
    '/api/attributions/:attributionId',
    {
      config: { permission: 'attribution.read' },
      schema: {
        summary: 'Une attribution, son explication et son historique',
        tags,
        params: attributionParamsSchema,
        response: { 200: attributionViewSchema, ...errorResponses },
      },
    },
    async (request) =>
      presentAttribution(pool, ledger, await attributionFor(pool, request, 'attribution.read')),
  );
  for (const change of CHANGES) {
    app.post(
      `/api/attributions/:attributionId/${change.path}`,
      {
        config: { permission: 'attribution.manage' },
        schema: {
          summary: change.summary,
          tags,
          params: attributionParamsSchema,
          body: reasonSchema,
          response: { 200: attributionViewSchema, ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await journaledRequest(pool, request, async (client, journal) => {
          const attribution = await attributionFor(client, request, 'attribution.manage', {
            lock: true,
          });
          await changeStatus(client, ledger, journal, attribution, {
            to: change.to,
            reason: request.body.reason,
            personId: actor.type === 'personne' ? actor.personId : null,
          });
        });
        return presentAttribution(
          pool,
          ledger,
          await attributionFor(pool, request, 'attribution.read'),
        );
      },
    );
  }
  registerCreditRetry(app, options);
}

function registerCreditRetry(app: TypedApp, { pool, ledger }: AttributionRoutesOptions): void {
  app.post(
    '/api/attributions/:attributionId/credit',
    {
      config: { permission: 'attribution.manage' },
      schema: {
        summary: 'Crédite une attribution approuvée que la réserve ne pouvait pas encore payer',
        tags,
        params: attributionParamsSchema,
        response: {
          200: attributionViewSchema.extend({ credited: z.boolean() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const attribution = await attributionFor(pool, request, 'attribution.manage');
      const status = await creditApproved(pool, ledger, attribution.id);
      const after = await attributionFor(pool, request, 'attribution.read');
      return {
        ...(await presentAttribution(pool, ledger, after)),
        credited: status === 'credited',
      };
    },
  );
}
