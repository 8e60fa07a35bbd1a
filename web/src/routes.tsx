import type { ReactNode } from 'react';
import { AccessibilityPage, accessibilityPageTitle } from './pages/AccessibilityPage.js';
import { HomePage } from './pages/HomePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { SiteMapPage, siteMapPageTitle } from './pages/SiteMapPage.js';
import { UnderConstructionPage } from './pages/UnderConstructionPage.js';
import { spaces } from './spaces.js';

export interface ResolvedPage {
  /** Page name, the first part of the browser tab title. */
  title: string;
  content: ReactNode;
}

export function resolvePage(path: string): ResolvedPage {
  if (path === '/') return { title: 'Accueil', content: <HomePage /> };
  const space = spaces.find((candidate) => candidate.path === path);
  if (space !== undefined) {
    return { title: space.title, content: <UnderConstructionPage space={space} /> };
  }
  if (path === '/accessibilite') {
    return { title: accessibilityPageTitle, content: <AccessibilityPage /> };
  }
  if (path === '/plan-du-site') return { title: siteMapPageTitle, content: <SiteMapPage /> };
  return { title: 'Page non trouvée', content: <NotFoundPage /> };
}
