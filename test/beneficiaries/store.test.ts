import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beneficiaryRecordsOfPerson,
  findBeneficiaryOfPerson,
  insertBeneficiary,
  linkRecordsByEmail,
} from '../../src/beneficiaries/store.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedPeople } from '../support/identity-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The functions other domains call: insert a record, find a person's record at a funder, link
// records by email, list a person's records.

let database: TestDatabase;
let people: DemoPeople;

beforeAll(async () => {
  database = await createTestDatabase();
  people = await seedPeople(database.pool);
});

afterAll(async () => {
  await database.drop();
});

const camille = {
  kind: 'personne' as const,
  familyName: 'Martin',
  givenNames: 'Camille',
  birthDate: '2008-03-14',
  communeCode: '33063',
  email: 'camille@demo.flechage.fr',
  household: { dependentChildren: 0 },
};

describe('registre des bénéficiaires', () => {
  it('enregistre une fiche avec un code de rattachement, puis la rattache par courriel', async () => {
    const funder = people.organisations.departement;
    const person = people.accounts.beneficiaire.personId;
    const id = await insertBeneficiary(database.pool, funder, camille);
    const before = await database.pool.query<{ claim_code: string | null; identity_key: string }>(
      'select claim_code, identity_key from beneficiaries where id = $1',
      [id],
    );
    expect(before.rows[0]?.claim_code).toMatch(/^[A-Z2-9]{10}$/);
    expect(before.rows[0]?.identity_key).toBe('martin|camille|2008-03-14|33063');
    expect(await findBeneficiaryOfPerson(database.pool, funder, person)).toBeUndefined();
    // A second record with the same email at the same funder stays unlinked: one per funder.
    await insertBeneficiary(database.pool, funder, { ...camille, givenNames: 'Léo' });
    expect(await linkRecordsByEmail(database.pool, person, 'Camille@demo.flechage.fr')).toBe(1);
    expect(await linkRecordsByEmail(database.pool, person, 'camille@demo.flechage.fr')).toBe(0);
    const found = await findBeneficiaryOfPerson(database.pool, funder, person);
    expect(found).toMatchObject({ id, personId: person, claimCode: null, birthDate: '2008-03-14' });
    expect((await beneficiaryRecordsOfPerson(database.pool, person)).map((r) => r.id)).toEqual([
      id,
    ]);
  });

  it('une fiche créée déjà rattachée n’a pas de code à réclamer', async () => {
    const funder = people.organisations.departement;
    const person = people.accounts.aidant.personId;
    const id = await insertBeneficiary(
      database.pool,
      funder,
      { kind: 'organisation', legalName: 'Les Amis du livre', siret: '73282932000074' },
      { personId: person },
    );
    const record = await findBeneficiaryOfPerson(database.pool, funder, person);
    expect(record).toMatchObject({ id, claimCode: null, kind: 'organisation', household: {} });
  });
});
