import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { AppLink } from '../routing.js';
import { spaces } from '../spaces.js';
import { accessibilityPageTitle } from './AccessibilityPage.js';
import { accountPageTitle } from './AccountPage.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { journalPageTitle } from './JournalPage.js';
import { messagesPagePath, messagesPageTitle } from './MessagesPage.js';
import { mandatesPageTitle } from './MandatesPage.js';
import { beneficiariesPagePath, beneficiariesPageTitle } from './BeneficiariesPage.js';
import { beneficiaryImportPageTitle } from './BeneficiaryImportPage.js';
import { myRecordsPageTitle } from './MyRecordsPage.js';
import { campaignsPageTitle } from './CampaignsPage.js';
import { newCampaignPageTitle } from './NewCampaignPage.js';
import { walletPageTitle } from './WalletPage.js';

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
            <li>
              <AppLink href={messagesPagePath}>{messagesPageTitle}</AppLink>
            </li>
            <li>
              <AppLink href={beneficiariesPagePath}>{beneficiariesPageTitle}</AppLink>
              <ul>
                <li>
                  <AppLink href="/beneficiaires/import">{beneficiaryImportPageTitle}</AppLink>
                </li>
              </ul>
            </li>
            <li>
              <AppLink href="/mes-aides">{walletPageTitle}</AppLink>
            </li>
            <li>
              <AppLink href="/mes-coordonnees">{myRecordsPageTitle}</AppLink>
            </li>
            <li>
              <AppLink href="/campagnes">{campaignsPageTitle}</AppLink>
              <ul>
                <li>
                  <AppLink href="/campagnes/nouvelle">{newCampaignPageTitle}</AppLink>
                </li>
              </ul>
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
