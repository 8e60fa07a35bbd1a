import { fr } from '@codegouvfr/react-dsfr';
import { AppLink } from '../routing.js';

export function NotFoundPage() {
  return (
    <div className={fr.cx('fr-container', 'fr-py-8w')}>
      <h1>Page non trouvée</h1>
      <p className={fr.cx('fr-text--sm', 'fr-mb-3w')}>Erreur 404</p>
      <p className={fr.cx('fr-text--lead')}>La page que vous cherchez est introuvable.</p>
      <p>
        Si vous avez tapé l'adresse dans le navigateur, vérifiez qu'elle est correcte. La page n'est
        peut-être plus disponible.
      </p>
      <AppLink href="/" className={fr.cx('fr-btn')}>
        Page d'accueil
      </AppLink>
    </div>
  );
}
