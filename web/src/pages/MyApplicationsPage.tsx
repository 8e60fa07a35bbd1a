import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { applicantApi } from '../applications/api.js';
import type { ApplicationSummary } from '../applications/types.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { formatDate } from '../identity/format.js';
import { hasRole } from '../identity/roles.js';
import { RequireSession, useSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatCents } from '../programmes/money.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { evaluationText, StatusBadge } from './applications/ApplicationParts.js';

export const myApplicationsPageTitle = 'Mes demandes d’aide';

function amountText(application: ApplicationSummary): string {
  if (application.status === 'accepted' && application.decidedAmountCents !== null) {
    return `Accordé : ${formatCents(application.decidedAmountCents)}`;
  }
  return evaluationText(application.eligible, application.evaluatedAmountCents);
}

function ApplicationsTable({ applications }: { applications: ApplicationSummary[] }) {
  if (applications.length === 0) {
    return <p>Vous n’avez déposé aucune demande pour le moment.</p>;
  }
  return (
    <DataTable
      caption="Vos demandes d’aide"
      headers={['Dispositif', 'Financeur', 'Déposée le', 'Évaluation ou montant', 'État']}
      rows={applications.map((application) => [
        <AppLink key="dispositif" href={`/mes-demandes/${application.id}`}>
          {application.programmeName}
        </AppLink>,
        application.funderName,
        formatDate(application.createdAt),
        amountText(application),
        <StatusBadge key="etat" status={application.status} label={application.statusLabel} />,
      ])}
    />
  );
}

function MyApplicationsView({ session }: { session: AuthenticatedSession }) {
  const { actingFor } = useSession();
  // An aidant has no applications of their own: only those of the person they act for.
  const mustChoosePerson = actingFor === null && !hasRole(session.memberships, 'beneficiaire');
  const { resource } = useResource(
    () => applicantApi.applications(actingFor?.personId),
    `mes-demandes-${actingFor?.personId ?? 'moi'}`,
  );
  const title =
    actingFor === null ? myApplicationsPageTitle : `Demandes d’aide de ${actingFor.displayName}`;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{title}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Demandez une aide en ligne, suivez l’instruction de chaque demande, répondez aux questions
        de l’instructeur et retrouvez la décision et son motif.
      </p>
      {!mustChoosePerson && (
        <Button
          iconId="fr-icon-add-line"
          linkProps={{ href: '/mes-demandes/nouvelle' }}
          className={fr.cx('fr-mb-4w')}
        >
          Faire une demande
        </Button>
      )}
      {mustChoosePerson ? (
        <Alert
          severity="info"
          small
          description={
            <>
              Pour demander une aide au nom d’une personne qui vous a donné mandat, choisissez
              d’abord d’agir pour elle dans <AppLink href="/mandats">vos mandats</AppLink>.
            </>
          }
        />
      ) : (
        <Loaded resource={resource}>
          {({ applications }) => <ApplicationsTable applications={applications} />}
        </Loaded>
      )}
    </div>
  );
}

export function MyApplicationsPage() {
  return <RequireSession>{(session) => <MyApplicationsView session={session} />}</RequireSession>;
}
