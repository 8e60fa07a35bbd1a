import type pg from 'pg';
import { seedDemoPeople, type DemoPeople } from '../../src/cli/demo-people.js';

/** The demo's organisations and one account per role, on a fresh test database. */
export async function seedPeople(pool: pg.Pool): Promise<DemoPeople> {
  const people = await seedDemoPeople(pool);
  if (people === undefined) throw new Error('les comptes de démonstration existent déjà');
  return people;
}
