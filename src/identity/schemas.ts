import { z } from 'zod';
import { errorSchema } from '../platform/errors.js';
import { storableText } from '../platform/text.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';
import { MANDATE_SCOPES } from './permissions.js';
import { MACHINE_ROLES, PERSON_ROLES } from './roles.js';

// The shapes of the identity domain's HTTP API: types, validation and OpenAPI in one place.

export const identifierSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email({ message: 'Adresse électronique invalide.' }));

export const passwordSchema = z.string().min(1).max(MAX_PASSWORD_LENGTH);
export const displayNameSchema = storableText(120).trim().min(1);

export const organisationParamsSchema = z.strictObject({ organisationId: identifierSchema });

export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  429: errorSchema,
};

export const organisationSchema = z.object({
  id: z.number(),
  kind: z.string(),
  kindLabel: z.string(),
  name: z.string(),
  siren: z.string().nullable(),
  siret: z.string().nullable(),
  parentId: z.number().nullable(),
});

export const membershipViewSchema = z.object({
  id: z.number(),
  organisationId: z.number().nullable(),
  organisationName: z.string().nullable(),
  organisationKind: z.string().nullable(),
  role: z.enum(PERSON_ROLES),
  roleLabel: z.string(),
});

export const memberSchema = z.object({
  membershipId: z.number(),
  personId: z.number(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(PERSON_ROLES),
  roleLabel: z.string(),
  createdAt: z.date(),
});

export const invitationSchema = z.object({
  id: z.number(),
  email: z.string(),
  role: z.enum(PERSON_ROLES),
  roleLabel: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  acceptedAt: z.date().nullable(),
  cancelledAt: z.date().nullable(),
});

export const apiKeySchema = z.object({
  id: z.number(),
  keyId: z.string(),
  label: z.string(),
  role: z.enum(MACHINE_ROLES),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
});

export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe('Affiché une seule fois : la plateforme n’en garde que l’empreinte'),
});

export const mandateSchema = z.object({
  id: z.number(),
  beneficiary: z.object({ personId: z.number(), displayName: z.string() }),
  aidant: z.object({ personId: z.number(), displayName: z.string(), email: z.string() }),
  scopes: z.array(z.enum(MANDATE_SCOPES)),
  duration: z.enum(['1_jour', '1_mois', '6_mois', '1_an']),
  startsAt: z.date(),
  endsAt: z.date(),
  revokedAt: z.date().nullable(),
  status: z.enum(['actif', 'expire', 'revoque']),
});

export const journalEntrySchema = z.object({
  id: z.number(),
  occurredAt: z.date(),
  actorType: z.enum(['personne', 'cle_api', 'operateur', 'systeme']),
  actorPersonId: z.number().nullable(),
  actorDisplayName: z.string().nullable(),
  actorApiKeyId: z.number().nullable(),
  onBehalfOfPersonId: z.number().nullable(),
  onBehalfOfDisplayName: z.string().nullable(),
  organisationId: z.number().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});

export const personRoleSchema = z.enum(PERSON_ROLES);
export const machineRoleSchema = z.enum(MACHINE_ROLES);
