import { randomInt } from 'node:crypto';
import type pg from 'pg';

const CLAIM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function claimCode(): string {
  return Array.from({ length: 10 }, () => CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)]).join(
    '',
  );
}

/** Beneficiary records written directly, so that these tests depend on the schema only. */
export async function insertTestBeneficiaries(
  pool: pg.Pool,
  organisationId: number,
  records: { email?: string; phone?: string; personId?: number }[],
): Promise<number[]> {
  const result = await pool.query<{ id: number }>(
    `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date,
                                email, phone, person_id, claim_code)
     select $1, 'personne', 'Martin', 'Alex', date '1990-01-01', r.email, r.phone, r.person_id,
            r.claim_code
       from unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) with ordinality
            as r (email, phone, person_id, claim_code, position)
      order by r.position
     returning id`,
    [
      organisationId,
      records.map((record) => record.email ?? null),
      records.map((record) => record.phone ?? null),
      records.map((record) => record.personId ?? null),
      records.map((record) => (record.personId === undefined ? claimCode() : null)),
    ],
  );
  return result.rows.map((row) => row.id);
}
