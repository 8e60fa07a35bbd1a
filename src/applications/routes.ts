import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Ledger } from '../ledger/service.js';
import { documentUploadRoutes } from './document-routes.js';
import { registerInstructionRoutes } from './instruction-routes.js';
import { registerApplicantRoutes } from './me-routes.js';

// Individual applications over HTTP: the applicant's side under /api/me/applications, the
// case worker's under /api/applications.

export type ApplicationRoutesOptions = { pool: pg.Pool; ledger: Ledger };

export const applicationRoutes: FastifyPluginAsync<ApplicationRoutesOptions> = async (
  plugin,
  { pool, ledger },
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerApplicantRoutes(app, pool);
  registerInstructionRoutes(app, pool, ledger);
  await app.register(documentUploadRoutes, { pool });
};
