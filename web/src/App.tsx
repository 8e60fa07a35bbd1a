import { useEffect, useRef, type RefObject } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display/index.js';
import { Footer } from '@codegouvfr/react-dsfr/Footer.js';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header/index.js';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks.js';
import { ActingForBanner } from './components/ActingForBanner.js';
import { SessionProvider, useSession } from './identity/session.js';
import { resolvePage } from './routes.js';
import { navigate, useCurrentPath } from './routing.js';
import { spaces } from './spaces.js';

const siteName = 'Fléchage';
const tagline = "L'argent public fléché : le bon montant, au bon destinataire, pour le bon usage";

const brandTop = (
  <>
    République
    <br />
    Française
  </>
);

const homeLinkProps = { href: '/', title: `Accueil - ${siteName}` };

/**
 * After an in-app navigation, screen reader and keyboard users must land on the new page, not
 * stay on the link they activated at the bottom of the previous one.
 */
function useFocusOnNavigation(path: string, mainElement: RefObject<HTMLElement | null>) {
  const previousPath = useRef(path);
  useEffect(() => {
    if (previousPath.current === path) return;
    previousPath.current = path;
    window.scrollTo(0, 0);
    const heading = mainElement.current?.querySelector('h1');
    if (heading === null || heading === undefined) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }, [path, mainElement]);
}

function SiteFooter() {
  return (
    <Footer
      brandTop={brandTop}
      homeLinkProps={homeLinkProps}
      accessibility="non compliant"
      accessibilityLinkProps={{ href: '/accessibilite' }}
      websiteMapLinkProps={{ href: '/plan-du-site' }}
      contentDescription={`${siteName} est la plateforme de l'argent public fléché : le bon montant, au bon destinataire, pour le bon usage.`}
      bottomItems={[headerFooterDisplayItem]}
      license={
        <>
          Le code source de {siteName} est publié sous licence EUPL-1.2. Sauf mention contraire, les
          contenus de ce site sont proposés sous{' '}
          <a
            href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
            target="_blank"
            rel="noreferrer"
            title="licence etalab-2.0 - nouvelle fenêtre"
          >
            licence etalab-2.0
          </a>
          .
        </>
      }
      className={fr.cx('fr-mt-0')}
    />
  );
}

/** The header's shortcuts: who is logged in, their account and the way out; or the way in. */
function useQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  const { state, logout } = useSession();
  if (state.status === 'loading') return [];
  if (state.status !== 'authenticated') {
    return [
      { iconId: 'fr-icon-lock-line', text: 'Se connecter', linkProps: { href: '/connexion' } },
    ];
  }
  return [
    {
      iconId: 'fr-icon-user-line',
      text: state.session.person.displayName,
      linkProps: { href: '/espace', title: `Mon espace - ${state.session.person.displayName}` },
    },
    { iconId: 'fr-icon-account-circle-line', text: 'Mon compte', linkProps: { href: '/compte' } },
    {
      iconId: 'fr-icon-logout-box-r-line',
      text: 'Se déconnecter',
      // On failure the header keeps showing the person as logged in, which they still are.
      buttonProps: {
        onClick: () =>
          void logout().then(
            () => navigate('/'),
            () => undefined,
          ),
      },
    },
  ];
}

function Layout() {
  const path = useCurrentPath();
  const quickAccessItems = useQuickAccessItems();
  const page = resolvePage(path);
  const mainElement = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${page.title} - ${siteName}`;
  }, [page.title]);

  useFocusOnNavigation(path, mainElement);

  return (
    <div className="app-layout">
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Menu', anchor: '#fr-header-main-navigation' },
          { label: 'Pied de page', anchor: '#fr-footer' },
        ]}
      />
      <Header
        brandTop={brandTop}
        serviceTitle={siteName}
        serviceTagline={tagline}
        homeLinkProps={homeLinkProps}
        quickAccessItems={quickAccessItems}
        navigation={[
          { text: 'Accueil', linkProps: { href: '/' }, isActive: path === '/' },
          ...spaces.map((space) => ({
            text: space.title,
            linkProps: { href: space.path },
            isActive: path === space.path,
          })),
        ]}
      />
      <main id="contenu" role="main" tabIndex={-1} ref={mainElement} className="app-layout__main">
        <ActingForBanner />
        {page.content}
      </main>
      <SiteFooter />
    </div>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Layout />
    </SessionProvider>
  );
}
