import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { managesAny, readsFunds } from '../programmes/access.js';
import { fundsApi, programmesApi } from '../programmes/api.js';
import { formatCents } from '../programmes/money.js';
import type { FundView, ProgrammeView } from '../programmes/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';

export const programmesPageTitle = 'Dispositifs';

async function fundsIfReadable(session: AuthenticatedSession): Promise<FundView[]> {
  return readsFunds(session.memberships) ? fundsApi.funds().catch(() => []) : [];
}

function ProgrammesTable({
  programmes,
  funds,
}: {
  programmes: ProgrammeView[];
  funds: FundView[];
}) {
  if (programmes.length === 0) return <p>Aucun dispositif pour le moment.</p>;
  const placeOf = (programme: ProgrammeView) => {
    const fund = funds.find((candidate) => candidate.id === programme.fundId);
    if (fund === undefined) return `Fonds n° ${programme.fundId}`;
    const axis = fund.axes.find((candidate) => candidate.id === programme.axisId);
    return `${fund.name} — ${axis?.name ?? `axe n° ${programme.axisId}`}`;
  };
  return (
    <DataTable
      caption="Dispositifs de vos organisations"
      headers={['Dispositif', 'Fonds et axe', 'Version publiée', 'Versions', 'Budget réservé']}
      rows={programmes.map((programme) => [
        <AppLink key="nom" href={`/dispositifs/${programme.id}`}>
          {programme.name}
        </AppLink>,
        placeOf(programme),
        programme.publishedVersion === null ? 'Aucune' : `Version ${programme.publishedVersion}`,
        `${programme.versions.length}`,
        formatCents(programme.reservedCents),
      ])}
    />
  );
}

function ProgrammesView({ session }: { session: AuthenticatedSession }) {
  const { resource } = useResource(async () => {
    const [programmes, funds] = await Promise.all([
      programmesApi.programmes(),
      fundsIfReadable(session),
    ]);
    return { programmes, funds };
  }, 'dispositifs');
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={programmesPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{programmesPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Un dispositif attribue une aide selon des règles : qui y a droit, combien, et où l’argent
        peut être dépensé. Chaque modification des règles crée une version ; seule la version
        publiée s’applique.
      </p>
      {managesAny(session.memberships) && (
        <Button
          iconId="fr-icon-add-line"
          linkProps={{ href: '/dispositifs/nouveau' }}
          className={fr.cx('fr-mb-4w')}
        >
          Créer un dispositif
        </Button>
      )}
      <Loaded resource={resource}>
        {({ programmes, funds }) => <ProgrammesTable programmes={programmes} funds={funds} />}
      </Loaded>
    </div>
  );
}

export function ProgrammesPage() {
  return <RequireSession>{(session) => <ProgrammesView session={session} />}</RequireSession>;
}
