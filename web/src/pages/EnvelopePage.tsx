import './campaigns/campaigns.css';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { walletApi } from '../campaigns/api.js';
import type { EnvelopeDetails } from '../campaigns/types.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession, useSession } from '../identity/session.js';
import { formatCents, formatCentsDelta } from '../programmes/money.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { walletPageTitle } from './WalletPage.js';
import {
  EnvelopeStatus,
  ExplanationList,
  UsageList,
  validitySentence,
} from './wallet/EnvelopeParts.js';

export const envelopePageTitle = 'Détail d’une aide';

function Movements({ envelope }: { envelope: EnvelopeDetails }) {
  if (envelope.movements.length === 0) return <p>Aucune opération pour le moment.</p>;
  return (
    <DataTable
      caption="Opérations de l’enveloppe, des plus récentes aux plus anciennes"
      headers={['Date', 'Opération', 'Montant', 'Solde après l’opération']}
      rows={envelope.movements.map((movement) => [
        formatDateTime(movement.at),
        movement.label,
        formatCentsDelta(movement.amountCents),
        formatCents(movement.balanceAfterCents),
      ])}
    />
  );
}

function EnvelopeContent({ envelope }: { envelope: EnvelopeDetails }) {
  return (
    <>
      <div className={fr.cx('fr-mb-1w')}>
        <EnvelopeStatus envelope={envelope} />
      </div>
      <p className={fr.cx('fr-mb-1w')}>
        <span className="envelope-remaining">{formatCents(envelope.remainingCents)}</span>
        {` disponibles sur ${formatCents(envelope.creditedCents)}`}
      </p>
      <p>{`${validitySentence(envelope)} — financé par ${envelope.funderName}`}</p>
      <section aria-labelledby="enveloppe-usage" className={fr.cx('fr-mb-6w')}>
        <h2 id="enveloppe-usage">Où l’utiliser ?</h2>
        <UsageList envelope={envelope} />
      </section>
      <section aria-labelledby="enveloppe-explication" className={fr.cx('fr-mb-6w')}>
        <h2 id="enveloppe-explication">Pourquoi cette aide ?</h2>
        <ExplanationList envelope={envelope} />
      </section>
      <section aria-labelledby="enveloppe-historique">
        <h2 id="enveloppe-historique">Historique</h2>
        <Movements envelope={envelope} />
      </section>
    </>
  );
}

function EnvelopeView({ attributionId }: { attributionId: number }) {
  const { actingFor } = useSession();
  const { resource } = useResource(
    () => walletApi.envelope(attributionId, actingFor?.personId),
    `enveloppe-${attributionId}-${actingFor?.personId ?? 'moi'}`,
  );
  const name = resource.status === 'loaded' ? resource.data.programmeName : envelopePageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: walletPageTitle, linkProps: { href: '/mes-aides' } },
        ]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>{(envelope) => <EnvelopeContent envelope={envelope} />}</Loaded>
    </div>
  );
}

export function EnvelopePage({ attributionId }: { attributionId: number }) {
  return <RequireSession>{() => <EnvelopeView attributionId={attributionId} />}</RequireSession>;
}
