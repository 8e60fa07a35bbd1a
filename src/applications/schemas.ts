import { z } from 'zod';
import { identifierSchema } from '../identity/schemas.js';
import { storableText } from '../platform/text.js';
import { APPLICATION_STATUSES, MAX_PAGE_SIZE } from './store.js';

// The shapes of the applications' HTTP API: one zod schema per shape gives the type, the
// request validation and the OpenAPI entry.

export const MAX_MESSAGE_LENGTH = 4_000;
export const MAX_REASON_LENGTH = 2_000;
export const MAX_ANSWERS = 60;

export const applicationParamsSchema = z.strictObject({ applicationId: identifierSchema });
export const documentParamsSchema = applicationParamsSchema.extend({
  documentId: identifierSchema,
});

const answerValueSchema = z.union([
  z.string().max(1_000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(100)).max(50),
  z.null(),
]);

export const submissionSchema = z.strictObject({
  programmeId: identifierSchema,
  answers: z
    .record(z.string().max(80), answerValueSchema)
    .refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, {
      message: `Au plus ${MAX_ANSWERS} réponses.`,
    }),
});

const messageText = (maximum: number) => storableText(maximum).trim().min(1);

export const messageBodySchema = z.strictObject({ body: messageText(MAX_MESSAGE_LENGTH) });
export const informationRequestSchema = z.strictObject({
  message: messageText(MAX_MESSAGE_LENGTH),
});
export const decisionSchema = z.strictObject({
  decision: z.enum(['accepted', 'refused']),
  reason: messageText(MAX_REASON_LENGTH),
  amountCents: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const listQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

const questionSchema = z.object({
  key: z.string(),
  label: z.string(),
  hint: z.string().optional(),
  input: z.string(),
  required: z.boolean(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  maxLength: z.number().optional(),
  choices: z.object({ value: z.string(), label: z.string() }).array().optional(),
});

export const openProgrammeSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  funderName: z.string(),
  publishedVersion: z.number(),
  questions: questionSchema.array(),
  /** The programme this person already has an open application to, if any. */
  openApplicationId: z.number().nullable(),
});

export const evaluationSchema = z.object({
  eligible: z.boolean(),
  amountCents: z.number(),
  sentences: z.string().array(),
  /** The steps with the data each read, for the case worker. */
  explanation: z
    .object({
      kind: z.string(),
      code: z.string(),
      fulfilled: z.boolean().optional(),
      sentence: z.string(),
    })
    .array(),
});

const statusSchema = z.enum(APPLICATION_STATUSES);

export const summarySchema = z.object({
  id: z.number(),
  programmeId: z.number(),
  programmeName: z.string(),
  funderName: z.string(),
  organisationId: z.number(),
  applicantName: z.string(),
  status: statusSchema,
  statusLabel: z.string(),
  eligible: z.boolean(),
  evaluatedAmountCents: z.number(),
  decidedAmountCents: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const documentSchema = z.object({
  id: z.number(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  createdAt: z.date(),
});

export const messageSchema = z.object({
  id: z.number(),
  authorName: z.string(),
  authorSide: z.enum(['instruction', 'demandeur']),
  body: z.string(),
  createdAt: z.date(),
});

const eventSchema = z.object({
  id: z.number(),
  fromStatus: statusSchema.nullable(),
  toStatus: statusSchema,
  toStatusLabel: z.string(),
  reason: z.string().nullable(),
  personName: z.string().nullable(),
  occurredAt: z.date(),
});

export const detailSchema = z.object({
  application: summarySchema.extend({
    ruleVersion: z.number(),
    referenceDate: z.string(),
    beneficiaryId: z.number(),
    submittedByName: z.string(),
    /** Each answer with the question it answers, in the order asked. */
    answers: z
      .object({ key: z.string(), label: z.string(), value: z.unknown(), text: z.string() })
      .array(),
    decision: z
      .object({
        decision: z.enum(['accepted', 'refused']),
        reason: z.string(),
        amountCents: z.number().nullable(),
        decidedAt: z.date(),
        attributionId: z.number().nullable(),
        attributionStatus: z.string().nullable(),
      })
      .nullable(),
  }),
  evaluation: evaluationSchema,
  documents: documentSchema.array(),
  messages: messageSchema.array(),
  history: eventSchema.array(),
});

export type ApplicationDetail = z.infer<typeof detailSchema>;
