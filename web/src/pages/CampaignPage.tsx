import './campaigns/campaigns.css';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Loaded, useResource } from '../components/resource.js';
import { canManageCampaigns } from '../campaigns/access.js';
import { campaignsApi } from '../campaigns/api.js';
import {
  campaignStatusSeverities,
  cancellableCampaignStatuses,
  capitalised,
  populationLabel,
  runningCampaignStatuses,
} from '../campaigns/format.js';
import { usePolling } from '../campaigns/polling.js';
import type { CampaignView } from '../campaigns/types.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatDay } from '../programmes/format.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { campaignsPageTitle } from './CampaignsPage.js';
import { ApprovalSection } from './campaigns/ApprovalSection.js';
import { AttributionsSection } from './campaigns/AttributionsSection.js';
import { CampaignSimulationSection } from './campaigns/CampaignSimulation.js';
import { CancelSection } from './campaigns/CancelSection.js';
import { CreditingSection, SimulationProgress } from './campaigns/ProgressSections.js';

export const campaignPageTitle = 'Campagne d’attribution';

/** Once approved, the campaign credits: from then on, its progress is what matters. */
function credits(campaign: CampaignView): boolean {
  if (campaign.status === 'failed') return campaign.startedAt !== null;
  return ['approved', 'crediting', 'completed', 'stopped'].includes(campaign.status);
}

/** A campaign that ended before crediting anything: why. */
function EndedNotice({ campaign }: { campaign: CampaignView }) {
  if (campaign.status === 'cancelled') {
    return (
      <Alert
        severity="info"
        className={fr.cx('fr-mb-6w')}
        title="Campagne annulée"
        description={`Motif : ${campaign.stopReason ?? 'non précisé'}. Aucune enveloppe n’a été créditée.`}
      />
    );
  }
  if (campaign.status === 'failed' && campaign.startedAt === null) {
    return (
      <Alert
        severity="error"
        className={fr.cx('fr-mb-6w')}
        title="Simulation en échec"
        description={`${campaign.failure ?? 'Une erreur est survenue.'} Rien n’a été crédité : la campagne peut être annulée, puis préparée de nouveau.`}
      />
    );
  }
  return null;
}

function Summary({ campaign }: { campaign: CampaignView }) {
  return (
    <dl className="identification">
      <dt>État</dt>
      <dd>
        <Badge severity={campaignStatusSeverities[campaign.status]}>
          {capitalised(campaign.statusLabel)}
        </Badge>
      </dd>
      <dt>Dispositif</dt>
      <dd>
        <AppLink href={`/dispositifs/${campaign.programmeId}`}>{campaign.programmeName}</AppLink>
        {` — règles de la version ${campaign.ruleVersion}`}
      </dd>
      <dt>Population</dt>
      <dd>{populationLabel(campaign.population)}</dd>
      <dt>Date de référence</dt>
      <dd>{formatDay(campaign.referenceDate)}</dd>
      <dt>Préparée le</dt>
      <dd>{formatDateTime(campaign.createdAt)}</dd>
    </dl>
  );
}

function CampaignContent({
  campaign,
  session,
  reload,
}: {
  campaign: CampaignView;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  const { simulation } = campaign;
  const manages = canManageCampaigns(session.memberships, campaign.organisationId);
  return (
    <>
      <Summary campaign={campaign} />
      {campaign.status === 'simulating' && <SimulationProgress campaign={campaign} />}
      <EndedNotice campaign={campaign} />
      {credits(campaign) && <CreditingSection campaign={campaign} />}
      {simulation !== null && campaign.status !== 'cancelled' && (
        <ApprovalSection campaign={campaign} session={session} onChanged={reload} />
      )}
      {simulation !== null && (
        <CampaignSimulationSection campaign={campaign} simulation={simulation} />
      )}
      {simulation !== null && <AttributionsSection campaign={campaign} />}
      {manages && cancellableCampaignStatuses.includes(campaign.status) && (
        <CancelSection campaign={campaign} onChanged={reload} />
      )}
    </>
  );
}

function CampaignDetails({
  campaignId,
  session,
}: {
  campaignId: number;
  session: AuthenticatedSession;
}) {
  const { resource, reload } = useResource(
    () => campaignsApi.campaign(campaignId),
    `campagne-${campaignId}`,
  );
  const running =
    resource.status === 'loaded' && runningCampaignStatuses.includes(resource.data.status);
  usePolling(running, reload, resource);
  const name = resource.status === 'loaded' ? resource.data.name : campaignPageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: campaignsPageTitle, linkProps: { href: '/campagnes' } },
        ]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>
        {(campaign) => <CampaignContent campaign={campaign} session={session} reload={reload} />}
      </Loaded>
    </div>
  );
}

export function CampaignPage({ campaignId }: { campaignId: number }) {
  return (
    <RequireSession>
      {(session) => <CampaignDetails campaignId={campaignId} session={session} />}
    </RequireSession>
  );
}
