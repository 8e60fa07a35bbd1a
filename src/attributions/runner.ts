import type pg from 'pg';
import type { Ledger } from '../ledger/service.js';
import { withTransaction } from '../platform/database.js';
import { runCrediting, simulateCampaign } from './campaigns.js';
import {
  findCampaignInScope,
  interruptedSimulationIds,
  releaseCampaignLock,
  revokeProposals,
  tryCampaignLock,
  unfinishedCampaignIds,
  updateCampaign,
} from './store.js';

// The campaigns' background work inside the server process. One run per campaign at a time,
// across processes too (an advisory lock held for the run): a second start is a no-op, and a
// process that dies releases the lock with its connection, so the next start resumes.

export type CampaignRunner = {
  simulate(campaignId: number): void;
  credit(campaignId: number): void;
  /** At start: resumes crediting left in the middle, and fails simulations cut short. */
  resumeInterrupted(): Promise<void>;
  /** Resolves once every background run has finished or stopped at a safe point. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

export function createCampaignRunner(
  pool: pg.Pool,
  ledger: Ledger,
  logError: (error: unknown) => void,
): CampaignRunner {
  const running = new Set<Promise<void>>();
  let stopping = false;
  const track = (campaignId: number, work: () => Promise<void>) => {
    if (stopping) return;
    const run = withCampaignLock(pool, campaignId, work)
      .then(() => undefined)
      .catch(async (error: unknown) => {
        logError(error);
        await updateCampaign(pool, campaignId, {
          status: 'failed',
          failure: error instanceof Error ? error.message : String(error),
        }).catch(logError);
      })
      .finally(() => running.delete(run));
    running.add(run);
  };
  return {
    simulate: (campaignId) =>
      track(campaignId, async () => {
        const campaign = await findCampaignInScope(pool, null, campaignId);
        if (campaign?.status === 'simulating') await simulateCampaign(pool, campaign);
      }),
    credit: (campaignId) =>
      track(campaignId, async () => {
        const campaign = await findCampaignInScope(pool, null, campaignId);
        if (campaign?.status !== 'approved' && campaign?.status !== 'crediting') return;
        await runCrediting(pool, ledger, campaignId, { interrupted: () => stopping });
      }),
    async resumeInterrupted() {
      for (const campaignId of await interruptedSimulationIds(pool)) {
        await withTransaction(pool, async (client) => {
          await revokeProposals(client, campaignId);
          await updateCampaign(client, campaignId, {
            status: 'failed',
            failure:
              'Simulation interrompue par un arrêt de la plateforme : créez une nouvelle campagne.',
            finished: true,
          });
        });
      }
      for (const campaignId of await unfinishedCampaignIds(pool)) this.credit(campaignId);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async stop() {
      stopping = true;
      await this.idle();
    },
  };
}

/** Runs `work` only if no other run (in any process) holds this campaign; false if one does. */
export async function withCampaignLock(
  pool: pg.Pool,
  campaignId: number,
  work: () => Promise<void>,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    if (!(await tryCampaignLock(client, campaignId))) return false;
    try {
      await work();
      return true;
    } finally {
      await releaseCampaignLock(client, campaignId);
    }
  } finally {
    client.release();
  }
}
