import type pg from 'pg';
import {
  approveCampaign,
  createCampaign,
  runCrediting,
  simulateCampaign,
} from '../attributions/campaigns.js';
import { findCampaignInScope, type CampaignRecord } from '../attributions/store.js';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import type { Ledger } from '../ledger/service.js';
import { listProgrammesInScope } from '../programmes/store.js';
import type { DemoPeople } from './demo-people.js';

// The demo's aid reaching people: one campaign per template programme over every demo
// beneficiary of the département, approved by the manager (and, above the threshold, by the
// financial controller), then credited, exactly as a case worker would from the screens.

export async function seedDemoCampaigns(
  pool: pg.Pool,
  ledger: Ledger,
  people: DemoPeople,
  log: (message: string) => void,
): Promise<void> {
  const programmes = await listProgrammesInScope(pool, [people.organisations.departement]);
  for (const programme of programmes.filter((candidate) => candidate.publishedVersion !== null)) {
    const campaignId = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
      createCampaign(client, journal, programme, {
        name: `Campagne de démonstration — ${programme.name}`.slice(0, 200),
        population: { kind: 'all' },
        createdByPersonId: people.accounts.gestionnaire.personId,
      }),
    );
    await simulateCampaign(
      pool,
      (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord,
    );
    const approvers = [people.accounts.gestionnaire.personId, people.accounts.controleur.personId];
    for (const personId of approvers) {
      const campaign = (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
      if (campaign.status !== 'simulated' && campaign.status !== 'awaiting_second_approval') break;
      if (campaign.eligibleCount === 0) break;
      await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
        approveCampaign(client, journal, campaign, personId),
      );
    }
    const campaign = (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
    if (campaign.status !== 'approved') continue;
    const done = await runCrediting(pool, ledger, campaignId);
    log(`  ${programme.name} : ${done.creditedCount} enveloppes créditées.`);
  }
}
