import type pg from 'pg';

// SQL of programmes and their rule versions, and only here. Reserves are ledger accounts.

export type ProgrammeRecord = {
  id: number;
  fundId: number;
  axisId: number;
  organisationId: number;
  name: string;
  description: string;
  templateId: string | null;
  publishedVersion: number | null;
  createdAt: Date;
  reserves: { contributorId: number; accountId: number }[];
  versions: { version: number; createdAt: Date; createdByPersonId: number | null }[];
};

const PROGRAMME_SELECT = `select p.id, p.fund_id as "fundId", p.axis_id as "axisId",
  p.organisation_id as "organisationId", p.name, p.description, p.template_id as "templateId",
  p.published_version as "publishedVersion", p.created_at as "createdAt",
  (select coalesce(json_agg(json_build_object('contributorId', r.contributor_id,
                                              'accountId', r.account_id) order by r.contributor_id), '[]')
     from programme_reserve_accounts r where r.programme_id = p.id) as reserves,
  (select coalesce(json_agg(json_build_object('version', v.version, 'createdAt', v.created_at,
                                              'createdByPersonId', v.created_by_person_id)
                            order by v.version), '[]')
     from programme_rule_versions v where v.programme_id = p.id) as versions
  from programmes p`;

export async function findProgrammeInScope(
  pool: pg.Pool | pg.ClientBase,
  visibleIds: number[] | null,
  programmeId: number,
): Promise<ProgrammeRecord | undefined> {
  const result = await pool.query<ProgrammeRecord>(
    `${PROGRAMME_SELECT} where p.id = $2 and ($1::bigint[] is null or p.organisation_id = any($1))`,
    [visibleIds, programmeId],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : { ...row, versions: row.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt) })) };
}

export async function listProgrammesInScope(
  pool: pg.Pool,
  visibleIds: number[] | null,
): Promise<ProgrammeRecord[]> {
  const result = await pool.query<ProgrammeRecord>(
    `${PROGRAMME_SELECT} where $1::bigint[] is null or p.organisation_id = any($1)
      order by p.id desc limit 500`,
    [visibleIds],
  );
  return result.rows.map((row) => ({
    ...row,
    versions: row.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt) })),
  }));
}

export async function insertProgramme(
  client: pg.ClientBase,
  programme: {
    fundId: number;
    axisId: number;
    organisationId: number;
    name: string;
    description: string;
    templateId: string | null;
  },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into programmes (fund_id, axis_id, organisation_id, name, description, template_id)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [
      programme.fundId,
      programme.axisId,
      programme.organisationId,
      programme.name,
      programme.description,
      programme.templateId,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function insertReserveAccount(
  client: pg.ClientBase,
  link: { programmeId: number; contributorId: number; accountId: number },
): Promise<void> {
  await client.query(
    `insert into programme_reserve_accounts (programme_id, contributor_id, account_id)
     values ($1, $2, $3)`,
    [link.programmeId, link.contributorId, link.accountId],
  );
}

/** Serialises the writers of a programme's versions until the transaction ends. */
export async function lockProgramme(client: pg.ClientBase, programmeId: number): Promise<void> {
  await client.query('select 1 from programmes where id = $1 for update', [programmeId]);
}

/** Appends the next version; the caller holds the programme's row lock. */
export async function insertRuleVersion(
  client: pg.ClientBase,
  version: { programmeId: number; rules: unknown; createdByPersonId: number | null },
): Promise<number> {
  const result = await client.query<{ version: number }>(
    `insert into programme_rule_versions (programme_id, version, rules, created_by_person_id)
     select $1, coalesce(max(version), 0) + 1, $2::jsonb, $3
       from programme_rule_versions where programme_id = $1
     returning version`,
    [version.programmeId, JSON.stringify(version.rules), version.createdByPersonId],
  );
  return (result.rows[0] as { version: number }).version;
}

export async function findRuleVersion(
  pool: pg.Pool | pg.ClientBase,
  programmeId: number,
  version: number,
): Promise<unknown> {
  const result = await pool.query<{ rules: unknown }>(
    'select rules from programme_rule_versions where programme_id = $1 and version = $2',
    [programmeId, version],
  );
  return result.rows[0]?.rules;
}

export async function publishVersion(
  client: pg.ClientBase,
  programmeId: number,
  version: number,
): Promise<void> {
  await client.query('update programmes set published_version = $2 where id = $1', [
    programmeId,
    version,
  ]);
}
