import type pg from 'pg';
import type { Ledger } from '../ledger/service.js';
import { availableCents } from '../ledger/model.js';
import { explanationSentences } from '../programmes/rules/engine.js';
import { compiledVersion } from '../programmes/service.js';
import { resolveCommune } from '../reference/zones.js';
import { ATTRIBUTION_STATUS_LABELS, CAMPAIGN_STATUS_LABELS, needsSecondApproval } from './model.js';
import {
  attributionEvents,
  personNames,
  type AttributionRecord,
  type CampaignRecord,
} from './store.js';

// What the screens read: records with their labels, commune names, approvers' names, and the
// explanation recomputed from the immutable rule version that decided.

export async function presentCampaign(pool: pg.Pool, campaign: CampaignRecord) {
  const approverIds = [campaign.firstApprovedByPersonId, campaign.secondApprovedByPersonId].filter(
    (personId): personId is number => personId !== null,
  );
  const names = await personNames(pool, approverIds);
  const approvals = [
    [campaign.firstApprovedByPersonId, campaign.firstApprovedAt],
    [campaign.secondApprovedByPersonId, campaign.secondApprovedAt],
  ]
    .filter(([personId]) => personId !== null)
    .map(([personId, at]) => ({
      personId: personId as number,
      displayName: names.get(personId as number) ?? '',
      at: new Date(at as Date),
    }));
  const simulation =
    campaign.simulation === null
      ? null
      : {
          ...campaign.simulation,
          byCommune: campaign.simulation.byCommune.map((commune) => ({
            ...commune,
            communeName: resolveCommune(commune.communeCode)?.name ?? commune.communeCode,
          })),
        };
  return {
    ...campaign,
    statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status],
    simulation,
    needsSecondApproval: needsSecondApproval(campaign.totalCents, campaign.fourEyesThresholdCents),
    approvals,
  };
}

export async function explanationOf(
  pool: pg.Pool,
  attribution: Pick<AttributionRecord, 'programmeId' | 'ruleVersion' | 'facts' | 'referenceDate'>,
): Promise<string[]> {
  const { compiled } = await compiledVersion(
    pool,
    attribution.programmeId,
    attribution.ruleVersion,
  );
  return explanationSentences(compiled.evaluate(attribution.facts, attribution.referenceDate));
}

export async function remainingOf(
  ledger: Ledger,
  attribution: Pick<AttributionRecord, 'envelopeAccountId'>,
): Promise<number | null> {
  if (attribution.envelopeAccountId === null) return null;
  const [account] = await ledger.findAccounts([attribution.envelopeAccountId]);
  return account === undefined ? null : availableCents(account);
}

export async function presentAttribution(
  pool: pg.Pool,
  ledger: Ledger,
  attribution: AttributionRecord,
) {
  return {
    ...attribution,
    statusLabel: ATTRIBUTION_STATUS_LABELS[attribution.status],
    remainingCents: await remainingOf(ledger, attribution),
    explanation: await explanationOf(pool, attribution),
    events: await attributionEvents(pool, attribution.id),
  };
}

const MOVEMENT_LABELS: Record<string, string> = {
  envelope_credit: 'Crédit de l’aide',
  envelope_revocation: 'Retour à la réserve (aide révoquée)',
  envelope_expiry: 'Retour à la réserve (fin de validité)',
  payment: 'Paiement',
  refund: 'Remboursement',
};

export function movementLabel(kind: string): string {
  return MOVEMENT_LABELS[kind] ?? kind;
}
