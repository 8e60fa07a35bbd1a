import type pg from 'pg';
import { journaled, type Journal } from './journal.js';
import type { JournalContext } from './journal-store.js';
import {
  isFunderKind,
  ORGANISATION_KIND_LABELS,
  validateOrganisation,
  type OrganisationRefusal,
  type OrganisationRequest,
} from './organisations.js';
import { findOrganisation, insertOrganisation, type OrganisationRow } from './store.js';

export type CreateOrganisationResult =
  | { created: true; organisation: OrganisationRow }
  | { created: false; refusal: OrganisationRefusal };

/** What other domains and the CLI use of organisations: they never touch the table. */
export async function createOrganisation(
  client: pg.ClientBase,
  journal: Journal,
  request: OrganisationRequest,
): Promise<CreateOrganisationResult> {
  const valid = validateOrganisation(request);
  if (typeof valid === 'string') return { created: false, refusal: valid };
  if (valid.parentId !== null) {
    const parent = await findOrganisation(client, valid.parentId);
    if (parent === undefined) return { created: false, refusal: 'parent_not_found' };
    if (!isFunderKind(parent.kind)) return { created: false, refusal: 'parent_not_funder' };
  }
  const organisation = await insertOrganisation(client, valid);
  if (organisation === undefined) return { created: false, refusal: 'siret_already_registered' };
  await journal({
    organisationId: organisation.id,
    action: valid.parentId === null ? 'organisation.create' : 'service.create',
    targetType: 'organisation',
    targetId: organisation.id,
    after: { kind: valid.kind, name: valid.name, siret: valid.siret, parentId: valid.parentId },
  });
  return { created: true, organisation };
}

/** The same, in a transaction of its own: for the CLI and the demo seed. */
export async function registerOrganisation(
  pool: pg.Pool,
  context: JournalContext,
  request: OrganisationRequest,
): Promise<CreateOrganisationResult> {
  return journaled(pool, context, (client, journal) =>
    createOrganisation(client, journal, request),
  );
}

export function presentOrganisation(organisation: OrganisationRow) {
  return {
    id: organisation.id,
    kind: organisation.kind,
    kindLabel: ORGANISATION_KIND_LABELS[organisation.kind],
    name: organisation.name,
    siren: organisation.siren,
    siret: organisation.siret,
    parentId: organisation.parentId,
  };
}

export { findOrganisation };
