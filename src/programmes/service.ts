import type pg from 'pg';
import type { FundRecord } from '../funds/store.js';
import { moveProRata, transferKey } from '../funds/service.js';
import type { Journal } from '../identity/journal.js';
import { openAccountsWithin, type Ledger } from '../ledger/service.js';
import { HttpError } from '../platform/errors.js';
import { compileRules, type CompiledRules } from './rules/engine.js';
import { platformRuleReference } from './rules/reference.js';
import { validateRuleSet, type RuleSet } from './rules/schema.js';
import { PROGRAMME_TEMPLATES } from './templates.js';
import {
  findRuleVersion,
  insertProgramme,
  insertReserveAccount,
  insertRuleVersion,
  publishVersion,
  type ProgrammeRecord,
} from './store.js';

// Programmes: a budget reserved on a fund axis and rules kept as immutable versions. Rules are
// data, validated against the reference lists and compiled once per version.

export const PROGRAMME_REFUSALS = {
  rules_invalid: 'Règles invalides : voir le détail de chaque champ.',
  template_unknown: 'Modèle de dispositif inconnu.',
  axis_not_in_fund: 'Cet axe n’appartient pas à ce fonds.',
  version_unknown: 'Cette version des règles n’existe pas.',
  rules_missing: 'Indiquez des règles, ou un modèle dont partir.',
} as const;

export type ProgrammeRefusal = keyof typeof PROGRAMME_REFUSALS;

export function programmeError(refusal: ProgrammeRefusal, details?: unknown): HttpError {
  const status = refusal === 'version_unknown' ? 404 : 422;
  return new HttpError(status, refusal, PROGRAMME_REFUSALS[refusal], details);
}

/** The rules, or a 422 naming every field that is wrong. */
export function acceptedRules(input: unknown): RuleSet {
  const result = validateRuleSet(input, platformRuleReference());
  if (!result.valid) throw programmeError('rules_invalid', result.problems);
  return result.rules;
}

const MAX_COMPILED_VERSIONS = 1_000;
type CompiledVersion = { rules: RuleSet; compiled: CompiledRules };
/** Per database: two platforms in one process (the tests) never see each other's versions. */
const compiledVersions = new WeakMap<pg.Pool, Map<string, CompiledVersion>>();

/**
 * Versions never change, so a version is read and compiled once and kept for as long as the
 * process lives: explaining a page of attributions reads the database once, not per row.
 */
export async function compiledVersion(
  pool: pg.Pool,
  programmeId: number,
  version: number,
): Promise<CompiledVersion> {
  let cache = compiledVersions.get(pool);
  if (cache === undefined) {
    cache = new Map();
    compiledVersions.set(pool, cache);
  }
  const key = `${programmeId}:${version}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const stored = await findRuleVersion(pool, programmeId, version);
  if (stored === undefined) throw programmeError('version_unknown');
  const rules = stored as RuleSet;
  if (cache.size >= MAX_COMPILED_VERSIONS) cache.clear();
  const entry = { rules, compiled: compileRules(rules, platformRuleReference()) };
  cache.set(key, entry);
  return entry;
}

export type ProgrammeRequest = {
  axisId: number;
  name: string;
  description: string;
  templateId?: string | undefined;
  rules?: unknown;
};

function initialRules(request: ProgrammeRequest): RuleSet {
  if (request.rules !== undefined) return acceptedRules(request.rules);
  if (request.templateId === undefined) throw programmeError('rules_missing');
  const template = PROGRAMME_TEMPLATES.find((candidate) => candidate.id === request.templateId);
  if (template === undefined) throw programmeError('template_unknown');
  return acceptedRules(template.rules);
}

export async function createProgramme(
  client: pg.ClientBase,
  journal: Journal,
  fund: FundRecord,
  request: ProgrammeRequest & { createdByPersonId: number | null },
): Promise<number> {
  const axis = fund.axes.find((candidate) => candidate.id === request.axisId);
  if (axis === undefined) throw programmeError('axis_not_in_fund');
  if (
    request.templateId !== undefined &&
    !PROGRAMME_TEMPLATES.some((t) => t.id === request.templateId)
  ) {
    throw programmeError('template_unknown');
  }
  const rules = initialRules(request);
  const programmeId = await insertProgramme(client, {
    fundId: fund.id,
    axisId: axis.id,
    organisationId: fund.organisationId,
    name: request.name.trim(),
    description: request.description.trim(),
    templateId: request.templateId ?? null,
  });
  const accounts = await openAccountsWithin(
    client,
    fund.contributors.map((contributor) => ({
      kind: 'programme_reserve' as const,
      ownerType: 'programme',
      ownerId: `${programmeId}:contributeur:${contributor.id}`,
      label: `Réserve — ${request.name.trim()}`.slice(0, 200),
      currency: 'EUR' as const,
      mayGoNegative: false,
    })),
  );
  for (const [index, contributor] of fund.contributors.entries()) {
    await insertReserveAccount(client, {
      programmeId,
      contributorId: contributor.id,
      accountId: (accounts[index] as { id: number }).id,
    });
  }
  await insertRuleVersion(client, {
    programmeId,
    rules,
    createdByPersonId: request.createdByPersonId,
  });
  await journal({
    organisationId: fund.organisationId,
    action: 'programme.create',
    targetType: 'programme',
    targetId: programmeId,
    after: {
      name: request.name,
      axisId: axis.id,
      templateId: request.templateId ?? null,
      version: 1,
    },
  });
  return programmeId;
}

export async function addRuleVersion(
  client: pg.ClientBase,
  journal: Journal,
  programme: ProgrammeRecord,
  change: { rules: unknown; createdByPersonId: number | null },
): Promise<number> {
  const rules = acceptedRules(change.rules);
  const version = await insertRuleVersion(client, {
    programmeId: programme.id,
    rules,
    createdByPersonId: change.createdByPersonId,
  });
  await journal({
    organisationId: programme.organisationId,
    action: 'programme.rules_version',
    targetType: 'programme',
    targetId: programme.id,
    after: { version },
  });
  return version;
}

export async function publishRuleVersion(
  client: pg.ClientBase,
  journal: Journal,
  programme: ProgrammeRecord,
  version: number,
): Promise<void> {
  if (!programme.versions.some((candidate) => candidate.version === version)) {
    throw programmeError('version_unknown');
  }
  await publishVersion(client, programme.id, version);
  await journal({
    organisationId: programme.organisationId,
    action: 'programme.publish',
    targetType: 'programme',
    targetId: programme.id,
    before: { publishedVersion: programme.publishedVersion },
    after: { publishedVersion: version },
  });
}

/**
 * Reserves budget for the programme from its axis, each contributor giving in proportion to
 * what it has on the axis: the reserve keeps every euro's origin.
 */
export async function reserveBudget(
  ledger: Ledger,
  journal: Journal,
  fund: FundRecord,
  programme: ProgrammeRecord,
  reservation: { amountCents: number; clientKey: string },
): Promise<'created' | 'already_exists'> {
  const axis = fund.axes.find((candidate) => candidate.id === programme.axisId);
  if (axis === undefined) throw programmeError('axis_not_in_fund');
  const { outcome } = await moveProRata(ledger, {
    clientId: transferKey(fund.id, `dispositif:${programme.id}:reserve`, reservation.clientKey),
    kind: 'programme_reservation',
    amountCents: reservation.amountCents,
    legs: axis.accounts.map((link) => ({
      contributorId: link.contributorId,
      fromAccountId: link.accountId,
      toAccountId: programme.reserves.find((r) => r.contributorId === link.contributorId)!
        .accountId,
    })),
  });
  if (outcome === 'created') {
    await journal({
      organisationId: programme.organisationId,
      action: 'programme.reserve',
      targetType: 'programme',
      targetId: programme.id,
      after: { amountCents: reservation.amountCents },
    });
  }
  return outcome;
}
