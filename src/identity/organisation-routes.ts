import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { HttpError } from '../platform/errors.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { actorOf, organisationOfRoute, visibleOrganisationIds } from './access.js';
import { identityError } from './errors.js';
import { journaledRequest } from './journal.js';
import { ORGANISATION_KINDS, ORGANISATION_REFUSALS } from './organisations.js';
import { accepted, acceptInvitation, createInvitation, invitationTokenHash } from './people.js';
import { endMembership, listMembers } from './people-store.js';
import {
  cancelInvitation,
  findOpenInvitationByToken,
  listInvitations,
} from './invitation-store.js';
import { ROLE_LABELS } from './roles.js';
import {
  displayNameSchema,
  emailSchema,
  errorResponses,
  identifierSchema,
  invitationSchema,
  memberSchema,
  organisationParamsSchema,
  organisationSchema,
  passwordSchema,
  personRoleSchema,
} from './schemas.js';
import { createOrganisation, presentOrganisation } from './service.js';
import { listOrganisationsInScope, listServices } from './store.js';

// Organisations, their services, members and invitations.

export type OrganisationRoutesOptions = { pool: pg.Pool; publicUrl: string | undefined };

const tags = ['identité'];
const invitationTokenSchema = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

const createOrganisationBody = z.strictObject({
  kind: z.enum(ORGANISATION_KINDS),
  name: storableText(200),
  siren: z.string().max(20).optional(),
  siret: z.string().max(20).optional(),
  parentId: identifierSchema.optional(),
});

function refusedOrganisation(refusal: keyof typeof ORGANISATION_REFUSALS): HttpError {
  const status = refusal === 'siret_already_registered' ? 409 : 422;
  return new HttpError(status, refusal, ORGANISATION_REFUSALS[refusal]);
}

export const organisationRoutes: FastifyPluginAsync<OrganisationRoutesOptions> = async (
  plugin,
  options,
) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerMemberRoutes(app, options);
  registerInvitationRoutes(app, options);
  registerOrganisationList(app, options);
  registerOrganisationCreation(app, options);
  registerOrganisationView(app, options);
  registerServiceCreation(app, options);
};

function registerMemberRoutes(app: TypedApp, { pool }: OrganisationRoutesOptions): void {
  app.get(
    '/api/identity/organisations/:organisationId/members',
    {
      config: { permission: 'member.read' },
      schema: {
        summary: 'Les membres d’une organisation et leurs rôles',
        tags,
        params: organisationParamsSchema,
        response: { 200: memberSchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const organisation = await organisationOfRoute(pool, request, 'member.read');
      const members = await listMembers(pool, organisation.id);
      return members.map((member) => ({ ...member, roleLabel: ROLE_LABELS[member.role] }));
    },
  );

  app.delete(
    '/api/identity/organisations/:organisationId/members/:membershipId',
    {
      config: { permission: 'member.manage' },
      schema: {
        summary: 'Retirer un rôle à un membre (effet immédiat)',
        tags,
        params: organisationParamsSchema.extend({ membershipId: identifierSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'member.manage');
      await journaledRequest(pool, request, async (client, journal) => {
        const ended = await endMembership(client, organisation.id, request.params.membershipId);
        if (ended === undefined) throw identityError('resource_not_found');
        await journal({
          organisationId: organisation.id,
          action: 'membership.end',
          targetType: 'membership',
          targetId: ended.membershipId,
          before: { personId: ended.personId, role: ended.role },
        });
      });
      return reply.status(204).send(null);
    },
  );
}

function registerInvitationRoutes(app: TypedApp, options: OrganisationRoutesOptions): void {
  registerInvitationAcceptance(app, options);
  registerInvitationList(app, options);
  registerInvitationCreation(app, options);
  registerInvitationCancellation(app, options);
}

function personOrNull(request: FastifyRequest): number | null {
  const actor = actorOf(request);
  return actor.type === 'personne' ? actor.personId : null;
}

function registerInvitationAcceptance(app: TypedApp, { pool }: OrganisationRoutesOptions): void {
  app.get(
    '/api/identity/invitations/:token',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Lire une invitation ouverte (avant de l’accepter)',
        tags,
        params: invitationTokenSchema,
        response: {
          200: z.object({
            organisationName: z.string(),
            role: personRoleSchema,
            roleLabel: z.string(),
            email: z.string(),
            expiresAt: z.date(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const invitation = await findOpenInvitationByToken(
        pool,
        invitationTokenHash(request.params.token),
      );
      if (invitation === undefined) throw identityError('invitation_invalid');
      return {
        organisationName: invitation.organisationName,
        role: invitation.role,
        roleLabel: ROLE_LABELS[invitation.role],
        email: invitation.email,
        expiresAt: invitation.expiresAt,
      };
    },
  );

  app.post(
    '/api/identity/invitations/:token/accept',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Accepter une invitation : crée le compte avec le mot de passe choisi',
        tags,
        params: invitationTokenSchema,
        body: z.strictObject({ displayName: displayNameSchema, password: passwordSchema }),
        response: { 201: z.object({ personId: z.number() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await journaledRequest(pool, request, async (client, journal) =>
        accepted(await acceptInvitation(client, journal, request.params.token, request.body)),
      );
      return reply.status(201).send({ personId: result.personId });
    },
  );
}

function registerOrganisationList(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.get(
    '/api/identity/organisations',
    {
      config: { permission: 'organisation.read' },
      schema: {
        summary: 'Les organisations visibles par l’appelant',
        tags,
        response: { 200: organisationSchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const organisations = await listOrganisationsInScope(
        pool,
        visibleOrganisationIds(actorOf(request)),
      );
      return organisations.map(presentOrganisation);
    },
  );
}

function registerOrganisationCreation(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/organisations',
    {
      config: { permission: 'organisation.create' },
      schema: {
        summary: 'Créer une organisation (administration de la plateforme)',
        tags,
        body: createOrganisationBody,
        response: { 201: organisationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await journaledRequest(pool, request, async (client, journal) => {
        const created = await createOrganisation(client, journal, request.body);
        if (!created.created) throw refusedOrganisation(created.refusal);
        return created.organisation;
      });
      return reply.status(201).send(presentOrganisation(result));
    },
  );
}

function registerOrganisationView(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.get(
    '/api/identity/organisations/:organisationId',
    {
      config: { permission: 'organisation.read' },
      schema: {
        summary: 'Une organisation et ses services',
        tags,
        params: organisationParamsSchema,
        response: {
          200: organisationSchema.extend({ services: organisationSchema.array() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const organisation = await organisationOfRoute(pool, request, 'organisation.read');
      const services = await listServices(pool, organisation.id);
      return { ...presentOrganisation(organisation), services: services.map(presentOrganisation) };
    },
  );
}

function registerServiceCreation(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/organisations/:organisationId/services',
    {
      config: { permission: 'service.create' },
      schema: {
        summary: 'Créer un service sous un financeur',
        tags,
        params: organisationParamsSchema,
        body: z.strictObject({ name: storableText(200), siret: z.string().max(20).optional() }),
        response: { 201: organisationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const parent = await organisationOfRoute(pool, request, 'service.create');
      const service = await journaledRequest(pool, request, async (client, journal) => {
        const created = await createOrganisation(client, journal, {
          kind: 'service',
          name: request.body.name,
          parentId: parent.id,
          ...(request.body.siret === undefined ? {} : { siret: request.body.siret }),
        });
        if (!created.created) throw refusedOrganisation(created.refusal);
        return created.organisation;
      });
      return reply.status(201).send(presentOrganisation(service));
    },
  );
}

function registerInvitationList(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.get(
    '/api/identity/organisations/:organisationId/invitations',
    {
      config: { permission: 'member.read' },
      schema: {
        summary: 'Les invitations d’une organisation',
        tags,
        params: organisationParamsSchema,
        response: { 200: invitationSchema.array(), ...errorResponses },
      },
    },
    async (request) => {
      const organisation = await organisationOfRoute(pool, request, 'member.read');
      const invitations = await listInvitations(pool, organisation.id);
      return invitations.map((invitation) => ({
        ...invitation,
        roleLabel: ROLE_LABELS[invitation.role],
      }));
    },
  );
}

function registerInvitationCreation(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.post(
    '/api/identity/organisations/:organisationId/invitations',
    {
      config: { permission: 'member.manage' },
      schema: {
        summary: 'Inviter une personne avec un rôle (lien valable 7 jours, à transmettre)',
        tags,
        params: organisationParamsSchema,
        body: z.strictObject({ email: emailSchema, role: personRoleSchema }),
        response: {
          201: z.object({
            id: z.number(),
            email: z.string(),
            role: personRoleSchema,
            expiresAt: z.date(),
            acceptUrl: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'member.manage');
      const actor = personOrNull(request);
      const invitation = await journaledRequest(pool, request, async (client, journal) =>
        accepted(
          await createInvitation(client, journal, {
            organisationId: organisation.id,
            organisationKind: organisation.kind,
            email: request.body.email,
            role: request.body.role,
            invitedByPersonId: actor,
          }),
        ),
      );
      const path = `/invitation/${invitation.token}`;
      return reply.status(201).send({
        id: invitation.id,
        email: request.body.email,
        role: request.body.role,
        expiresAt: invitation.expiresAt,
        acceptUrl: options.publicUrl === undefined ? path : new URL(path, options.publicUrl).href,
      });
    },
  );
}

function registerInvitationCancellation(app: TypedApp, options: OrganisationRoutesOptions): void {
  const { pool } = options;
  app.delete(
    '/api/identity/organisations/:organisationId/invitations/:invitationId',
    {
      config: { permission: 'member.manage' },
      schema: {
        summary: 'Annuler une invitation',
        tags,
        params: organisationParamsSchema.extend({ invitationId: identifierSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const organisation = await organisationOfRoute(pool, request, 'member.manage');
      await journaledRequest(pool, request, async (client, journal) => {
        const cancelled = await cancelInvitation(
          client,
          organisation.id,
          request.params.invitationId,
        );
        if (!cancelled) throw identityError('resource_not_found');
        await journal({
          organisationId: organisation.id,
          action: 'invitation.cancel',
          targetType: 'invitation',
          targetId: request.params.invitationId,
        });
      });
      return reply.status(204).send(null);
    },
  );
}
