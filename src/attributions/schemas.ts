import { z } from 'zod';
import { ATTRIBUTION_STATUSES, CAMPAIGN_STATUSES } from './model.js';

// The HTTP shapes of campaigns, attributions and wallets: validation, types and OpenAPI at once.

const MAX_COMMUNES_IN_POPULATION = 2_000;
export const MAX_REASON_LENGTH = 1_000;

const communeCode = z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, 'Code commune INSEE attendu');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date AAAA-MM-JJ attendue');
const id = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const populationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({
    kind: z.literal('import'),
    importId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  }),
  z.strictObject({
    kind: z.literal('communes'),
    communeCodes: z.array(communeCode).min(1).max(MAX_COMMUNES_IN_POPULATION),
  }),
]);

export const campaignRequestSchema = z.strictObject({
  programmeId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ruleVersion: z.number().int().min(1).max(1_000_000).optional(),
  name: z.string().trim().min(1, 'Nom requis').max(200),
  population: populationSchema,
  referenceDate: isoDate.optional(),
});

export const reasonSchema = z.strictObject({
  reason: z.string().trim().min(3, 'Motif requis (3 caractères au moins)').max(MAX_REASON_LENGTH),
});

const simulationSchema = z.object({
  referenceDate: z.string(),
  evaluated: z.number(),
  eligible: z.number(),
  totalCents: z.number(),
  byCommune: z.array(
    z.object({
      communeCode: z.string(),
      communeName: z.string().optional(),
      evaluated: z.number(),
      eligible: z.number(),
      totalCents: z.number(),
    }),
  ),
  byDepartement: z.array(
    z.object({
      departementCode: z.string(),
      evaluated: z.number(),
      eligible: z.number(),
      totalCents: z.number(),
    }),
  ),
  amountDistribution: z.array(z.object({ amountCents: z.number(), count: z.number() })),
  unmetConditions: z.array(z.object({ path: z.string(), code: z.string(), count: z.number() })),
});

const approvalSchema = z.object({ personId: z.number(), displayName: z.string(), at: z.date() });

export const campaignViewSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  programmeId: z.number(),
  programmeName: z.string(),
  ruleVersion: z.number(),
  name: z.string(),
  population: populationSchema,
  referenceDate: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  statusLabel: z.string(),
  simulation: simulationSchema.nullable(),
  examinedCount: z.number(),
  eligibleCount: z.number(),
  alreadyAttributedCount: z.number(),
  totalCents: z.number(),
  fourEyesThresholdCents: z.number(),
  needsSecondApproval: z.boolean(),
  approvals: z.array(approvalSchema),
  creditedCount: z.number(),
  creditedCents: z.number(),
  lotsDone: z.number(),
  stopReason: z.string().nullable(),
  failure: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const campaignParamsSchema = z.object({ campaignId: id });
export const attributionParamsSchema = z.object({ attributionId: id });

export const attributionListQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(ATTRIBUTION_STATUSES).optional(),
});

const eventSchema = z.object({
  fromStatus: z.enum(ATTRIBUTION_STATUSES).nullable(),
  toStatus: z.enum(ATTRIBUTION_STATUSES),
  reason: z.string(),
  personName: z.string().nullable(),
  occurredAt: z.date(),
});

export const attributionViewSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  programmeId: z.number(),
  programmeName: z.string(),
  funderName: z.string(),
  ruleVersion: z.number(),
  beneficiaryId: z.number(),
  campaignId: z.number().nullable(),
  applicationId: z.number().nullable(),
  amountCents: z.number(),
  status: z.enum(ATTRIBUTION_STATUSES),
  statusLabel: z.string(),
  referenceDate: z.string(),
  creditedAt: z.date().nullable(),
  validUntil: z.date().nullable(),
  remainingCents: z.number().nullable(),
  /** The eligibility and amount decision, recomputed from the immutable rule version. */
  explanation: z.array(z.string()),
  events: z.array(eventSchema),
});

export const campaignAttributionRowSchema = z.object({
  id: z.number(),
  beneficiaryId: z.number(),
  beneficiaryName: z.string(),
  communeCode: z.string().nullable(),
  amountCents: z.number(),
  status: z.enum(ATTRIBUTION_STATUSES),
  statusLabel: z.string(),
  explanation: z.array(z.string()),
});

export const envelopeSchema = z.object({
  attributionId: z.number(),
  programmeName: z.string(),
  funderName: z.string(),
  status: z.enum(ATTRIBUTION_STATUSES),
  statusLabel: z.string(),
  creditedCents: z.number(),
  remainingCents: z.number(),
  creditedAt: z.date().nullable(),
  validUntil: z.date().nullable(),
  /** Where and for what it pays, in sentences. */
  usage: z.object({ places: z.array(z.string()), sentences: z.array(z.string()) }),
  /** Why it was granted, and how much. */
  explanation: z.array(z.string()),
  /** The merchants approved for the programme (none until merchants sign agreements). */
  merchants: z.array(
    z.object({ id: z.number(), name: z.string(), communeName: z.string().nullable() }),
  ),
});

export const movementSchema = z.object({
  kind: z.string(),
  label: z.string(),
  amountCents: z.number(),
  balanceAfterCents: z.number(),
  at: z.date(),
});

export const fourEyesSettingsSchema = z.strictObject({
  fourEyesThresholdCents: z.number().int().min(0).max(10_000_000_000_000),
});
export const organisationParamsSchema = z.object({ organisationId: id });
