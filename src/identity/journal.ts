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
  'beneficiary.create': 'Enregistrement d’un bénéficiaire',
  'beneficiary.update': 'Correction d’un bénéficiaire',
  'beneficiary.export': 'Export des données d’un bénéficiaire (droit d’accès)',
  'beneficiary.erase': 'Effacement des données d’un bénéficiaire',
  'beneficiary.claim': 'Rattachement d’une fiche par code',
  'beneficiary.link_by_email': 'Rattachement de fiches par l’adresse électronique',
  'beneficiary.contact_update': 'Correction de ses coordonnées par le bénéficiaire',
  'beneficiary.demo_seed': 'Bénéficiaires de démonstration enregistrés',
  'beneficiary_import.upload': 'Dépôt d’un fichier de bénéficiaires',
  'beneficiary_import.analyse': 'Analyse d’un fichier de bénéficiaires',
  'beneficiary_import.confirm': 'Import confirmé de bénéficiaires',
  'beneficiary_import.abandon': 'Import de bénéficiaires abandonné',
  'campaign.create': 'Préparation d’une campagne d’attribution',
  'campaign.approve': 'Approbation d’une campagne',
  'campaign.second_approval': 'Seconde approbation d’une campagne',
  'campaign.cancel': 'Annulation d’une campagne',
  'funder_settings.update': 'Seuil de double approbation modifié',
  'attribution.approve': 'Attribution approuvée',
  'attribution.suspend': 'Attribution suspendue',
  'attribution.reinstate': 'Attribution rétablie',
  'attribution.revoke': 'Attribution révoquée',
  'application.submit': 'Dépôt d’une demande d’aide',
  'application.document_add': 'Document joint à une demande d’aide',
  'application.message': 'Message du demandeur sur sa demande d’aide',
  'application.request_information': 'Demande d’informations au demandeur',
  'application.withdraw': 'Retrait d’une demande d’aide',
  'application.accept': 'Acceptation d’une demande d’aide',
  'application.refuse': 'Refus d’une demande d’aide',
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
