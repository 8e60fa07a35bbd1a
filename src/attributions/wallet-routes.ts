import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { linkRecordsByEmail } from '../beneficiaries/store.js';
import { personOf } from '../identity/access.js';
import { subjectPersonId } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { findPersonById } from '../identity/people-store.js';
import { errorResponses } from '../identity/schemas.js';
import type { Ledger } from '../ledger/service.js';
import { availableCents } from '../ledger/model.js';
import type { TypedApp } from '../platform/http.js';
import { platformRuleReference } from '../programmes/rules/reference.js';
import { describeUsage } from '../programmes/rules/usage-description.js';
import { compiledVersion } from '../programmes/service.js';
import { ATTRIBUTION_STATUS_LABELS } from './model.js';
import type { AttributionRoutesOptions } from './routes.js';
import { attributionParamsSchema, envelopeSchema, movementSchema } from './schemas.js';
import { attributionsOfPerson, type AttributionRecord } from './store.js';
import { explanationOf, movementLabel } from './views.js';

// The beneficiary's wallet: one envelope per credited aid, what is left, until when, where and
// for what it pays, why it was granted, and its history. An aidant under a mandate that lets
// them see balances reads the wallet of the person who gave it.

const tags = ['porte-monnaie'];
const MAX_MOVEMENTS = 200;

async function walletOf(pool: pg.Pool, request: FastifyRequest): Promise<AttributionRecord[]> {
  const personId = subjectPersonId(personOf(request));
  const person = await findPersonById(pool, personId);
  if (person === undefined) throw identityError('resource_not_found');
  await linkRecordsByEmail(pool, personId, person.email);
  return attributionsOfPerson(pool, personId);
}

async function presentEnvelopes(pool: pg.Pool, ledger: Ledger, attributions: AttributionRecord[]) {
  const accountIds = attributions.map((attribution) => attribution.envelopeAccountId as number);
  const accounts = await ledger.findAccounts(accountIds);
  const reference = platformRuleReference();
  return Promise.all(
    attributions.map(async (attribution) => {
      const account = accounts.find((row) => row.id === attribution.envelopeAccountId);
      const { rules } = await compiledVersion(
        pool,
        attribution.programmeId,
        attribution.ruleVersion,
      );
      return {
        attributionId: attribution.id,
        programmeName: attribution.programmeName,
        funderName: attribution.funderName,
        status: attribution.status,
        statusLabel: ATTRIBUTION_STATUS_LABELS[attribution.status],
        creditedCents: attribution.amountCents,
        remainingCents: account === undefined ? 0 : availableCents(account),
        creditedAt: attribution.creditedAt,
        validUntil: attribution.validUntil,
        usage: describeUsage(rules.usage, reference),
        explanation: await explanationOf(pool, attribution),
        merchants: [],
      };
    }),
  );
}

export function registerWalletRoutes(
  app: TypedApp,
  { pool, ledger }: AttributionRoutesOptions,
): void {
  app.get(
    '/api/me/wallet',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary: 'Mes aides : une enveloppe par aide créditée',
        tags,
        response: { 200: z.object({ envelopes: z.array(envelopeSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      envelopes: await presentEnvelopes(pool, ledger, await walletOf(pool, request)),
    }),
  );
  app.get(
    '/api/me/wallet/envelopes/:attributionId',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary: 'Une de mes enveloppes et son historique',
        tags,
        params: attributionParamsSchema,
        response: {
          200: envelopeSchema.extend({ movements: z.array(movementSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const attribution = (await walletOf(pool, request)).find(
        (candidate) => candidate.id === request.params.attributionId,
      );
      if (attribution === undefined) throw identityError('resource_not_found');
      const [envelope] = await presentEnvelopes(pool, ledger, [attribution]);
      const movements = await ledger.movements(
        attribution.envelopeAccountId as number,
        MAX_MOVEMENTS,
      );
      return {
        ...(envelope as NonNullable<typeof envelope>),
        movements: movements.map((movement) => ({
          kind: movement.kind,
          label: movementLabel(movement.kind),
          amountCents: movement.amountCents,
          balanceAfterCents: movement.postedAfterCents,
          at: movement.createdAt,
        })),
      };
    },
  );
}
