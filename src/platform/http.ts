import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type pg from 'pg';
import type { Configuration } from './config.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  installErrorHandling,
  sendError,
} from './errors.js';
import { migrationStatus, readMigrations } from './migrations.js';
import { metricsRegistry } from './metrics.js';

export type HttpServer = FastifyInstance;

/** A server or plugin scope whose routes take zod schemas. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const API_DOCS_PATH = '/api/docs';

/** The HTTP shell every domain plugs into: limits, errors, OpenAPI, health and metrics. */
export async function createHttpServer(
  configuration: Configuration,
  pool: pg.Pool,
  // Hooks every route must pass through (authentication) go in before the first route.
  beforeRoutes: (app: HttpServer) => Promise<void>,
): Promise<HttpServer> {
  const app = Fastify({
    logger: { level: configuration.LOG_LEVEL },
    bodyLimit: configuration.FLECHAGE_BODY_LIMIT_BYTES,
    // Bounds the time a slow client can hold a connection.
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  keepRawJsonBody(app);
  await beforeRoutes(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'API Fléchage',
        description:
          'L’argent public fléché : le bon montant, au bon destinataire, pour le bon usage.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { operatorToken: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await registerPublicPlugin(app, async (scope) => {
    await scope.register(swaggerUi, { routePrefix: API_DOCS_PATH });
  });
  registerHealthRoutes(app, pool);
  return app;
}

/** Signed requests cover the body's exact bytes, so the JSON parser keeps the text it parsed. */
function keepRawJsonBody(app: HttpServer): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    parseJson(request, body as string, done);
  });
}

/** Routes of plugins we do not own (API docs, static files) are public by registration. */
export async function registerPublicPlugin(
  app: HttpServer,
  register: (scope: HttpServer) => Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, permission: 'public' };
    });
    await register(scope);
  });
}

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'unreachable']),
  migrations: z.object({
    current: z.boolean(),
    applied: z.number().int(),
    expected: z.number().int(),
  }),
});

function registerHealthRoutes(app: HttpServer, pool: pg.Pool): void {
  // Read once: the migration files cannot change under a running process.
  const expectedMigrations = readMigrations().length;
  app.get(
    '/health',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'État du service : base joignable et migrations à jour',
        tags: ['plateforme'],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      try {
        const migrations = await migrationStatus(pool, expectedMigrations);
        const status = migrations.current ? 'ok' : 'degraded';
        return reply
          .status(migrations.current ? 200 : 503)
          .send({ status, database: 'ok', migrations });
      } catch {
        return reply.status(503).send({
          status: 'degraded',
          database: 'unreachable',
          migrations: { current: false, applied: 0, expected: 0 },
        });
      }
    },
  );
  app.get(
    '/metrics',
    { config: { permission: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      const body = await metricsRegistry.metrics();
      return reply.type(metricsRegistry.contentType).send(body);
    },
  );
  app.get(
    '/api/openapi.json',
    { config: { permission: 'public' }, schema: { hide: true } },
    async () => app.swagger(),
  );
}

/** Pages of the web app answer reads of unknown addresses; everything else is a JSON 404. */
export type WebAppFallback = {
  servesPath: (url: string) => boolean;
  sendPage: (reply: FastifyReply) => unknown;
};

export function installNotFound(app: HttpServer, webApp?: WebAppFallback): void {
  app.setNotFoundHandler((request, reply) => {
    const readsAPage = request.method === 'GET' || request.method === 'HEAD';
    if (readsAPage && webApp?.servesPath(request.url) === true) return webApp.sendPage(reply);
    return sendError(reply, 'not_found');
  });
}
