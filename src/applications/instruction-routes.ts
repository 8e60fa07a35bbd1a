import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { actorOf, personOf, visibleOrganisationIds } from '../identity/access.js';
import { accessToOrganisation, type Actor } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journalContextOf, journaledRequest } from '../identity/journal.js';
import { errorResponses } from '../identity/schemas.js';
import type { Ledger } from '../ledger/service.js';
import { withTransaction } from '../platform/database.js';
import type { TypedApp } from '../platform/http.js';
import { attributeForApplication } from './attribution.js';
import { contentDisposition } from './documents.js';
import { applicationError } from './errors.js';
import {
  applicationParamsSchema,
  decisionSchema,
  detailSchema,
  documentParamsSchema,
  informationRequestSchema,
  listQuerySchema,
  summarySchema,
} from './schemas.js';
import { acceptedAmountCents, addMessage, lockOpenApplication, recordDecision } from './service.js';
import {
  findApplicationInScope,
  findDocumentContent,
  listApplicationsInScope,
  type ApplicationRecord,
} from './store.js';
import { detailOf, summaryOf } from './views.js';

// The case worker's side: the applications to the programmes of the funders they instruct
// for. Another funder's application answers 404, exactly like a missing one.

const tags = ['instruction des demandes'];

/** The organisations whose applications the caller may instruct; null when platform-wide. */
function instructedOrganisationIds(actor: Actor): number[] | null {
  const visible = visibleOrganisationIds(actor);
  if (visible === null) return null;
  return visible.filter(
    (organisationId) =>
      accessToOrganisation(actor, 'application.instruct', organisationId) === 'allowed',
  );
}

async function instructedApplication(
  pool: pg.Pool,
  request: FastifyRequest,
): Promise<ApplicationRecord> {
  const { applicationId } = request.params as { applicationId: number };
  const organisationIds = instructedOrganisationIds(actorOf(request));
  const application = await findApplicationInScope(pool, { organisationIds }, applicationId);
  if (application === undefined) throw identityError('resource_not_found');
  return application;
}

export function registerInstructionRoutes(app: TypedApp, pool: pg.Pool, ledger: Ledger): void {
  registerInstructionReads(app, pool);
  registerDocumentDownload(app, pool);
  registerInformationRequest(app, pool);
  registerDecision(app, pool, ledger);
}

function registerInstructionReads(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/applications',
    {
      config: { permission: 'application.instruct' },
      schema: {
        summary: 'Les demandes à instruire, filtrées par organisation et par état',
        description:
          'Sans organisationId : toutes les organisations où l’appelant instruit. Les plus récentes d’abord.',
        tags,
        querystring: listQuerySchema,
        response: {
          200: z.object({ applications: summarySchema.array(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { organisationId, status, offset, limit } = request.query;
      let organisationIds = instructedOrganisationIds(actorOf(request));
      if (organisationId !== undefined) {
        if (organisationIds !== null && !organisationIds.includes(organisationId)) {
          throw identityError('resource_not_found');
        }
        organisationIds = [organisationId];
      }
      const page = await listApplicationsInScope(pool, { organisationIds, status, offset, limit });
      return { applications: page.applications.map(summaryOf), total: page.total };
    },
  );
  app.get(
    '/api/applications/:applicationId',
    {
      config: { permission: 'application.instruct' },
      schema: {
        summary:
          'Une demande : réponses, évaluation automatique expliquée, documents, échanges, historique',
        tags,
        params: applicationParamsSchema,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => detailOf(pool, await instructedApplication(pool, request)),
  );
}

function registerDocumentDownload(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/applications/:applicationId/documents/:documentId',
    {
      config: { permission: 'application.instruct' },
      schema: {
        summary:
          'Télécharger un document joint (toujours en pièce jointe, jamais affiché tel quel)',
        tags,
        params: documentParamsSchema,
        // The file's bytes, sent as they are: a Buffer is never serialised.
        response: { 200: z.any().describe('Le fichier, avec son type'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const application = await instructedApplication(pool, request);
      const document = await findDocumentContent(pool, application.id, request.params.documentId);
      if (document === undefined) throw identityError('resource_not_found');
      return reply
        .header('content-type', document.mediaType)
        .header('content-disposition', contentDisposition(document.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cache-control', 'private, no-store')
        .send(document.content);
    },
  );
}

function registerInformationRequest(app: TypedApp, pool: pg.Pool): void {
  app.post(
    '/api/applications/:applicationId/request-information',
    {
      config: { permission: 'application.instruct' },
      schema: {
        summary: 'Demander des informations au demandeur (il est prévenu)',
        tags,
        params: applicationParamsSchema,
        body: informationRequestSchema,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = personOf(request);
      const application = await instructedApplication(pool, request);
      await journaledRequest(pool, request, (client, journal) =>
        addMessage(client, journal, {
          application,
          side: 'instruction',
          personId: actor.personId,
          body: request.body.message,
        }),
      );
      return detailOf(pool, await instructedApplication(pool, request));
    },
  );
}

function registerDecision(app: TypedApp, pool: pg.Pool, ledger: Ledger): void {
  app.post(
    '/api/applications/:applicationId/decide',
    {
      config: { permission: 'application.instruct' },
      schema: {
        summary: 'Accepter (l’aide est attribuée et créditée) ou refuser, avec un motif',
        description:
          'Le montant accordé est par défaut celui de l’évaluation automatique ; il peut être abaissé, jamais relevé, sauf si les règles ne donnent rien : il doit alors être indiqué.',
        tags,
        params: applicationParamsSchema,
        body: decisionSchema,
        response: {
          200: detailSchema.extend({
            attribution: z.object({ id: z.number(), status: z.string() }).nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = personOf(request);
      const application = await instructedApplication(pool, request);
      const { decision, reason } = request.body;
      let amountCents: number | null = null;
      let attribution: { id: number; status: string } | null = null;
      if (decision === 'accepted') {
        amountCents = acceptedAmountCents(
          application.evaluatedAmountCents,
          request.body.amountCents,
        );
        // Checked before the money moves: a closed application attributes nothing.
        await withTransaction(pool, (client) => lockOpenApplication(client, application.id));
        attribution = await attributeForApplication(
          pool,
          ledger,
          journalContextOf(actor, request.id),
          {
            application,
            amountCents,
            decidedByPersonId: actor.personId,
            reason,
          },
        );
      } else if (request.body.amountCents !== undefined) {
        throw applicationError('decision_amount_invalid');
      }
      await journaledRequest(pool, request, (client, journal) =>
        recordDecision(client, journal, application, {
          decision,
          reason,
          amountCents,
          attributionId: attribution?.id ?? null,
          decidedByPersonId: actor.personId,
        }),
      );
      return { ...(await detailOf(pool, await instructedApplication(pool, request))), attribution };
    },
  );
}
