import { z } from 'zod';
import { identifierSchema } from '../identity/schemas.js';
import { storableText } from '../platform/text.js';

// The shapes of the programmes' HTTP API. Rules themselves are validated by the rules schema,
// which names every faulty field; here they are only bounded JSON.

export const MAX_SIMULATION_SAMPLE = 5_000;

const code = (maximum: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .max(maximum);
const cents = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true });

export const beneficiaryFactsSchema = z.strictObject({
  birthDate: z.iso.date().optional(),
  communeCode: code(5).optional(),
  householdQuotientEuros: z.number().min(0).max(100_000).optional(),
  dependentChildren: z.int().min(0).max(30).optional(),
  statuses: z.array(code(40)).max(20).optional(),
  organisationKind: code(40).optional(),
  declaredExpenseCents: cents.optional(),
  custom: z
    .record(code(60), z.union([storableText(200), z.number(), z.boolean()]))
    .refine((record) => Object.keys(record).length <= 50, 'Au plus 50 attributs.')
    .optional(),
});

export const envelopeStateSchema = z.strictObject({
  creditedAt: instant,
  balanceCents: cents,
  spentTodayCents: cents,
  spentThisWeekCents: cents,
  spentThisMonthCents: cents,
  spentLifetimeCents: cents,
  spentByGroupCents: z.record(code(60), cents),
});

export const paymentContextSchema = z.strictObject({
  amountCents: cents,
  at: instant,
  merchant: z.strictObject({
    id: code(64),
    mcc: z
      .string()
      .regex(/^[0-9]{4}$/)
      .nullable(),
    naf: z.string().max(10).nullable(),
    communeCode: code(5).nullable(),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
  }),
  items: z
    .array(z.strictObject({ productCategory: code(60), amountCents: cents }))
    .max(200)
    .optional(),
});

/** Rules arrive as JSON of bounded size; their meaning is checked by `validateRuleSet`. */
export const rulesInputSchema = z.record(z.string().max(100), z.unknown());

export const programmeParamsSchema = z.strictObject({ programmeId: identifierSchema });

export const programmeViewSchema = z.object({
  id: z.number(),
  fundId: z.number(),
  axisId: z.number(),
  organisationId: z.number(),
  name: z.string(),
  description: z.string(),
  templateId: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  versions: z.object({ version: z.number(), createdAt: z.date() }).array(),
  reservedCents: z.number(),
  reserves: z.object({ contributorId: z.number(), availableCents: z.number() }).array(),
});

export const explanationSchema = z.object({
  version: z.number(),
  eligible: z.boolean(),
  amountCents: z.number(),
  explanation: z
    .object({
      kind: z.string(),
      code: z.string(),
      fulfilled: z.boolean().optional(),
      data: z.record(z.string(), z.unknown()),
      sentence: z.string(),
    })
    .array(),
  sentences: z.string().array(),
});
