import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.js';
import { openLedgerFixture, type LedgerFixture } from '../../test/support/ledger-fixture.js';
import { simpleTransfer } from './model.js';
import type { Ledger } from './service.js';

// What the database itself guarantees, whatever the application does, and what `verify`
// finds when someone goes around both.

let fixture: LedgerFixture;
let database: TestDatabase;
let ledger: Ledger;
let contributorId: number;
let envelopeId: number;
let merchantId: number;

beforeEach(async () => {
  fixture = await openLedgerFixture();
  ({ database, ledger, contributorId, envelopeId, merchantId } = fixture);
  const results = await ledger.submit([
    simpleTransfer('credit', 'envelope_credit', contributorId, envelopeId, 300_00),
    simpleTransfer('payment', 'payment', envelopeId, merchantId, 42_50),
  ]);
  expect(results.map((result) => result.code)).toEqual(['created', 'created']);
});

afterEach(async () => {
  await fixture.close();
});

/** The error PostgreSQL raised, or undefined when the statement went through. */
async function failureOf(
  sql: string,
  values: unknown[] = [],
): Promise<{ code?: string; message?: string } | undefined> {
  return database.pool.query(sql, values).then(
    () => undefined,
    (error: { code?: string; message?: string }) => error,
  );
}

/** Goes around the triggers as a superuser would, to play the one who tampers with history. */
async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    await client.query(sql, values);
    await client.query('commit');
  } finally {
    client.release();
  }
}

async function violationChecks(): Promise<string[]> {
  const report = await ledger.verify();
  return [...new Set(report.violations.map((violation) => violation.check))].sort();
}

describe('intégrité garantie par la base', () => {
  it('refuse un découvert écrit directement en SQL (contrainte CHECK)', async () => {
    const failure = await failureOf('update ledger_accounts set posted_cents = -1 where id = $1', [
      envelopeId,
    ]);
    expect(failure).toMatchObject({ code: '23514' });
    expect(failure?.message).toContain('ledger_accounts_available_not_negative');
  });

  it('refuse toute modification ou suppression de l’historique', async () => {
    const attempts = [
      "update ledger_transfers set reference = 'retouche'",
      'delete from ledger_transfers where sequence = 2',
      'truncate ledger_transfers cascade',
      'update ledger_entries set amount_cents = amount_cents',
      'delete from ledger_entries',
      'truncate ledger_entries',
    ];
    for (const sql of attempts) {
      expect({ sql, failure: await failureOf(sql) }).toMatchObject({
        sql,
        failure: { code: '42501' },
      });
    }
    expect(await violationChecks()).toEqual([]);
  });

  it('refuse de changer la nature, le titulaire, la devise ou le drapeau d’un compte', async () => {
    const attempts = [
      'update ledger_accounts set may_go_negative = true where id = $1',
      "update ledger_accounts set kind = 'contributor' where id = $1",
      "update ledger_accounts set owner_id = 'autre' where id = $1",
    ];
    for (const sql of attempts) {
      expect({ sql, failure: await failureOf(sql, [envelopeId]) }).toMatchObject({
        sql,
        failure: { code: '23514' },
      });
    }
  });

  it('refuse un lot déséquilibré même appelé sans passer par l’application', async () => {
    const head = await database.pool.query<{ sequence: number }>(
      'select sequence from ledger_chain_head',
    );
    const previous = head.rows[0]?.sequence as number;
    const hash = 'ab'.repeat(32);
    const failure = await failureOf(
      `select ledger_apply_batch($1, $2, $3, $4, $5::json, $6::json, $7::json, '[]'::json, '{}'::bigint[])`,
      [
        previous,
        previous + 1,
        hash,
        Date.now(),
        JSON.stringify([
          {
            id: merchantId,
            old_version: 1,
            new_version: 2,
            posted_cents: 5_000_00,
            pending_debits_cents: 0,
            pending_credits_cents: 0,
          },
        ]),
        JSON.stringify([
          {
            sequence: previous + 1,
            client_id: 'faux',
            kind: 'fraude',
            phase: 'posted',
            pending_sequence: null,
            timeout_at_ms: null,
            reference: null,
            metadata: {},
            currency: 'EUR',
            request_hash: hash,
            content_hash: hash,
            chain_hash: hash,
          },
        ]),
        JSON.stringify([
          {
            transfer_sequence: previous + 1,
            position: 0,
            account_id: merchantId,
            amount_cents: 5_000_00,
            posted_before_cents: 42_50,
            posted_after_cents: 5_042_50,
            pending_debits_after_cents: 0,
            pending_credits_after_cents: 0,
            account_version: 2,
          },
        ]),
      ],
    );
    expect(failure?.message).toMatch(/does not balance/);
    expect(await violationChecks()).toEqual([]);
  });
});

describe('verify nomme chaque retouche faite en contournant la base', () => {
  it('une référence réécrite casse l’empreinte du contenu', async () => {
    await tamper("update ledger_transfers set reference = 'retouche' where sequence = 2");
    expect(await violationChecks()).toEqual(['content_hash_mismatch']);
  });

  it('deux écritures réécrites en restant équilibrées se voient quand même', async () => {
    await tamper(
      'update ledger_entries set amount_cents = amount_cents * 2 where transfer_sequence = 2',
    );
    expect(await violationChecks()).toEqual(
      expect.arrayContaining(['balance_mismatch', 'content_hash_mismatch', 'entry_history_broken']),
    );
  });

  it('une empreinte recalculée par le fraudeur rompt la chaîne au maillon suivant', async () => {
    await tamper(
      "update ledger_transfers set chain_hash = decode(repeat('cd', 32), 'hex') where sequence = 1",
    );
    expect(await violationChecks()).toEqual(['chain_hash_mismatch']);
  });

  it('un virement supprimé laisse un trou, des écritures orphelines et des soldes faux', async () => {
    await tamper('delete from ledger_transfers where sequence = 1');
    expect(await violationChecks()).toEqual(
      expect.arrayContaining(['balance_mismatch', 'orphan_entry', 'sequence_gap']),
    );
  });

  it('un solde modifié directement se voit', async () => {
    await tamper('update ledger_accounts set posted_cents = posted_cents + 1 where id = $1', [
      merchantId,
    ]);
    expect(await violationChecks()).toEqual(['balance_mismatch']);
  });
});
