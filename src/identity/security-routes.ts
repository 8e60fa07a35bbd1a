import type pg from 'pg';
import { z } from 'zod';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { actorOf, personOf } from './access.js';
import { rolesOf, subjectPersonId } from './actor.js';
import { identityError } from './errors.js';
import { journaledRequest } from './journal.js';
import { newTotpSecret } from './login.js';
import { hashPassword, isAcceptablePassword, verifyPassword } from './passwords.js';
import {
  findPersonById,
  listNotifications,
  updatePersonFields,
  type PersonRecord,
} from './people-store.js';
import { mayUseSecondFactor, ROLE_LABELS, type PersonRole } from './roles.js';
import { displayNameSchema, errorResponses, passwordSchema } from './schemas.js';
import { revokeOtherSessions } from './session-store.js';
import { otpauthUri, verifyTotp } from './totp.js';

// A person's own account: password, second factor, notifications, profile; and `me` for all.

const tags = ['identité'];
const noContent = { 204: z.null(), ...errorResponses };
const codeBody = z.strictObject({ code: z.string().max(10) });

export function registerSecurityRoutes(app: TypedApp, options: { pool: pg.Pool }): void {
  registerPasswordRoute(app, options.pool);
  registerTotpRoutes(app, options.pool);
  registerProfileRoutes(app, options.pool);
}

function registerPasswordRoute(app: TypedApp, pool: pg.Pool): void {
  app.post(
    '/api/identity/password',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Changer mon mot de passe (ferme mes autres sessions)',
        tags,
        body: z.strictObject({ currentPassword: passwordSchema, newPassword: passwordSchema }),
        response: noContent,
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      if (!isAcceptablePassword(request.body.newPassword)) throw identityError('password_rejected');
      const person = await findPersonById(pool, actor.personId);
      if (!(await verifyPassword(person?.passwordHash ?? null, request.body.currentPassword))) {
        throw identityError('current_password_incorrect');
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      await journaledRequest(pool, request, async (client, journal) => {
        await updatePersonFields(client, actor.personId, { passwordHash });
        const closed = await revokeOtherSessions(client, actor.personId, actor.sessionId);
        await journal({
          organisationId: null,
          action: 'password.change',
          targetType: 'person',
          targetId: actor.personId,
          after: { otherSessionsClosed: closed },
        });
      });
      return reply.status(204).send(null);
    },
  );
}

function registerTotpRoutes(app: TypedApp, pool: pg.Pool): void {
  registerTotpSetup(app, pool);
  for (const change of TOTP_CHANGES) registerTotpChange(app, pool, change);
}

const profileSchema = z.object({
  personId: z.number(),
  email: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
});

const phoneSchema = storableText(20).regex(/^\+?[0-9 .-]{6,20}$/, {
  message: 'Numéro de téléphone invalide.',
});

async function readProfile(pool: pg.Pool, personId: number) {
  const person = await findPersonById(pool, personId);
  if (person === undefined) throw identityError('resource_not_found');
  return {
    personId: person.id,
    email: person.email,
    displayName: person.displayName,
    phone: person.phone,
  };
}

function registerProfileRoutes(app: TypedApp, pool: pg.Pool): void {
  registerProfileView(app, pool);
  registerProfileUpdate(app, pool);
  registerNotificationList(app, pool);
  registerMe(app);
}

function registerTotpSetup(app: TypedApp, pool: pg.Pool): void {
  app.post(
    '/api/identity/totp/setup',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Générer un secret de double authentification (à confirmer par un code)',
        tags,
        response: {
          200: z.object({ secret: z.string(), otpauthUri: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = personOf(request);
      if (!mayUseSecondFactor(rolesOf(actor) as PersonRole[])) {
        throw identityError('second_factor_not_offered');
      }
      const person = await findPersonById(pool, actor.personId);
      if (person === undefined) throw identityError('resource_not_found');
      if (person.totpSecret !== null) throw identityError('second_factor_already_enabled');
      const secret = newTotpSecret();
      await journaledRequest(pool, request, async (client, journal) => {
        await updatePersonFields(client, actor.personId, { totpPendingSecret: secret });
        await journal({
          organisationId: null,
          action: 'totp.setup',
          targetType: 'person',
          targetId: actor.personId,
        });
      });
      return { secret, otpauthUri: otpauthUri('Fléchage', person.email, secret) };
    },
  );
}

type TotpChange = {
  path: string;
  summary: string;
  action: 'totp.enable' | 'totp.disable';
  secretOf: (person: PersonRecord) => string | null;
  missing: 'second_factor_not_started' | 'second_factor_not_enabled';
  lastStepOf: (person: PersonRecord) => number | null;
  fieldsAfter: (person: PersonRecord, step: number) => Parameters<typeof updatePersonFields>[2];
};

// Both changes need a valid code: confirming proves the app holds the new secret, disabling
// proves the person still holds the device (a stolen session alone cannot remove the factor).
const TOTP_CHANGES: TotpChange[] = [
  {
    path: '/api/identity/totp/confirm',
    summary: 'Activer la double authentification avec un premier code',
    action: 'totp.enable',
    secretOf: (person) => person.totpPendingSecret,
    missing: 'second_factor_not_started',
    lastStepOf: () => null,
    fieldsAfter: (person, step) => ({
      totpSecret: person.totpPendingSecret,
      totpPendingSecret: null,
      totpLastStep: step,
    }),
  },
  {
    path: '/api/identity/totp/disable',
    summary: 'Désactiver la double authentification (un code valide est exigé)',
    action: 'totp.disable',
    secretOf: (person) => person.totpSecret,
    missing: 'second_factor_not_enabled',
    lastStepOf: (person) => person.totpLastStep,
    fieldsAfter: () => ({ totpSecret: null, totpLastStep: null }),
  },
];

function registerTotpChange(app: TypedApp, pool: pg.Pool, change: TotpChange): void {
  app.post(
    change.path,
    {
      config: { permission: 'authenticated' },
      schema: { summary: change.summary, tags, body: codeBody, response: noContent },
    },
    async (request, reply) => {
      const actor = personOf(request);
      await journaledRequest(pool, request, async (client, journal) => {
        const person = await findPersonById(client, actor.personId, { forUpdate: true });
        const secret = person === undefined ? null : change.secretOf(person);
        if (person === undefined || secret === null) throw identityError(change.missing);
        const now = Date.now() / 1000;
        const check = verifyTotp(secret, request.body.code, now, change.lastStepOf(person));
        if (!check.valid) throw identityError('totp_code_invalid');
        await updatePersonFields(client, actor.personId, change.fieldsAfter(person, check.step));
        await journal({
          organisationId: null,
          action: change.action,
          targetType: 'person',
          targetId: actor.personId,
        });
      });
      return reply.status(204).send(null);
    },
  );
}

function registerProfileView(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/identity/profile',
    {
      config: { permission: 'profile.read' },
      schema: {
        summary: 'Mon profil, ou celui de la personne pour qui j’agis (mandat)',
        tags,
        response: { 200: profileSchema, ...errorResponses },
      },
    },
    async (request) => readProfile(pool, subjectPersonId(personOf(request))),
  );
}

function registerProfileUpdate(app: TypedApp, pool: pg.Pool): void {
  app.patch(
    '/api/identity/profile',
    {
      config: { permission: 'profile.update' },
      schema: {
        summary: 'Modifier mon profil, ou celui de la personne pour qui j’agis (mandat)',
        tags,
        body: z.strictObject({
          displayName: displayNameSchema.optional(),
          phone: phoneSchema.nullable().optional(),
        }),
        response: { 200: profileSchema, ...errorResponses },
      },
    },
    async (request) => {
      const personId = subjectPersonId(personOf(request));
      const before = await readProfile(pool, personId);
      await journaledRequest(pool, request, async (client, journal) => {
        await updatePersonFields(client, personId, request.body);
        await journal({
          organisationId: null,
          action: 'profile.update',
          targetType: 'person',
          targetId: personId,
          before: { displayName: before.displayName, phone: before.phone },
          after: request.body,
        });
      });
      return readProfile(pool, personId);
    },
  );
}

function registerNotificationList(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/identity/notifications',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Mes notifications (rappels de fin de mandat…)',
        tags,
        response: {
          200: z
            .object({
              id: z.number(),
              kind: z.string(),
              subject: z.string(),
              body: z.string(),
              createdAt: z.date(),
              readAt: z.date().nullable(),
            })
            .array(),
          ...errorResponses,
        },
      },
    },
    async (request) => listNotifications(pool, personOf(request).personId),
  );
}

function registerMe(app: TypedApp): void {
  app.get(
    '/api/identity/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Qui appelle : personne, clé d’API ou opérateur, et ses rôles',
        tags,
        response: {
          200: z.object({
            actorType: z.enum(['personne', 'cle_api', 'operateur']),
            personId: z.number().nullable(),
            apiKeyId: z.number().nullable(),
            organisationIds: z.number().array(),
            roles: z.object({ role: z.string(), roleLabel: z.string() }).array(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return {
        actorType: actor.type,
        personId: actor.type === 'personne' ? actor.personId : null,
        apiKeyId: actor.type === 'cle_api' ? actor.apiKeyId : null,
        organisationIds:
          actor.type === 'personne'
            ? [...actor.organisationRoles.keys()]
            : actor.type === 'cle_api'
              ? [actor.organisationId]
              : [],
        roles: rolesOf(actor).map((role) => ({ role, roleLabel: ROLE_LABELS[role] })),
      };
    },
  );
}
