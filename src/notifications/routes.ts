import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { identityError } from '../identity/errors.js';
import { errorResponses, identifierSchema } from '../identity/schemas.js';
import { HttpError } from '../platform/errors.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import {
  earliestDueAt,
  findCaughtMessage,
  insertCaughtMessage,
  listCaughtMessages,
  outboxCounts,
} from './message-store.js';

// Notifications over HTTP: the fake SMS provider of the embedded default (it records what it is
// asked to send), and the back-office's view of caught messages and of the outbox.

export type NotificationRoutesOptions = { pool: pg.Pool; smsToken: string };

export const MAX_MESSAGES_PAGE = 100;
export const MAX_SMS_TEXT_LENGTH = 1_000;
const tags = ['notifications'];

const NOTIFICATION_ERRORS = {
  sms_token_invalid: { status: 401, message: 'Jeton du fournisseur SMS absent ou invalide.' },
} as const;

function notificationError(code: keyof typeof NOTIFICATION_ERRORS): HttpError {
  const known = NOTIFICATION_ERRORS[code];
  return new HttpError(known.status, code, known.message);
}

const channelSchema = z.enum(['email', 'sms']);

const messageSummarySchema = z.object({
  id: z.number(),
  channel: channelSchema,
  outboxId: z.number().nullable(),
  recipient: z.string(),
  subject: z.string().nullable(),
  receivedAt: z.date(),
});

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function checkBearer(request: FastifyRequest, expectedDigest: Buffer): void {
  const header = request.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!timingSafeEqual(digest(presented), expectedDigest))
    throw notificationError('sms_token_invalid');
}

export const notificationRoutes: FastifyPluginAsync<NotificationRoutesOptions> = async (
  plugin,
  options,
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerFakeSmsProvider(app, options);
  registerMessageList(app, options);
  registerMessageView(app, options);
  registerOutboxSummary(app, options);
};

function registerFakeSmsProvider(app: TypedApp, { pool, smsToken }: NotificationRoutesOptions) {
  const tokenDigest = digest(smsToken);
  app.post(
    '/api/fake-sms/messages',
    {
      // Anyone may knock; only the bearer of this process's SMS token is heard.
      config: { permission: 'public' },
      schema: {
        summary: 'Fournisseur SMS factice : enregistre le SMS au lieu de l’envoyer',
        description:
          'Utilisé quand FLECHAGE_SMS_URL n’est pas défini. Exige `Authorization: Bearer <FLECHAGE_SMS_TOKEN>`. `reference` porte l’identifiant de la notification : un même SMS reçu deux fois n’est gardé qu’une fois.',
        tags,
        body: z.strictObject({
          to: z.string().regex(/^\+?[0-9 .-]{6,20}$/),
          text: storableText(MAX_SMS_TEXT_LENGTH).min(1),
          reference: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        }),
        response: { 202: z.object({ accepted: z.literal(true) }), ...errorResponses },
      },
      onRequest: async (request) => checkBearer(request, tokenDigest),
    },
    async (request, reply) => {
      const { to, text, reference } = request.body;
      await insertCaughtMessage(pool, {
        channel: 'sms',
        outboxId: /^[1-9][0-9]{0,15}$/.test(reference) ? Number(reference) : null,
        recipient: to,
        subject: null,
        body: text,
      });
      return reply.status(202).send({ accepted: true });
    },
  );
}

function registerMessageList(app: TypedApp, { pool }: NotificationRoutesOptions) {
  app.get(
    '/api/messages',
    {
      config: { permission: 'message.read' },
      schema: {
        summary: 'Les messages reçus par le collecteur local (courriels, SMS), du plus récent',
        tags,
        querystring: z.strictObject({
          channel: channelSchema.optional(),
          recipient: storableText(254).trim().toLowerCase().optional(),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(MAX_MESSAGES_PAGE).default(50),
        }),
        response: {
          200: z.object({ messages: messageSummarySchema.array(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { recipient, ...filter } = request.query;
      return listCaughtMessages(pool, { ...filter, recipient: recipient || undefined });
    },
  );
}

function registerMessageView(app: TypedApp, { pool }: NotificationRoutesOptions) {
  app.get(
    '/api/messages/:messageId',
    {
      config: { permission: 'message.read' },
      schema: {
        summary: 'Un message reçu par le collecteur local, avec son texte',
        tags,
        params: z.strictObject({ messageId: identifierSchema }),
        response: {
          200: z.object({ message: messageSummarySchema.extend({ body: z.string() }) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const message = await findCaughtMessage(pool, request.params.messageId);
      if (message === undefined) throw identityError('resource_not_found');
      return { message };
    },
  );
}

function registerOutboxSummary(app: TypedApp, { pool }: NotificationRoutesOptions) {
  app.get(
    '/api/notifications/outbox/summary',
    {
      config: { permission: 'message.read' },
      schema: {
        summary: 'La file d’envoi des notifications : nombre par canal et par état',
        description:
          'earliestDueAt : l’échéance la plus ancienne parmi les notifications en attente ; loin dans le passé, la distribution prend du retard.',
        tags,
        response: {
          200: z.object({
            counts: z
              .object({
                channel: z.enum(['email', 'sms', 'in_app']),
                status: z.enum(['pending', 'sent', 'failed']),
                count: z.number(),
              })
              .array(),
            earliestDueAt: z.date().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const [counts, earliest] = await Promise.all([outboxCounts(pool), earliestDueAt(pool)]);
      return { counts, earliestDueAt: earliest };
    },
  );
}
