import type pg from 'pg';
import { runCrediting, simulateCampaign, createCampaign } from '../src/attributions/campaigns.js';
import { findCampaignInScope, updateCampaign } from '../src/attributions/store.js';
import { seedDemoPeople } from '../src/cli/demo-people.js';
import { createFund, recordContribution, allocateToAxis } from '../src/funds/service.js';
import { findFundInScope, type FundRecord } from '../src/funds/store.js';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../src/identity/journal.js';
import { createLedger, type Ledger } from '../src/ledger/service.js';
import { createPool } from '../src/platform/database.js';
import { migrate } from '../src/platform/migrations.js';
import { createProgramme, publishRuleVersion, reserveBudget } from '../src/programmes/service.js';
import { findProgrammeInScope, type ProgrammeRecord } from '../src/programmes/store.js';
import { prepareBenchDatabase, round, type BenchDatabaseOptions } from './support.js';

// `flechage bench campaign`: a campaign over a generated population of a département, timed
// from the first evaluation to the last envelope credited with its notification queued, on
// the embedded database. The population is generated beforehand and not timed.

export type CampaignBenchOptions = BenchDatabaseOptions & { beneficiaries: number };

export const MAX_BENCH_BENEFICIARIES = 5_000_000;
const CONTRIBUTION_CENTS = 20_000_000_00;

/** Half the Gironde communes' codes the population lives in, for the by-commune figures. */
const COMMUNES = ['33063', '33281', '33318', '33192', '33243', '33039', '33122', '33009'];

const RULES = {
  eligibility: { type: 'all', conditions: [{ type: 'age', minimumYears: 16, maximumYears: 110 }] },
  amount: {
    type: 'brackets',
    attribute: 'household_quotient',
    brackets: [
      { upTo: 700, amountCents: 20_00 },
      { upTo: null, amountCents: 10_00 },
    ],
    rounding: 'down',
  },
  usage: { validity: { afterCrediting: { unit: 'months', count: 12 } } },
  stacking: { priority: 10 },
};

async function fundedProgramme(pool: pg.Pool, ledger: Ledger): Promise<ProgrammeRecord> {
  const people = await seedDemoPeople(pool);
  if (people === undefined) throw new Error('base de mesure déjà remplie');
  const funderId = people.organisations.departement;
  const fund = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
    createFund(
      client,
      journal,
      { organisationId: funderId },
      {
        name: 'Fonds de mesure',
        startsOn: '2026-01-01',
        endsOn: '2030-12-31',
        contributors: [{ organisationId: funderId, committedCents: CONTRIBUTION_CENTS }],
        axes: [{ name: 'Axe de mesure', budgetCents: CONTRIBUTION_CENTS }],
      },
    ),
  );
  await journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    await recordContribution(ledger, journal, fund, {
      contributorId: (fund.contributors[0] as { id: number }).id,
      amountCents: CONTRIBUTION_CENTS,
      clientKey: 'mesure',
    });
    await allocateToAxis(client, ledger, journal, fund, {
      axisId: (fund.axes[0] as { id: number }).id,
      amountCents: CONTRIBUTION_CENTS,
      clientKey: 'mesure',
    });
  });
  const refreshed = (await findFundInScope(pool, null, fund.id)) as FundRecord;
  const programmeId = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const id = await createProgramme(client, journal, refreshed, {
      axisId: (refreshed.axes[0] as { id: number }).id,
      name: 'Aide de mesure',
      description: '',
      rules: RULES,
      createdByPersonId: null,
    });
    const created = (await findProgrammeInScope(client, null, id)) as ProgrammeRecord;
    await publishRuleVersion(client, journal, created, 1);
    return id;
  });
  const programme = (await findProgrammeInScope(pool, null, programmeId)) as ProgrammeRecord;
  await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (_client, journal) =>
    reserveBudget(ledger, journal, refreshed, programme, {
      amountCents: CONTRIBUTION_CENTS,
      clientKey: 'mesure',
    }),
  );
  return programme;
}

/** The population, generated in the database: varied ages, quotients and communes. */
async function generatePopulation(pool: pg.Pool, organisationId: number, count: number) {
  await pool.query(
    `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date,
       commune_code, email, household, claim_code)
     select $1, 'personne', 'Mesure', 'Personne ' || n, date '1950-01-01' + ((n::bigint * 7919) % 20000)::int,
            ($3::text[])[1 + n % cardinality($3::text[])], 'personne-' || n || '@exemple.fr',
            jsonb_build_object('householdQuotientEuros', (n::bigint * 104729) % 1500),
            upper(lpad(to_hex(n), 10, '0'))
       from generate_series(1, $2) as n`,
    [organisationId, count, COMMUNES],
  );
}

export async function benchCampaign(options: CampaignBenchOptions) {
  const count = Math.min(Math.max(1, options.beneficiaries), MAX_BENCH_BENEFICIARIES);
  const database = await prepareBenchDatabase(options, 'flechage_bench_campaign');
  const pool = createPool(database.url, 12, 0);
  const ledger = createLedger(pool, {
    maxBatchSize: 200,
    maxQueueLength: 10_000,
    deadlineMs: 60_000,
  });
  try {
    await migrate(pool);
    const programme = await fundedProgramme(pool, ledger);
    options.log(`Génération de ${count} bénéficiaires…`);
    await generatePopulation(pool, programme.organisationId, count);
    await pool.query('analyze');
    const campaignId = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
      createCampaign(client, journal, programme, {
        name: 'Campagne de mesure',
        population: { kind: 'all' },
        referenceDate: '2026-11-23',
        createdByPersonId: null,
      }),
    );
    const startedAt = performance.now();
    await simulateCampaign(pool, (await findCampaignInScope(pool, null, campaignId))!);
    const simulatedAt = performance.now();
    options.log(`Simulation : ${round((simulatedAt - startedAt) / 1000)} s`);
    // Approved directly: the approval is a person's click, not part of what is measured.
    await updateCampaign(pool, campaignId, { status: 'approved' });
    const done = await runCrediting(pool, ledger, campaignId, {
      onProgress: (lots) => lots % 2_000 < 8 && options.log(`… ${lots} lots`),
    });
    const finishedAt = performance.now();
    const queued = await pool.query<{ count: number }>(
      `select count(*)::int as count from notification_outbox where template = 'attribution_credited'`,
    );
    const seconds = (finishedAt - startedAt) / 1000;
    return {
      beneficiaries: count,
      status: done.status,
      credited: done.creditedCount,
      credited_cents: done.creditedCents,
      notifications_queued: queued.rows[0]?.count ?? 0,
      simulate_seconds: round((simulatedAt - startedAt) / 1000),
      credit_seconds: round((finishedAt - simulatedAt) / 1000),
      seconds: round(seconds),
      credited_per_s: Math.round(done.creditedCount / seconds),
    };
  } finally {
    await ledger.stop();
    await pool.end();
    await database.stop();
  }
}
