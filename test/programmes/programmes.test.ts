import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import { PROGRAMME_TEMPLATES } from '../../src/programmes/templates.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, type Answer, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Programmes through the API, on the demonstration fund: from a template, versioned rules,
// explanations in French, payments checked against the usage rules, reserves with provenance,
// and simulations before launch.

let server: TestServer;
let people: DemoPeople;
let manager: SessionClient;
let fundId: number;
let axisIds: number[];

type ProgrammeView = {
  id: number;
  publishedVersion: number | null;
  versions: { version: number }[];
  reservedCents: number;
  reserves: { contributorId: number; availableCents: number }[];
};

/** The parts of a rule set these tests change, loosely typed on purpose: they break it. */
type EditableRules = { amount: Record<string, unknown>; usage: Record<string, unknown> };

const CULTURE_PASS = PROGRAMME_TEMPLATES.find((template) => template.id === 'pass-culture-jeunes')!;

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

async function expectLedgerSound(): Promise<void> {
  expect((await server.application.ledger.verify()).violations).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  people = await seedPeople(server.database.pool);
  await seedDemoProgrammes(server.database.pool, server.application.ledger, people);
  manager = await loggedIn(server.baseUrl, people.accounts.gestionnaire.email, people.password);
  const funds = (await manager.get('/api/funds')).json as { id: number; axes: { id: number }[] }[];
  fundId = funds[0]!.id;
  axisIds = funds[0]!.axes.map((axis) => axis.id);
});

afterAll(async () => {
  await server.close();
});

describe('la démonstration', () => {
  it('crée un dispositif publié et doté par modèle, sur un registre sain', async () => {
    const programmes = (await manager.get('/api/programmes')).json as ProgrammeView[];
    expect(programmes).toHaveLength(PROGRAMME_TEMPLATES.length);
    expect(programmes.every((programme) => programme.publishedVersion === 1)).toBe(true);
    expect(programmes.every((programme) => programme.reservedCents === 200_000_00)).toBe(true);
    await expectLedgerSound();
  });
});

describe('un dispositif créé à partir du pass culture', () => {
  let programme: ProgrammeView;
  let path: string;

  it('naît en version 1, avec une réserve par contributeur', async () => {
    const created = await manager.post('/api/programmes', {
      fundId,
      axisId: axisIds[0],
      name: 'Pass culture de la Gironde',
      description: 'Pour les jeunes de 18 ans du département.',
      templateId: CULTURE_PASS.id,
    });
    expect(created.status, created.text).toBe(201);
    programme = created.json as ProgrammeView;
    path = `/api/programmes/${programme.id}`;
    expect(programme.versions.map((version) => version.version)).toEqual([1]);
    expect(programme.reserves).toHaveLength(2);
  });

  it('explique sa décision en français, condition par condition', async () => {
    const answer = await manager.post(`${path}/explain`, {
      referenceDate: '2026-09-01',
      facts: { birthDate: '2008-03-10', communeCode: '33063' },
    });
    expect(answer.status, answer.text).toBe(200);
    const decision = answer.json as { eligible: boolean; amountCents: number; sentences: string[] };
    expect(decision).toMatchObject({ eligible: true, amountCents: 300_00 });
    expect(decision.sentences.join(' ')).toMatch(/18 ans/);
    expect(decision.sentences.join(' ')).toMatch(/300,00/);
    const tooOld = (
      await manager.post(`${path}/explain`, {
        referenceDate: '2026-09-01',
        facts: { birthDate: '2000-01-01' },
      })
    ).json as { eligible: boolean; amountCents: number };
    expect(tooOld).toMatchObject({ eligible: false, amountCents: 0 });
  });

  it('changer les règles crée la version 2 ; la version 1 reste telle quelle', async () => {
    const rules = structuredClone(CULTURE_PASS.rules) as { amount: { amountCents: number } };
    rules.amount.amountCents = 350_00;
    const saved = await manager.post(`${path}/versions`, { rules });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json).toEqual({ version: 2 });
    const first = (await manager.get(`${path}/versions/1`)).json as { rules: typeof rules };
    expect(first.rules.amount.amountCents).toBe(300_00);
    await expect(
      server.database.pool.query(
        `update programme_rule_versions set rules = '{}' where programme_id = $1`,
        [programme.id],
      ),
    ).rejects.toThrow(/append-only/);
    const published = await manager.post(`${path}/publish`, { version: 2 });
    expect((published.json as ProgrammeView).publishedVersion).toBe(2);
    const decision = (
      await manager.post(`${path}/explain`, {
        referenceDate: '2026-09-01',
        facts: { birthDate: '2008-03-10' },
      })
    ).json as { version: number; amountCents: number };
    expect(decision).toMatchObject({ version: 2, amountCents: 350_00 });
    expectRefusal(await manager.post(`${path}/publish`, { version: 9 }), 404, 'version_unknown');
  });

  it.each([
    ['un montant négatif', (rules: EditableRules) => (rules.amount.amountCents = -1), 'amount'],
    [
      'une zone inconnue',
      (rules: EditableRules) => (rules.usage.zones = [{ kind: 'departement', code: '999' }]),
      'usage.zones',
    ],
    [
      'un code MCC inconnu',
      (rules: EditableRules) => (rules.usage.categories = { mcc: ['0000'] }),
      'usage.categories',
    ],
    [
      'des dates contradictoires',
      (rules: EditableRules) =>
        (rules.usage.validity = { from: '2027-01-01', until: '2026-01-01' }),
      'usage.validity',
    ],
  ])('refuse %s en nommant le champ, sans créer de version', async (_name, change, field) => {
    const rules = structuredClone(CULTURE_PASS.rules) as EditableRules;
    change(rules);
    const answer = await manager.post(`${path}/versions`, { rules });
    expectRefusal(answer, 422, 'rules_invalid');
    const details = (answer.json as { details: { field: string; message: string }[] }).details;
    expect(details.some((problem) => problem.field.startsWith(field))).toBe(true);
    expect(details.every((problem) => problem.message.length > 10)).toBe(true);
    const view = (await manager.get(path)).json as ProgrammeView;
    expect(view.versions).toHaveLength(2);
  });

  it('réserve un budget pris sur l’axe au prorata des contributeurs', async () => {
    const reserved = await manager.post(`${path}/budget`, {
      amountCents: 30_000_00,
      clientKey: 'reserve-pass-1',
    });
    expect(reserved.json, reserved.text).toEqual({ status: 'created' });
    const view = (await manager.get(path)).json as ProgrammeView;
    expect(view.reservedCents).toBe(30_000_00);
    // The axis holds 3 M€ from the département and 1 M€ from the CAF: three quarters, one quarter.
    expect(view.reserves.map((reserve) => reserve.availableCents)).toEqual([22_500_00, 7_500_00]);
    expectRefusal(
      await manager.post(`${path}/budget`, { amountCents: 10_000_000_00, clientKey: 'trop' }),
      422,
      'funds_insufficient',
    );
    await expectLedgerSound();
  });

  it('vérifie un paiement : une librairie oui, un supermarché non', async () => {
    const envelope = {
      creditedAt: '2026-09-01T10:00:00+02:00',
      balanceCents: 350_00,
      spentTodayCents: 0,
      spentThisWeekCents: 0,
      spentThisMonthCents: 0,
      spentLifetimeCents: 0,
      spentByGroupCents: {},
    };
    const merchant = {
      id: 'librairie',
      mcc: '5942',
      naf: '47.61Z',
      communeCode: '33063',
      latitude: null,
      longitude: null,
    };
    const bookshop = (
      await manager.post(`${path}/usage-check`, {
        envelope,
        payment: { amountCents: 25_90, at: '2026-09-03T15:00:00+02:00', merchant },
      })
    ).json as { allowed: boolean; coverableCents: number };
    expect(bookshop).toMatchObject({ allowed: true, coverableCents: 25_90 });
    const supermarket = (
      await manager.post(`${path}/usage-check`, {
        envelope,
        payment: {
          amountCents: 25_90,
          at: '2026-09-03T15:00:00+02:00',
          merchant: { ...merchant, id: 'super', mcc: '5411', naf: '47.11F' },
        },
      })
    ).json as { allowed: boolean; refusals: { code: string; message: string }[] };
    expect(supermarket.allowed).toBe(false);
    expect(supermarket.refusals.map((refusal) => refusal.code)).toContain(
      'merchant_category_not_allowed',
    );
  });

  it('simule deux versions sur un échantillon et chiffre l’écart', async () => {
    const beneficiaries = [
      { facts: { birthDate: '2008-03-10', communeCode: '33063' } },
      { facts: { birthDate: '2008-01-01', communeCode: '33281' } },
      { facts: { birthDate: '1990-01-01', communeCode: '75056' } },
    ];
    const answer = await manager.post(`${path}/simulations`, {
      version: 2,
      compareWithVersion: 1,
      referenceDate: '2026-09-01',
      beneficiaries,
    });
    expect(answer.status, answer.text).toBe(200);
    const body = answer.json as {
      report: { evaluated: number; eligible: number; totalCents: number };
      comparison: { eligibleDelta: number; totalCentsDelta: number };
    };
    expect(body.report).toMatchObject({ evaluated: 3, eligible: 2, totalCents: 700_00 });
    expect(body.comparison).toMatchObject({ eligibleDelta: 0, totalCentsDelta: 100_00 });
    expectRefusal(
      await manager.post(`${path}/simulations`, {
        version: 1,
        referenceDate: '2026-09-01',
        beneficiaries: [],
      }),
      400,
      'validation_failed',
    );
  });

  it('l’instructeur lit et fait expliquer, mais ne modifie pas', async () => {
    const instructeur = await loggedIn(
      server.baseUrl,
      people.accounts.instructeur.email,
      people.password,
    );
    expect((await instructeur.get(path)).status).toBe(200);
    expectRefusal(
      await instructeur.post(`${path}/versions`, { rules: CULTURE_PASS.rules }),
      403,
      'action_not_allowed',
    );
  });
});

describe('versions des règles (propriété)', () => {
  it('chaque modification ajoute une version ; aucune version antérieure ne change', async () => {
    const created = await manager.post('/api/programmes', {
      fundId,
      axisId: axisIds[1],
      name: 'Dispositif aux versions multiples',
      description: '',
      templateId: CULTURE_PASS.id,
    });
    const path = `/api/programmes/${(created.json as ProgrammeView).id}`;
    const amounts = [300_00];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000_00 }), async (amountCents) => {
        const rules = structuredClone(CULTURE_PASS.rules) as EditableRules;
        rules.amount.amountCents = amountCents;
        const saved = await manager.post(`${path}/versions`, { rules });
        amounts.push(amountCents);
        expect(saved.json).toEqual({ version: amounts.length });
        for (const [index, expected] of amounts.entries()) {
          const stored = (await manager.get(`${path}/versions/${index + 1}`)).json as {
            rules: EditableRules;
          };
          expect(stored.rules.amount.amountCents).toBe(expected);
        }
      }),
      { numRuns: 8 },
    );
  });
});
