import './campaigns/campaigns.css';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Loaded, useResource } from '../components/resource.js';
import { walletApi } from '../campaigns/api.js';
import type { AttributionStatus, Envelope } from '../campaigns/types.js';
import { RequireSession, useSession } from '../identity/session.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { EnvelopeCard } from './wallet/EnvelopeCard.js';

export const walletPageTitle = 'Mes aides';

/** Envelopes that no longer pay: shown after the others, for the record. */
const endedStatuses: readonly AttributionStatus[] = ['revoked', 'expired'];

function EnvelopeGrid({ envelopes }: { envelopes: Envelope[] }) {
  return (
    <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list', 'fr-mb-4w')}>
      {envelopes.map((envelope) => (
        <li key={envelope.attributionId} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <EnvelopeCard envelope={envelope} />
        </li>
      ))}
    </ul>
  );
}

function NoEnvelope() {
  return (
    <Alert
      severity="info"
      as="h2"
      title="Aucune aide pour le moment"
      description={
        <>
          Quand un financeur vous attribue une aide, elle apparaît ici avec son montant, ses
          conditions d’utilisation et son explication. Si vous avez reçu un code de rattachement par
          courrier ou par SMS, saisissez-le dans{' '}
          <AppLink href="/mes-coordonnees">vos coordonnées chez les financeurs</AppLink>.
        </>
      }
    />
  );
}

function Wallet({ envelopes }: { envelopes: Envelope[] }) {
  if (envelopes.length === 0) return <NoEnvelope />;
  const current = envelopes.filter((envelope) => !endedStatuses.includes(envelope.status));
  const ended = envelopes.filter((envelope) => endedStatuses.includes(envelope.status));
  return (
    <>
      <h2>{`Aides en cours (${current.length})`}</h2>
      {current.length === 0 ? <p>Aucune aide en cours.</p> : <EnvelopeGrid envelopes={current} />}
      {ended.length > 0 && (
        <>
          <h2>{`Aides terminées (${ended.length})`}</h2>
          <EnvelopeGrid envelopes={ended} />
        </>
      )}
    </>
  );
}

function WalletView() {
  const { actingFor } = useSession();
  const { resource } = useResource(
    () => walletApi.envelopes(actingFor?.personId),
    `porte-monnaie-${actingFor?.personId ?? 'moi'}`,
  );
  const title = actingFor === null ? walletPageTitle : `Aides de ${actingFor.displayName}`;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{title}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Chaque aide fléchée est une enveloppe : ce qu’il en reste, où et jusqu’à quand l’utiliser,
        et pourquoi elle a été attribuée.
      </p>
      <Loaded resource={resource}>{(envelopes) => <Wallet envelopes={envelopes} />}</Loaded>
    </div>
  );
}

export function WalletPage() {
  return <RequireSession>{() => <WalletView />}</RequireSession>;
}
