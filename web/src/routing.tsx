import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const navigationEvent = 'flechage:navigation';

function subscribeToLocation(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(navigationEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(navigationEvent, onChange);
  };
}

/** Paths are compared without their trailing slash, so "/financeurs/" shows "/financeurs". */
export function normalizePath(path: string): string {
  const withoutTrailingSlash = path.replace(/\/+$/, '');
  return withoutTrailingSlash === '' ? '/' : withoutTrailingSlash;
}

export function useCurrentPath(): string {
  return useSyncExternalStore(subscribeToLocation, () => normalizePath(window.location.pathname));
}

/**
 * `replace` is for redirections (a page that needs a login): going back must not land on the
 * page that redirected, which would only redirect again.
 */
export function navigate(url: URL | string, options: { replace?: boolean } = {}): void {
  const destination = new URL(url, window.location.href);
  if (options.replace === true) window.history.replaceState(null, '', destination);
  else window.history.pushState(null, '', destination);
  window.dispatchEvent(new Event(navigationEvent));
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export type AppLinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/**
 * Link registered with react-dsfr: same-site links change the page without reloading the whole
 * application, every other click (new tab, download, other site) keeps the browser's behaviour.
 */
export function AppLink({ href, onClick, target, ...anchorProps }: AppLinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (event.defaultPrevented || !isPlainLeftClick(event)) return;
    if (target !== undefined && target !== '_self') return;
    if (anchorProps.download !== undefined) return;
    const destination = new URL(href, window.location.href);
    if (destination.origin !== window.location.origin) return;
    // The server's own addresses (an OpenID login start, a download) are not pages of the app.
    if (destination.pathname.startsWith('/api/')) return;
    const isAnchorOnCurrentPage =
      destination.pathname === window.location.pathname && destination.hash !== '';
    if (isAnchorOnCurrentPage) return;
    event.preventDefault();
    navigate(destination);
  }

  return <a href={href} target={target} onClick={handleClick} {...anchorProps} />;
}
