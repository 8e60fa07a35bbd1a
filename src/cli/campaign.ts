import { runCrediting } from '../attributions/campaigns.js';
import { CAMPAIGN_STATUS_LABELS, lotCapacity } from '../attributions/model.js';
import { withCampaignLock } from '../attributions/runner.js';
import { findCampaignInScope } from '../attributions/store.js';
import { createLedger } from '../ledger/service.js';
import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { findProgrammeInScope } from '../programmes/store.js';
import { createProgressBar } from './progress.js';

// `flechage campagne --campagne <id>`: credits an approved campaign, or resumes one a stopped
// process left in the middle, with its progress; the same run the platform does by itself.

export async function runCampaignCrediting(options: { campaign: number }): Promise<void> {
  const configuration = loadConfiguration();
  const database = await openDatabase(configuration, (message) => console.log(message));
  const ledger = createLedger(database.pool, {
    maxBatchSize: configuration.FLECHAGE_LEDGER_MAX_BATCH,
    maxQueueLength: configuration.FLECHAGE_LEDGER_MAX_QUEUE,
    deadlineMs: configuration.FLECHAGE_LEDGER_DEADLINE_MS,
  });
  try {
    const campaign = await findCampaignInScope(database.pool, null, options.campaign);
    if (campaign === undefined) throw new Error(`Campagne ${options.campaign} introuvable.`);
    if (campaign.status !== 'approved' && campaign.status !== 'crediting') {
      throw new Error(
        `La campagne ${campaign.id} est ${CAMPAIGN_STATUS_LABELS[campaign.status]} : rien à créditer.`,
      );
    }
    const programme = await findProgrammeInScope(database.pool, null, campaign.programmeId);
    const lots = Math.ceil(campaign.eligibleCount / lotCapacity(programme?.reserves.length ?? 1));
    const progress = createProgressBar('Crédit des enveloppes (lots)', true);
    const ran = await withCampaignLock(database.pool, campaign.id, async () => {
      const after = await runCrediting(database.pool, ledger, campaign.id, {
        onProgress: (done) => progress.update(done, lots),
      });
      progress.stop();
      console.log(
        `Campagne ${after.id} ${CAMPAIGN_STATUS_LABELS[after.status]} : ${after.creditedCount} enveloppes créditées sur ${after.eligibleCount}.`,
      );
      if (after.stopReason !== null) console.log(after.stopReason);
    });
    if (!ran) throw new Error(`La campagne ${campaign.id} est déjà en cours de crédit ailleurs.`);
  } finally {
    await ledger.stop();
    await database.close();
  }
}
