import type pg from 'pg';
import type { Journal } from '../identity/journal.js';
import { FUNDER_KINDS } from '../identity/organisations.js';
import { availableCents, simpleTransfer, type TransferRequest } from '../ledger/model.js';
import { PLATFORM_CLIENT_ID_PREFIX } from '../ledger/validation.js';
import type { TransferResultCode } from '../ledger/results.js';
import { openAccountsWithin, type Ledger } from '../ledger/service.js';
import type { NewAccount } from '../ledger/store.js';
import { HttpError } from '../platform/errors.js';
import {
  FUND_REFUSALS,
  splitProRata,
  validateFund,
  type FundRefusal,
  type FundRequest,
} from './model.js';
import {
  findFundInScope,
  funderOrganisations,
  insertAllocation,
  insertAxis,
  insertAxisAccount,
  insertContributor,
  insertFund,
  lockAxisAllocated,
  type FundRecord,
} from './store.js';

// Funds: their rows and accounts are created in one transaction; money then moves through the
// ledger, inside the same transaction as its journal entry, so neither exists without the other.

export function fundError(refusal: FundRefusal): HttpError {
  const status =
    refusal === 'ledger_unavailable' ? 503 : refusal === 'idempotency_key_reused' ? 409 : 422;
  return new HttpError(status, refusal, FUND_REFUSALS[refusal]);
}

/** The ledger's answer to one transfer: success, or the fund's own name for the refusal. */
export function ledgerOutcome(
  code: TransferResultCode,
  onInsufficient: FundRefusal,
): 'created' | 'already_exists' {
  if (code === 'created' || code === 'already_exists') return code;
  if (code === 'insufficient_funds') throw fundError(onInsufficient);
  if (code === 'exists_with_different_content') throw fundError('idempotency_key_reused');
  if (['overloaded', 'deadline_exceeded', 'writer_stopped'].includes(code)) {
    throw fundError('ledger_unavailable');
  }
  throw new Error(`virement du fonds refusé par le registre : ${code}`);
}

function account(kind: NewAccount['kind'], ownerId: string, label: string, mayGoNegative = false) {
  return { kind, ownerType: 'fund', ownerId, label, currency: 'EUR' as const, mayGoNegative };
}

async function openContributor(
  client: pg.ClientBase,
  fundId: number,
  contributor: FundRequest['contributors'][number],
): Promise<number> {
  const owner = `${fundId}:contributeur:${contributor.organisationId}`;
  const [external, commitment, budget] = await openAccountsWithin(client, [
    // The contributor's own treasury, outside the platform: it goes negative as it pays in.
    account('contributor', owner, 'Trésorerie du contributeur', true),
    account('contributor', owner, 'Engagement restant à verser'),
    account('fund_budget', owner, 'Versé au fonds, non affecté'),
  ]);
  return insertContributor(client, {
    fundId,
    organisationId: contributor.organisationId,
    committedCents: contributor.committedCents,
    externalAccountId: (external as { id: number }).id,
    commitmentAccountId: (commitment as { id: number }).id,
    budgetAccountId: (budget as { id: number }).id,
  });
}

async function openAxes(
  client: pg.ClientBase,
  fundId: number,
  axes: FundRequest['axes'],
  contributorIds: number[],
): Promise<void> {
  for (const axis of axes) {
    const axisId = await insertAxis(client, {
      fundId,
      name: axis.name.trim(),
      budgetCents: axis.budgetCents,
    });
    const accounts = await openAccountsWithin(
      client,
      contributorIds.map((contributorId) =>
        account(
          'fund_axis',
          `${fundId}:axe:${axisId}:contributeur:${contributorId}`,
          axis.name.trim(),
        ),
      ),
    );
    for (const [index, contributorId] of contributorIds.entries()) {
      await insertAxisAccount(client, {
        axisId,
        contributorId,
        accountId: (accounts[index] as { id: number }).id,
      });
    }
  }
}

function commitmentTransfers(fund: FundRecord): TransferRequest[] {
  return fund.contributors.map((contributor) =>
    simpleTransfer(
      `${PLATFORM_CLIENT_ID_PREFIX}fonds:${fund.id}:engagement:${contributor.id}`,
      'fund_commitment',
      contributor.externalAccountId,
      contributor.commitmentAccountId,
      contributor.committedCents,
    ),
  );
}

/** Idempotent: the commitments are recorded once, whoever asks first after the fund exists. */
export async function ensureCommitments(ledger: Ledger, fund: FundRecord): Promise<void> {
  const results = await ledger.submit(commitmentTransfers(fund), 'platform');
  for (const result of results) ledgerOutcome(result.code, 'ledger_unavailable');
}

export async function createFund(
  client: pg.ClientBase,
  journal: Journal,
  owner: { organisationId: number },
  request: FundRequest,
): Promise<FundRecord> {
  const refusal = validateFund(request);
  if (refusal !== undefined) throw fundError(refusal);
  const organisationIds = request.contributors.map((contributor) => contributor.organisationId);
  const funders = await funderOrganisations(client, organisationIds, [...FUNDER_KINDS, 'service']);
  if (funders.length !== organisationIds.length) throw fundError('contributor_not_found');
  const fundId = await insertFund(client, { ...request, name: request.name.trim(), ...owner });
  const contributorIds: number[] = [];
  for (const contributor of request.contributors) {
    contributorIds.push(await openContributor(client, fundId, contributor));
  }
  await openAxes(client, fundId, request.axes, contributorIds);
  await journal({
    organisationId: owner.organisationId,
    action: 'fund.create',
    targetType: 'fund',
    targetId: fundId,
    after: { name: request.name, contributors: request.contributors, axes: request.axes },
  });
  return (await findFundInScope(client, null, fundId)) as FundRecord;
}

export function transferKey(fundId: number, purpose: string, clientKey: string): string {
  return `${PLATFORM_CLIENT_ID_PREFIX}fonds:${fundId}:${purpose}:${clientKey}`;
}

/** A contributor pays part of its commitment into the fund; never more than it promised. */
export async function recordContribution(
  ledger: Ledger,
  journal: Journal,
  fund: FundRecord,
  payment: { contributorId: number; amountCents: number; clientKey: string },
): Promise<'created' | 'already_exists'> {
  const contributor = fund.contributors.find((candidate) => candidate.id === payment.contributorId);
  if (contributor === undefined) throw fundError('contributor_not_found');
  await ensureCommitments(ledger, fund);
  const [result] = await ledger.submit(
    [
      simpleTransfer(
        transferKey(fund.id, 'versement', payment.clientKey),
        'fund_contribution',
        contributor.commitmentAccountId,
        contributor.budgetAccountId,
        payment.amountCents,
      ),
    ],
    'platform',
  );
  const outcome = ledgerOutcome(
    (result as { code: TransferResultCode }).code,
    'commitment_exceeded',
  );
  if (outcome === 'created') {
    await journal({
      organisationId: fund.organisationId,
      action: 'fund.contribution',
      targetType: 'fund',
      targetId: fund.id,
      after: {
        contributorOrganisationId: contributor.organisationId,
        amountCents: payment.amountCents,
      },
    });
  }
  return outcome;
}

export type ProRataLeg = { contributorId: number; fromAccountId: number; toAccountId: number };

/**
 * One transfer that takes `amountCents` from each contributor's source account in proportion to
 * what each holds there, onto that contributor's target account: every euro keeps its origin.
 */
export async function moveProRata(
  ledger: Ledger,
  move: { clientId: string; kind: string; amountCents: number; legs: ProRataLeg[] },
): Promise<{
  outcome: 'created' | 'already_exists';
  shares: { contributorId: number; amountCents: number }[];
}> {
  const balances = await ledger.findAccounts(move.legs.map((leg) => leg.fromAccountId));
  const shares = splitProRata(
    move.amountCents,
    move.legs.map((leg) => ({
      key: leg,
      availableCents: availableCents(balances.find((row) => row.id === leg.fromAccountId)!),
    })),
  );
  if (shares === undefined) throw fundError('funds_insufficient');
  const entries = shares
    .filter((share) => share.amountCents > 0)
    .flatMap((share) => [
      { accountId: share.key.fromAccountId, amountCents: -share.amountCents },
      { accountId: share.key.toAccountId, amountCents: share.amountCents },
    ]);
  const [result] = await ledger.submit(
    [{ clientId: move.clientId, kind: move.kind, phase: 'posted', currency: 'EUR', entries }],
    'platform',
  );
  const code = (result as { code: TransferResultCode }).code;
  return {
    outcome: ledgerOutcome(code, 'funds_insufficient'),
    shares: shares.map((share) => ({
      contributorId: share.key.contributorId,
      amountCents: share.amountCents,
    })),
  };
}

/**
 * Puts money of the fund on an axis, taken from each contributor's unallocated budget in
 * proportion to what each has paid and not yet allocated, up to the axis budget.
 */
export async function allocateToAxis(
  client: pg.ClientBase,
  ledger: Ledger,
  journal: Journal,
  fund: FundRecord,
  allocation: { axisId: number; amountCents: number; clientKey: string },
): Promise<'created' | 'already_exists'> {
  const axis = fund.axes.find((candidate) => candidate.id === allocation.axisId);
  if (axis === undefined)
    throw new HttpError(404, 'axis_not_found', 'Axe introuvable dans ce fonds.');
  const clientId = transferKey(fund.id, 'affectation', allocation.clientKey);
  // The allocation row and the transfer commit together (the caller's transaction is rolled
  // back on any refusal): a key already recorded means the transfer was made.
  const fresh = await insertAllocation(client, { clientId, fundId: fund.id, ...allocation });
  if (!fresh) return 'already_exists';
  const locked = await lockAxisAllocated(client, axis.id);
  if (locked.allocatedCents > locked.budgetCents) throw fundError('axis_budget_exceeded');
  const { outcome, shares } = await moveProRata(ledger, {
    clientId,
    kind: 'fund_allocation',
    amountCents: allocation.amountCents,
    legs: fund.contributors.map((contributor) => ({
      contributorId: contributor.id,
      fromAccountId: contributor.budgetAccountId,
      toAccountId: axis.accounts.find((link) => link.contributorId === contributor.id)!.accountId,
    })),
  });
  if (outcome === 'created') {
    await journal({
      organisationId: fund.organisationId,
      action: 'fund.allocation',
      targetType: 'fund_axis',
      targetId: axis.id,
      after: {
        amountCents: allocation.amountCents,
        shares,
      },
    });
  }
  return outcome;
}
