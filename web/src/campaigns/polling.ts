import { useEffect } from 'react';

/** How long a page waits, after each answer, before asking again while the server works. */
export const POLLING_INTERVAL_MS = 1_000;

/**
 * Reloads `answer` a moment after each new one arrives, while `active`: a slow answer delays
 * the next question instead of piling requests up.
 */
export function usePolling(active: boolean, reload: () => void, answer: unknown): void {
  useEffect(() => {
    if (!active) return;
    const timer = window.setTimeout(reload, POLLING_INTERVAL_MS);
    return () => window.clearTimeout(timer);
  }, [active, reload, answer]);
}
