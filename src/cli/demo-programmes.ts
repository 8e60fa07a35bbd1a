import type pg from 'pg';
import {
  allocateToAxis,
  createFund,
  ensureCommitments,
  recordContribution,
} from '../funds/service.js';
import { findFundInScope, type FundRecord } from '../funds/store.js';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import { registerOrganisation } from '../identity/service.js';
import type { Ledger } from '../ledger/service.js';
import { createProgramme, publishRuleVersion, reserveBudget } from '../programmes/service.js';
import { findProgrammeInScope, type ProgrammeRecord } from '../programmes/store.js';
import { PROGRAMME_TEMPLATES } from '../programmes/templates.js';
import type { DemoPeople } from './demo-people.js';

// A fund of the Gironde with the family-allowance fund as co-funder, three axes, and one
// programme per template, published and with a budget: what a funder sees on a first visit.

const AXES = [
  { name: 'Jeunesse et culture', budgetCents: 4_000_000_00 },
  { name: 'Solidarités', budgetCents: 3_000_000_00 },
  { name: 'Transition écologique et territoires', budgetCents: 1_000_000_00 },
];

const PROGRAMME_BUDGET_CENTS = 200_000_00;

async function demoFund(pool: pg.Pool, ledger: Ledger, people: DemoPeople): Promise<FundRecord> {
  const caf = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, {
    kind: 'caisse_allocations_familiales',
    name: 'Caisse d’allocations familiales de la Gironde',
  });
  if (!caf.created) throw new Error(`CAF de démonstration refusée : ${caf.refusal}`);
  const departement = people.organisations.departement;
  const fund = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
    createFund(
      client,
      journal,
      { organisationId: departement },
      {
        name: 'Fonds Jeunesse et territoires de la Gironde',
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
        contributors: [
          { organisationId: departement, committedCents: 6_000_000_00 },
          { organisationId: caf.organisation.id, committedCents: 2_000_000_00 },
        ],
        axes: AXES,
      },
    ),
  );
  await ensureCommitments(ledger, fund);
  return fund;
}

async function fundMoney(pool: pg.Pool, ledger: Ledger, fund: FundRecord): Promise<void> {
  await journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const [departement, caf] = fund.contributors as [
      FundRecord['contributors'][0],
      FundRecord['contributors'][0],
    ];
    await recordContribution(ledger, journal, fund, {
      contributorId: departement.id,
      amountCents: 3_000_000_00,
      clientKey: 'demo-versement-1',
    });
    await recordContribution(ledger, journal, fund, {
      contributorId: caf.id,
      amountCents: 1_000_000_00,
      clientKey: 'demo-versement-2',
    });
    for (const [index, axis] of fund.axes.entries()) {
      await allocateToAxis(client, ledger, journal, fund, {
        axisId: axis.id,
        amountCents: Math.floor(axis.budgetCents / 2),
        clientKey: `demo-affectation-${index}`,
      });
    }
  });
}

export async function seedDemoProgrammes(
  pool: pg.Pool,
  ledger: Ledger,
  people: DemoPeople,
): Promise<void> {
  const created = await demoFund(pool, ledger, people);
  await fundMoney(pool, ledger, created);
  const fund = (await findFundInScope(pool, null, created.id)) as FundRecord;
  for (const [index, template] of PROGRAMME_TEMPLATES.entries()) {
    const axis = fund.axes[index % fund.axes.length] as FundRecord['axes'][0];
    const programmeId = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
      const id = await createProgramme(client, journal, fund, {
        axisId: axis.id,
        name: template.name,
        description: template.description,
        templateId: template.id,
        createdByPersonId: people.accounts.gestionnaire.personId,
      });
      const programme = (await findProgrammeInScope(client, null, id)) as ProgrammeRecord;
      await publishRuleVersion(client, journal, programme, 1);
      return id;
    });
    // The reserve accounts exist for the ledger once the programme is committed.
    const programme = (await findProgrammeInScope(pool, null, programmeId)) as ProgrammeRecord;
    await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (_client, journal) =>
      reserveBudget(ledger, journal, fund, programme, {
        amountCents: PROGRAMME_BUDGET_CENTS,
        clientKey: `demo-reserve-${template.id}`,
      }),
    );
  }
}
