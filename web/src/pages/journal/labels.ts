import type { JournalEntry } from '../../identity/types.js';

/** The kinds of objects the journal records actions on, as the search offers them. */
export const targetTypeLabels: Record<string, string> = {
  person: 'Personne',
  organisation: 'Organisation',
  membership: 'Rôle d’un membre',
  invitation: 'Invitation',
  session: 'Session',
  api_key: 'Clé d’API',
  mandate: 'Mandat',
};

export const actorTypeLabels: Record<JournalEntry['actorType'], string> = {
  personne: 'Personne',
  cle_api: 'Clé d’API',
  operateur: 'Opérateur de la plateforme',
  systeme: 'Fléchage (tâche automatique)',
};
