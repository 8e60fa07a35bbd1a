import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { campaignOrganisations, canManageCampaigns } from '../campaigns/access.js';
import { campaignsApi } from '../campaigns/api.js';
import {
  campaignStatusSeverities,
  capitalised,
  runningCampaignStatuses,
} from '../campaigns/format.js';
import { usePolling } from '../campaigns/polling.js';
import type { CampaignView } from '../campaigns/types.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatCents, formatCount } from '../programmes/money.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { FourEyesSection } from './campaigns/FourEyesSection.js';

export const campaignsPageTitle = 'Campagnes d’attribution';

/** « 12 / 40 » once crediting started, a dash before. */
function creditedOf(campaign: CampaignView): string {
  if (campaign.creditedCount === 0 && campaign.startedAt === null) return '—';
  return `${formatCount(campaign.creditedCount)} sur ${formatCount(campaign.eligibleCount)}`;
}

function CampaignsTable({ campaigns }: { campaigns: CampaignView[] }) {
  if (campaigns.length === 0) return <p>Aucune campagne pour le moment.</p>;
  return (
    <DataTable
      caption="Campagnes d’attribution de vos organisations, les plus récentes d’abord (200 au plus)"
      headers={[
        'Campagne',
        'Dispositif',
        'État',
        'Bénéficiaires à créditer',
        'Montant total',
        'Enveloppes créditées',
        'Préparée le',
      ]}
      rows={campaigns.map((campaign) => [
        <AppLink key="nom" href={`/campagnes/${campaign.id}`}>
          {campaign.name}
        </AppLink>,
        campaign.programmeName,
        <Badge key="etat" small severity={campaignStatusSeverities[campaign.status]}>
          {capitalised(campaign.statusLabel)}
        </Badge>,
        campaign.simulation === null ? '—' : formatCount(campaign.eligibleCount),
        campaign.simulation === null ? '—' : formatCents(campaign.totalCents),
        creditedOf(campaign),
        formatDateTime(campaign.createdAt),
      ])}
    />
  );
}

function CampaignsView({ session }: { session: AuthenticatedSession }) {
  const { resource, reload } = useResource(() => campaignsApi.campaigns(), 'campagnes');
  const running =
    resource.status === 'loaded' &&
    resource.data.some((campaign) => runningCampaignStatuses.includes(campaign.status));
  usePolling(running, reload, resource);
  const organisations = campaignOrganisations(session.memberships);
  const manages = organisations.some((organisation) =>
    canManageCampaigns(session.memberships, organisation.id),
  );
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={campaignsPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{campaignsPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Une campagne attribue un dispositif à toute une population d’un coup : elle évalue chaque
        bénéficiaire, montre le coût avant toute décision, attend l’approbation, puis crédite les
        enveloppes depuis la réserve du dispositif.
      </p>
      {manages && (
        <Button
          iconId="fr-icon-add-line"
          linkProps={{ href: '/campagnes/nouvelle' }}
          className={fr.cx('fr-mb-4w')}
        >
          Nouvelle campagne
        </Button>
      )}
      <Loaded resource={resource}>{(campaigns) => <CampaignsTable campaigns={campaigns} />}</Loaded>
      <FourEyesSection organisations={organisations} memberships={session.memberships} />
    </div>
  );
}

export function CampaignsPage() {
  return <RequireSession>{(session) => <CampaignsView session={session} />}</RequireSession>;
}
