import type pg from 'pg';
import type { MachineRole } from './roles.js';

// SQL of API keys and the nonces of signed requests.

export type ApiKeyRecord = {
  id: number;
  keyId: string;
  organisationId: number;
  role: MachineRole;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const API_KEY_COLUMNS = `id, key_id as "keyId", organisation_id as "organisationId", role, label,
  created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt",
  last_used_at as "lastUsedAt"`;

export async function insertApiKey(
  client: pg.ClientBase,
  key: {
    keyId: string;
    organisationId: number;
    role: MachineRole;
    label: string;
    signingKey: Buffer;
    createdByPersonId: number | null;
  },
): Promise<ApiKeyRecord> {
  const result = await client.query<ApiKeyRecord>(
    `insert into api_keys (key_id, organisation_id, role, label, signing_key, created_by_person_id)
     values ($1, $2, $3, $4, $5, $6) returning ${API_KEY_COLUMNS}`,
    [key.keyId, key.organisationId, key.role, key.label, key.signingKey, key.createdByPersonId],
  );
  return result.rows[0] as ApiKeyRecord;
}

export async function listApiKeys(pool: pg.Pool, organisationId: number): Promise<ApiKeyRecord[]> {
  const result = await pool.query<ApiKeyRecord>(
    `select ${API_KEY_COLUMNS} from api_keys where organisation_id = $1 order by id desc limit 500`,
    [organisationId],
  );
  return result.rows;
}

/** A key of this organisation that still works, locked for rotation or revocation. */
export async function findUsableApiKeyForUpdate(
  client: pg.ClientBase,
  organisationId: number,
  apiKeyId: number,
): Promise<ApiKeyRecord | undefined> {
  const result = await client.query<ApiKeyRecord>(
    `select ${API_KEY_COLUMNS} from api_keys
      where id = $1 and organisation_id = $2 and revoked_at is null
        and (expires_at is null or expires_at > now())
      for update`,
    [apiKeyId, organisationId],
  );
  return result.rows[0];
}

export async function revokeApiKey(client: pg.ClientBase, apiKeyId: number): Promise<void> {
  await client.query('update api_keys set revoked_at = now() where id = $1', [apiKeyId]);
}

export async function scheduleApiKeyExpiry(
  client: pg.ClientBase,
  apiKeyId: number,
  graceHours: number,
  replacedById: number,
): Promise<Date> {
  const result = await client.query<{ expiresAt: Date }>(
    `update api_keys set expires_at = now() + make_interval(hours => $2), replaced_by_id = $3
      where id = $1 returning expires_at as "expiresAt"`,
    [apiKeyId, graceHours, replacedById],
  );
  return (result.rows[0] as { expiresAt: Date }).expiresAt;
}

/** The key that signs requests, read on every request: revocation takes effect at once. */
export async function findUsableSigningKey(
  pool: pg.Pool,
  keyId: string,
): Promise<
  { id: number; organisationId: number; role: MachineRole; signingKey: Buffer } | undefined
> {
  const result = await pool.query<{
    id: number;
    organisationId: number;
    role: MachineRole;
    signingKey: Buffer;
  }>(
    `select id, organisation_id as "organisationId", role, signing_key as "signingKey"
       from api_keys
      where key_id = $1 and revoked_at is null and (expires_at is null or expires_at > now())`,
    [keyId],
  );
  return result.rows[0];
}

/**
 * Records a nonce; answers false when this key already used it (a replay). The same statement
 * notes the key's last use, at most once a minute so that a busy terminal does not rewrite it.
 */
export async function claimNonce(pool: pg.Pool, apiKeyId: number, nonce: string): Promise<boolean> {
  const result = await pool.query<{ claimed: number }>(
    `with claimed as (
       insert into api_key_nonces (api_key_id, nonce) values ($1, $2)
       on conflict do nothing returning api_key_id),
     touched as (
       update api_keys set last_used_at = now()
        where id = $1 and exists (select 1 from claimed)
          and (last_used_at is null or last_used_at < now() - interval '1 minute')
       returning id)
     select count(*)::int as claimed from claimed`,
    [apiKeyId, nonce],
  );
  return result.rows[0]?.claimed === 1;
}

export async function purgeOldNonces(pool: pg.Pool, retentionSeconds: number): Promise<number> {
  const result = await pool.query(
    'delete from api_key_nonces where seen_at < now() - make_interval(secs => $1)',
    [retentionSeconds],
  );
  return result.rowCount ?? 0;
}
