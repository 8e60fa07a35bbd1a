import type { ReactNode } from 'react';
import { AccessibilityPage, accessibilityPageTitle } from './pages/AccessibilityPage.js';
import { AccountPage, accountPageTitle } from './pages/AccountPage.js';
import { ApiKeysPage, apiKeysPageTitle } from './pages/ApiKeysPage.js';
import { BackOfficeHomePage, backOfficeHomePageTitle } from './pages/BackOfficeHomePage.js';
import {
  BeneficiariesPage,
  beneficiariesPagePath,
  beneficiariesPageTitle,
} from './pages/BeneficiariesPage.js';
import {
  BeneficiaryImportPage,
  beneficiaryImportPageTitle,
} from './pages/BeneficiaryImportPage.js';
import { beneficiaryPageWithParameter } from './pages/beneficiaries/routes.js';
import { campaignFixedPages, campaignPageWithParameter } from './pages/campaigns/routes.js';
import {
  applicationFixedPages,
  applicationPageWithParameter,
} from './pages/applications/routes.js';
import { messageFixedPages, messagePageWithParameter } from './pages/messages/routes.js';
import { FundPage, fundPageTitle } from './pages/FundPage.js';
import { FundsPage, fundsPageTitle } from './pages/FundsPage.js';
import { HomePage } from './pages/HomePage.js';
import { InvitationPage, invitationPageTitle } from './pages/InvitationPage.js';
import { JournalPage, journalPageTitle } from './pages/JournalPage.js';
import { LoginPage, loginPageTitle } from './pages/LoginPage.js';
import { MandatesPage, mandatesPageTitle } from './pages/MandatesPage.js';
import { MyRecordsPage, myRecordsPageTitle } from './pages/MyRecordsPage.js';
import { NewFundPage, newFundPageTitle } from './pages/NewFundPage.js';
import { NewProgrammePage, newProgrammePageTitle } from './pages/NewProgrammePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { OrganisationPage, organisationPageTitle } from './pages/OrganisationPage.js';
import { ProgrammePage, programmePageTitle } from './pages/ProgrammePage.js';
import { ProgrammesPage, programmesPageTitle } from './pages/ProgrammesPage.js';
import { SiteMapPage, siteMapPageTitle } from './pages/SiteMapPage.js';
import { UnderConstructionPage } from './pages/UnderConstructionPage.js';
import { spaces } from './spaces.js';

export interface ResolvedPage {
  /** Page name, the first part of the browser tab title. */
  title: string;
  content: ReactNode;
}

const fixedPages = new Map<string, () => ResolvedPage>([
  ['/', () => ({ title: 'Accueil', content: <HomePage /> })],
  ['/accessibilite', () => ({ title: accessibilityPageTitle, content: <AccessibilityPage /> })],
  ['/plan-du-site', () => ({ title: siteMapPageTitle, content: <SiteMapPage /> })],
  ['/connexion', () => ({ title: loginPageTitle, content: <LoginPage /> })],
  ['/espace', () => ({ title: backOfficeHomePageTitle, content: <BackOfficeHomePage /> })],
  ['/compte', () => ({ title: accountPageTitle, content: <AccountPage /> })],
  ['/mandats', () => ({ title: mandatesPageTitle, content: <MandatesPage /> })],
  ['/journal', () => ({ title: journalPageTitle, content: <JournalPage /> })],
  ['/fonds', () => ({ title: fundsPageTitle, content: <FundsPage /> })],
  ['/fonds/nouveau', () => ({ title: newFundPageTitle, content: <NewFundPage /> })],
  ['/dispositifs', () => ({ title: programmesPageTitle, content: <ProgrammesPage /> })],
  ['/dispositifs/nouveau', () => ({ title: newProgrammePageTitle, content: <NewProgrammePage /> })],
  [
    beneficiariesPagePath,
    () => ({ title: beneficiariesPageTitle, content: <BeneficiariesPage /> }),
  ],
  [
    '/beneficiaires/import',
    () => ({ title: beneficiaryImportPageTitle, content: <BeneficiaryImportPage /> }),
  ],
  ['/mes-coordonnees', () => ({ title: myRecordsPageTitle, content: <MyRecordsPage /> })],
  ...campaignFixedPages,
  ...applicationFixedPages,
  ...messageFixedPages,
]);

/** Pages whose address carries a value; the key resets a page's state when the value changes. */
function pageWithParameter(path: string): ResolvedPage | undefined {
  const organisation = /^\/organisation\/(\d+)(\/cles-api)?$/.exec(path);
  if (organisation !== null) {
    const organisationId = Number(organisation[1]);
    if (organisation[2] !== undefined) {
      const content = <ApiKeysPage key={organisationId} organisationId={organisationId} />;
      return { title: apiKeysPageTitle, content };
    }
    const content = <OrganisationPage key={organisationId} organisationId={organisationId} />;
    return { title: organisationPageTitle, content };
  }
  const fund = /^\/fonds\/(\d+)$/.exec(path);
  if (fund !== null) {
    const fundId = Number(fund[1]);
    return { title: fundPageTitle, content: <FundPage key={fundId} fundId={fundId} /> };
  }
  const programme = /^\/dispositifs\/(\d+)$/.exec(path);
  if (programme !== null) {
    const programmeId = Number(programme[1]);
    const content = <ProgrammePage key={programmeId} programmeId={programmeId} />;
    return { title: programmePageTitle, content };
  }
  const beneficiaryPage = beneficiaryPageWithParameter(path);
  if (beneficiaryPage !== undefined) return beneficiaryPage;
  const campaignPage = campaignPageWithParameter(path);
  if (campaignPage !== undefined) return campaignPage;
  const applicationPage = applicationPageWithParameter(path);
  if (applicationPage !== undefined) return applicationPage;
  const messagePage = messagePageWithParameter(path);
  if (messagePage !== undefined) return messagePage;
  const invitation = /^\/invitation\/([^/]+)$/.exec(path);
  if (invitation !== null) {
    const token = invitation[1] ?? '';
    return { title: invitationPageTitle, content: <InvitationPage key={token} token={token} /> };
  }
  return undefined;
}

export function resolvePage(path: string): ResolvedPage {
  const fixedPage = fixedPages.get(path);
  if (fixedPage !== undefined) return fixedPage();
  const space = spaces.find((candidate) => candidate.path === path);
  if (space !== undefined) {
    return { title: space.title, content: <UnderConstructionPage space={space} /> };
  }
  return pageWithParameter(path) ?? { title: 'Page non trouvée', content: <NotFoundPage /> };
}
