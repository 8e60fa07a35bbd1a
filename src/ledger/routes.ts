import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpError } from '../platform/errors.js';
import { availableCents, type TransferRequest, type TransferResult } from './model.js';
import { TRANSFER_RESULTS, TRANSFER_RESULT_MESSAGES } from './results.js';
import {
  accountParamsSchema,
  accountSchema,
  createAccountsBodySchema,
  errorSchema,
  submitTransfersBodySchema,
  submitTransfersResponseSchema,
} from './schemas.js';
import type { Ledger } from './service.js';
import type { AccountRow } from './store.js';

export type LedgerRoutesOptions = { ledger: Ledger };

const SUMMARY_MESSAGES = {
  transfers_recorded: 'Tous les virements sont enregistrés.',
  transfers_partially_recorded: 'Une partie des virements est refusée : voir le code de chacun.',
  transfers_refused: 'Aucun virement n’est enregistré : voir le code de chacun.',
  overloaded: 'Registre surchargé : rien n’est enregistré, réessayez dans un instant.',
} as const;

type Summary = keyof typeof SUMMARY_MESSAGES;

/** One status for the whole request: all recorded, some, none, or none because of load. */
function summarise(results: TransferResult[]): { status: 200 | 207 | 422 | 503; code: Summary } {
  const succeeded = results.filter((result) => TRANSFER_RESULTS[result.code].succeeded).length;
  if (succeeded === results.length) return { status: 200, code: 'transfers_recorded' };
  if (succeeded > 0) return { status: 207, code: 'transfers_partially_recorded' };
  const loadOnly = results.every((result) =>
    ['overloaded', 'deadline_exceeded', 'writer_stopped'].includes(result.code),
  );
  return loadOnly
    ? { status: 503, code: 'overloaded' }
    : { status: 422, code: 'transfers_refused' };
}

function presentAccount(account: AccountRow) {
  return {
    id: account.id,
    kind: account.kind,
    ownerType: account.ownerType,
    ownerId: account.ownerId,
    label: account.label,
    currency: account.currency,
    mayGoNegative: account.mayGoNegative,
    postedCents: account.postedCents,
    pendingDebitsCents: account.pendingDebitsCents,
    pendingCreditsCents: account.pendingCreditsCents,
    availableCents: availableCents(account),
    version: account.version,
  };
}

type LedgerApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const security = [{ operatorToken: [] }];
const protectedErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

function presentResults(transfers: TransferRequest[], results: TransferResult[]) {
  return results.map((result, index) => ({
    clientId: (transfers[index] as TransferRequest).clientId,
    code: result.code,
    message: TRANSFER_RESULT_MESSAGES[result.code],
    retryable: TRANSFER_RESULTS[result.code].retryable,
    ...(result.sequence === undefined ? {} : { sequence: result.sequence }),
  }));
}

function registerSubmitTransfers(app: LedgerApp, ledger: Ledger): void {
  app.post(
    '/api/ledger/transfers',
    {
      config: { permission: 'ledger.write' },
      schema: {
        summary: 'Soumettre des virements (idempotents sur clientId ; chaînes liées tout-ou-rien)',
        tags: ['registre'],
        security,
        body: submitTransfersBodySchema,
        response: {
          200: submitTransfersResponseSchema,
          207: submitTransfersResponseSchema,
          422: submitTransfersResponseSchema,
          503: submitTransfersResponseSchema,
          ...protectedErrors,
        },
      },
    },
    async (request, reply) => {
      const transfers = request.body.transfers as TransferRequest[];
      const results = await ledger.submit(transfers, 'client');
      const summary = summarise(results);
      if (summary.status === 503) void reply.header('retry-after', '1');
      return reply.status(summary.status).send({
        code: summary.code,
        message: SUMMARY_MESSAGES[summary.code],
        results: presentResults(transfers, results),
      });
    },
  );
}

function registerAccounts(app: LedgerApp, ledger: Ledger): void {
  app.post(
    '/api/ledger/accounts',
    {
      config: { permission: 'ledger.write' },
      schema: {
        summary: 'Ouvrir des comptes',
        tags: ['registre'],
        security,
        body: createAccountsBodySchema,
        response: { 201: accountSchema.array(), ...protectedErrors },
      },
    },
    async (request, reply) => {
      const accounts = await ledger.createAccounts(request.body.accounts);
      return reply.status(201).send(accounts.map(presentAccount));
    },
  );
  app.get(
    '/api/ledger/accounts/:accountId',
    {
      config: { permission: 'ledger.read' },
      schema: {
        summary: 'Lire un compte et ses soldes',
        tags: ['registre'],
        security,
        params: accountParamsSchema,
        response: { 200: accountSchema, 404: errorSchema, ...protectedErrors },
      },
    },
    async (request) => {
      const account = await ledger.findAccount(request.params.accountId);
      if (account === undefined) {
        throw new HttpError(404, 'account_not_found', TRANSFER_RESULT_MESSAGES.account_not_found);
      }
      return presentAccount(account);
    },
  );
}

export const ledgerRoutes: FastifyPluginAsync<LedgerRoutesOptions> = async (plugin, options) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  registerSubmitTransfers(app, options.ledger);
  registerAccounts(app, options.ledger);
};
