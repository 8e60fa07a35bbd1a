import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { FranceConnectButton } from '@codegouvfr/react-dsfr/FranceConnectButton.js';
import { ProConnectButton } from '@codegouvfr/react-dsfr/ProConnectButton.js';
import { identityApi } from '../identity/api.js';
import type { OidcProvider } from '../identity/types.js';
import { useResource } from './resource.js';

function ProviderButton({ provider, returnTo }: { provider: OidcProvider; returnTo: string }) {
  // A whole-page navigation: the server answers with a redirection to the provider.
  const url = identityApi.oidcStartUrl(provider.id, returnTo);
  if (provider.kind === 'proconnect') return <ProConnectButton url={url} />;
  if (provider.kind === 'franceconnect') return <FranceConnectButton url={url} />;
  return (
    <Button priority="secondary" linkProps={{ href: url }} className={fr.cx('fr-mb-3w')}>
      {`Se connecter avec ${provider.label}`}
    </Button>
  );
}

/**
 * The identity providers the platform is set up with (ProConnect for public agents,
 * FranceConnect for citizens, others); nothing at all when there is none.
 */
export function OidcProviderButtons({ returnTo }: { returnTo: string }) {
  const { resource } = useResource(identityApi.oidcProviders, 'fournisseurs');
  // Without the list, the password form below still lets everyone in: no error to show.
  if (resource.status !== 'loaded' || resource.data.length === 0) return null;
  return (
    <section aria-labelledby="connexion-fournisseurs">
      <h2 id="connexion-fournisseurs" className={fr.cx('fr-h5')}>
        Se connecter avec un compte existant
      </h2>
      <ul className={fr.cx('fr-raw-list')}>
        {resource.data.map((provider) => (
          <li key={provider.id}>
            <ProviderButton provider={provider} returnTo={returnTo} />
          </li>
        ))}
      </ul>
      <p className={fr.cx('fr-hr-or')}>ou</p>
    </section>
  );
}
