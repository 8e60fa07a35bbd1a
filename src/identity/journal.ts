import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { withTransaction } from '../platform/database.js';
import type { Actor } from './actor.js';
import {
  appendJournalEntry,
  type JournalContext,
  type JournalEntryInput,
} from './journal-store.js';

// Every state change goes through `journaled`: the change and its journal entry commit together,
// with who acted, for whom, and in which request.

export const JOURNAL_ACTION_LABELS: Record<string, string> = {
  'organisation.create': 'Création d’une organisation',
  'service.create': 'Création d’un service',
  'person.create': 'Création d’un compte',
  'membership.grant': 'Attribution d’un rôle',
  'membership.end': 'Retrait d’un membre',
  'invitation.create': 'Invitation d’un membre',
  'invitation.cancel': 'Annulation d’une invitation',
  'invitation.accept': 'Acceptation d’une invitation',
  'session.open': 'Ouverture de session',
  'session.second_factor': 'Second facteur validé',
  'session.close': 'Fermeture de session',
  'password.change': 'Changement de mot de passe',
  'totp.setup': 'Préparation de la double authentification',
  'totp.enable': 'Activation de la double authentification',
  'totp.disable': 'Désactivation de la double authentification',
  'api_key.create': 'Création d’une clé d’API',
  'api_key.rotate': 'Renouvellement d’une clé d’API',
  'api_key.revoke': 'Révocation d’une clé d’API',
  'mandate.grant': 'Mandat donné à un aidant',
  'mandate.revoke': 'Révocation d’un mandat',
  'mandate.reminder': 'Rappel de fin de mandat',
  'profile.update': 'Modification du profil',
  'external_identity.link': 'Liaison d’une identité OpenID Connect',
  'fund.create': 'Création d’un fonds',
  'fund.contribution': 'Versement d’un contributeur',
  'fund.allocation': 'Affectation à un axe',
  'programme.create': 'Création d’un dispositif',
  'programme.rules_version': 'Nouvelle version des règles',
  'programme.publish': 'Publication d’une version des règles',
  'programme.reserve': 'Réservation de budget',
};

export function journalActionLabel(action: string): string {
  return JOURNAL_ACTION_LABELS[action] ?? action;
}

export const SYSTEM_JOURNAL_CONTEXT: JournalContext = {
  actorType: 'systeme',
  actorPersonId: null,
  actorApiKeyId: null,
  onBehalfOfPersonId: null,
  requestId: null,
};

/** The operator at the command line (`flechage admin …`, the demo seed). */
export const OPERATOR_JOURNAL_CONTEXT: JournalContext = {
  ...SYSTEM_JOURNAL_CONTEXT,
  actorType: 'operateur',
};

export function journalContextOf(actor: Actor | null, requestId: string | null): JournalContext {
  const base = { ...SYSTEM_JOURNAL_CONTEXT, requestId };
  switch (actor?.type) {
    case 'personne':
      return {
        ...base,
        actorType: 'personne',
        actorPersonId: actor.personId,
        onBehalfOfPersonId: actor.actingFor?.personId ?? null,
      };
    case 'cle_api':
      return { ...base, actorType: 'cle_api', actorApiKeyId: actor.apiKeyId };
    case 'operateur':
      return { ...base, actorType: 'operateur' };
    case undefined:
      return base;
  }
}

export type Journal = (entry: JournalEntryInput) => Promise<void>;

/**
 * Runs a change in one transaction with a `journal` function bound to it; the work says what it
 * changed, and nothing commits unless its entries do.
 */
export async function journaled<T>(
  pool: pg.Pool,
  context: JournalContext,
  work: (client: pg.PoolClient, journal: Journal) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    const journal: Journal = async (entry) => {
      await appendJournalEntry(client, context, entry);
    };
    return work(client, journal);
  });
}

export function journaledRequest<T>(
  pool: pg.Pool,
  request: FastifyRequest,
  work: (client: pg.PoolClient, journal: Journal) => Promise<T>,
): Promise<T> {
  return journaled(pool, journalContextOf(request.actor, request.id), work);
}
