import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut.js';
import { AppLink } from '../routing.js';
import type { Space } from '../spaces.js';

export function UnderConstructionPage({ space }: { space: Space }) {
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb currentPageLabel={space.title} homeLinkProps={{ href: '/' }} segments={[]} />
      <h1>{space.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{space.audience}</p>
      <Alert
        severity="info"
        as="h2"
        title="Cet espace est en cours de construction"
        description={
          space.alreadyOpen === undefined
            ? "Il n'est pas encore ouvert : aucune démarche ne peut y être faite pour le moment."
            : 'Ses démarches principales ne sont pas encore ouvertes.'
        }
        className={fr.cx('fr-mb-4w')}
      />
      <p>
        <strong>Ce que cet espace permettra : </strong>
        {space.description}
      </p>
      {space.alreadyOpen !== undefined && (
        <CallOut
          title="Déjà ouvert"
          titleAs="h2"
          buttonProps={{ linkProps: { href: '/espace' }, children: 'Accéder à mon espace' }}
          className={fr.cx('fr-mb-4w')}
        >
          {space.alreadyOpen}
        </CallOut>
      )}
      <AppLink
        href="/"
        className={fr.cx('fr-link', 'fr-icon-arrow-left-line', 'fr-link--icon-left')}
      >
        Retour à l'accueil
      </AppLink>
    </div>
  );
}
