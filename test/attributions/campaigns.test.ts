import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectMoneySound,
  fixedProgramme,
  insertBeneficiaries,
  openCampaignWorld,
  settledCampaign,
  simulatedCampaign,
  type CampaignView,
  type CampaignWorld,
} from '../support/campaign-fixture.js';
import { loggedIn, type Answer } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Campaigns through the API: simulate, approve (twice above the threshold), credit every
// envelope from the reserve, never beyond it, never twice.

let server: TestServer;
let world: CampaignWorld;

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

async function reserveOf(programmeId: number): Promise<number> {
  const answer = await world.manager.get(`/api/programmes/${programmeId}`);
  return (answer.json as { reservedCents: number }).reservedCents;
}

async function approved(campaign: CampaignView): Promise<CampaignView> {
  const answer = await world.manager.post(`/api/campaigns/${campaign.id}/approve`);
  expect(answer.status, answer.text).toBe(200);
  return settledCampaign(world.manager, campaign.id);
}

async function setThreshold(cents: number): Promise<void> {
  const answer = await world.controller.call(
    'PUT',
    `/api/organisations/${world.funderId}/funder-settings`,
    { body: { fourEyesThresholdCents: cents } },
  );
  expect(answer.status, answer.text).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  world = await openCampaignWorld(server);
});

afterAll(async () => {
  await server.close();
});

describe('une campagne sous le seuil', () => {
  it('simule, s’approuve une fois, crédite chaque enveloppe depuis la réserve', async () => {
    const programmeId = await fixedProgramme(world, 150_00, 1_000_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 300, '33281');
    const campaign = await simulatedCampaign(world, {
      programmeId,
      population: { kind: 'communes', communeCodes: ['33281'] },
    });
    expect(campaign).toMatchObject({
      status: 'simulated',
      eligibleCount: 300,
      totalCents: 300 * 150_00,
    });
    const before = await reserveOf(programmeId);
    const done = await approved(campaign);
    expect(done).toMatchObject({
      status: 'completed',
      creditedCount: 300,
      creditedCents: 300 * 150_00,
    });
    expect(await reserveOf(programmeId)).toBe(before - 300 * 150_00);
    await expectMoneySound(server);
  });

  it('montre chaque attribution avec son explication en français', async () => {
    const programmeId = await fixedProgramme(world, 80_00, 10_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 3, '33039');
    const campaign = await approved(
      await simulatedCampaign(world, {
        programmeId,
        population: { kind: 'communes', communeCodes: ['33039'] },
      }),
    );
    const page = await world.manager.get(`/api/campaigns/${campaign.id}/attributions?limit=2`);
    expect(page.status).toBe(200);
    const { attributions, total } = page.json as {
      attributions: { id: number; status: string; explanation: string[] }[];
      total: number;
    };
    expect(total).toBe(3);
    expect(attributions).toHaveLength(2);
    expect(attributions[0]!.status).toBe('credited');
    expect(attributions[0]!.explanation.join(' ')).toMatch(/80,00/);
    const detail = await world.manager.get(`/api/attributions/${attributions[0]!.id}`);
    expect(detail.json).toMatchObject({ remainingCents: 80_00, statusLabel: 'créditée' });
  });
});

describe('la double approbation', () => {
  it('au-delà du seuil, la même personne ne peut pas approuver deux fois ; une autre, oui', async () => {
    await setThreshold(1_000_00);
    const programmeId = await fixedProgramme(world, 100_00, 100_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 20, '33122');
    const campaign = await simulatedCampaign(world, {
      programmeId,
      population: { kind: 'communes', communeCodes: ['33122'] },
    });
    expect(campaign.needsSecondApproval).toBe(true);
    const first = await world.manager.post(`/api/campaigns/${campaign.id}/approve`);
    expect(first.json).toMatchObject({ status: 'awaiting_second_approval' });
    expectRefusal(
      await world.manager.post(`/api/campaigns/${campaign.id}/approve`),
      409,
      'second_approver_required',
    );
    const auditor = await loggedIn(
      server.baseUrl,
      world.people.accounts.auditeur.email,
      world.people.password,
    );
    expectRefusal(
      await auditor.post(`/api/campaigns/${campaign.id}/approve`),
      403,
      'action_not_allowed',
    );
    const second = await world.controller.post(`/api/campaigns/${campaign.id}/approve`);
    expect(second.status, second.text).toBe(200);
    const done = await settledCampaign(world.manager, campaign.id);
    expect(done).toMatchObject({ status: 'completed', creditedCount: 20 });
    expect(done.approvals).toHaveLength(2);
    await setThreshold(5_000_000);
    await expectMoneySound(server);
  });
});

describe('le budget', () => {
  it('une campagne plus grande que la réserve crédite exactement ce qui tient, et s’arrête', async () => {
    const programmeId = await fixedProgramme(world, 70_00, 130 * 70_00 + 69_99);
    await insertBeneficiaries(server.database.pool, world.funderId, 200, '33243');
    const campaign = await approved(
      await simulatedCampaign(world, {
        programmeId,
        population: { kind: 'communes', communeCodes: ['33243'] },
      }),
    );
    expect(campaign.status).toBe('stopped');
    expect(campaign.creditedCount).toBe(130);
    expect(campaign.stopReason).toMatch(/130 enveloppes créditées sur 200/);
    expect(await reserveOf(programmeId)).toBe(69_99);
    await expectMoneySound(server);
  });

  it('deux campagnes en même temps sur la même réserve ne la dépassent jamais', async () => {
    const programmeId = await fixedProgramme(world, 50_00, 150 * 50_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 120, '33318');
    await insertBeneficiaries(server.database.pool, world.funderId, 120, '33319');
    const [left, right] = await Promise.all([
      simulatedCampaign(world, {
        programmeId,
        population: { kind: 'communes', communeCodes: ['33318'] },
      }),
      simulatedCampaign(world, {
        programmeId,
        population: { kind: 'communes', communeCodes: ['33319'] },
      }),
    ]);
    await Promise.all([
      world.manager.post(`/api/campaigns/${left!.id}/approve`),
      world.manager.post(`/api/campaigns/${right!.id}/approve`),
    ]);
    const done = await Promise.all([
      settledCampaign(world.manager, left!.id),
      settledCampaign(world.manager, right!.id),
    ]);
    const credited = done.reduce((total, campaign) => total + campaign.creditedCount, 0);
    expect(credited).toBe(150);
    expect(await reserveOf(programmeId)).toBe(0);
    await expectMoneySound(server);
  });
});

describe('jamais deux fois', () => {
  it('une seconde campagne sur la même population ne propose personne, et ne s’approuve pas', async () => {
    const programmeId = await fixedProgramme(world, 20_00, 1_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 10, '33529');
    const population = { kind: 'communes', communeCodes: ['33529'] };
    const first = await approved(await simulatedCampaign(world, { programmeId, population }));
    expect(first.creditedCount).toBe(10);
    const second = await simulatedCampaign(world, { programmeId, population });
    expect(second).toMatchObject({ eligibleCount: 0, alreadyAttributedCount: 10 });
    expectRefusal(
      await world.manager.post(`/api/campaigns/${second.id}/approve`),
      409,
      'campaign_empty',
    );
    await expectMoneySound(server);
  });

  it('une campagne annulée libère ses propositions', async () => {
    const programmeId = await fixedProgramme(world, 20_00, 1_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 5, '33550');
    const population = { kind: 'communes', communeCodes: ['33550'] };
    const first = await simulatedCampaign(world, { programmeId, population });
    const cancelled = await world.manager.post(`/api/campaigns/${first.id}/cancel`, {
      reason: 'Erreur de population',
    });
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    expectRefusal(
      await world.manager.post(`/api/campaigns/${first.id}/approve`),
      409,
      'campaign_not_approvable',
    );
    const second = await simulatedCampaign(world, { programmeId, population });
    expect(second.eligibleCount).toBe(5);
  });
});

describe('les entrées invalides ne changent rien', () => {
  it.each([
    ['un code commune mal formé', { population: { kind: 'communes', communeCodes: ['33A'] } }, 400],
    ['une population inconnue', { population: { kind: 'tous' } }, 400],
    ['un nom vide', { name: '   ' }, 400],
    ['une date impossible', { referenceDate: '2026-02-30' }, 422],
    ['un import d’un autre financeur', { population: { kind: 'import', importId: 999_999 } }, 422],
    [
      'une injection dans le nom',
      { name: "'; drop table campaigns; --", programmeId: 999_999 },
      404,
    ],
    [
      'trop de communes',
      { population: { kind: 'communes', communeCodes: Array(2_001).fill('33063') } },
      400,
    ],
  ])('%s', async (_label, change, status) => {
    const programmeId = await fixedProgramme(world, 10_00, 100_00);
    const count = await server.database.pool.query('select count(*)::int as n from campaigns');
    const answer = await world.manager.post('/api/campaigns', {
      programmeId,
      name: 'Invalide',
      population: { kind: 'all' },
      ...change,
    });
    expect(answer.status, answer.text).toBe(status);
    expect(answer.json).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const after = await server.database.pool.query('select count(*)::int as n from campaigns');
    expect(after.rows[0].n).toBe(count.rows[0].n);
  });

  it('un seuil négatif ou démesuré est refusé', async () => {
    for (const fourEyesThresholdCents of [-1, 1e20, 1.5]) {
      const answer = await world.controller.call(
        'PUT',
        `/api/organisations/${world.funderId}/funder-settings`,
        { body: { fourEyesThresholdCents } },
      );
      expect(answer.status).toBe(400);
    }
  });
});

describe('révoquer, suspendre', () => {
  it('révoquer rend le solde à la réserve, réparti comme il en venait', async () => {
    const programmeId = await fixedProgramme(world, 99_99, 10_000_00);
    await insertBeneficiaries(server.database.pool, world.funderId, 1, '33009');
    const campaign = await approved(
      await simulatedCampaign(world, {
        programmeId,
        population: { kind: 'communes', communeCodes: ['33009'] },
      }),
    );
    const page = await world.manager.get(`/api/campaigns/${campaign.id}/attributions`);
    const attributionId = (page.json as { attributions: { id: number }[] }).attributions[0]!.id;
    const reserveBefore = await reserveOf(programmeId);
    const suspended = await world.manager.post(`/api/attributions/${attributionId}/suspend`, {
      reason: 'Vérification du domicile',
    });
    expect(suspended.json).toMatchObject({ status: 'suspended' });
    const revoked = await world.manager.post(`/api/attributions/${attributionId}/revoke`, {
      reason: 'Déménagement hors du département',
    });
    expect(revoked.json).toMatchObject({ status: 'revoked', remainingCents: 0 });
    expect(await reserveOf(programmeId)).toBe(reserveBefore + 99_99);
    expectRefusal(
      await world.manager.post(`/api/attributions/${attributionId}/reinstate`, {
        reason: 'Erreur',
      }),
      409,
      'status_transition_refused',
    );
    const events = (revoked.json as { events: { toStatus: string; reason: string }[] }).events;
    expect(events.map((event) => event.toStatus)).toEqual(['suspended', 'revoked']);
    await expectMoneySound(server);
  });
});
