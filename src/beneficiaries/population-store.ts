import type pg from 'pg';
import type { FactsSource } from './facts.js';

// Reads the beneficiaries a campaign examines, in id order and by chunks, so that a population
// of millions is never held in memory at once. Erased records are never examined.

/** Who a campaign examines: every record of the funder, one import, or some communes. */
export type Population =
  | { kind: 'all' }
  | { kind: 'import'; importId: number }
  | { kind: 'communes'; communeCodes: string[] };

export type PopulationMember = FactsSource & { id: number };

/**
 * One statement per kind of population, without optional filters: with `$n is null or …`
 * the planner's generic plan can scan the whole table for every chunk (seen: quadratic).
 */
export async function populationChunk(
  db: pg.Pool | pg.ClientBase,
  organisationId: number,
  population: Population,
  afterId: number,
  limit: number,
): Promise<PopulationMember[]> {
  const select = `select id, kind, to_char(birth_date, 'YYYY-MM-DD') as "birthDate",
       commune_code as "communeCode", organisation_kind as "organisationKind", household
     from beneficiaries where organisation_id = $1 and id > $2 and erased_at is null`;
  const order = 'order by id limit $3';
  const result =
    population.kind === 'all'
      ? await db.query<PopulationMember>(`${select} ${order}`, [organisationId, afterId, limit])
      : population.kind === 'import'
        ? await db.query<PopulationMember>(`${select} and import_id = $4 ${order}`, [
            organisationId,
            afterId,
            limit,
            population.importId,
          ])
        : await db.query<PopulationMember>(`${select} and commune_code = any($4) ${order}`, [
            organisationId,
            afterId,
            limit,
            population.communeCodes,
          ]);
  return result.rows;
}

/** Whether the import belongs to the organisation: a population cannot borrow another's file. */
export async function importBelongsTo(
  db: pg.Pool | pg.ClientBase,
  organisationId: number,
  importId: number,
): Promise<boolean> {
  const result = await db.query(
    `select 1 from beneficiary_imports where id = $1 and organisation_id = $2 and status = 'imported'`,
    [importId, organisationId],
  );
  return result.rowCount === 1;
}
