import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../src/ledger/model.js';
import { startTestServer, TEST_OPERATOR_TOKEN, type TestServer } from '../support/server.js';
import {
  catalogMessage,
  expectError,
  expectFrench,
  expectNoStackTrace,
  httpClient,
  type HttpAnswer,
  type HttpClient,
} from './http-helpers.js';

// The ledger's HTTP API on the real application: the operator token, money moving through
// accounts, idempotency, and every malformed or hostile request refused with nothing written.

const TRANSFERS = '/api/ledger/transfers';
const ACCOUNTS = '/api/ledger/accounts';
const LEDGER_TABLES = [
  'ledger_accounts',
  'ledger_transfers',
  'ledger_entries',
  'ledger_open_pendings',
  'ledger_chain_head',
];
const INJECTION = "'; drop table ledger_transfers; --";

type Account = {
  id: number;
  kind: string;
  ownerType: string;
  ownerId: string;
  label: string;
  currency: string;
  mayGoNegative: boolean;
  postedCents: number;
  pendingDebitsCents: number;
  pendingCreditsCents: number;
  availableCents: number;
  version: number;
};

type TransferResultBody = {
  clientId: string;
  code: string;
  message: string;
  retryable: boolean;
  sequence?: number;
};

type TransfersBody = { code: string; message: string; results: TransferResultBody[] };

type Entry = { accountId: number; amountCents: number };

let server: TestServer;
let http: HttpClient;
/** May go negative: where public money comes from. */
let contributor: Account;
/** A beneficiary's envelope: never negative. */
let envelope: Account;
/** A merchant's payable account: never negative. */
let merchant: Account;
let clientIdCounter = 0;

function nextClientId(prefix = 'api'): string {
  clientIdCounter += 1;
  return `${prefix}-${clientIdCounter}`;
}

function posted(
  entries: Entry[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    clientId: nextClientId(),
    kind: 'test',
    phase: 'posted',
    currency: 'EUR',
    entries,
    ...overrides,
  };
}

function move(fromId: number, toId: number, amountCents: number): Entry[] {
  return [
    { accountId: fromId, amountCents: -amountCents },
    { accountId: toId, amountCents },
  ];
}

async function submit(...transfers: unknown[]): Promise<HttpAnswer> {
  return http.post(TRANSFERS, { transfers });
}

async function readAccount(id: number): Promise<Account> {
  const answer = await http.get(`${ACCOUNTS}/${id}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as Account;
}

type LedgerState = {
  transfers: number;
  entries: number;
  accounts: number;
  openPendings: number;
  balances: Account[];
};

/** What a refused request must leave untouched: the ledger's totals and every balance. */
async function ledgerState(): Promise<LedgerState> {
  const report = await server.application.ledger.verify();
  expect(report.violations).toEqual([]);
  const ids = (
    await server.database.pool.query<{ id: number }>('select id from ledger_accounts order by id')
  ).rows.map((row) => row.id);
  return {
    transfers: report.transfers,
    entries: report.entries,
    accounts: report.accounts,
    openPendings: report.openPendings,
    balances: await Promise.all(ids.map(readAccount)),
  };
}

/** Runs `act`, then checks that the ledger is exactly as before and still verifies. */
async function expectNothingWritten(act: () => Promise<void>): Promise<void> {
  const before = await ledgerState();
  await act();
  const after = await ledgerState();
  expect(after).toEqual(before);
}

async function expectTablesExist(): Promise<void> {
  const result = await server.database.pool.query<{ name: string; found: string | null }>(
    `select name, to_regclass(name)::text as found from unnest($1::text[]) as name`,
    [LEDGER_TABLES],
  );
  for (const row of result.rows) expect(row.found, row.name).toBe(row.name);
}

/** The whole request refused by the ledger (422), with the code of each transfer. */
function expectRefused(answer: HttpAnswer, codes: string[]): void {
  expect(answer.status, answer.text).toBe(422);
  const body = answer.json as TransfersBody;
  expect(body.code).toBe('transfers_refused');
  expectFrench(body.message);
  expect(body.results.map((result) => result.code)).toEqual(codes);
  for (const result of body.results) {
    expectFrench(result.message);
    expect(result.message).toBe(catalogMessage(result.code));
    // Only a clash names a sequence: that of the transfer already holding the clientId.
    if (result.code !== 'exists_with_different_content') expect(result.sequence).toBeUndefined();
  }
  expectNoStackTrace(answer);
}

function expectRecorded(answer: HttpAnswer): TransferResultBody[] {
  expect(answer.status, answer.text).toBe(200);
  const body = answer.json as TransfersBody;
  expect(body.code).toBe('transfers_recorded');
  expectFrench(body.message);
  for (const result of body.results) {
    expect(['created', 'already_exists']).toContain(result.code);
    expect(result.retryable).toBe(false);
    expect(Number.isSafeInteger(result.sequence)).toBe(true);
    expect(result.message).toBe(catalogMessage(result.code));
  }
  return body.results;
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  http = httpClient(server.baseUrl);
  const answer = await http.post(ACCOUNTS, {
    accounts: [
      {
        kind: 'contributor',
        ownerType: 'organisation',
        ownerId: 'etat',
        label: 'État',
        currency: 'EUR',
        mayGoNegative: true,
      },
      {
        kind: 'beneficiary_envelope',
        ownerType: 'attribution',
        ownerId: 'a-1',
        currency: 'EUR',
        mayGoNegative: false,
      },
      {
        kind: 'merchant_payable',
        ownerType: 'merchant',
        ownerId: 'boulangerie',
        currency: 'EUR',
        mayGoNegative: false,
      },
    ],
  });
  expect(answer.status, answer.text).toBe(201);
  [contributor, envelope, merchant] = answer.json as [Account, Account, Account];
  // Some money in the envelope, so that refused payments have something to protect.
  expectRecorded(await submit(posted(move(contributor.id, envelope.id, 50_000))));
});

afterEach(async () => {
  // Whatever a test did, the ledger must still verify: balances, double entry, hash chain.
  if (server === undefined) return;
  const report = await server.application.ledger.verify();
  expect(report.violations).toEqual([]);
});

afterAll(async () => {
  await server?.close();
});

describe('API du registre : jeton opérateur', () => {
  it('sans jeton, chaque route répond 401 authentication_required et rien n’est écrit', async () => {
    await expectNothingWritten(async () => {
      const unauthenticated = { authorization: null };
      expectError(
        await http.post(
          TRANSFERS,
          { transfers: [posted(move(contributor.id, envelope.id, 100))] },
          unauthenticated,
        ),
        401,
        'authentication_required',
      );
      expectError(
        await http.post(
          ACCOUNTS,
          {
            accounts: [
              {
                kind: 'suspense',
                ownerType: 'x',
                ownerId: 'x',
                currency: 'EUR',
                mayGoNegative: true,
              },
            ],
          },
          unauthenticated,
        ),
        401,
        'authentication_required',
      );
      expectError(
        await http.get(`${ACCOUNTS}/${envelope.id}`, unauthenticated),
        401,
        'authentication_required',
      );
    });
  });

  it('un jeton faux ou mal présenté répond 401 operator_token_invalid', async () => {
    await expectNothingWritten(async () => {
      for (const authorization of [
        'Bearer mauvais-jeton-mauvais-jeton-mauvais-jeton',
        `Bearer ${TEST_OPERATOR_TOKEN}x`,
        `Bearer ${TEST_OPERATOR_TOKEN.slice(0, -1)}`,
        `Bearer ${TEST_OPERATOR_TOKEN.toUpperCase()}`,
        `bearer ${TEST_OPERATOR_TOKEN}`,
        `Basic ${Buffer.from(`operateur:${TEST_OPERATOR_TOKEN}`).toString('base64')}`,
        TEST_OPERATOR_TOKEN,
        'Bearer ',
      ]) {
        expectError(
          await http.post(
            TRANSFERS,
            { transfers: [posted(move(contributor.id, envelope.id, 100))] },
            { authorization },
          ),
          401,
          'operator_token_invalid',
        );
      }
    });
  });

  it('un payload non authentifié n’est même pas lu : 401 avant 400 ou 413', async () => {
    expectError(
      await http.request('POST', TRANSFERS, { raw: '{pas du json', authorization: null }),
      401,
      'authentication_required',
    );
    expectError(
      await http.request('POST', TRANSFERS, {
        raw: 'x'.repeat(300_000),
        authorization: null,
      }),
      401,
      'authentication_required',
    );
  });

  it('sans jeton configuré, l’accès opérateur est désactivé : 403 operator_access_disabled', async () => {
    const closed = await startTestServer({
      web: false,
      environment: { FLECHAGE_OPERATOR_TOKEN: undefined },
    });
    try {
      const client = httpClient(closed.baseUrl);
      // Even the token that opens the other server, even an empty Bearer, opens nothing here.
      for (const authorization of [`Bearer ${TEST_OPERATOR_TOKEN}`, 'Bearer ', null]) {
        const [status, code] =
          authorization === null
            ? [401, 'authentication_required']
            : [403, 'operator_access_disabled'];
        expectError(
          await client.post(TRANSFERS, { transfers: [] }, { authorization }),
          status,
          code,
        );
        expectError(await client.get(`${ACCOUNTS}/1`, { authorization }), status, code);
        expectError(await client.post(ACCOUNTS, { accounts: [] }, { authorization }), status, code);
      }
      const report = await closed.application.ledger.verify();
      expect(report.accounts).toBe(0);
      expect(report.transfers).toBe(0);
      // The rest of the platform stays open.
      expect((await client.get('/health', { authorization: null })).status).toBe(200);
    } finally {
      await closed.close();
    }
  });
});

describe('API du registre : comptes et virements', () => {
  it('ouvre des comptes et renvoie 201 avec leurs soldes à zéro', async () => {
    const answer = await http.post(ACCOUNTS, {
      accounts: [
        {
          kind: 'suspense',
          ownerType: 'platform',
          ownerId: 'attente',
          label: 'Compte d’attente',
          currency: 'EUR',
          mayGoNegative: true,
        },
      ],
    });
    expect(answer.status, answer.text).toBe(201);
    const [created] = answer.json as Account[];
    expect(created).toMatchObject({
      kind: 'suspense',
      ownerType: 'platform',
      ownerId: 'attente',
      label: 'Compte d’attente',
      currency: 'EUR',
      mayGoNegative: true,
      postedCents: 0,
      pendingDebitsCents: 0,
      pendingCreditsCents: 0,
      availableCents: 0,
      version: 0,
    });
    expect(await readAccount(created!.id)).toEqual(created);
  });

  it('crédite une enveloppe, paie un commerçant et lit les soldes à jour', async () => {
    const [envelopeBefore, merchantBefore, contributorBefore] = await Promise.all([
      readAccount(envelope.id),
      readAccount(merchant.id),
      readAccount(contributor.id),
    ]);
    const credit = posted(move(contributor.id, envelope.id, 10_000), {
      kind: 'attribution',
      reference: 'Chèque alimentation',
      metadata: { dispositif: 'alimentation', annee: 2025, urgent: false },
    });
    const payment = posted(move(envelope.id, merchant.id, 2_500), { kind: 'paiement' });
    const results = expectRecorded(await submit(credit, payment));
    expect(results.map((result) => result.code)).toEqual(['created', 'created']);
    expect(results.map((result) => result.clientId)).toEqual([credit.clientId, payment.clientId]);
    expect(results[1]!.sequence).toBe(results[0]!.sequence! + 1);

    const [envelopeAfter, merchantAfter, contributorAfter] = await Promise.all([
      readAccount(envelope.id),
      readAccount(merchant.id),
      readAccount(contributor.id),
    ]);
    expect(contributorAfter.postedCents).toBe(contributorBefore.postedCents - 10_000);
    expect(envelopeAfter.postedCents).toBe(envelopeBefore.postedCents + 10_000 - 2_500);
    expect(envelopeAfter.availableCents).toBe(envelopeAfter.postedCents);
    expect(envelopeAfter.version).toBe(envelopeBefore.version + 2);
    expect(merchantAfter.postedCents).toBe(merchantBefore.postedCents + 2_500);
    expect(merchantAfter.version).toBe(merchantBefore.version + 1);
  });

  it('réserve puis confirme une partie d’une réservation', async () => {
    const reservation = {
      clientId: nextClientId('reservation'),
      kind: 'reservation',
      phase: 'pending',
      currency: 'EUR',
      timeoutSeconds: 3_600,
      entries: move(envelope.id, merchant.id, 3_000),
    };
    const before = await readAccount(envelope.id);
    expectRecorded(await submit(reservation));
    const reserved = await readAccount(envelope.id);
    expect(reserved.postedCents).toBe(before.postedCents);
    expect(reserved.pendingDebitsCents).toBe(before.pendingDebitsCents + 3_000);
    expect(reserved.availableCents).toBe(before.availableCents - 3_000);

    expectRecorded(
      await submit({
        clientId: nextClientId('confirmation'),
        kind: 'confirmation',
        phase: 'post_pending',
        currency: 'EUR',
        pendingClientId: reservation.clientId,
        entries: move(envelope.id, merchant.id, 1_200),
      }),
    );
    const confirmed = await readAccount(envelope.id);
    expect(confirmed.pendingDebitsCents).toBe(before.pendingDebitsCents);
    expect(confirmed.postedCents).toBe(before.postedCents - 1_200);
  });

  it('un rejeu identique répond already_exists avec la même séquence et ne change rien', async () => {
    const transfer = posted(move(contributor.id, envelope.id, 777), {
      reference: 'rejeu',
      metadata: { b: 2, a: 'un' },
    });
    const [first] = expectRecorded(await submit(transfer));
    expect(first!.code).toBe('created');
    await expectNothingWritten(async () => {
      const [replayed] = expectRecorded(await submit(transfer));
      expect(replayed).toMatchObject({ code: 'already_exists', sequence: first!.sequence });
      // The order of metadata keys is not part of the content.
      const reordered = { ...transfer, metadata: { a: 'un', b: 2 } };
      const [again] = expectRecorded(await submit(reordered));
      expect(again).toMatchObject({ code: 'already_exists', sequence: first!.sequence });
    });
  });

  it('le même clientId avec un autre contenu répond exists_with_different_content sans rien changer', async () => {
    const transfer = posted(move(contributor.id, envelope.id, 500));
    const [original] = expectRecorded(await submit(transfer));
    await expectNothingWritten(async () => {
      for (const changed of [
        { ...transfer, entries: move(contributor.id, envelope.id, 501) },
        { ...transfer, entries: move(contributor.id, merchant.id, 500) },
        { ...transfer, kind: 'autre' },
        { ...transfer, reference: 'ajoutée' },
        { ...transfer, linked: false, metadata: { x: 1 } },
      ]) {
        const answer = await submit(changed);
        expectRefused(answer, ['exists_with_different_content']);
        expect((answer.json as TransfersBody).results[0]!.sequence).toBe(original!.sequence);
      }
    });
  });

  it('un lot en partie refusé répond 207 : le bon virement passe, le mauvais est nommé', async () => {
    const good = posted(move(contributor.id, envelope.id, 100));
    const overdraft = posted(move(merchant.id, envelope.id, 1_000_000_000));
    const answer = await submit(good, overdraft);
    expect(answer.status, answer.text).toBe(207);
    const body = answer.json as TransfersBody;
    expect(body.code).toBe('transfers_partially_recorded');
    expectFrench(body.message);
    expect(body.results.map((result) => [result.code, result.retryable])).toEqual([
      ['created', false],
      ['insufficient_funds', true],
    ]);
    expect(body.results[1]!.sequence).toBeUndefined();
  });

  it('lire un compte inconnu répond 404 account_not_found', async () => {
    expectError(await http.get(`${ACCOUNTS}/987654321`), 404, 'account_not_found');
    expectError(await http.get(`${ACCOUNTS}/${Number.MAX_SAFE_INTEGER}`), 404, 'account_not_found');
  });

  it('un identifiant de compte non numérique dans l’adresse répond 400', async () => {
    for (const id of [
      'abc',
      '1.5',
      '0',
      '-1',
      '1e400',
      '99999999999999999999',
      "1'%20or%20'1'='1",
      '%7B%22%24gt%22%3A%22%22%7D',
      'NaN',
      'Infinity',
    ]) {
      expectError(await http.get(`${ACCOUNTS}/${id}`), 400, 'validation_failed');
    }
  });

  it('un registre saturé répond 503 overloaded avec Retry-After et n’écrit rien', async () => {
    const saturated = await startTestServer({
      web: false,
      environment: { FLECHAGE_LEDGER_MAX_QUEUE: '1' },
    });
    try {
      const client = httpClient(saturated.baseUrl);
      const opened = await client.post(ACCOUNTS, {
        accounts: [
          {
            kind: 'contributor',
            ownerType: 'o',
            ownerId: 'a',
            currency: 'EUR',
            mayGoNegative: true,
          },
          { kind: 'suspense', ownerType: 'o', ownerId: 'b', currency: 'EUR', mayGoNegative: true },
        ],
      });
      const [from, to] = opened.json as [Account, Account];
      const answer = await client.post(TRANSFERS, {
        transfers: [posted(move(from.id, to.id, 1)), posted(move(from.id, to.id, 2))],
      });
      expect(answer.status, answer.text).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      const body = answer.json as TransfersBody;
      expect(body.code).toBe('overloaded');
      expectFrench(body.message);
      expect(body.results.map((result) => [result.code, result.retryable])).toEqual([
        ['overloaded', true],
        ['overloaded', true],
      ]);
      expect((await saturated.application.ledger.verify()).transfers).toBe(0);
    } finally {
      await saturated.close();
    }
  });
});

type BadCase = {
  name: string;
  /** The request body, or raw JSON text when it cannot be written as a JS value. */
  body?: unknown;
  raw?: () => string;
  status: 400 | 422;
  /** For a 400, the error code; for a 422, the code of each transfer. */
  codes: string | string[];
  /** For a 400, a field that the details must name. */
  field?: string;
};

type AccountIds = { c: number; e: number; m: number };

/** The cases, for given contributor, envelope and merchant account ids. */
function badCases({ c, e, m }: AccountIds): BadCase[] {
  const one = (transfer: unknown): { transfers: unknown[] } => ({ transfers: [transfer] });
  const entriesOf = (amounts: number[], ids = [c, e, m]): Entry[] =>
    amounts.map((amountCents, index) => ({ accountId: ids[index]!, amountCents }));
  return [
    {
      name: 'deux écritures négatives',
      body: one(posted(entriesOf([-100, -100]))),
      status: 422,
      codes: ['entries_not_balanced'],
    },
    {
      name: 'un paiement plus grand que le solde (enveloppe négative)',
      body: one(posted(move(e, m, 10_000_000_000))),
      status: 422,
      codes: ['insufficient_funds'],
    },
    {
      name: 'un montant nul',
      body: one(posted(entriesOf([0, 0]))),
      status: 422,
      codes: ['amount_zero'],
    },
    {
      name: 'une seule écriture',
      body: one(posted([{ accountId: e, amountCents: 100 }])),
      status: 422,
      codes: ['entries_too_few'],
    },
    {
      name: 'aucune écriture',
      body: one(posted([])),
      status: 422,
      codes: ['entries_too_few'],
    },
    {
      name: 'des écritures déséquilibrées',
      body: one(posted(entriesOf([-100, 99]))),
      status: 422,
      codes: ['entries_not_balanced'],
    },
    {
      name: 'un montant décimal (12.5)',
      body: one(posted(entriesOf([-12.5, 12.5]))),
      status: 400,
      codes: 'validation_failed',
      field: 'amountCents',
    },
    {
      name: 'un montant de 1e20',
      body: one(posted(entriesOf([-1e20, 1e20]))),
      status: 400,
      codes: 'validation_failed',
      field: 'amountCents',
    },
    {
      name: 'un montant au-delà de 2^53 envoyé en texte JSON brut',
      raw: () =>
        `{"transfers":[{"clientId":"${nextClientId()}","kind":"test","phase":"posted","currency":"EUR",` +
        `"entries":[{"accountId":${c},"amountCents":-9007199254740993},` +
        `{"accountId":${e},"amountCents":9007199254740993}]}]}`,
      status: 400,
      codes: 'validation_failed',
      field: 'amountCents',
    },
    {
      name: 'un montant au-delà de la limite par écriture (1e13 + 1)',
      body: one(posted(entriesOf([-(1e13 + 1), 1e13 + 1]))),
      status: 422,
      codes: ['amount_too_large'],
    },
    {
      name: 'un montant en chaîne ("100")',
      body: one(
        posted([
          { accountId: c, amountCents: '-100' },
          { accountId: e, amountCents: '100' },
        ] as unknown as Entry[]),
      ),
      status: 400,
      codes: 'validation_failed',
      field: 'amountCents',
    },
    {
      name: 'une devise inconnue (USD)',
      body: one(posted(move(c, e, 100), { currency: 'USD' })),
      status: 400,
      codes: 'validation_failed',
      field: 'currency',
    },
    {
      name: 'une devise en minuscules (eur)',
      body: one(posted(move(c, e, 100), { currency: 'eur' })),
      status: 400,
      codes: 'validation_failed',
      field: 'currency',
    },
    {
      name: 'un compte inconnu',
      body: one(posted(move(c, 987_654_321, 100))),
      status: 422,
      codes: ['account_not_found'],
    },
    {
      name: 'un compte d’identifiant nul ou négatif',
      body: { transfers: [posted(move(c, 0, 100)), posted(move(-5, e, 100))] },
      status: 422,
      codes: ['account_not_found', 'account_not_found'],
    },
    {
      name: 'un même compte deux fois',
      body: one(
        posted([
          { accountId: c, amountCents: -100 },
          { accountId: e, amountCents: 50 },
          { accountId: e, amountCents: 50 },
        ]),
      ),
      status: 422,
      codes: ['account_repeated'],
    },
    {
      name: 'trop d’écritures (65)',
      body: one(
        posted(
          Array.from({ length: 65 }, (_unused, index) => ({
            accountId: c + index,
            amountCents: index === 0 ? -64 : 1,
          })),
        ),
      ),
      status: 400,
      codes: 'validation_failed',
      field: 'entries',
    },
    {
      name: 'trop de virements (1001)',
      body: {
        transfers: Array.from({ length: 1_001 }, () => posted(move(c, e, 1))),
      },
      status: 400,
      codes: 'validation_failed',
      field: 'transfers',
    },
    {
      name: 'aucun virement',
      body: { transfers: [] },
      status: 400,
      codes: 'validation_failed',
      field: 'transfers',
    },
    {
      name: 'un clientId de 129 caractères',
      body: one(posted(move(c, e, 100), { clientId: 'c'.repeat(129) })),
      status: 400,
      codes: 'validation_failed',
      field: 'clientId',
    },
    {
      name: 'une référence de 201 caractères',
      body: one(posted(move(c, e, 100), { reference: 'r'.repeat(201) })),
      status: 400,
      codes: 'validation_failed',
      field: 'reference',
    },
    {
      name: 'un champ inconnu dans le corps',
      body: { ...one(posted(move(c, e, 100))), dryRun: true },
      status: 400,
      codes: 'validation_failed',
    },
    {
      name: 'un champ inconnu dans un virement',
      body: one(posted(move(c, e, 100), { sequence: 1 })),
      status: 400,
      codes: 'validation_failed',
    },
    {
      name: 'un champ inconnu dans une écriture',
      body: one(
        posted([
          { accountId: c, amountCents: -100, currency: 'EUR' },
          { accountId: e, amountCents: 100 },
        ] as Entry[]),
      ),
      status: 400,
      codes: 'validation_failed',
    },
    {
      name: 'un clientId en forme d’injection SQL',
      body: one(posted(move(c, e, 100), { clientId: INJECTION })),
      status: 422,
      codes: ['invalid_client_id'],
    },
    {
      name: 'une nature en forme d’injection SQL',
      body: one(posted(move(c, e, 100), { kind: INJECTION })),
      status: 422,
      codes: ['invalid_kind'],
    },
    {
      name: 'un objet {"$gt": ""} comme clientId',
      body: one(posted(move(c, e, 100), { clientId: { $gt: '' } })),
      status: 400,
      codes: 'validation_failed',
      field: 'clientId',
    },
    {
      name: 'un objet {"$gt": ""} comme compte',
      body: one(
        posted([
          { accountId: { $gt: '' }, amountCents: -100 },
          { accountId: e, amountCents: 100 },
        ] as unknown as Entry[]),
      ),
      status: 400,
      codes: 'validation_failed',
      field: 'accountId',
    },
    {
      name: 'un objet {"$gt": ""} comme montant',
      body: one(
        posted([
          { accountId: c, amountCents: { $gt: '' } },
          { accountId: e, amountCents: 100 },
        ] as unknown as Entry[]),
      ),
      status: 400,
      codes: 'validation_failed',
      field: 'amountCents',
    },
    {
      name: 'un objet {"$gt": ""} comme valeur de métadonnée',
      body: one(posted(move(c, e, 100), { metadata: { note: { $gt: '' } } })),
      status: 400,
      codes: 'validation_failed',
      field: 'metadata',
    },
    {
      name: 'un objet {"$gt": ""} à la place de la liste',
      body: { transfers: { $gt: '' } },
      status: 400,
      codes: 'validation_failed',
      field: 'transfers',
    },
    {
      name: 'une clé __proto__ dans les métadonnées',
      raw: () =>
        `{"transfers":[{"clientId":"${nextClientId()}","kind":"test","phase":"posted","currency":"EUR",` +
        `"entries":[{"accountId":${c},"amountCents":-100},{"accountId":${e},"amountCents":100}],` +
        `"metadata":{"__proto__":{"isAdmin":true}}}]}`,
      status: 400,
      codes: 'invalid_json',
    },
    {
      name: 'une clé __proto__ à valeur simple dans les métadonnées',
      raw: () =>
        `{"transfers":[{"clientId":"${nextClientId()}","kind":"test","phase":"posted","currency":"EUR",` +
        `"entries":[{"accountId":${c},"amountCents":-100},{"accountId":${e},"amountCents":100}],` +
        `"metadata":{"__proto__":"x"}}]}`,
      status: 400,
      codes: 'invalid_json',
    },
    {
      name: 'une métadonnée décimale',
      body: one(posted(move(c, e, 100), { metadata: { taux: 1.5 } })),
      status: 400,
      codes: 'validation_failed',
      field: 'metadata',
    },
    {
      name: 'une métadonnée tableau',
      body: one(posted(move(c, e, 100), { metadata: { liste: [1, 2] } })),
      status: 400,
      codes: 'validation_failed',
      field: 'metadata',
    },
    {
      name: 'trop de clés de métadonnées (33)',
      body: one(
        posted(move(c, e, 100), {
          metadata: Object.fromEntries(Array.from({ length: 33 }, (_u, i) => [`k${i}`, i])),
        }),
      ),
      status: 400,
      codes: 'validation_failed',
      field: 'metadata',
    },
    {
      name: 'une clé de métadonnée vide',
      body: one(posted(move(c, e, 100), { metadata: { '': 'vide' } })),
      status: 422,
      codes: ['metadata_invalid'],
    },
    {
      name: 'la phase expire_pending, réservée à la plateforme',
      body: one({
        clientId: nextClientId(),
        kind: 'expiration',
        phase: 'expire_pending',
        currency: 'EUR',
        pendingClientId: 'reservation-ouverte',
      }),
      status: 400,
      codes: 'validation_failed',
      field: 'phase',
    },
    {
      name: 'un délai d’expiration sur un virement comptabilisé',
      body: one(posted(move(c, e, 100), { timeoutSeconds: 60 })),
      status: 422,
      codes: ['timeout_out_of_range'],
    },
    {
      name: 'une réservation désignée sur un virement comptabilisé',
      body: one(posted(move(c, e, 100), { pendingClientId: 'quelconque' })),
      status: 422,
      codes: ['pending_reference_unexpected'],
    },
    {
      name: 'une chaîne liée dont le second virement échoue',
      body: {
        transfers: [posted(move(c, e, 100), { linked: true }), posted(move(e, m, 10_000_000_000))],
      },
      status: 422,
      codes: ['linked_event_failed', 'insufficient_funds'],
    },
    {
      name: 'une chaîne liée dont le second virement vise un compte inconnu',
      body: {
        transfers: [
          posted(move(c, e, 100), { linked: true }),
          posted(move(c, m, 100), { linked: true }),
          posted(move(c, 987_654_321, 100)),
        ],
      },
      status: 422,
      codes: ['linked_event_failed', 'linked_event_failed', 'account_not_found'],
    },
    {
      name: 'une chaîne liée laissée ouverte en fin de requête',
      body: {
        transfers: [
          posted(move(c, e, 100), { linked: true }),
          posted(move(c, m, 100), { linked: true }),
        ],
      },
      status: 422,
      codes: ['linked_event_failed', 'linked_chain_open'],
    },
    {
      name: 'un corps null',
      raw: () => 'null',
      status: 400,
      codes: 'validation_failed',
    },
    {
      name: 'un tableau à la place de l’objet',
      body: [posted(move(c, e, 100))],
      status: 400,
      codes: 'validation_failed',
    },
  ];
}

describe('API du registre : entrées invalides ou hostiles, rien n’est écrit', () => {
  // The names are known when tests are collected; the bodies need the accounts of beforeAll.
  const names = badCases({ c: 1, e: 2, m: 3 }).map((badCase) => badCase.name);

  it.each(names)('refuse %s sans rien écrire', async (name) => {
    const ids = { c: contributor.id, e: envelope.id, m: merchant.id };
    const badCase = badCases(ids).find((candidate) => candidate.name === name)!;
    await expectNothingWritten(async () => {
      const answer =
        badCase.raw === undefined
          ? await http.post(TRANSFERS, badCase.body)
          : await http.request('POST', TRANSFERS, { raw: badCase.raw() });
      if (badCase.status === 400) {
        expectError(answer, 400, badCase.codes as string);
        if (badCase.field !== undefined) {
          const details = (answer.json as { details: { field: string }[] }).details;
          expect(details.map((detail) => detail.field).join(' ')).toContain(badCase.field);
        }
      } else {
        expectRefused(answer, badCase.codes as string[]);
      }
    });
    await expectTablesExist();
  });

  it('refuse l’expiration d’une réservation depuis HTTP : la réservation reste ouverte', async () => {
    const reservation = {
      clientId: nextClientId('a-expirer'),
      kind: 'reservation',
      phase: 'pending',
      currency: 'EUR',
      timeoutSeconds: 3_600,
      entries: move(envelope.id, merchant.id, 400),
    };
    expectRecorded(await submit(reservation));
    await expectNothingWritten(async () => {
      expectError(
        await submit({
          clientId: nextClientId(),
          kind: 'expiration',
          phase: 'expire_pending',
          currency: 'EUR',
          pendingClientId: reservation.clientId,
        }),
        400,
        'validation_failed',
      );
    });
    // Still open: it can be voided by its owner.
    expectRecorded(
      await submit({
        clientId: nextClientId(),
        kind: 'annulation',
        phase: 'void_pending',
        currency: 'EUR',
        pendingClientId: reservation.clientId,
      }),
    );
  });

  it('des comptes mal décrits sont refusés en 400 et aucun n’est ouvert', async () => {
    const valid = {
      kind: 'suspense',
      ownerType: 'platform',
      ownerId: 'x',
      currency: 'EUR',
      mayGoNegative: true,
    };
    await expectNothingWritten(async () => {
      for (const account of [
        { ...valid, kind: 'banque' },
        { ...valid, ownerType: INJECTION },
        { ...valid, ownerType: 'Majuscules' },
        { ...valid, ownerId: '' },
        { ...valid, ownerId: 'o'.repeat(129) },
        { ...valid, label: 'l'.repeat(201) },
        { ...valid, currency: 'USD' },
        { ...valid, mayGoNegative: 'oui' },
        { ...valid, postedCents: 1_000_000 },
        { ...valid, id: 1 },
        { ...valid, ownerId: { $gt: '' } },
      ]) {
        // A valid account alongside: the whole request is refused, not only the bad one.
        expectError(
          await http.post(ACCOUNTS, { accounts: [valid, account] }),
          400,
          'validation_failed',
        );
      }
      expectError(await http.post(ACCOUNTS, { accounts: [] }), 400, 'validation_failed');
    });
  });

  it('des textes en forme d’injection sont enregistrés tels quels, comme de simples données', async () => {
    const transfer = posted(move(contributor.id, envelope.id, 100), {
      reference: INJECTION,
      metadata: { [INJECTION.slice(0, 60)]: INJECTION, requete: '{"$gt": ""}', ouvert: true },
    });
    const [recorded] = expectRecorded(await submit(transfer));
    const stored = await server.database.pool.query<{
      reference: string;
      metadata: Record<string, unknown>;
    }>('select reference, metadata from ledger_transfers where sequence = $1', [
      recorded!.sequence,
    ]);
    expect(stored.rows[0]?.reference).toBe(INJECTION);
    expect(stored.rows[0]?.metadata).toEqual(transfer.metadata);
    await expectTablesExist();
    // And the account opened with an injection-shaped label is only a label.
    const answer = await http.post(ACCOUNTS, {
      accounts: [
        {
          kind: 'suspense',
          ownerType: 'platform',
          ownerId: INJECTION,
          label: INJECTION,
          currency: 'EUR',
          mayGoNegative: true,
        },
      ],
    });
    expect(answer.status, answer.text).toBe(201);
    expect((answer.json as Account[])[0]).toMatchObject({ ownerId: INJECTION, label: INJECTION });
    await expectTablesExist();
  });
});

describe('API du registre : caractères que PostgreSQL ne stocke pas', () => {
  // PostgreSQL text refuses U+0000 and jsonb refuses the escape \u0000: such a request must be
  // refused as a client error (4xx), never reach the database and fail there (500).
  const NUL = 'a\u0000b';

  async function expectClientError(send: () => Promise<HttpAnswer>): Promise<void> {
    await expectNothingWritten(async () => {
      const answer = await send();
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.status, answer.text).toBeLessThan(500);
      expectNoStackTrace(answer);
    });
  }

  it('un clientId contenant U+0000 est refusé en 4xx, pas en 500', async () => {
    await expectClientError(() =>
      submit(posted(move(contributor.id, envelope.id, 100), { clientId: NUL })),
    );
  });

  it('une référence contenant U+0000 est refusée en 4xx, pas en 500', async () => {
    await expectClientError(() =>
      submit(posted(move(contributor.id, envelope.id, 100), { reference: NUL })),
    );
  });

  it('une métadonnée contenant U+0000 est refusée en 4xx, pas en 500', async () => {
    await expectClientError(() =>
      submit(posted(move(contributor.id, envelope.id, 100), { metadata: { note: NUL } })),
    );
  });

  it('un libellé de compte contenant U+0000 est refusé en 4xx, pas en 500', async () => {
    await expectClientError(() =>
      http.post(ACCOUNTS, {
        accounts: [
          {
            kind: 'suspense',
            ownerType: 'platform',
            ownerId: 'nul',
            label: NUL,
            currency: 'EUR',
            mayGoNegative: true,
          },
        ],
      }),
    );
  });

  it('une demi-paire de substitution (\\ud800) dans la référence est refusée ou vérifiable', async () => {
    const transfer = posted(move(contributor.id, envelope.id, 100), { reference: 'x\ud800y' });
    const answer = await submit(transfer);
    expect(answer.status, answer.text).toBeLessThan(500);
    // If it was recorded, `verify` (run after each test) must still find the hash chain intact.
  });

  it('un virement valide n’échoue pas à cause d’un voisin de lot invalide', async () => {
    // Submitted in the same tick, the last two share one batch of the writer.
    const ledger = server.application.ledger;
    const request = (overrides: Record<string, unknown> = {}) =>
      posted(move(contributor.id, envelope.id, 1), overrides) as unknown as TransferRequest;
    const first = request();
    const poisoned = request({ clientId: NUL });
    const innocent = request();
    const outcomes = await Promise.allSettled([
      ledger.submit([first]),
      ledger.submit([poisoned]),
      ledger.submit([innocent]),
    ]);
    expect(outcomes[2]).toEqual({
      status: 'fulfilled',
      value: [expect.objectContaining({ code: 'created' })],
    });
    expect(outcomes[1]).toEqual({
      status: 'fulfilled',
      value: [expect.objectContaining({ code: 'invalid_client_id' })],
    });
  });
});

describe('API du registre : format de toutes les réponses', () => {
  it('aucune réponse de ce fichier ne contient de trace de pile ; chaque erreur a un code et un message français', () => {
    expect(http.answers.length).toBeGreaterThan(50);
    for (const answer of http.answers) {
      expectNoStackTrace(answer);
      if (answer.status >= 400) {
        const context = `${answer.method} ${answer.path} → ${answer.status} ${answer.text.slice(0, 300)}`;
        const body = answer.json as { code?: unknown; message?: unknown };
        expect(typeof body?.code, context).toBe('string');
        expect(body.code as string, context).toMatch(/^[a-z_]+$/);
        expectFrench(body.message, context);
      }
    }
  });
});
