import type pg from 'pg';
import {
  isFunderKind,
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
  pool: pg.Pool,
  request: OrganisationRequest,
): Promise<CreateOrganisationResult> {
  const valid = validateOrganisation(request);
  if (typeof valid === 'string') return { created: false, refusal: valid };
  if (valid.parentId !== null) {
    const parent = await findOrganisation(pool, valid.parentId);
    if (parent === undefined) return { created: false, refusal: 'parent_not_found' };
    if (!isFunderKind(parent.kind)) return { created: false, refusal: 'parent_not_funder' };
  }
  const organisation = await insertOrganisation(pool, valid);
  if (organisation === undefined) return { created: false, refusal: 'siret_already_registered' };
  return { created: true, organisation };
}

export { findOrganisation };
