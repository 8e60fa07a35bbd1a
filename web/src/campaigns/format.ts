import type { AlertProps } from '@codegouvfr/react-dsfr/Alert.js';
import type { AttributionStatus, CampaignStatus, Population } from './types.js';

// The words and colours of campaigns and attributions; the labels themselves come from the server.

type Severity = AlertProps.Severity | 'new' | undefined;

export const campaignStatusSeverities: Record<CampaignStatus, Severity> = {
  simulating: 'info',
  simulated: 'new',
  awaiting_second_approval: 'warning',
  approved: 'info',
  crediting: 'info',
  completed: 'success',
  stopped: 'warning',
  cancelled: undefined,
  failed: 'error',
};

export const attributionStatusSeverities: Record<AttributionStatus, Severity> = {
  proposed: 'new',
  approved: 'info',
  credited: 'success',
  suspended: 'warning',
  revoked: 'error',
  expired: undefined,
};

/** The statuses during which the server works on the campaign: the page follows them. */
export const runningCampaignStatuses: readonly CampaignStatus[] = [
  'simulating',
  'approved',
  'crediting',
];

/** The statuses a campaign may still be cancelled in (mayCancel in src/attributions/model.ts). */
export const cancellableCampaignStatuses: readonly CampaignStatus[] = [
  'simulated',
  'awaiting_second_approval',
  'failed',
];

/** « Simulée, en attente d’approbation » from the server's « simulée, en attente… ». */
export function capitalised(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const communesNamed = 10;

export function populationLabel(population: Population): string {
  switch (population.kind) {
    case 'all':
      return 'Tous les bénéficiaires du financeur';
    case 'import':
      return `Les bénéficiaires du fichier importé n° ${population.importId}`;
    case 'communes': {
      const codes = population.communeCodes;
      if (codes.length === 1) return `Les habitants de la commune ${codes[0] ?? ''}`;
      const named = codes.slice(0, communesNamed).join(', ');
      const more = codes.length > communesNamed ? ` et ${codes.length - communesNamed} autres` : '';
      return `Les habitants de ${codes.length} communes (codes INSEE ${named}${more})`;
    }
  }
}
