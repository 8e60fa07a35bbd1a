import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectMoneySound,
  fixedProgramme,
  insertBeneficiaries,
  openCampaignWorld,
  settledCampaign,
  simulatedCampaign,
  type CampaignWorld,
} from '../support/campaign-fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

// A campaign credited by `flechage campagne` in another process, killed with SIGKILL in the
// middle, then resumed by the platform: everyone credited once, nobody twice, nothing missed.

const POPULATION = 6_000;
const AMOUNT_CENTS = 10_00;

let server: TestServer;
let world: CampaignWorld;

beforeAll(async () => {
  server = await startTestServer({ web: false });
  world = await openCampaignWorld(server);
});

afterAll(async () => {
  await server.close();
});

/** Starts the CLI's crediting and kills it with SIGKILL once it reported some lots done. */
function creditThenKill(campaignId: number): Promise<string> {
  const child = spawn(
    process.execPath,
    ['bin/flechage.js', 'campagne', '--campagne', String(campaignId)],
    {
      env: { ...process.env, DATABASE_URL: server.database.url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`le crédit n’a pas avancé à temps : ${output}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /: (\d+)\/(\d+)/.exec(output);
      if (match !== null && Number(match[1]) > 0 && Number(match[1]) < Number(match[2])) {
        child.kill('SIGKILL');
      }
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(output);
      else reject(new Error(`le processus a fini avant d’être tué : ${output}`));
    });
  });
}

describe('un crédit tué en plein milieu, puis repris', () => {
  it('crédite chacun exactement une fois', async () => {
    const programmeId = await fixedProgramme(world, AMOUNT_CENTS, POPULATION * AMOUNT_CENTS);
    await insertBeneficiaries(server.database.pool, world.funderId, POPULATION, '33192');
    const campaign = await simulatedCampaign(world, {
      programmeId,
      population: { kind: 'communes', communeCodes: ['33192'] },
    });
    expect(campaign.eligibleCount).toBe(POPULATION);
    // Approved in the database, so that the platform's own runner leaves it to the command.
    await server.database.pool.query(
      `update campaigns set status = 'approved', first_approved_by_person_id = $2,
              first_approved_at = now() where id = $1`,
      [campaign.id, world.people.accounts.gestionnaire.personId],
    );
    await creditThenKill(campaign.id);

    const killed = await settledCampaign(world.manager, campaign.id, []);
    expect(killed.status).toBe('crediting');
    expect(killed.creditedCount).toBeGreaterThan(0);
    expect(killed.creditedCount).toBeLessThan(POPULATION);

    // What `flechage start` does once the platform listens.
    await server.application.campaigns.resumeInterrupted();
    await server.application.campaigns.idle();
    const resumed = await settledCampaign(world.manager, campaign.id);
    expect(resumed).toMatchObject({
      status: 'completed',
      creditedCount: POPULATION,
      creditedCents: POPULATION * AMOUNT_CENTS,
    });
    const perBeneficiary = await server.database.pool.query(
      `select count(*)::int as credited, count(distinct beneficiary_id)::int as beneficiaries,
              coalesce(sum(l.posted_cents), 0)::bigint as cents
         from attributions a join ledger_accounts l on l.id = a.envelope_account_id
        where a.campaign_id = $1 and a.status = 'credited'`,
      [campaign.id],
    );
    expect(perBeneficiary.rows[0]).toEqual({
      credited: POPULATION,
      beneficiaries: POPULATION,
      cents: POPULATION * AMOUNT_CENTS,
    });
    const reserve = await world.manager.get(`/api/programmes/${programmeId}`);
    expect((reserve.json as { reservedCents: number }).reservedCents).toBe(0);
    await expectMoneySound(server);
  });
});
