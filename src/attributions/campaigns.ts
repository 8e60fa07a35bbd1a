import type pg from 'pg';
import { beneficiaryFacts } from '../beneficiaries/facts.js';
import type { Journal } from '../identity/journal.js';
import type { Ledger } from '../ledger/service.js';
import { HttpError } from '../platform/errors.js';
import { withTransaction } from '../platform/database.js';
import { isValidDate } from '../programmes/rules/calendar.js';
import { SimulationAccumulator } from '../programmes/rules/simulation.js';
import { compiledVersion } from '../programmes/service.js';
import { findProgrammeInScope, type ProgrammeRecord } from '../programmes/store.js';
import { creditCampaign, reserveWeights } from './crediting.js';
import {
  ATTRIBUTION_REFUSALS,
  decideApproval,
  mayCancel,
  type AttributionRefusal,
} from './model.js';
import {
  importBelongsTo,
  populationChunk,
  type Population,
} from '../beneficiaries/population-store.js';
import {
  findCampaignInScope,
  fourEyesThreshold,
  organisationName,
  insertCampaign,
  insertProposedAttributions,
  revokeProposals,
  updateCampaign,
  type CampaignRecord,
  type ProposedAttribution,
} from './store.js';

// Campaigns: a programme version over a population, evaluated, shown, approved (by two people
// above the funder's threshold), then credited. Simulation and crediting run in the background
// and write their progress on the campaign row, which the screens and the CLI poll.

const POPULATION_CHUNK = 10_000;

export function attributionError(refusal: AttributionRefusal, details?: unknown): HttpError {
  const status =
    refusal === 'ledger_unavailable'
      ? 503
      : refusal === 'reserve_insufficient' || refusal === 'population_invalid'
        ? 422
        : refusal === 'reference_date_invalid' || refusal === 'programme_not_published'
          ? 422
          : 409;
  return new HttpError(status, refusal, ATTRIBUTION_REFUSALS[refusal], details);
}

export type CampaignRequest = {
  name: string;
  population: Population;
  referenceDate?: string | undefined;
  ruleVersion?: number | undefined;
};

function todayInParis(): string {
  return new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

export async function createCampaign(
  client: pg.ClientBase,
  journal: Journal,
  programme: ProgrammeRecord,
  request: CampaignRequest & { createdByPersonId: number | null },
): Promise<number> {
  const ruleVersion = request.ruleVersion ?? programme.publishedVersion;
  if (ruleVersion === null || !programme.versions.some((v) => v.version === ruleVersion)) {
    throw attributionError('programme_not_published');
  }
  const referenceDate = request.referenceDate ?? todayInParis();
  if (!isValidDate(referenceDate)) throw attributionError('reference_date_invalid');
  if (
    request.population.kind === 'import' &&
    !(await importBelongsTo(client, programme.organisationId, request.population.importId))
  ) {
    throw attributionError('population_invalid');
  }
  const campaignId = await insertCampaign(client, {
    organisationId: programme.organisationId,
    programmeId: programme.id,
    ruleVersion,
    name: request.name.trim(),
    population: request.population,
    referenceDate,
    fourEyesThresholdCents: await fourEyesThreshold(client, programme.organisationId),
    createdByPersonId: request.createdByPersonId,
  });
  await journal({
    organisationId: programme.organisationId,
    action: 'campaign.create',
    targetType: 'campaign',
    targetId: campaignId,
    after: { programmeId: programme.id, ruleVersion, population: request.population },
  });
  return campaignId;
}

/**
 * Evaluates every member of the population and proposes an attribution to each eligible one
 * who does not already hold a live aid of the programme. Progress is written every chunk.
 */
export async function simulateCampaign(pool: pg.Pool, campaign: CampaignRecord): Promise<void> {
  const { compiled } = await compiledVersion(pool, campaign.programmeId, campaign.ruleVersion);
  const accumulator = new SimulationAccumulator(compiled, campaign.referenceDate);
  let afterId = 0;
  let position = 0;
  let proposedCount = 0;
  let proposedCents = 0;
  for (;;) {
    const members = await populationChunk(
      pool,
      campaign.organisationId,
      campaign.population,
      afterId,
      POPULATION_CHUNK,
    );
    if (members.length === 0) break;
    afterId = (members.at(-1) as { id: number }).id;
    const proposals: ProposedAttribution[] = [];
    for (const member of members) {
      const facts = beneficiaryFacts(member);
      const decision = accumulator.add(facts);
      if (decision.eligible && decision.amountCents > 0) {
        proposals.push({
          beneficiaryId: member.id,
          amountCents: decision.amountCents,
          facts,
          position,
        });
        position += 1;
      }
    }
    const added = await withTransaction(pool, (client) =>
      insertProposedAttributions(client, campaign, proposals),
    );
    proposedCount += added.inserted;
    proposedCents += added.insertedCents;
    await updateCampaign(pool, campaign.id, { examinedCount: accumulator.evaluated });
  }
  await updateCampaign(pool, campaign.id, {
    status: 'simulated',
    simulation: accumulator.report(),
    eligibleCount: proposedCount,
    alreadyAttributedCount: accumulator.eligible - proposedCount,
    totalCents: proposedCents,
  });
}

export async function approveCampaign(
  client: pg.ClientBase,
  journal: Journal,
  campaign: CampaignRecord,
  personId: number,
): Promise<'awaiting_second_approval' | 'approved'> {
  const decision = decideApproval(
    {
      status: campaign.status,
      totalCents: campaign.totalCents,
      eligibleCount: campaign.eligibleCount,
      fourEyesThresholdCents: campaign.fourEyesThresholdCents,
      firstApproverPersonId: campaign.firstApprovedByPersonId,
    },
    { personId },
  );
  if (typeof decision === 'string') throw attributionError(decision);
  await updateCampaign(client, campaign.id, {
    status: decision.next,
    ...(decision.role === 'first'
      ? { firstApprovedByPersonId: personId }
      : { secondApprovedByPersonId: personId }),
  });
  await journal({
    organisationId: campaign.organisationId,
    action: decision.role === 'first' ? 'campaign.approve' : 'campaign.second_approval',
    targetType: 'campaign',
    targetId: campaign.id,
    before: { status: campaign.status },
    after: {
      status: decision.next,
      totalCents: campaign.totalCents,
      count: campaign.eligibleCount,
    },
  });
  return decision.next;
}

export async function cancelCampaign(
  client: pg.ClientBase,
  journal: Journal,
  campaign: CampaignRecord,
  reason: string,
): Promise<void> {
  if (!mayCancel(campaign.status)) throw attributionError('campaign_not_cancellable');
  const released = await revokeProposals(client, campaign.id);
  await updateCampaign(client, campaign.id, {
    status: 'cancelled',
    stopReason: reason,
    finished: true,
  });
  await journal({
    organisationId: campaign.organisationId,
    action: 'campaign.cancel',
    targetType: 'campaign',
    targetId: campaign.id,
    before: { status: campaign.status },
    after: { status: 'cancelled', reason, releasedProposals: released },
  });
}

/** Credits an approved campaign (or resumes one a stopped process left crediting). */
export async function runCrediting(
  pool: pg.Pool,
  ledger: Ledger,
  campaignId: number,
  options: { onProgress?: (lotsDone: number) => void; interrupted?: () => boolean } = {},
): Promise<CampaignRecord> {
  const campaign = (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
  const programme = await programmeOf(pool, campaign.programmeId);
  const { rules } = await compiledVersion(pool, campaign.programmeId, campaign.ruleVersion);
  const weights = campaign.fundingWeights ?? (await reserveWeights(ledger, programme.reserves));
  await updateCampaign(pool, campaignId, {
    status: 'crediting',
    fundingWeights: weights,
    started: true,
  });
  const outcome = await creditCampaign(
    {
      pool,
      ledger,
      ...(options.interrupted === undefined ? {} : { interrupted: options.interrupted }),
      target: {
        scope: `campagne:${campaignId}`,
        campaignId,
        programmeName: campaign.programmeName,
        funderName: programme.funderName,
        rules,
        reserves: programme.reserves,
        weights,
      },
    },
    options.onProgress,
  );
  if (outcome.status === 'interrupted')
    return findCampaignInScope(pool, null, campaignId) as Promise<CampaignRecord>;
  const after = (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
  await updateCampaign(pool, campaignId, {
    status: outcome.status,
    finished: true,
    ...(outcome.status === 'stopped'
      ? {
          stopReason: `Réserve du dispositif épuisée : ${after.creditedCount} enveloppes créditées sur ${after.eligibleCount}.`,
        }
      : {}),
  });
  return (await findCampaignInScope(pool, null, campaignId)) as CampaignRecord;
}

export async function programmeOf(
  pool: pg.Pool | pg.ClientBase,
  programmeId: number,
): Promise<ProgrammeRecord & { funderName: string }> {
  const programme = (await findProgrammeInScope(pool, null, programmeId)) as ProgrammeRecord;
  return { ...programme, funderName: await organisationName(pool, programme.organisationId) };
}
