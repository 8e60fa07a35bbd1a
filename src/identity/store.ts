import type pg from 'pg';
import type { OrganisationKind, ValidOrganisation } from './organisations.js';

// SQL of the identity domain, and only here.

export type OrganisationRow = ValidOrganisation & { id: number; createdAt: Date };

type OrganisationRecord = {
  id: number;
  kind: OrganisationKind;
  name: string;
  siren: string | null;
  siret: string | null;
  parent_id: number | null;
  created_at: Date;
};

function toOrganisationRow(record: OrganisationRecord): OrganisationRow {
  return {
    id: record.id,
    kind: record.kind,
    name: record.name,
    siren: record.siren,
    siret: record.siret,
    parentId: record.parent_id,
    createdAt: record.created_at,
  };
}

export async function findOrganisation(
  pool: pg.Pool | pg.ClientBase,
  organisationId: number,
): Promise<OrganisationRow | undefined> {
  const result = await pool.query<OrganisationRecord>('select * from organisations where id = $1', [
    organisationId,
  ]);
  const record = result.rows[0];
  return record === undefined ? undefined : toOrganisationRow(record);
}

/** Inserts, or answers undefined when the SIRET is already registered (unique index). */
export async function insertOrganisation(
  pool: pg.Pool | pg.ClientBase,
  organisation: ValidOrganisation,
): Promise<OrganisationRow | undefined> {
  const result = await pool.query<OrganisationRecord>(
    `insert into organisations (kind, name, siren, siret, parent_id) values ($1, $2, $3, $4, $5)
     on conflict (siret) do nothing returning *`,
    [
      organisation.kind,
      organisation.name,
      organisation.siren,
      organisation.siret,
      organisation.parentId,
    ],
  );
  const record = result.rows[0];
  return record === undefined ? undefined : toOrganisationRow(record);
}

/**
 * The organisations a caller may see: `visibleIds` null means all of them (platform
 * administrators). Every read of another domain's organisation goes through this filter.
 */
export async function listOrganisationsInScope(
  pool: pg.Pool,
  visibleIds: number[] | null,
): Promise<OrganisationRow[]> {
  const result = await pool.query<OrganisationRecord>(
    `select * from organisations where $1::bigint[] is null or id = any($1)
      order by name, id limit 1000`,
    [visibleIds],
  );
  return result.rows.map(toOrganisationRow);
}

export async function findOrganisationInScope(
  pool: pg.Pool | pg.ClientBase,
  visibleIds: number[] | null,
  organisationId: number,
): Promise<OrganisationRow | undefined> {
  const result = await pool.query<OrganisationRecord>(
    `select * from organisations where id = $2 and ($1::bigint[] is null or id = any($1))`,
    [visibleIds, organisationId],
  );
  const record = result.rows[0];
  return record === undefined ? undefined : toOrganisationRow(record);
}

export async function listServices(pool: pg.Pool, parentId: number): Promise<OrganisationRow[]> {
  const result = await pool.query<OrganisationRecord>(
    'select * from organisations where parent_id = $1 order by name, id limit 1000',
    [parentId],
  );
  return result.rows.map(toOrganisationRow);
}
