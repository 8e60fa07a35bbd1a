import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { journaled, journalContextOf, type Journal } from './journal.js';
import type { ExternalIdentity, OidcProviderConfiguration } from './oidc.js';
import type { OidcLoginOutcome } from './oidc-routes.js';
import { createPerson, grantRole, isRefused } from './people.js';
import {
  findPersonByEmail,
  findPersonIdByExternalIdentity,
  insertExternalIdentity,
  membershipsOfPerson,
} from './people-store.js';
import { openSession, setSessionCookie, type SessionSettings } from './sessions.js';

// After an OpenID Connect provider vouched for someone: which person that is, and their session.

export const EXTERNAL_LOGIN_REFUSALS = {
  email_missing: 'Le fournisseur d’identité n’a pas transmis d’adresse électronique.',
  agent_unknown:
    'Aucun compte Fléchage n’est associé à cette adresse : demandez une invitation à votre organisation.',
  email_not_verified:
    'Le fournisseur d’identité n’atteste pas cette adresse électronique : connectez-vous avec votre mot de passe.',
} as const;

type Refusal = keyof typeof EXTERNAL_LOGIN_REFUSALS;

/** ProConnect and FranceConnect vouch for the addresses they send without saying so. */
function emailIsVouched(identity: ExternalIdentity, provider: OidcProviderConfiguration): boolean {
  return identity.emailVerified || provider.kind !== 'generique';
}

function displayNameOf(identity: ExternalIdentity, email: string): string {
  const name = [identity.givenName, identity.familyName].filter(Boolean).join(' ').trim();
  return (name.length > 0 ? name : email).slice(0, 120);
}

/**
 * Agents must already have an account (invited by their organisation); citizens get one, as
 * beneficiaries, the first time. Either way the provider's identity is linked to the person,
 * so that a later change of address at the provider still finds them.
 */
async function personFor(
  client: pg.ClientBase,
  journal: Journal,
  identity: ExternalIdentity,
  provider: OidcProviderConfiguration,
): Promise<number | Refusal> {
  const linked = await findPersonIdByExternalIdentity(client, identity.issuer, identity.subject);
  if (linked !== undefined) return linked;
  if (identity.email === null) return 'email_missing';
  if (!emailIsVouched(identity, provider)) return 'email_not_verified';
  const existing = await findPersonByEmail(client, identity.email);
  let personId = existing?.id;
  if (personId === undefined) {
    if (identity.audience === 'agents') return 'agent_unknown';
    const created = await createPerson(client, journal, {
      email: identity.email,
      displayName: displayNameOf(identity, identity.email),
      password: null,
    });
    if (isRefused(created)) throw new Error(`compte citoyen refusé : ${created.refused}`);
    personId = created;
    await grantRole(client, journal, { personId, organisationId: null, role: 'beneficiaire' });
  } else if (
    identity.audience === 'agents' &&
    (await membershipsOfPerson(client, personId)).length === 0
  ) {
    return 'agent_unknown';
  }
  await insertExternalIdentity(client, { personId, ...identity });
  await journal({
    organisationId: null,
    action: 'external_identity.link',
    targetType: 'person',
    targetId: personId,
    after: { providerId: identity.providerId, issuer: identity.issuer },
  });
  return personId;
}

export function externalLoginCompleter(
  pool: pg.Pool,
  providers: OidcProviderConfiguration[],
  sessions: SessionSettings,
) {
  return async (
    identity: ExternalIdentity,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<OidcLoginOutcome> => {
    const provider = providers.find((candidate) => candidate.id === identity.providerId);
    if (provider === undefined) throw new Error(`fournisseur inconnu : ${identity.providerId}`);
    const outcome = await journaled(
      pool,
      journalContextOf(null, request.id),
      async (client, journal) => {
        const personId = await personFor(client, journal, identity, provider);
        if (typeof personId === 'string') return personId;
        return openSession(client, sessions, {
          personId,
          authenticationMethod: `oidc:${provider.id}`,
          secondFactorPending: false,
          request,
        });
      },
    );
    if (typeof outcome === 'string') {
      return { ok: false, code: outcome, message: EXTERNAL_LOGIN_REFUSALS[outcome] };
    }
    setSessionCookie(reply, sessions, outcome);
    return { ok: true };
  };
}
