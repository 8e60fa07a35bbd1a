import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { storableText } from '../platform/text.js';
import { actorOf, organisationFor, visibleOrganisationIds } from './access.js';
import { isPlatformWide } from './actor.js';
import { identityError } from './errors.js';
import { journalActionLabel } from './journal.js';
import { searchJournal } from './journal-store.js';
import { errorResponses, identifierSchema, journalEntrySchema } from './schemas.js';

// The audit journal, searched by auditors (their organisation) and platform administrators.

const MAX_PAGE = 200;

const searchSchema = z.strictObject({
  organisationId: identifierSchema.optional(),
  personId: identifierSchema.optional(),
  targetType: storableText(60).optional(),
  targetId: storableText(100).optional(),
  action: storableText(80).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  beforeId: identifierSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});

export const journalRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (plugin, { pool }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/identity/journal',
    {
      config: { permission: 'journal.read' },
      schema: {
        summary: 'Chercher dans le journal d’audit (par personne, objet, action et période)',
        description:
          'Sans organisationId, un auditeur voit toutes ses organisations ; un administrateur de la plateforme voit tout. Du plus récent au plus ancien ; nextBeforeId donne la page suivante.',
        tags: ['identité'],
        querystring: searchSchema,
        response: {
          200: z.object({
            entries: journalEntrySchema.array(),
            nextBeforeId: z.number().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const query = request.query;
      if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
        throw identityError('period_invalid');
      }
      let organisationIds = visibleOrganisationIds(actor);
      if (query.organisationId !== undefined) {
        await organisationFor(pool, request, 'journal.read', query.organisationId);
        organisationIds = [query.organisationId];
      } else if (!isPlatformWide(actor) && organisationIds !== null) {
        organisationIds = organisationIds.filter(
          (id) =>
            actor.type === 'personne' && actor.organisationRoles.get(id)?.includes('auditeur'),
        );
      }
      const rows = await searchJournal(pool, { ...query, organisationIds, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        entries: page.map((row) => ({ ...row, actionLabel: journalActionLabel(row.action) })),
        nextBeforeId: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );
};
