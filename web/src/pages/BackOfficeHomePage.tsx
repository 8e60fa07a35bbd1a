import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Tile } from '@codegouvfr/react-dsfr/Tile.js';
import { Loaded, useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { hasRole } from '../identity/roles.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession, Membership, Role } from '../identity/types.js';
import { AppLink } from '../routing.js';

export const backOfficeHomePageTitle = 'Mon espace';

/** Something the person can do from here; without an address, it is announced but not open yet. */
interface HomeAction {
  key: string;
  title: string;
  description: string;
  href: string | null;
}

const journal: HomeAction = {
  key: 'journal',
  title: 'Consulter le journal d’audit',
  description: 'Retrouver qui a fait quoi, quand et pour qui, avec l’état avant et après.',
  href: '/journal',
};

const funds: HomeAction = {
  key: 'fonds',
  title: 'Fonds',
  description: 'Suivre les engagements et versements des financeurs et leur affectation par axe.',
  href: '/fonds',
};

const programmes: HomeAction = {
  key: 'dispositifs',
  title: 'Dispositifs',
  description: 'Consulter les dispositifs d’aide, leurs règles, leurs versions et les simuler.',
  href: '/dispositifs',
};

const beneficiaries: HomeAction = {
  key: 'beneficiaires',
  title: 'Bénéficiaires',
  description: 'Rechercher une fiche, importer un fichier de bénéficiaires, exporter ou effacer.',
  href: '/beneficiaires/liste',
};

const myRecords: HomeAction = {
  key: 'mes-coordonnees',
  title: 'Mes coordonnées chez les financeurs',
  description: 'Vérifier et corriger mes coordonnées, rattacher une aide avec un code reçu.',
  href: '/mes-coordonnees',
};

const campaigns: HomeAction = {
  key: 'campagnes',
  title: 'Campagnes d’attribution',
  description: 'Attribuer un dispositif à toute une population : simuler, approuver, créditer.',
  href: '/campagnes',
};

const wallet: HomeAction = {
  key: 'mes-aides',
  title: 'Mes aides',
  description:
    'Le solde de chaque aide, où et jusqu’à quand l’utiliser, et pourquoi je l’ai reçue.',
  href: '/mes-aides',
};

const messages: HomeAction = {
  key: 'messages',
  title: 'Messages envoyés',
  description: 'Lire les courriels et SMS gardés par le collecteur local, suivre la file d’envoi.',
  href: '/messages',
};

const instruction: HomeAction = {
  key: 'instruire',
  title: 'Instruire les demandes',
  description: 'Examiner les demandes d’aide, demander des informations, accepter ou refuser.',
  href: '/demandes',
};

const myApplications: HomeAction = {
  key: 'mes-demandes',
  title: 'Mes demandes d’aide',
  description: 'Demander une aide en ligne, joindre les justificatifs et suivre la décision.',
  href: '/mes-demandes',
};

function soon(key: string, title: string, description: string): HomeAction {
  return { key, title, description, href: null };
}

function organisationAction({ organisationId, organisationName }: Membership): HomeAction[] {
  if (organisationId === null) return [];
  return [
    {
      key: `organisation-${organisationId}`,
      title: organisationName ?? 'Mon organisation',
      description: 'Voir l’organisation, ses services, ses membres et les invitations en cours.',
      href: `/organisation/${organisationId}`,
    },
  ];
}

function apiKeysAction({ organisationId }: Membership): HomeAction[] {
  if (organisationId === null) return [];
  return [
    {
      key: `cles-api-${organisationId}`,
      title: 'Gérer les clés API des caisses',
      description: 'Créer, renouveler ou révoquer les clés de vos terminaux de paiement.',
      href: `/organisation/${organisationId}/cles-api`,
    },
  ];
}

/** What each role opens, checked exhaustive by the compiler when a role is added. */
const actionsByRole: Record<Role, (membership: Membership) => HomeAction[]> = {
  administrateur_plateforme: (membership) => [journal, messages, ...organisationAction(membership)],
  gestionnaire: (membership) => [
    funds,
    programmes,
    beneficiaries,
    campaigns,
    instruction,
    ...organisationAction(membership),
  ],
  // Instructors read programmes, not funds.
  instructeur: (membership) => [
    programmes,
    beneficiaries,
    campaigns,
    instruction,
    ...organisationAction(membership),
  ],
  controleur_financier: (membership) => [
    funds,
    programmes,
    beneficiaries,
    campaigns,
    soon('controler', 'Contrôler les engagements', 'Vérifier les engagements et les paiements.'),
    ...organisationAction(membership),
  ],
  auditeur: (membership) => [
    journal,
    funds,
    programmes,
    beneficiaries,
    campaigns,
    ...organisationAction(membership),
  ],
  commercant_responsable: (membership) => [
    ...apiKeysAction(membership),
    ...organisationAction(membership),
  ],
  caissier: (membership) => [
    soon('encaisser', 'Encaisser un paiement fléché', 'Accepter un paiement en caisse.'),
    ...organisationAction(membership),
  ],
  beneficiaire: () => [
    wallet,
    myApplications,
    myRecords,
    {
      key: 'mandats',
      title: 'Mes mandats',
      description: 'Autoriser un aidant à agir pour moi, ou lui retirer cette autorisation.',
      href: '/mandats',
    },
  ],
  aidant: () => [
    {
      key: 'demandes-aidees',
      title: 'Demandes d’aide des personnes aidées',
      description: 'Après avoir choisi d’agir pour une personne, demander une aide en son nom.',
      href: '/mes-demandes',
    },
    {
      key: 'mandats',
      title: 'Mandats reçus',
      description: 'Voir les personnes qui m’ont donné mandat et agir pour elles.',
      href: '/mandats',
    },
  ],
};

const account: HomeAction = {
  key: 'compte',
  title: 'Mon compte',
  description: 'Mot de passe, sessions ouvertes, double authentification et notifications.',
  href: '/compte',
};

function homeActions(memberships: readonly Membership[]): HomeAction[] {
  const all = memberships.flatMap((membership) => actionsByRole[membership.role](membership));
  // Two roles in one organisation open it once.
  const unique = all.filter(
    (action, index) => all.findIndex((other) => other.key === action.key) === index,
  );
  // Those open today come first: an announcement must not push them out of sight.
  return [...unique.filter((action) => action.href !== null), account].concat(
    unique.filter((action) => action.href === null),
  );
}

function ActionTile({ action }: { action: HomeAction }) {
  if (action.href === null) {
    return (
      <Tile
        title={action.title}
        titleAs="h3"
        desc={action.description}
        start={
          <Badge small severity="info">
            Bientôt
          </Badge>
        }
      />
    );
  }
  return (
    <Tile
      title={action.title}
      titleAs="h3"
      desc={action.description}
      linkProps={{ href: action.href }}
      enlargeLinkOrButton
    />
  );
}

function MembershipList({ memberships }: { memberships: readonly Membership[] }) {
  if (memberships.length === 0) {
    return <p>Aucun rôle ne vous est attribué pour le moment.</p>;
  }
  return (
    <ul className={fr.cx('fr-raw-list')}>
      {memberships.map((membership) => (
        <li key={membership.id} className={fr.cx('fr-mb-1w')}>
          <strong>{membership.roleLabel}</strong>
          {' — '}
          {membership.organisationName ?? 'à titre personnel'}
        </li>
      ))}
    </ul>
  );
}

/** Platform administrators act on every organisation: they reach each one from here. */
function AllOrganisations() {
  const { resource } = useResource(identityApi.organisations, 'organisations');
  return (
    <section aria-labelledby="espace-organisations" className={fr.cx('fr-mt-6w')}>
      <h2 id="espace-organisations">Organisations de la plateforme</h2>
      <Loaded resource={resource}>
        {(organisations) => (
          <ul>
            {organisations.map((organisation) => (
              <li key={organisation.id}>
                <AppLink href={`/organisation/${organisation.id}`}>{organisation.name}</AppLink>
                {` (${organisation.kindLabel})`}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function BackOfficeHome({ session }: { session: AuthenticatedSession }) {
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <h1>Bonjour {session.person.displayName}</h1>
      <section className={fr.cx('fr-callout', 'fr-mb-6w')} aria-labelledby="espace-roles">
        <h2 id="espace-roles" className={fr.cx('fr-callout__title', 'fr-h5')}>
          Vos rôles
        </h2>
        <MembershipList memberships={session.memberships} />
      </section>
      <section aria-labelledby="espace-actions">
        <h2 id="espace-actions">Que souhaitez-vous faire ?</h2>
        <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
          {homeActions(session.memberships).map((action) => (
            <li key={action.key} className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-4')}>
              <ActionTile action={action} />
            </li>
          ))}
        </ul>
      </section>
      {hasRole(session.memberships, 'administrateur_plateforme') && <AllOrganisations />}
    </div>
  );
}

export function BackOfficeHomePage() {
  return <RequireSession>{(session) => <BackOfficeHome session={session} />}</RequireSession>;
}
