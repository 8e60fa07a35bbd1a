import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { actorOf, organisationOfRoute } from './access.js';
import { createApiKey, revokeApiKeyOf, rotateApiKey, type CreatedApiKey } from './api-keys.js';
import { listApiKeys } from './api-key-store.js';
import { journaledRequest } from './journal.js';
import { accepted } from './people.js';
import {
  apiKeySchema,
  createdApiKeySchema,
  errorResponses,
  identifierSchema,
  machineRoleSchema,
  organisationParamsSchema,
} from './schemas.js';

// API keys of an organisation's machines, managed by its owner.

const tags = ['identité'];
const keyParamsSchema = organisationParamsSchema.extend({ apiKeyId: identifierSchema });

function presentCreated(key: CreatedApiKey) {
  return {
    id: key.id,
    keyId: key.keyId,
    label: key.label,
    role: key.role,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    secret: key.secret,
  };
}

function creatorOf(request: FastifyRequest): number | null {
  const actor = actorOf(request);
  return actor.type === 'personne' ? actor.personId : null;
}

export const apiKeyRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (plugin, options) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();

  registerApiKeyList(app, options);
  registerApiKeyCreation(app, options);
  registerApiKeyRotation(app, options);
  registerApiKeyRevocation(app, options);
};

function registerApiKeyList(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.get(
    '/api/identity/organisations/:organisationId/api-keys',
    {
      config: { permission: 'api_key.read' },
      schema: {
        summary: 'Les clés d’API de l’organisation (sans leurs secrets)',
        tags,
        params: organisationParamsSchema,
        response: { 200: apiKeySchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const organisation = await organisationOfRoute(pool, request, 'api_key.read');
      return listApiKeys(pool, organisation.id);
    },
  );
}

function registerApiKeyCreation(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.post(
    '/api/identity/organisations/:organisationId/api-keys',
    {
      config: { permission: 'api_key.manage' },
      schema: {
        summary: 'Créer une clé d’API : son secret est affiché cette fois seulement',
        tags,
        params: organisationParamsSchema,
        body: z.strictObject({ label: storableText(100).trim().min(1), role: machineRoleSchema }),
        response: { 201: createdApiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'api_key.manage');
      const created = await journaledRequest(pool, request, async (client, journal) =>
        accepted(
          await createApiKey(client, journal, {
            organisationId: organisation.id,
            organisationKind: organisation.kind,
            role: request.body.role,
            label: request.body.label,
            createdByPersonId: creatorOf(request),
          }),
        ),
      );
      return reply.status(201).send(presentCreated(created));
    },
  );
}

function registerApiKeyRotation(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.post(
    '/api/identity/organisations/:organisationId/api-keys/:apiKeyId/rotate',
    {
      config: { permission: 'api_key.manage' },
      schema: {
        summary: 'Renouveler une clé : nouvelle clé tout de suite, l’ancienne vit encore 24 h',
        tags,
        params: keyParamsSchema,
        response: { 201: createdApiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'api_key.manage');
      const created = await journaledRequest(pool, request, async (client, journal) =>
        accepted(
          await rotateApiKey(client, journal, {
            organisationId: organisation.id,
            organisationKind: organisation.kind,
            apiKeyId: request.params.apiKeyId,
            createdByPersonId: creatorOf(request),
          }),
        ),
      );
      return reply.status(201).send(presentCreated(created));
    },
  );
}

function registerApiKeyRevocation(app: TypedApp, { pool }: { pool: pg.Pool }): void {
  app.post(
    '/api/identity/organisations/:organisationId/api-keys/:apiKeyId/revoke',
    {
      config: { permission: 'api_key.manage' },
      schema: {
        summary: 'Révoquer une clé (effet immédiat)',
        tags,
        params: keyParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'api_key.manage');
      await journaledRequest(pool, request, async (client, journal) =>
        accepted(
          await revokeApiKeyOf(client, journal, {
            organisationId: organisation.id,
            apiKeyId: request.params.apiKeyId,
          }),
        ),
      );
      return reply.status(204).send(null);
    },
  );
}
