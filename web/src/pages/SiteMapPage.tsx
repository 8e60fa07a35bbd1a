import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { AppLink } from '../routing.js';
import { spaces } from '../spaces.js';
import { accessibilityPageTitle } from './AccessibilityPage.js';
import { accountPageTitle } from './AccountPage.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { journalPageTitle } from './JournalPage.js';
import { mandatesPageTitle } from './MandatesPage.js';

export const siteMapPageTitle = 'Plan du site';

export function SiteMapPage() {
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb currentPageLabel={siteMapPageTitle} homeLinkProps={{ href: '/' }} segments={[]} />
      <h1>{siteMapPageTitle}</h1>
      <ul>
        <li>
          <AppLink href="/">Accueil</AppLink>
        </li>
        {spaces.map((space) => (
          <li key={space.path}>
            <AppLink href={space.path}>{space.title}</AppLink>
          </li>
        ))}
        <li>
          <AppLink href="/connexion">Se connecter</AppLink>
        </li>
        <li>
          <AppLink href="/espace">{backOfficeHomePageTitle}</AppLink> (après connexion)
          <ul>
            <li>
              <AppLink href="/compte">{accountPageTitle}</AppLink>
            </li>
            <li>
              <AppLink href="/mandats">{mandatesPageTitle}</AppLink>
            </li>
            <li>
              <AppLink href="/journal">{journalPageTitle}</AppLink>
            </li>
          </ul>
        </li>
        <li>
          <AppLink href="/accessibilite">{accessibilityPageTitle}</AppLink>
        </li>
      </ul>
    </div>
  );
}
