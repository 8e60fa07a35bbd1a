import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { asApiError, type ApiError } from '../identity/api.js';

export type Resource<Data> =
  { status: 'loading' } | { status: 'failed'; error: ApiError } | { status: 'loaded'; data: Data };

/**
 * Data fetched from the API for a page, fetched again when `key` changes or on `reload`. While
 * reloading, the data already shown stays on screen instead of blinking to « Chargement… ».
 */
export function useResource<Data>(
  load: () => Promise<Data>,
  key: string,
): { resource: Resource<Data>; reload: () => void } {
  const [resource, setResource] = useState<Resource<Data>>({ status: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // An answer arriving after the page moved on to other data must not overwrite it.
    let isCurrent = true;
    load().then(
      (data) => {
        if (isCurrent) setResource({ status: 'loaded', data });
      },
      (error: unknown) => {
        if (isCurrent) setResource({ status: 'failed', error: asApiError(error) });
      },
    );
    return () => {
      isCurrent = false;
    };
    // `load` is a new closure at every render: `key` names what it fetches.
  }, [key, version]);

  const reload = useCallback(() => setVersion((current) => current + 1), []);
  return { resource, reload };
}

/** Renders the data once there, and says so while it loads or when it could not be loaded. */
export function Loaded<Data>({
  resource,
  children,
}: {
  resource: Resource<Data>;
  children: (data: Data) => ReactNode;
}) {
  if (resource.status === 'loading') return <p role="status">Chargement…</p>;
  if (resource.status === 'failed') {
    return <Alert severity="error" small description={resource.error.message} />;
  }
  return children(resource.data);
}
