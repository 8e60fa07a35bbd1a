import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { ConfirmableAction } from '../components/ConfirmableAction.js';
import { CopyableText } from '../components/CopyableText.js';
import { DataTable } from '../components/DataTable.js';
import { SubmissionError, useSubmission } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { formatDate, formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { ApiKey, CreatedApiKey } from '../identity/types.js';
import { apiKeyRoleLabels, NewApiKeyForm } from './api-keys/NewApiKeyForm.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';

export const apiKeysPageTitle = 'Clés API';

/** A secret just made: the server keeps only a fingerprint, so this is its one showing. */
interface ShownSecret {
  key: CreatedApiKey;
  /** The key it replaces, which keeps working for 24 hours while the tills are updated. */
  replaced: ApiKey | null;
}

function SecretNotice({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const notice = useRef<HTMLDivElement>(null);
  // The secret appears at the top of the page, far from the button pressed: the focus goes there.
  useEffect(() => notice.current?.focus(), [shown]);
  return (
    <div ref={notice} tabIndex={-1}>
      <Alert
        severity="warning"
        as="h2"
        title={`Copiez maintenant le secret de la clé « ${shown.key.label} »`}
        className={fr.cx('fr-mb-6w')}
        description={
          <>
            <p>
              Ce secret ne sera plus jamais affiché : Fléchage n’en conserve qu’une empreinte.
              Notez-le dans la configuration de votre caisse, avec l’identifiant de la clé. En cas
              de perte, renouvelez la clé.
            </p>
            {shown.replaced !== null && (
              <p>
                L’ancienne clé {shown.replaced.keyId} continue de fonctionner pendant 24 heures, le
                temps de mettre à jour vos caisses ; elle cesse ensuite d’être acceptée.
              </p>
            )}
            <p className={fr.cx('fr-mb-1w')}>Identifiant de la clé :</p>
            <CopyableText label="l’identifiant" value={shown.key.keyId} />
            <p className={fr.cx('fr-mb-1w')}>Secret :</p>
            <CopyableText label="le secret" value={shown.key.secret} />
            <Button priority="secondary" onClick={onDone}>
              J’ai copié le secret, masquer
            </Button>
          </>
        }
      />
    </div>
  );
}

function keyStatus(key: ApiKey) {
  if (key.revokedAt !== null) {
    return <Badge small severity="error">{`Révoquée le ${formatDate(key.revokedAt)}`}</Badge>;
  }
  if (key.expiresAt !== null && new Date(key.expiresAt).getTime() <= Date.now()) {
    return <Badge small>{`Expirée le ${formatDate(key.expiresAt)}`}</Badge>;
  }
  if (key.expiresAt !== null) {
    return (
      <Badge small severity="warning">
        {`Remplacée, valable jusqu’au ${formatDateTime(key.expiresAt)}`}
      </Badge>
    );
  }
  return (
    <Badge small severity="success">
      Active
    </Badge>
  );
}

function isUsable(key: ApiKey): boolean {
  if (key.revokedAt !== null) return false;
  return key.expiresAt === null || new Date(key.expiresAt).getTime() > Date.now();
}

function KeysTable({
  keys,
  rotate,
  revoke,
}: {
  keys: ApiKey[];
  rotate: (key: ApiKey) => void;
  revoke: (key: ApiKey) => Promise<void>;
}) {
  if (keys.length === 0) return <p>Aucune clé pour le moment.</p>;
  const actions = (key: ApiKey) =>
    isUsable(key) && (
      <div className="table-actions">
        {key.expiresAt === null && (
          <Button priority="secondary" size="small" onClick={() => rotate(key)}>
            {`Renouveler ${key.label}`}
          </Button>
        )}
        <ConfirmableAction
          label={`Révoquer ${key.label}`}
          question="La clé sera refusée immédiatement : les caisses qui l’utilisent ne pourront plus encaisser."
          confirmLabel="Révoquer immédiatement"
          onConfirm={() => revoke(key)}
        />
      </div>
    );
  return (
    <DataTable
      caption="Clés API de l’organisation"
      headers={[
        'Nom',
        'Identifiant',
        'Usage',
        'Créée le',
        'Dernière utilisation',
        'État',
        'Actions',
      ]}
      rows={keys.map((key) => [
        key.label,
        <code key="identifiant">{key.keyId}</code>,
        apiKeyRoleLabels[key.role],
        formatDate(key.createdAt),
        key.lastUsedAt === null ? 'Jamais' : formatDateTime(key.lastUsedAt),
        keyStatus(key),
        actions(key),
      ])}
    />
  );
}

function ApiKeysView({ organisationId }: { organisationId: number }) {
  const organisation = useResource(
    () => identityApi.organisation(organisationId),
    `organisation-${organisationId}`,
  ).resource;
  const { resource, reload } = useResource(
    () => identityApi.apiKeys(organisationId),
    `cles-${organisationId}`,
  );
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const { error, run } = useSubmission();
  const name = organisation.status === 'loaded' ? organisation.data.name : 'Organisation';

  function show(key: CreatedApiKey, replaced: ApiKey | null): void {
    setShown({ key, replaced });
    reload();
  }

  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={apiKeysPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: name, linkProps: { href: `/organisation/${organisationId}` } },
        ]}
      />
      <h1>{`${apiKeysPageTitle} — ${name}`}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Vos caisses et votre processeur de paiement signent leurs demandes avec une clé : une par
        appareil, pour pouvoir en révoquer une seule en cas de perte ou de vol.
      </p>
      {shown !== null && <SecretNotice shown={shown} onDone={() => setShown(null)} />}
      <SubmissionError error={error} />
      <section aria-labelledby="cles-liste" className={fr.cx('fr-mb-6w')}>
        <h2 id="cles-liste">Clés de l’organisation</h2>
        <Loaded resource={resource}>
          {(keys) => (
            <KeysTable
              keys={keys}
              rotate={(key) =>
                void run(async () =>
                  show(await identityApi.rotateApiKey(organisationId, key.id), key),
                )
              }
              revoke={(key) =>
                run(async () => {
                  await identityApi.revokeApiKey(organisationId, key.id);
                  reload();
                })
              }
            />
          )}
        </Loaded>
      </section>
      <NewApiKeyForm organisationId={organisationId} onCreated={(key) => show(key, null)} />
    </div>
  );
}

export function ApiKeysPage({ organisationId }: { organisationId: number }) {
  return <RequireSession>{() => <ApiKeysView organisationId={organisationId} />}</RequireSession>;
}
