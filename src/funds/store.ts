import type pg from 'pg';

// SQL of funds, contributors and axes, and only here. Balances are the ledger's.

export type ContributorRecord = {
  id: number;
  organisationId: number;
  organisationName: string;
  committedCents: number;
  externalAccountId: number;
  commitmentAccountId: number;
  budgetAccountId: number;
};

export type AxisRecord = {
  id: number;
  name: string;
  budgetCents: number;
  /** Contributor id → the account holding that contributor's euros on this axis. */
  accounts: { contributorId: number; accountId: number }[];
};

export type FundRecord = {
  id: number;
  organisationId: number;
  name: string;
  startsOn: string;
  endsOn: string;
  createdAt: Date;
  contributors: ContributorRecord[];
  axes: AxisRecord[];
};

const FUND_SELECT = `select f.id, f.organisation_id as "organisationId", f.name,
  to_char(f.starts_on, 'YYYY-MM-DD') as "startsOn", to_char(f.ends_on, 'YYYY-MM-DD') as "endsOn",
  f.created_at as "createdAt",
  (select coalesce(json_agg(json_build_object(
      'id', c.id, 'organisationId', c.organisation_id, 'organisationName', o.name,
      'committedCents', c.committed_cents, 'externalAccountId', c.external_account_id,
      'commitmentAccountId', c.commitment_account_id, 'budgetAccountId', c.budget_account_id)
      order by c.id), '[]')
     from fund_contributors c join organisations o on o.id = c.organisation_id
    where c.fund_id = f.id) as contributors,
  (select coalesce(json_agg(json_build_object(
      'id', a.id, 'name', a.name, 'budgetCents', a.budget_cents,
      'accounts', (select coalesce(json_agg(json_build_object(
          'contributorId', x.contributor_id, 'accountId', x.account_id) order by x.contributor_id), '[]')
                     from fund_axis_accounts x where x.axis_id = a.id))
      order by a.id), '[]')
     from fund_axes a where a.fund_id = f.id) as axes
  from funds f`;

/**
 * A fund is visible to its owner's staff and to its contributors' staff (`visibleIds`), or to
 * everyone platform-wide (null).
 */
const VISIBLE = `($1::bigint[] is null or f.organisation_id = any($1) or exists (
    select 1 from fund_contributors c where c.fund_id = f.id and c.organisation_id = any($1)))`;

export async function findFundInScope(
  pool: pg.Pool | pg.ClientBase,
  visibleIds: number[] | null,
  fundId: number,
): Promise<FundRecord | undefined> {
  const result = await pool.query<FundRecord>(`${FUND_SELECT} where f.id = $2 and ${VISIBLE}`, [
    visibleIds,
    fundId,
  ]);
  return result.rows[0];
}

export async function listFundsInScope(
  pool: pg.Pool,
  visibleIds: number[] | null,
): Promise<FundRecord[]> {
  const result = await pool.query<FundRecord>(
    `${FUND_SELECT} where ${VISIBLE} order by f.id desc limit 500`,
    [visibleIds],
  );
  return result.rows;
}

export async function insertFund(
  client: pg.ClientBase,
  fund: { organisationId: number; name: string; startsOn: string; endsOn: string },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into funds (organisation_id, name, starts_on, ends_on) values ($1, $2, $3, $4)
     returning id`,
    [fund.organisationId, fund.name, fund.startsOn, fund.endsOn],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function insertContributor(
  client: pg.ClientBase,
  contributor: Omit<ContributorRecord, 'id' | 'organisationName'> & { fundId: number },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    `insert into fund_contributors (fund_id, organisation_id, committed_cents, external_account_id,
                                    commitment_account_id, budget_account_id)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [
      contributor.fundId,
      contributor.organisationId,
      contributor.committedCents,
      contributor.externalAccountId,
      contributor.commitmentAccountId,
      contributor.budgetAccountId,
    ],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function insertAxis(
  client: pg.ClientBase,
  axis: { fundId: number; name: string; budgetCents: number },
): Promise<number> {
  const result = await client.query<{ id: number }>(
    'insert into fund_axes (fund_id, name, budget_cents) values ($1, $2, $3) returning id',
    [axis.fundId, axis.name, axis.budgetCents],
  );
  return (result.rows[0] as { id: number }).id;
}

export async function insertAxisAccount(
  client: pg.ClientBase,
  link: { axisId: number; contributorId: number; accountId: number },
): Promise<void> {
  await client.query(
    'insert into fund_axis_accounts (axis_id, contributor_id, account_id) values ($1, $2, $3)',
    [link.axisId, link.contributorId, link.accountId],
  );
}

/** The funder organisations among these ids (contributors must be funders or their services). */
export async function funderOrganisations(
  client: pg.ClientBase,
  organisationIds: number[],
  funderKinds: readonly string[],
): Promise<number[]> {
  const result = await client.query<{ id: number }>(
    'select id from organisations where id = any($1::bigint[]) and kind = any($2::text[])',
    [organisationIds, funderKinds],
  );
  return result.rows.map((row) => row.id);
}

/** Locks the axis for the budget check and answers what is already allocated to it. */
export async function lockAxisAllocated(
  client: pg.ClientBase,
  axisId: number,
): Promise<{ budgetCents: number; allocatedCents: number }> {
  const result = await client.query<{ budgetCents: number; allocatedCents: number }>(
    `select a.budget_cents as "budgetCents",
            (select coalesce(sum(amount_cents), 0)::bigint from fund_allocations where axis_id = a.id)
              as "allocatedCents"
       from fund_axes a where a.id = $1 for update`,
    [axisId],
  );
  return result.rows[0] as { budgetCents: number; allocatedCents: number };
}

/** Records an allocation; answers false when this idempotency key was already used. */
export async function insertAllocation(
  client: pg.ClientBase,
  allocation: { clientId: string; fundId: number; axisId: number; amountCents: number },
): Promise<boolean> {
  const result = await client.query(
    `insert into fund_allocations (client_id, fund_id, axis_id, amount_cents)
     values ($1, $2, $3, $4) on conflict (client_id) do nothing`,
    [allocation.clientId, allocation.fundId, allocation.axisId, allocation.amountCents],
  );
  return result.rowCount === 1;
}

export async function allocatedByAxis(pool: pg.Pool, fundId: number): Promise<Map<number, number>> {
  const result = await pool.query<{ axisId: number; allocatedCents: number }>(
    `select axis_id as "axisId", sum(amount_cents)::bigint as "allocatedCents"
       from fund_allocations where fund_id = $1 group by axis_id`,
    [fundId],
  );
  return new Map(result.rows.map((row) => [row.axisId, row.allocatedCents]));
}
