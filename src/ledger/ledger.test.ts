import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedgerFixture, type LedgerFixture } from '../../test/support/ledger-fixture.js';
import type { Ledger } from './service.js';
import { simpleTransfer, type TransferRequest } from './model.js';

let fixture: LedgerFixture;
let ledger: Ledger;
let contributorId: number;
let envelopeId: number;
let merchantId: number;

async function expectLedgerConsistent(): Promise<void> {
  const report = await ledger.verify();
  expect(report.violations).toEqual([]);
}

function transfer(
  clientId: string,
  debitAccountId: number,
  creditAccountId: number,
  amountCents: number,
) {
  return simpleTransfer(clientId, 'test', debitAccountId, creditAccountId, amountCents);
}

beforeAll(async () => {
  fixture = await openLedgerFixture();
  ({ ledger, contributorId, envelopeId, merchantId } = fixture);
});

afterAll(async () => {
  await fixture.close();
});

describe('registre : virements simples', () => {
  it('crédite une enveloppe et débite le contributeur', async () => {
    const [result] = await ledger.submit([transfer('credit-1', contributorId, envelopeId, 5_000)]);
    expect(result).toEqual({ code: 'created', sequence: 1 });
    expect((await ledger.findAccount(envelopeId))?.postedCents).toBe(5_000);
    expect((await ledger.findAccount(contributorId))?.postedCents).toBe(-5_000);
    await expectLedgerConsistent();
  });

  it('renvoie le résultat enregistré quand on rejoue le même virement', async () => {
    const [result] = await ledger.submit([transfer('credit-1', contributorId, envelopeId, 5_000)]);
    expect(result).toEqual({ code: 'already_exists', sequence: 1 });
    expect((await ledger.findAccount(envelopeId))?.postedCents).toBe(5_000);
  });

  it('refuse le même identifiant avec un autre contenu', async () => {
    const [result] = await ledger.submit([transfer('credit-1', contributorId, envelopeId, 4_000)]);
    expect(result?.code).toBe('exists_with_different_content');
  });

  it('refuse un paiement au-delà du solde, sans rien écrire', async () => {
    const [result] = await ledger.submit([transfer('pay-too-much', envelopeId, merchantId, 5_001)]);
    expect(result).toEqual({ code: 'insufficient_funds' });
    expect((await ledger.findAccount(envelopeId))?.postedCents).toBe(5_000);
    await expectLedgerConsistent();
  });

  it('réserve, confirme partiellement et libère le reste', async () => {
    const hold: TransferRequest = {
      ...transfer('hold-1', envelopeId, merchantId, 3_000),
      phase: 'pending',
      timeoutSeconds: 60,
    };
    const post: TransferRequest = {
      clientId: 'capture-1',
      kind: 'test',
      phase: 'post_pending',
      currency: 'EUR',
      pendingClientId: 'hold-1',
      entries: [
        { accountId: envelopeId, amountCents: -2_000 },
        { accountId: merchantId, amountCents: 2_000 },
      ],
    };
    const results = await ledger.submit([hold, post]);
    expect(results.map((result) => result.code)).toEqual(['created', 'created']);
    const envelope = await ledger.findAccount(envelopeId);
    expect(envelope).toMatchObject({ postedCents: 3_000, pendingDebitsCents: 0 });
    await expectLedgerConsistent();
  });
});
