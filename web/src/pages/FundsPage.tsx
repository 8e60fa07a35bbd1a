import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { managesAny } from '../programmes/access.js';
import { fundsApi } from '../programmes/api.js';
import { formatPeriod, fundTotals, ownerName } from '../programmes/format.js';
import { formatCents } from '../programmes/money.js';
import type { FundView } from '../programmes/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';

export const fundsPageTitle = 'Fonds';

function FundsTable({ funds }: { funds: FundView[] }) {
  if (funds.length === 0) return <p>Aucun fonds pour le moment.</p>;
  return (
    <DataTable
      caption="Fonds que vous gérez ou auxquels votre organisation contribue"
      headers={['Fonds', 'Géré par', 'Période', 'Engagé', 'Versé', 'Affecté aux axes']}
      rows={funds.map((fund) => {
        const totals = fundTotals(fund);
        return [
          <AppLink key="nom" href={`/fonds/${fund.id}`}>
            {fund.name}
          </AppLink>,
          ownerName(fund),
          formatPeriod(fund.startsOn, fund.endsOn),
          formatCents(totals.committedCents),
          formatCents(totals.paidCents),
          formatCents(totals.allocatedCents),
        ];
      })}
    />
  );
}

function FundsView({ session }: { session: AuthenticatedSession }) {
  const { resource } = useResource(fundsApi.funds, 'fonds');
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={fundsPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{fundsPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Un fonds réunit l’argent de plusieurs financeurs et le répartit en axes ; chaque euro y
        garde la trace du financeur qui l’a apporté.
      </p>
      {managesAny(session.memberships) && (
        <Button
          iconId="fr-icon-add-line"
          linkProps={{ href: '/fonds/nouveau' }}
          className={fr.cx('fr-mb-4w')}
        >
          Créer un fonds
        </Button>
      )}
      <Loaded resource={resource}>{(funds) => <FundsTable funds={funds} />}</Loaded>
    </div>
  );
}

export function FundsPage() {
  return <RequireSession>{(session) => <FundsView session={session} />}</RequireSession>;
}
