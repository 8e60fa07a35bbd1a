import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  insertApiKey,
  scheduleApiKeyExpiry,
  revokeApiKey,
  findUsableApiKeyForUpdate,
  type ApiKeyRecord,
} from './api-key-store.js';
import type { Refused } from './people.js';
import type { Journal } from './journal.js';
import type { OrganisationKind } from './organisations.js';
import { signingKeyOf } from './request-signature.js';
import { machineOrganisationKindsFor, type MachineRole } from './roles.js';

// API keys of machines: the secret is shown once; rotation keeps the old key working for a
// day so that terminals can be updated one by one; revocation is immediate.

export const ROTATION_GRACE_HOURS = 24;

export type CreatedApiKey = ApiKeyRecord & { secret: string };

export async function createApiKey(
  client: pg.ClientBase,
  journal: Journal,
  key: {
    organisationId: number;
    organisationKind: OrganisationKind;
    role: MachineRole;
    label: string;
    createdByPersonId: number | null;
  },
): Promise<CreatedApiKey | Refused> {
  if (!machineOrganisationKindsFor(key.role).includes(key.organisationKind)) {
    return { refused: 'role_not_valid_here' };
  }
  const keyId = `fk_${randomBytes(18).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const record = await insertApiKey(client, { ...key, keyId, signingKey: signingKeyOf(secret) });
  await journal({
    organisationId: key.organisationId,
    action: 'api_key.create',
    targetType: 'api_key',
    targetId: record.id,
    after: { keyId, label: key.label, role: key.role },
  });
  return { ...record, secret };
}

export async function rotateApiKey(
  client: pg.ClientBase,
  journal: Journal,
  rotation: {
    organisationId: number;
    organisationKind: OrganisationKind;
    apiKeyId: number;
    createdByPersonId: number | null;
  },
): Promise<CreatedApiKey | Refused> {
  const old = await findUsableApiKeyForUpdate(client, rotation.organisationId, rotation.apiKeyId);
  if (old === undefined) return { refused: 'resource_not_found' };
  const replacement = await createApiKey(client, journal, {
    organisationId: rotation.organisationId,
    organisationKind: rotation.organisationKind,
    role: old.role,
    label: old.label,
    createdByPersonId: rotation.createdByPersonId,
  });
  if ('refused' in replacement) return replacement;
  const expiresAt = await scheduleApiKeyExpiry(
    client,
    old.id,
    ROTATION_GRACE_HOURS,
    replacement.id,
  );
  await journal({
    organisationId: rotation.organisationId,
    action: 'api_key.rotate',
    targetType: 'api_key',
    targetId: old.id,
    after: { replacedBy: replacement.keyId, oldKeyExpiresAt: expiresAt.toISOString() },
  });
  return replacement;
}

export async function revokeApiKeyOf(
  client: pg.ClientBase,
  journal: Journal,
  revocation: { organisationId: number; apiKeyId: number },
): Promise<true | Refused> {
  const key = await findUsableApiKeyForUpdate(
    client,
    revocation.organisationId,
    revocation.apiKeyId,
  );
  if (key === undefined) return { refused: 'resource_not_found' };
  await revokeApiKey(client, key.id);
  await journal({
    organisationId: revocation.organisationId,
    action: 'api_key.revoke',
    targetType: 'api_key',
    targetId: key.id,
    before: { keyId: key.keyId, label: key.label },
  });
  return true;
}
