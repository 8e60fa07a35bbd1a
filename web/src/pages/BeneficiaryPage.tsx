import './beneficiaries/beneficiaries.css';
import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { SuccessMessage } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { beneficiariesApi } from '../beneficiaries/api.js';
import { managesBeneficiaries } from '../beneficiaries/access.js';
import {
  addressInWords,
  applicationStatusLabels,
  attributionStatusLabels,
  beneficiaryName,
  formatPhone,
  householdInWords,
  identityInWords,
} from '../beneficiaries/format.js';
import type { BeneficiaryDetails, BeneficiaryView } from '../beneficiaries/types.js';
import { formatDate, formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatCents } from '../programmes/money.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { beneficiariesPagePath, beneficiariesPageTitle } from './BeneficiariesPage.js';
import { EraseSection } from './beneficiaries/EraseSection.js';
import { RecordForm } from './beneficiaries/RecordForm.js';

export const beneficiaryPageTitle = 'Fiche du bénéficiaire';

function Summary({ beneficiary }: { beneficiary: BeneficiaryView }) {
  const household = householdInWords(beneficiary.household);
  return (
    <dl className="identification record-facts">
      <dt>{beneficiary.kind === 'personne' ? 'Identité' : 'Structure'}</dt>
      <dd>{identityInWords(beneficiary)}</dd>
      <dt>Adresse</dt>
      <dd>{addressInWords(beneficiary)}</dd>
      <dt>Adresse électronique</dt>
      <dd>{beneficiary.email ?? 'Non renseignée'}</dd>
      <dt>Téléphone</dt>
      <dd>{beneficiary.phone === null ? 'Non renseigné' : formatPhone(beneficiary.phone)}</dd>
      {beneficiary.kind === 'personne' && (
        <>
          <dt>Foyer</dt>
          <dd>
            {household.length === 0 ? (
              'Non renseigné'
            ) : (
              <ul className={fr.cx('fr-raw-list')}>
                {household.map((sentence) => (
                  <li key={sentence}>{sentence}</li>
                ))}
              </ul>
            )}
          </dd>
        </>
      )}
      <dt>Identifiant chez le financeur</dt>
      <dd>{beneficiary.externalId ?? 'Aucun'}</dd>
      <dt>Compte de la personne</dt>
      <dd>
        {beneficiary.linked
          ? 'Rattaché : la personne suit ses aides dans son espace'
          : 'Pas encore rattaché'}
      </dd>
      <dt>Origine</dt>
      <dd>
        {beneficiary.importId === null
          ? `Fiche créée le ${formatDateTime(beneficiary.createdAt)}`
          : `Import n° ${beneficiary.importId}, le ${formatDateTime(beneficiary.createdAt)}`}
      </dd>
      <dt>Dernière modification</dt>
      <dd>{formatDateTime(beneficiary.updatedAt)}</dd>
    </dl>
  );
}

function Attributions({ details }: { details: BeneficiaryDetails }) {
  return (
    <section aria-labelledby="fiche-attributions" className={fr.cx('fr-mb-6w')}>
      <h2 id="fiche-attributions">Aides attribuées</h2>
      {details.attributions.length === 0 ? (
        <p>Aucune aide attribuée pour le moment.</p>
      ) : (
        <DataTable
          caption="Aides attribuées au bénéficiaire"
          headers={['Dispositif', 'Montant', 'État', 'Créditée le', 'Valable jusqu’au']}
          rows={details.attributions.map((attribution) => [
            <AppLink key="dispositif" href={`/dispositifs/${attribution.programmeId}`}>
              {attribution.programmeName}
            </AppLink>,
            formatCents(attribution.amountCents),
            attributionStatusLabels[attribution.status],
            attribution.creditedAt === null ? '—' : formatDate(attribution.creditedAt),
            attribution.validUntil === null ? '—' : formatDate(attribution.validUntil),
          ])}
        />
      )}
    </section>
  );
}

function Applications({ details }: { details: BeneficiaryDetails }) {
  return (
    <section aria-labelledby="fiche-demandes" className={fr.cx('fr-mb-6w')}>
      <h2 id="fiche-demandes">Demandes d’aide</h2>
      {details.applications.length === 0 ? (
        <p>Aucune demande déposée.</p>
      ) : (
        <DataTable
          caption="Demandes d’aide du bénéficiaire"
          headers={['Dispositif', 'État', 'Déposée le']}
          rows={details.applications.map((application) => [
            application.programmeName,
            applicationStatusLabels[application.status],
            formatDate(application.createdAt),
          ])}
        />
      )}
    </section>
  );
}

/** What just happened to the record; the focus goes there once a form that was open is gone. */
function RecordNotices({ erasedAt, saved }: { erasedAt: string | null; saved: string | null }) {
  const savedMessage = useRef<HTMLDivElement>(null);
  useEffect(() => savedMessage.current?.focus(), [saved]);
  return (
    <>
      {erasedAt !== null && (
        <Alert
          severity="info"
          small
          className={fr.cx('fr-mb-3w')}
          description={`Les données personnelles de cette fiche ont été effacées le ${formatDateTime(erasedAt)}.`}
        />
      )}
      {saved !== null && (
        <div ref={savedMessage} tabIndex={-1}>
          <SuccessMessage>{saved}</SuccessMessage>
        </div>
      )}
    </>
  );
}

/** The record, its correction, its export (right of access) and its erasure. */
function RecordContent({
  details,
  session,
  reload,
}: {
  details: BeneficiaryDetails;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  const { beneficiary } = details;
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const manages = managesBeneficiaries(session.memberships, beneficiary.organisationId);
  const erased = beneficiary.erasedAt !== null;
  return (
    <>
      <RecordNotices erasedAt={beneficiary.erasedAt} saved={saved} />
      {!erased && <Summary beneficiary={beneficiary} />}
      {manages && !erased && !editing && (
        <div className="action-row fr-mb-6w">
          <Button iconId="fr-icon-edit-line" onClick={() => setEditing(true)}>
            Modifier la fiche
          </Button>
          <Button
            priority="secondary"
            iconId="fr-icon-download-line"
            linkProps={{ href: beneficiariesApi.exportUrl(beneficiary.id), download: '' }}
          >
            Exporter la fiche (droit d’accès)
          </Button>
        </div>
      )}
      {editing && (
        <div className={fr.cx('fr-mb-6w')}>
          <RecordForm
            beneficiary={beneficiary}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              setSaved('Fiche enregistrée.');
              reload();
            }}
          />
        </div>
      )}
      <Attributions details={details} />
      <Applications details={details} />
      {manages && !erased && (
        <EraseSection
          beneficiary={beneficiary}
          onErased={() => {
            setSaved('Les données personnelles du bénéficiaire ont été effacées.');
            reload();
          }}
        />
      )}
    </>
  );
}

function BeneficiaryContent({
  beneficiaryId,
  session,
}: {
  beneficiaryId: number;
  session: AuthenticatedSession;
}) {
  const { resource, reload } = useResource(
    () => beneficiariesApi.beneficiary(beneficiaryId),
    `${beneficiaryId}`,
  );
  const name =
    resource.status === 'loaded'
      ? beneficiaryName(resource.data.beneficiary)
      : beneficiaryPageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: beneficiariesPageTitle, linkProps: { href: beneficiariesPagePath } },
        ]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>
        {(details) => <RecordContent details={details} session={session} reload={reload} />}
      </Loaded>
    </div>
  );
}

export function BeneficiaryPage({ beneficiaryId }: { beneficiaryId: number }) {
  return (
    <RequireSession>
      {(session) => <BeneficiaryContent beneficiaryId={beneficiaryId} session={session} />}
    </RequireSession>
  );
}
