import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../../src/identity/journal.js';
import { registerOrganisation } from '../../src/identity/service.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, type Answer, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Funds through the API: contributors pay in up to their commitment, money goes to axes up to
// their budgets, and every euro stays on its contributor's accounts. The ledger is verified
// after every test that moves money.

let server: TestServer;
let people: DemoPeople;
let manager: SessionClient;
let controller: SessionClient;
let cafId: number;

type FundView = {
  id: number;
  contributors: {
    id: number;
    organisationId: number;
    committedCents: number;
    paidCents: number;
    unallocatedCents: number;
  }[];
  axes: {
    id: number;
    name: string;
    budgetCents: number;
    allocatedCents: number;
    availableCents: number;
    byContributor: { contributorId: number; availableCents: number }[];
  }[];
};

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

async function expectLedgerSound(): Promise<void> {
  const report = await server.application.ledger.verify();
  expect(report.violations).toEqual([]);
}

function fundBody(overrides: Record<string, unknown> = {}) {
  return {
    organisationId: people.organisations.departement,
    name: 'Fonds mobilité 88 M€',
    startsOn: '2026-01-01',
    endsOn: '2028-12-31',
    contributors: [
      { organisationId: people.organisations.departement, committedCents: 60_000_000_00 },
      { organisationId: cafId, committedCents: 28_000_000_00 },
    ],
    axes: [
      { name: 'Permis', budgetCents: 24_000_000_00 },
      { name: 'Transports', budgetCents: 34_000_000_00 },
      { name: 'Vélo', budgetCents: 30_000_000_00 },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  people = await seedPeople(server.database.pool);
  const caf = await registerOrganisation(server.database.pool, OPERATOR_JOURNAL_CONTEXT, {
    kind: 'caisse_allocations_familiales',
    name: 'CAF de la Gironde',
  });
  if (!caf.created) throw new Error('CAF');
  cafId = caf.organisation.id;
  manager = await loggedIn(server.baseUrl, people.accounts.gestionnaire.email, people.password);
  controller = await loggedIn(server.baseUrl, people.accounts.controleur.email, people.password);
});

afterAll(async () => {
  await server.close();
});

describe('fonds', () => {
  let fund: FundView;

  it('crée un fonds de 88 M€ réparti 24 + 34 + 30, engagements enregistrés au registre', async () => {
    const created = await manager.post('/api/funds', fundBody());
    expect(created.status, created.text).toBe(201);
    fund = created.json as FundView;
    expect(
      fund.contributors.map((c) => [c.committedCents, c.paidCents, c.unallocatedCents]),
    ).toEqual([
      [60_000_000_00, 0, 0],
      [28_000_000_00, 0, 0],
    ]);
    expect(fund.axes.map((axis) => axis.budgetCents)).toEqual([
      24_000_000_00, 34_000_000_00, 30_000_000_00,
    ]);
    await expectLedgerSound();
  });

  it.each([
    [
      'des axes au-delà des engagements',
      { axes: [{ name: 'Tout', budgetCents: 88_000_000_01 }] },
      'axes_exceed_commitments',
    ],
    ['une fin avant le début', { endsOn: '2025-01-01' }, 'period_invalid'],
  ])('refuse %s, sans rien créer', async (_name, overrides, code) => {
    const body = fundBody(overrides);
    const before = await server.database.pool.query('select count(*)::int as count from funds');
    expectRefusal(await manager.post('/api/funds', body), 422, code);
    const after = await server.database.pool.query('select count(*)::int as count from funds');
    expect(after.rows).toEqual(before.rows);
  });

  it('refuse un contributeur qui n’est pas un financeur', async () => {
    const body = fundBody({
      contributors: [{ organisationId: people.organisations.librairie, committedCents: 100 }],
      axes: [{ name: 'A', budgetCents: 100 }],
    });
    expectRefusal(await manager.post('/api/funds', body), 422, 'contributor_not_found');
  });

  it.each([
    ['un montant négatif', { contributors: [{ organisationId: 1, committedCents: -1 }] }],
    ['un montant à virgule', { axes: [{ name: 'A', budgetCents: 1.5 }] }],
    ['un montant au-delà de 2^53', { axes: [{ name: 'A', budgetCents: 2 ** 60 }] }],
    ['une date impossible', { startsOn: '2026-02-30' }],
    ['un nom de 10 000 caractères', { name: 'x'.repeat(10_000) }],
    ['une devise', { currency: 'USD' }],
  ])('refuse %s : 400 en français', async (_name, overrides) => {
    expectRefusal(await manager.post('/api/funds', fundBody(overrides)), 400, 'validation_failed');
  });

  it('un versement ne dépasse jamais l’engagement ; rejoué, il ne compte qu’une fois', async () => {
    const caf = fund.contributors[1]!;
    const path = `/api/funds/${fund.id}/contributions`;
    const pay = { contributorId: caf.id, amountCents: 20_000_000_00, clientKey: 'virement-caf-1' };
    expect((await controller.post(path, pay)).json).toEqual({ status: 'created' });
    expect((await controller.post(path, pay)).json).toEqual({ status: 'already_exists' });
    expectRefusal(
      await controller.post(path, {
        ...pay,
        amountCents: 8_000_000_01,
        clientKey: 'virement-caf-2',
      }),
      422,
      'commitment_exceeded',
    );
    expectRefusal(
      await controller.post(path, { ...pay, amountCents: 5 }),
      409,
      'idempotency_key_reused',
    );
    const departement = fund.contributors[0]!;
    expect(
      (
        await controller.post(path, {
          contributorId: departement.id,
          amountCents: 40_000_000_00,
          clientKey: 'virement-dep-1',
        })
      ).status,
    ).toBe(200);
    const view = (await manager.get(`/api/funds/${fund.id}`)).json as FundView;
    expect(view.contributors.map((c) => [c.paidCents, c.unallocatedCents])).toEqual([
      [40_000_000_00, 40_000_000_00],
      [20_000_000_00, 20_000_000_00],
    ]);
    await expectLedgerSound();
  });

  it('l’affectation à un axe se fait au prorata des versements, jusqu’au budget de l’axe', async () => {
    const path = `/api/funds/${fund.id}/allocations`;
    const permis = fund.axes[0]!;
    const first = await manager.post(path, {
      axisId: permis.id,
      amountCents: 24_000_000_00,
      clientKey: 'permis-1',
    });
    expect(first.json, first.text).toEqual({ status: 'created' });
    expectRefusal(
      await manager.post(path, { axisId: permis.id, amountCents: 1, clientKey: 'permis-2' }),
      422,
      'axis_budget_exceeded',
    );
    expect(
      (
        await manager.post(path, {
          axisId: permis.id,
          amountCents: 24_000_000_00,
          clientKey: 'permis-1',
        })
      ).json,
    ).toEqual({ status: 'already_exists' });
    const transports = fund.axes[1]!;
    expect(
      (
        await manager.post(path, {
          axisId: transports.id,
          amountCents: 34_000_000_00,
          clientKey: 'transports-1',
        })
      ).json,
    ).toEqual({ status: 'created' });
    // 60 M€ paid, 58 M€ allocated: the bicycle axis cannot have its 30 M€, nothing moves.
    const velo = fund.axes[2]!;
    expectRefusal(
      await manager.post(path, {
        axisId: velo.id,
        amountCents: 30_000_000_00,
        clientKey: 'velo-1',
      }),
      422,
      'funds_insufficient',
    );
    const view = (await manager.get(`/api/funds/${fund.id}`)).json as FundView;
    const onPermis = view.axes[0]!;
    expect(onPermis.allocatedCents).toBe(24_000_000_00);
    // Paid 40 M€ and 20 M€: two thirds and one third of every euro on the axis.
    expect(onPermis.byContributor.map((share) => share.availableCents)).toEqual([
      16_000_000_00, 8_000_000_00,
    ]);
    expect(view.axes[2]!.allocatedCents).toBe(0);
    const unallocated = view.contributors.map((c) => c.unallocatedCents);
    expect(unallocated[0]! + unallocated[1]!).toBe(2_000_000_00);
    // Still two thirds and one third, to the cent.
    expect(Math.abs(unallocated[0]! - 2 * unallocated[1]!)).toBeLessThanOrEqual(2);
    await expectLedgerSound();
  });

  it('le contrôleur financier ne crée pas de fonds ; le commerçant ne voit aucun fonds', async () => {
    expectRefusal(await controller.post('/api/funds', fundBody()), 403, 'action_not_allowed');
    const shop = await loggedIn(server.baseUrl, people.accounts.commercant.email, people.password);
    expectRefusal(await shop.get(`/api/funds/${fund.id}`), 403, 'action_not_allowed');
  });
});
