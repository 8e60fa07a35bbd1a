import type { Mandate, MandateDuration, MandateScope } from '../../identity/types.js';

export const scopeLabels: Record<MandateScope, string> = {
  consulter_soldes: 'Consulter les soldes et le profil',
  payer: 'Payer',
  demander_aide: 'Demander des aides et compléter le profil',
};

/** The same scopes as the beneficiary grants them, in the words of the consent text. */
export const scopeChoiceLabels: Record<MandateScope, string> = {
  consulter_soldes: 'Consulter mes soldes et mon profil',
  payer: 'Payer en mon nom',
  demander_aide: 'Demander des aides et compléter mon profil en mon nom',
};

export const durationLabels: Record<MandateDuration, string> = {
  '1_jour': '1 jour',
  '1_mois': '1 mois',
  '6_mois': '6 mois',
  '1_an': '1 an',
};

export const statusLabels: Record<Mandate['status'], string> = {
  actif: 'Actif',
  expire: 'Expiré',
  revoque: 'Révoqué',
};
