import { z } from 'zod';
import { personOf } from '../identity/access.js';
import { subjectPersonId } from '../identity/actor.js';
import { journalContextOf } from '../identity/journal.js';
import { errorResponses } from '../identity/schemas.js';
import type { TypedApp } from '../platform/http.js';
import { claimRecord, correctOwnContact, ownRecords, presentOwnRecord } from './own-records.js';
import type { BeneficiaryRoutesOptions } from './routes.js';
import { beneficiaryParamsSchema, contactPatchSchema } from './schemas.js';

// A beneficiary's own records, or those of the person an aidant acts for under a mandate.

const tags = ['mes aides'];

const ownRecordSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  funderName: z.string(),
  kind: z.enum(['personne', 'organisation']),
  familyName: z.string().nullable(),
  givenNames: z.string().nullable(),
  legalName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  communeCode: z.string().nullable(),
  communeName: z.string().nullable(),
});

const recordAnswer = z.object({ record: ownRecordSchema });

export function registerOwnRecordRoutes(app: TypedApp, { pool }: BeneficiaryRoutesOptions): void {
  app.get(
    '/api/me/beneficiary-records',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary:
          'Mes fiches chez les financeurs (rattachées d’abord par l’adresse électronique du compte)',
        tags,
        response: { 200: z.object({ records: ownRecordSchema.array() }), ...errorResponses },
      },
    },
    async (request) => {
      const personId = subjectPersonId(personOf(request));
      const context = journalContextOf(request.actor, request.id);
      const records = await ownRecords(pool, context, personId);
      return { records: records.map(presentOwnRecord) };
    },
  );
  app.patch(
    '/api/me/beneficiary-records/:beneficiaryId',
    {
      config: { permission: 'own_contact.update' },
      schema: {
        summary: 'Corriger mes coordonnées (courriel, téléphone, adresse) chez un financeur',
        tags,
        params: beneficiaryParamsSchema,
        body: contactPatchSchema,
        response: { 200: recordAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const personId = subjectPersonId(personOf(request));
      const context = journalContextOf(request.actor, request.id);
      const record = await correctOwnContact(
        pool,
        context,
        personId,
        request.params.beneficiaryId,
        request.body,
      );
      return { record: presentOwnRecord(record) };
    },
  );
  app.post(
    '/api/me/beneficiary-records/claim',
    {
      config: { permission: 'own_contact.update' },
      schema: {
        summary: 'Rattacher à mon compte la fiche désignée par le code reçu dans un message',
        tags,
        body: z.strictObject({ claimCode: z.string().trim().min(1).max(40) }),
        response: { 200: recordAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const personId = subjectPersonId(personOf(request));
      const context = journalContextOf(request.actor, request.id);
      const record = await claimRecord(pool, context, personId, request.body.claimCode);
      return { record: presentOwnRecord(record) };
    },
  );
}
