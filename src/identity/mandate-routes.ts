import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import type { TypedApp } from '../platform/http.js';
import { personOf } from './access.js';
import { identityError } from './errors.js';
import { journaledRequest } from './journal.js';
import { listMandatesOf, revokeMandate, type MandateRecord } from './mandate-store.js';
import { consentText, grantMandate, mandateStatus } from './mandates.js';
import { accepted } from './people.js';
import { MANDATE_SCOPES } from './permissions.js';
import { emailSchema, errorResponses, identifierSchema, mandateSchema } from './schemas.js';

// Mandates between a beneficiary and an aidant. Acting under one is the header
// `x-flechage-au-nom-de`, checked by the authentication hook on every request.

const tags = ['identité'];
const durationSchema = z.enum(['1_jour', '1_mois', '6_mois', '1_an']);
const scopesSchema = z.array(z.enum(MANDATE_SCOPES)).min(1).max(3);

function presentMandate(mandate: MandateRecord, now: Date) {
  return {
    id: mandate.id,
    beneficiary: {
      personId: mandate.beneficiaryPersonId,
      displayName: mandate.beneficiaryDisplayName,
    },
    aidant: {
      personId: mandate.aidantPersonId,
      displayName: mandate.aidantDisplayName,
      email: mandate.aidantEmail,
    },
    scopes: mandate.scopes,
    duration: mandate.duration,
    startsAt: mandate.startsAt,
    endsAt: mandate.endsAt,
    revokedAt: mandate.revokedAt,
    status: mandateStatus(mandate, now),
  };
}

export const mandateRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (plugin, options) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();

  registerConsentText(app);
  registerMandateList(app, options);
  registerMandateGrant(app, options);
  registerMandateRevocation(app, options);
};

function registerConsentText(app: TypedApp): void {
  app.get(
    '/api/identity/mandates/consent-text',
    {
      config: { permission: 'mandate.grant' },
      schema: {
        summary: 'Le texte de consentement que la personne lit avant de donner un mandat',
        tags,
        querystring: z.strictObject({
          scopes: z
            .string()
            .max(100)
            .transform((text) => text.split(','))
            .pipe(scopesSchema)
            .optional(),
          duration: durationSchema.optional(),
        }),
        response: { 200: z.object({ text: z.string() }), ...errorResponses },
      },
    },
    async (request) => ({
      text: consentText(
        'l’aidant que je désigne',
        request.query.scopes ?? [...MANDATE_SCOPES],
        request.query.duration ?? '1_an',
      ),
    }),
  );
}

function registerMandateList(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.get(
    '/api/identity/mandates',
    {
      config: { permission: 'mandate.read' },
      schema: {
        summary: 'Les mandats que j’ai donnés et ceux que j’ai reçus',
        tags,
        response: {
          200: z.object({ given: mandateSchema.array(), received: mandateSchema.array() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = personOf(request);
      const mandates = await listMandatesOf(pool, actor.personId);
      const now = new Date();
      return {
        given: mandates
          .filter((mandate) => mandate.beneficiaryPersonId === actor.personId)
          .map((mandate) => presentMandate(mandate, now)),
        received: mandates
          .filter((mandate) => mandate.aidantPersonId === actor.personId)
          .map((mandate) => presentMandate(mandate, now)),
      };
    },
  );
}

function registerMandateGrant(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.post(
    '/api/identity/mandates',
    {
      config: { permission: 'mandate.grant' },
      schema: {
        summary: 'Donner un mandat à un aidant (consentement explicite, durée fixe)',
        tags,
        body: z.strictObject({
          aidantEmail: emailSchema,
          scopes: scopesSchema,
          duration: durationSchema,
          consent: z.boolean(),
        }),
        response: { 201: mandateSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      if (request.body.consent !== true) throw identityError('consent_required');
      const mandate = await journaledRequest(pool, request, async (client, journal) =>
        accepted(
          await grantMandate(client, journal, {
            beneficiaryPersonId: actor.personId,
            aidantEmail: request.body.aidantEmail,
            scopes: request.body.scopes,
            duration: request.body.duration,
          }),
        ),
      );
      return reply.status(201).send(presentMandate(mandate, new Date()));
    },
  );
}

function registerMandateRevocation(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.post(
    '/api/identity/mandates/:mandateId/revoke',
    {
      config: { permission: 'mandate.revoke' },
      schema: {
        summary: 'Révoquer un mandat donné ou reçu (effet immédiat)',
        tags,
        params: z.strictObject({ mandateId: identifierSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      await journaledRequest(pool, request, async (client, journal) => {
        const revoked = await revokeMandate(client, request.params.mandateId, actor.personId);
        if (revoked === undefined) throw identityError('resource_not_found');
        await journal({
          organisationId: null,
          action: 'mandate.revoke',
          targetType: 'mandate',
          targetId: revoked.id,
          before: { aidantPersonId: revoked.aidantPersonId, scopes: revoked.scopes },
        });
      });
      return reply.status(204).send(null);
    },
  );
}
