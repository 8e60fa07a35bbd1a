import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueBeneficiaryNotices, queuePersonNotices } from '../../src/notifications/outbox.js';
import { seedPeople } from '../support/identity-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { insertTestBeneficiaries } from './fixture.js';

let database: TestDatabase;
let people: DemoPeople;

beforeAll(async () => {
  database = await createTestDatabase();
  people = await seedPeople(database.pool);
});

afterAll(async () => {
  await database.drop();
});

type OutboxRow = {
  channel: string;
  address: string | null;
  personId: number | null;
  payload: Record<string, unknown>;
};

async function outboxOf(eventKey: string): Promise<OutboxRow[]> {
  const result = await database.pool.query<OutboxRow>(
    `select channel, address, person_id as "personId", payload from notification_outbox
      where event_key = $1 order by channel`,
    [eventKey],
  );
  return result.rows;
}

const credited = {
  programmeName: 'Pass sport',
  funderName: 'Gironde',
  amountCents: 5000,
  validUntil: null,
};

describe('file d’envoi : une ligne par événement et par canal', () => {
  it('choisit le courriel, sinon le SMS, et ajoute l’espace personnel quand le dossier est relié', async () => {
    const beneficiary = people.accounts.beneficiaire;
    const [withEmail, withPhoneOnly, linked, withNothing] = await insertTestBeneficiaries(
      database.pool,
      people.organisations.departement,
      [
        { email: 'alice@exemple.fr', phone: '0601020304' },
        { phone: '0601020305' },
        { personId: beneficiary.personId },
        {},
      ],
    );
    const notices = [withEmail, withPhoneOnly, linked, withNothing].map((beneficiaryId) => ({
      beneficiaryId: beneficiaryId!,
      eventKey: `test:${beneficiaryId}:credited`,
      payload: credited,
    }));
    const client = await database.pool.connect();
    try {
      expect(await queueBeneficiaryNotices(client, 'attribution_credited', notices)).toBe(4);
      expect(await queueBeneficiaryNotices(client, 'attribution_credited', notices)).toBe(0);
    } finally {
      client.release();
    }
    const emailRows = await outboxOf(`test:${withEmail}:credited`);
    expect(emailRows).toEqual([
      expect.objectContaining({ channel: 'email', address: 'alice@exemple.fr', personId: null }),
    ]);
    expect(emailRows[0]?.payload.claimCode).toMatch(/^[A-Z0-9]{10}$/);
    expect(await outboxOf(`test:${withPhoneOnly}:credited`)).toEqual([
      expect.objectContaining({ channel: 'sms', address: '0601020305' }),
    ]);
    const linkedRows = await outboxOf(`test:${linked}:credited`);
    expect(linkedRows.map((row) => [row.channel, row.address])).toEqual([
      ['email', beneficiary.email],
      ['in_app', null],
    ]);
    expect(linkedRows[0]?.payload.claimCode).toBeUndefined();
    expect(await outboxOf(`test:${withNothing}:credited`)).toEqual([]);
  });

  it('envoie au compte par courriel et dans l’espace personnel, une seule fois', async () => {
    const personId = people.accounts.aidant.personId;
    const notice = {
      personId,
      eventKey: 'test:person:mandate',
      payload: { otherPartyName: 'Camille', endsAt: '2026-09-01T10:00:00Z' },
    };
    const client = await database.pool.connect();
    try {
      expect(await queuePersonNotices(client, 'mandate_expiring', [notice, notice])).toBe(2);
      expect(await queuePersonNotices(client, 'mandate_expiring', [notice])).toBe(0);
    } finally {
      client.release();
    }
    expect((await outboxOf('test:person:mandate')).map((row) => row.channel)).toEqual([
      'email',
      'in_app',
    ]);
    // The in-app notice is a row of this same database: written at once, in the same transaction.
    const written = await database.pool.query<{ kind: string; subject: string }>(
      `select kind, subject from notifications where event_key = 'test:person:mandate'`,
    );
    expect(written.rows).toEqual([
      { kind: 'mandat_fin_proche', subject: 'Votre mandat à Camille se termine bientôt' },
    ]);
    const status = await database.pool.query<{ status: string }>(
      `select status from notification_outbox where event_key = 'test:person:mandate' and channel = 'in_app'`,
    );
    expect(status.rows).toEqual([{ status: 'sent' }]);
  });

  it('refuse un lot trop grand ou une clé d’événement vide, sans rien écrire', async () => {
    const client = await database.pool.connect();
    try {
      await expect(
        queueBeneficiaryNotices(client, 'attribution_credited', [
          { beneficiaryId: 1, eventKey: '', payload: {} },
        ]),
      ).rejects.toThrow(/event key/);
      const tooMany = Array.from({ length: 1001 }, (_, index) => ({
        beneficiaryId: 1,
        eventKey: `k${index}`,
        payload: {},
      }));
      await expect(
        queueBeneficiaryNotices(client, 'attribution_credited', tooMany),
      ).rejects.toThrow(/at most 1000/);
    } finally {
      client.release();
    }
  });
});

// Campaigns queue a million notices, 64 per call, inside their own transactions.
const MEASURED_NOTICES = Number(process.env.FLECHAGE_MEASURE_NOTICES ?? 6_400);
const NOTICES_PER_CALL = 64;

describe('file d’envoi : débit', () => {
  it(`met en file ${MEASURED_NOTICES} avis par paquets de ${NOTICES_PER_CALL}`, async () => {
    const beneficiaryIds = await insertTestBeneficiaries(
      database.pool,
      people.organisations.departement,
      Array.from({ length: MEASURED_NOTICES }, (_, index) => ({
        email: `personne${index}@exemple.fr`,
      })),
    );
    const client = await database.pool.connect();
    const started = performance.now();
    try {
      for (let start = 0; start < beneficiaryIds.length; start += NOTICES_PER_CALL) {
        const chunk = beneficiaryIds.slice(start, start + NOTICES_PER_CALL);
        await client.query('begin');
        await queueBeneficiaryNotices(
          client,
          'attribution_credited',
          chunk.map((beneficiaryId) => ({
            beneficiaryId,
            eventKey: `measure:${beneficiaryId}`,
            payload: { ...credited, validUntil: '2026-12-31' },
          })),
        );
        await client.query('commit');
      }
    } finally {
      client.release();
    }
    const elapsedMs = performance.now() - started;
    console.log(
      JSON.stringify({
        measure: 'queueBeneficiaryNotices',
        notices: MEASURED_NOTICES,
        noticesPerCall: NOTICES_PER_CALL,
        elapsedMs: Math.round(elapsedMs),
        noticesPerSecond: Math.round((MEASURED_NOTICES / elapsedMs) * 1000),
      }),
    );
    const count = await database.pool.query<{ count: number }>(
      `select count(*)::int as count from notification_outbox where event_key like 'measure:%'`,
    );
    expect(count.rows[0]?.count).toBe(MEASURED_NOTICES);
  });
});
