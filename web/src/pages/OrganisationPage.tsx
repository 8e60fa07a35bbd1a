import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Loaded, useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { canManageOrganisation, canSeeMembers, holdsApiKeys } from '../identity/roles.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession, OrganisationDetails } from '../identity/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { InvitationsSection } from './organisation/InvitationsSection.js';
import { MembersSection } from './organisation/MembersSection.js';

export const organisationPageTitle = 'Organisation';

function Identification({ organisation }: { organisation: OrganisationDetails }) {
  return (
    <dl className="identification">
      <dt>Nature</dt>
      <dd>{organisation.kindLabel}</dd>
      {organisation.siren !== null && (
        <>
          <dt>SIREN</dt>
          <dd>{organisation.siren}</dd>
        </>
      )}
      {organisation.siret !== null && (
        <>
          <dt>SIRET</dt>
          <dd>{organisation.siret}</dd>
        </>
      )}
      {organisation.parentId !== null && (
        <>
          <dt>Rattachée à</dt>
          <dd>
            <AppLink href={`/organisation/${organisation.parentId}`}>
              l’organisation financeuse
            </AppLink>
          </dd>
        </>
      )}
    </dl>
  );
}

function Services({ organisation }: { organisation: OrganisationDetails }) {
  if (organisation.services.length === 0) return null;
  return (
    <section aria-labelledby="organisation-services" className={fr.cx('fr-mb-6w')}>
      <h2 id="organisation-services">Services</h2>
      <ul>
        {organisation.services.map((service) => (
          <li key={service.id}>
            <AppLink href={`/organisation/${service.id}`}>{service.name}</AppLink>
          </li>
        ))}
      </ul>
    </section>
  );
}

function OrganisationContent({
  organisation,
  session,
}: {
  organisation: OrganisationDetails;
  session: AuthenticatedSession;
}) {
  const canManage = canManageOrganisation(session.memberships, organisation);
  return (
    <>
      <Identification organisation={organisation} />
      {organisation.kind === 'commercant' && holdsApiKeys(session.memberships, organisation) && (
        <Button
          priority="secondary"
          linkProps={{ href: `/organisation/${organisation.id}/cles-api` }}
          className={fr.cx('fr-mb-6w')}
        >
          Gérer les clés API des caisses
        </Button>
      )}
      <Services organisation={organisation} />
      {canSeeMembers(session.memberships, organisation) && (
        <MembersSection
          organisation={organisation}
          canManage={canManage}
          ownPersonId={session.person.id}
        />
      )}
      {canManage && <InvitationsSection organisation={organisation} />}
    </>
  );
}

function OrganisationView({
  organisationId,
  session,
}: {
  organisationId: number;
  session: AuthenticatedSession;
}) {
  const { resource } = useResource(
    () => identityApi.organisation(organisationId),
    `organisation-${organisationId}`,
  );
  const name = resource.status === 'loaded' ? resource.data.name : organisationPageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>
        {(organisation) => <OrganisationContent organisation={organisation} session={session} />}
      </Loaded>
    </div>
  );
}

export function OrganisationPage({ organisationId }: { organisationId: number }) {
  return (
    <RequireSession>
      {(session) => <OrganisationView organisationId={organisationId} session={session} />}
    </RequireSession>
  );
}
