import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { attributionStatusLabels } from '../beneficiaries/format.js';
import { canManageAttributions } from '../campaigns/access.js';
import { attributionsApi } from '../campaigns/api.js';
import { attributionStatusSeverities, capitalised } from '../campaigns/format.js';
import type { AttributionView } from '../campaigns/types.js';
import { formatDate, formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatDay } from '../programmes/format.js';
import { formatCents } from '../programmes/money.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { campaignsPageTitle } from './CampaignsPage.js';
import { StatusChangeForm } from './campaigns/StatusChangeForm.js';

export const attributionPageTitle = 'Attribution';

function Origin({ attribution }: { attribution: AttributionView }) {
  if (attribution.campaignId !== null) {
    return (
      <AppLink href={`/campagnes/${attribution.campaignId}`}>
        {`Campagne n° ${attribution.campaignId}`}
      </AppLink>
    );
  }
  if (attribution.applicationId !== null) return <>{`Demande n° ${attribution.applicationId}`}</>;
  return <>Non précisée</>;
}

function Summary({ attribution }: { attribution: AttributionView }) {
  return (
    <dl className="identification">
      <dt>Statut</dt>
      <dd>
        <Badge severity={attributionStatusSeverities[attribution.status]}>
          {capitalised(attribution.statusLabel)}
        </Badge>
      </dd>
      <dt>Bénéficiaire</dt>
      <dd>
        <AppLink href={`/beneficiaires/${attribution.beneficiaryId}`}>
          {`Fiche du bénéficiaire n° ${attribution.beneficiaryId}`}
        </AppLink>
      </dd>
      <dt>Dispositif</dt>
      <dd>
        <AppLink href={`/dispositifs/${attribution.programmeId}`}>
          {attribution.programmeName}
        </AppLink>
        {`, financé par ${attribution.funderName} — règles de la version ${attribution.ruleVersion}`}
      </dd>
      <dt>Montant attribué</dt>
      <dd>{formatCents(attribution.amountCents)}</dd>
      <dt>Reste disponible</dt>
      <dd>
        {attribution.remainingCents === null
          ? 'Pas encore crédité'
          : formatCents(attribution.remainingCents)}
      </dd>
      <dt>Crédité le</dt>
      <dd>{attribution.creditedAt === null ? '—' : formatDateTime(attribution.creditedAt)}</dd>
      <dt>Valable jusqu’au</dt>
      <dd>
        {attribution.validUntil === null ? 'Sans date de fin' : formatDate(attribution.validUntil)}
      </dd>
      <dt>Date de référence</dt>
      <dd>{formatDay(attribution.referenceDate)}</dd>
      <dt>Origine</dt>
      <dd>
        <Origin attribution={attribution} />
      </dd>
    </dl>
  );
}

function History({ attribution }: { attribution: AttributionView }) {
  return (
    <section aria-labelledby="attribution-historique" className={fr.cx('fr-mb-6w')}>
      <h2 id="attribution-historique">Historique</h2>
      <DataTable
        caption="Changements de statut de l’attribution, du plus ancien au plus récent"
        headers={['Date', 'Changement', 'Par', 'Motif']}
        rows={attribution.events.map((event) => [
          formatDateTime(event.occurredAt),
          event.fromStatus === null
            ? attributionStatusLabels[event.toStatus]
            : `${attributionStatusLabels[event.fromStatus]} → ${attributionStatusLabels[event.toStatus]}`,
          event.personName ?? 'La plateforme',
          event.reason,
        ])}
      />
    </section>
  );
}

function AttributionContent({
  attribution,
  session,
  reload,
}: {
  attribution: AttributionView;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  return (
    <>
      <Summary attribution={attribution} />
      <section aria-labelledby="attribution-explication" className={fr.cx('fr-mb-6w')}>
        <h2 id="attribution-explication">Pourquoi cette aide, et ce montant</h2>
        <ol className="explanation-sentences">
          {attribution.explanation.map((sentence, index) => (
            <li key={index}>{sentence}</li>
          ))}
        </ol>
      </section>
      <History attribution={attribution} />
      {canManageAttributions(session.memberships, attribution.organisationId) && (
        <section aria-labelledby="attribution-statut" className={fr.cx('fr-mb-6w')}>
          <h2 id="attribution-statut">Changer le statut</h2>
          <StatusChangeForm attribution={attribution} onChanged={reload} />
        </section>
      )}
    </>
  );
}

function AttributionDetails({
  attributionId,
  session,
}: {
  attributionId: number;
  session: AuthenticatedSession;
}) {
  const { resource, reload } = useResource(
    () => attributionsApi.attribution(attributionId),
    `attribution-${attributionId}`,
  );
  const title =
    resource.status === 'loaded'
      ? `${resource.data.programmeName} — attribution n° ${attributionId}`
      : attributionPageTitle;
  const campaignId = resource.status === 'loaded' ? resource.data.campaignId : null;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={`Attribution n° ${attributionId}`}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: campaignsPageTitle, linkProps: { href: '/campagnes' } },
          ...(campaignId === null
            ? []
            : [
                {
                  label: `Campagne n° ${campaignId}`,
                  linkProps: { href: `/campagnes/${campaignId}` },
                },
              ]),
        ]}
      />
      <h1>{title}</h1>
      <Loaded resource={resource}>
        {(attribution) => (
          <AttributionContent attribution={attribution} session={session} reload={reload} />
        )}
      </Loaded>
    </div>
  );
}

export function AttributionPage({ attributionId }: { attributionId: number }) {
  return (
    <RequireSession>
      {(session) => <AttributionDetails attributionId={attributionId} session={session} />}
    </RequireSession>
  );
}
