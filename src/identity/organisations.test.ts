import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import {
  ORGANISATION_KIND_LABELS,
  ORGANISATION_KINDS,
  ORGANISATION_REFUSALS,
  validateOrganisation,
} from './organisations.js';
import { registerOrganisation, findOrganisation } from './service.js';
import { OPERATOR_JOURNAL_CONTEXT } from './journal.js';

const GIRONDE = { kind: 'departement', name: 'Département de la Gironde', siret: '22330001300016' };

describe('organisations : règles', () => {
  it.each([
    ['un nom vide', { ...GIRONDE, name: '  ' }, 'name_invalid'],
    ['un nom de 201 caractères', { ...GIRONDE, name: 'n'.repeat(201) }, 'name_invalid'],
    ['un nom avec caractère nul', { ...GIRONDE, name: 'a\u0000b' }, 'name_invalid'],
    ['une nature inconnue', { ...GIRONDE, kind: 'banque' }, 'kind_unknown'],
    ['un SIREN faux', { ...GIRONDE, siren: '223300014' }, 'siren_invalid'],
    ['un SIRET faux', { ...GIRONDE, siret: '22330001300017' }, 'siret_invalid'],
    ['un SIRET d’un autre SIREN', { ...GIRONDE, siren: '732829320' }, 'siret_siren_mismatch'],
    [
      'un service sans parent',
      { kind: 'service', name: 'Service des solidarités' },
      'service_needs_parent',
    ],
    [
      'un parent pour autre chose qu’un service',
      { ...GIRONDE, parentId: 1 },
      'parent_only_for_services',
    ],
  ])('refuse %s', (_case, request, refusal) => {
    expect(validateOrganisation(request)).toBe(refusal);
  });

  it('déduit le SIREN du SIRET et normalise les numéros', () => {
    expect(validateOrganisation({ ...GIRONDE, siret: '223 300 013 00016' })).toEqual({
      kind: 'departement',
      name: 'Département de la Gironde',
      siren: '223300013',
      siret: '22330001300016',
      parentId: null,
    });
  });

  it('nomme chaque nature et chaque refus en français', () => {
    for (const kind of ORGANISATION_KINDS) expect(ORGANISATION_KIND_LABELS[kind]).toMatch(/\S/);
    for (const message of Object.values(ORGANISATION_REFUSALS)) expect(message).toMatch(/\.$/);
  });
});

describe('organisations : enregistrement', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('enregistre un financeur, puis un de ses services', async () => {
    const funder = await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, GIRONDE);
    expect(funder).toMatchObject({
      created: true,
      organisation: { kind: 'departement', siren: '223300013' },
    });
    if (!funder.created) return;
    const service = await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
      kind: 'service',
      name: 'Direction des solidarités',
      parentId: funder.organisation.id,
    });
    expect(service).toMatchObject({
      created: true,
      organisation: { parentId: funder.organisation.id },
    });
    expect(await findOrganisation(database.pool, funder.organisation.id)).toMatchObject({
      name: GIRONDE.name,
    });
  });

  it('refuse un même SIRET deux fois, sans rien écrire', async () => {
    const before = await database.pool.query('select count(*)::int as count from organisations');
    expect(
      await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
        ...GIRONDE,
        name: 'Doublon',
      }),
    ).toEqual({
      created: false,
      refusal: 'siret_already_registered',
    });
    const after = await database.pool.query('select count(*)::int as count from organisations');
    expect(after.rows).toEqual(before.rows);
  });

  it('refuse un parent inconnu, ou qui n’est pas un financeur', async () => {
    expect(
      await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
        kind: 'service',
        name: 'Orphelin',
        parentId: 999_999,
      }),
    ).toEqual({
      created: false,
      refusal: 'parent_not_found',
    });
    const shop = await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
      kind: 'commercant',
      name: 'Librairie du centre',
    });
    if (!shop.created) throw new Error('le commerçant devait être créé');
    expect(
      await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
        kind: 'service',
        name: 'Rayon jeunesse',
        parentId: shop.organisation.id,
      }),
    ).toEqual({ created: false, refusal: 'parent_not_funder' });
  });

  it('la base refuse aussi un SIRET hors de son SIREN, écrit sans l’application', async () => {
    const failure = await database.pool
      .query(
        `insert into organisations (kind, name, siren, siret) values ('commune', 'X', '732829320', '22330001300016')`,
      )
      .catch((error: { code?: string }) => error);
    expect(failure).toMatchObject({ code: '23514' });
  });
});
