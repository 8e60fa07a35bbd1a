import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectMoneySound,
  fixedProgramme,
  openCampaignWorld,
  settledCampaign,
  simulatedCampaign,
  type CampaignWorld,
} from '../support/campaign-fixture.js';
import { loggedIn, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The beneficiary's side: the record the funder holds links to the account by its email, the
// credited envelope appears with what is left, where it pays, why it was granted, its history.

let server: TestServer;
let world: CampaignWorld;
let beneficiary: SessionClient;

type Envelope = {
  attributionId: number;
  programmeName: string;
  funderName: string;
  creditedCents: number;
  remainingCents: number;
  validUntil: string | null;
  usage: { sentences: string[] };
  explanation: string[];
};

beforeAll(async () => {
  server = await startTestServer({ web: false });
  world = await openCampaignWorld(server);
  beneficiary = await loggedIn(
    server.baseUrl,
    world.people.accounts.beneficiaire.email,
    world.people.password,
  );
});

afterAll(async () => {
  await server.close();
});

describe('le porte-monnaie du bénéficiaire', () => {
  it('est vide tant qu’aucune aide n’est créditée', async () => {
    const answer = await beneficiary.get('/api/me/wallet');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ envelopes: [] });
  });

  it('montre l’enveloppe créditée, son explication, où l’utiliser et son historique', async () => {
    await server.database.pool.query(
      `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date,
         commune_code, email)
       values ($1, 'personne', 'Martin', 'Camille', '2008-02-01', '33063', $2)`,
      [world.funderId, world.people.accounts.beneficiaire.email],
    );
    const programmeId = await fixedProgramme(world, 120_00, 1_000_00);
    const campaign = await simulatedCampaign(world, {
      programmeId,
      population: { kind: 'communes', communeCodes: ['33063'] },
    });
    await world.manager.post(`/api/campaigns/${campaign.id}/approve`);
    expect((await settledCampaign(world.manager, campaign.id)).status).toBe('completed');

    const wallet = (await beneficiary.get('/api/me/wallet')).json as { envelopes: Envelope[] };
    expect(wallet.envelopes).toHaveLength(1);
    const envelope = wallet.envelopes[0]!;
    expect(envelope).toMatchObject({
      creditedCents: 120_00,
      remainingCents: 120_00,
      funderName: 'Département de la Gironde',
    });
    expect(envelope.validUntil).not.toBeNull();
    expect(envelope.usage.sentences).toContain('Valable pendant 12 mois après le crédit.');
    expect(envelope.explanation.join(' ')).toMatch(/120,00/);

    const detail = await beneficiary.get(`/api/me/wallet/envelopes/${envelope.attributionId}`);
    expect(detail.status, detail.text).toBe(200);
    expect(
      (detail.json as { movements: { label: string; amountCents: number }[] }).movements,
    ).toEqual([
      expect.objectContaining({
        label: 'Crédit de l’aide',
        amountCents: 120_00,
        balanceAfterCents: 120_00,
      }),
    ]);
    await expectMoneySound(server);
  });

  it('une autre personne ne voit ni ne lit cette enveloppe', async () => {
    const wallet = (await beneficiary.get('/api/me/wallet')).json as { envelopes: Envelope[] };
    const attributionId = wallet.envelopes[0]!.attributionId;
    const aidant = await loggedIn(
      server.baseUrl,
      world.people.accounts.aidant.email,
      world.people.password,
    );
    expect((await aidant.get('/api/me/wallet')).status).toBe(403);
    const staff = await world.manager.get(`/api/me/wallet/envelopes/${attributionId}`);
    expect(staff.status).toBe(403);
    // An envelope that is not theirs answers like one that does not exist.
    expect(
      (await beneficiary.get(`/api/me/wallet/envelopes/${attributionId + 1_000_000}`)).status,
    ).toBe(404);
  });
});
