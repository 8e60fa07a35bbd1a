import type pg from 'pg';
import { expect } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import type { Answer, SessionClient } from './identity-client.js';
import { loggedIn } from './identity-client.js';
import { seedPeople } from './identity-fixture.js';
import type { TestServer } from './server.js';

// Campaign tests share this: the demo fund (two contributors, so every envelope is split
// between them), programmes with a fixed amount and a small reserve, beneficiaries inserted by
// the thousand, and the checks that every test moving money ends with.

export type CampaignWorld = {
  people: DemoPeople;
  manager: SessionClient;
  controller: SessionClient;
  fundId: number;
  axisId: number;
  funderId: number;
};

export async function openCampaignWorld(server: TestServer): Promise<CampaignWorld> {
  const pool = server.database.pool;
  const people = await seedPeople(pool);
  await seedDemoProgrammes(pool, server.application.ledger, people);
  const manager = await loggedIn(
    server.baseUrl,
    people.accounts.gestionnaire.email,
    people.password,
  );
  const controller = await loggedIn(
    server.baseUrl,
    people.accounts.controleur.email,
    people.password,
  );
  const funds = (await manager.get('/api/funds')).json as {
    id: number;
    organisationId: number;
    axes: { id: number }[];
  }[];
  const fund = funds[0] as (typeof funds)[0];
  return {
    people,
    manager,
    controller,
    fundId: fund.id,
    axisId: (fund.axes[0] as { id: number }).id,
    funderId: fund.organisationId,
  };
}

let serial = 0;

/** A published programme paying `amountCents` to everyone, with `reserveCents` reserved. */
export async function fixedProgramme(
  world: CampaignWorld,
  amountCents: number,
  reserveCents: number,
): Promise<number> {
  serial += 1;
  const created = await world.manager.post('/api/programmes', {
    fundId: world.fundId,
    axisId: world.axisId,
    name: `Aide fixe ${serial}`,
    description: 'Pour les tests de campagnes',
    rules: {
      eligibility: { type: 'all', conditions: [] },
      amount: { type: 'fixed', amountCents, rounding: 'down' },
      usage: { validity: { afterCrediting: { unit: 'months', count: 12 } } },
      stacking: { priority: 10 },
    },
  });
  expect(created.status, created.text).toBe(201);
  const programmeId = (created.json as { id: number }).id;
  const published = await world.manager.post(`/api/programmes/${programmeId}/publish`, {
    version: 1,
  });
  expect(published.status, published.text).toBe(200);
  const reserved = await world.manager.post(`/api/programmes/${programmeId}/budget`, {
    amountCents: reserveCents,
    clientKey: `reserve-${serial}`,
  });
  expect(reserved.status, reserved.text).toBeLessThan(300);
  return programmeId;
}

/** Inserts `count` beneficiaries of the funder in one commune; answers their ids. */
export async function insertBeneficiaries(
  pool: pg.Pool,
  organisationId: number,
  count: number,
  communeCode = '33063',
): Promise<number[]> {
  const result = await pool.query<{ id: number }>(
    `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date,
       commune_code, email)
     select $1, 'personne', 'Testeur', 'Personne ' || n, date '2000-01-01' + n % 3000,
            $3, 'personne-' || n || '-' || $4 || '@exemple.fr'
       from generate_series(1, $2) as n
     returning id`,
    [organisationId, count, communeCode, Date.now()],
  );
  return result.rows.map((row) => row.id);
}

export type CampaignView = {
  id: number;
  status: string;
  eligibleCount: number;
  alreadyAttributedCount: number;
  totalCents: number;
  creditedCount: number;
  creditedCents: number;
  stopReason: string | null;
  failure: string | null;
  needsSecondApproval: boolean;
  approvals: { personId: number }[];
};

/** Polls until the campaign leaves the transient statuses. */
export async function settledCampaign(
  client: SessionClient,
  campaignId: number,
  transient: readonly string[] = ['simulating', 'approved', 'crediting'],
): Promise<CampaignView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await client.get(`/api/campaigns/${campaignId}`);
    expect(answer.status, answer.text).toBe(200);
    const campaign = answer.json as CampaignView;
    if (!transient.includes(campaign.status)) return campaign;
    if (Date.now() > deadline)
      throw new Error(`campagne ${campaignId} bloquée en ${campaign.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function simulatedCampaign(
  world: CampaignWorld,
  body: Record<string, unknown>,
): Promise<CampaignView> {
  const created: Answer = await world.manager.post('/api/campaigns', {
    name: 'Campagne de test',
    population: { kind: 'all' },
    ...body,
  });
  expect(created.status, created.text).toBe(202);
  return settledCampaign(world.manager, (created.json as { id: number }).id);
}

/** The ledger verifies, and every envelope holds exactly what its attribution says. */
export async function expectMoneySound(server: TestServer): Promise<void> {
  expect((await server.application.ledger.verify()).violations).toEqual([]);
  const mismatches = await server.database.pool.query(
    `select a.id from attributions a join ledger_accounts l on l.id = a.envelope_account_id
      where (a.status = 'credited' and l.posted_cents <> a.amount_cents)
         or (a.status in ('proposed', 'approved') and l.posted_cents <> 0)`,
  );
  expect(mismatches.rows).toEqual([]);
}
