import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { canManage, canRecordContributions } from '../programmes/access.js';
import { fundsApi, programmesApi } from '../programmes/api.js';
import { contributorName, formatPeriod, fundTotals, ownerName } from '../programmes/format.js';
import { formatCents } from '../programmes/money.js';
import type { FundView } from '../programmes/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { fundsPageTitle } from './FundsPage.js';
import { MovementForm } from './funds/MovementForm.js';

export const fundPageTitle = 'Détail du fonds';

function Summary({ fund }: { fund: FundView }) {
  const totals = fundTotals(fund);
  return (
    <dl className="identification">
      <dt>Géré par</dt>
      <dd>{ownerName(fund)}</dd>
      <dt>Période</dt>
      <dd>{formatPeriod(fund.startsOn, fund.endsOn)}</dd>
      <dt>Engagé</dt>
      <dd>{formatCents(totals.committedCents)}</dd>
      <dt>Versé</dt>
      <dd>{formatCents(totals.paidCents)}</dd>
      <dt>Affecté aux axes</dt>
      <dd>{formatCents(totals.allocatedCents)}</dd>
      <dt>Versé, pas encore affecté</dt>
      <dd>{formatCents(totals.unallocatedCents)}</dd>
    </dl>
  );
}

function ContributorsTable({ fund }: { fund: FundView }) {
  return (
    <section aria-labelledby="fonds-contributeurs" className={fr.cx('fr-mb-6w')}>
      <h2 id="fonds-contributeurs">Contributeurs</h2>
      <DataTable
        caption="Contributeurs du fonds : engagé, versé et non affecté"
        headers={['Contributeur', 'Engagé', 'Versé', 'Versé, non affecté']}
        rows={fund.contributors.map((contributor) => [
          contributor.organisationName,
          formatCents(contributor.committedCents),
          formatCents(contributor.paidCents),
          formatCents(contributor.unallocatedCents),
        ])}
      />
    </section>
  );
}

function Provenance({ fund, axis }: { fund: FundView; axis: FundView['axes'][number] }) {
  const shares = axis.byContributor.filter((share) => share.availableCents > 0);
  if (shares.length === 0) return <>—</>;
  return (
    <ul className={fr.cx('fr-raw-list')}>
      {shares.map((share) => (
        <li key={share.contributorId}>
          {`${contributorName(fund, share.contributorId)} : ${formatCents(share.availableCents)}`}
        </li>
      ))}
    </ul>
  );
}

function AxesTable({ fund }: { fund: FundView }) {
  return (
    <section aria-labelledby="fonds-axes" className={fr.cx('fr-mb-6w')}>
      <h2 id="fonds-axes">Axes</h2>
      <p>
        La provenance dit, pour l’argent disponible sur chaque axe, quel contributeur l’a apporté.
      </p>
      <DataTable
        caption="Axes du fonds : budget, affecté, disponible et provenance"
        headers={['Axe', 'Budget', 'Affecté', 'Disponible', 'Provenance du disponible']}
        rows={fund.axes.map((axis) => [
          axis.name,
          formatCents(axis.budgetCents),
          formatCents(axis.allocatedCents),
          formatCents(axis.availableCents),
          <Provenance key="provenance" fund={fund} axis={axis} />,
        ])}
      />
    </section>
  );
}

function FundProgrammes({ fund, session }: { fund: FundView; session: AuthenticatedSession }) {
  const { resource } = useResource(programmesApi.programmes, 'dispositifs');
  return (
    <section aria-labelledby="fonds-dispositifs" className={fr.cx('fr-mb-6w')}>
      <h2 id="fonds-dispositifs">Dispositifs financés par le fonds</h2>
      <Loaded resource={resource}>
        {(programmes) => {
          const own = programmes.filter((programme) => programme.fundId === fund.id);
          if (own.length === 0) return <p>Aucun dispositif sur ce fonds pour le moment.</p>;
          const axisName = (axisId: number) =>
            fund.axes.find((axis) => axis.id === axisId)?.name ?? '';
          return (
            <DataTable
              caption="Dispositifs financés par le fonds"
              headers={['Dispositif', 'Axe', 'Version publiée', 'Réservé']}
              rows={own.map((programme) => [
                <AppLink key="nom" href={`/dispositifs/${programme.id}`}>
                  {programme.name}
                </AppLink>,
                axisName(programme.axisId),
                programme.publishedVersion === null ? 'Aucune' : `${programme.publishedVersion}`,
                formatCents(programme.reservedCents),
              ])}
            />
          );
        }}
      </Loaded>
      {canManage(session.memberships, fund.organisationId) && (
        <Button
          priority="secondary"
          iconId="fr-icon-add-line"
          linkProps={{ href: `/dispositifs/nouveau?fonds=${fund.id}` }}
        >
          Créer un dispositif sur ce fonds
        </Button>
      )}
    </section>
  );
}

function MoneyForms({
  fund,
  session,
  reload,
}: {
  fund: FundView;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      {canRecordContributions(session.memberships, fund.organisationId) && (
        <div className={fr.cx('fr-col-12', 'fr-col-lg-6')}>
          <MovementForm
            idPrefix="versement"
            title="Enregistrer un versement"
            targetLabel="Contributeur qui verse"
            targets={fund.contributors.map((c) => ({ id: c.id, label: c.organisationName }))}
            submitLabel="Enregistrer le versement"
            describe={(target, amount) => `Versement de ${amount} par ${target.label} enregistré`}
            send={(contributorId, amountCents, clientKey) =>
              fundsApi.recordContribution(fund.id, { contributorId, amountCents, clientKey })
            }
            onDone={reload}
          />
        </div>
      )}
      {canManage(session.memberships, fund.organisationId) && (
        <div className={fr.cx('fr-col-12', 'fr-col-lg-6')}>
          <MovementForm
            idPrefix="affectation"
            title="Affecter de l’argent à un axe"
            targetLabel="Axe"
            targets={fund.axes.map((axis) => ({ id: axis.id, label: axis.name }))}
            submitLabel="Affecter"
            describe={(target, amount) =>
              `${amount} affectés à l’axe « ${target.label} », au prorata des versements de chaque contributeur`
            }
            send={(axisId, amountCents, clientKey) =>
              fundsApi.allocate(fund.id, { axisId, amountCents, clientKey })
            }
            onDone={reload}
          />
        </div>
      )}
    </div>
  );
}

function FundContent({ fundId, session }: { fundId: number; session: AuthenticatedSession }) {
  const { resource, reload } = useResource(() => fundsApi.fund(fundId), `fonds-${fundId}`);
  const name = resource.status === 'loaded' ? resource.data.name : fundPageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: fundsPageTitle, linkProps: { href: '/fonds' } },
        ]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>
        {(fund) => (
          <>
            <Summary fund={fund} />
            <ContributorsTable fund={fund} />
            <AxesTable fund={fund} />
            <MoneyForms fund={fund} session={session} reload={reload} />
            <FundProgrammes fund={fund} session={session} />
          </>
        )}
      </Loaded>
    </div>
  );
}

export function FundPage({ fundId }: { fundId: number }) {
  return (
    <RequireSession>
      {(session) => <FundContent fundId={fundId} session={session} />}
    </RequireSession>
  );
}
