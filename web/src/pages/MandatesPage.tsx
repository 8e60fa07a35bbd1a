import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { ConfirmableAction } from '../components/ConfirmableAction.js';
import { DataTable } from '../components/DataTable.js';
import { SubmissionError, SuccessMessage, useSubmission } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { formatDate } from '../identity/format.js';
import { hasRole } from '../identity/roles.js';
import { RequireSession, useSession } from '../identity/session.js';
import type { AuthenticatedSession, Mandate } from '../identity/types.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { GrantMandateForm } from './mandates/GrantMandateForm.js';
import { scopeLabels, statusLabels } from './mandates/labels.js';

export const mandatesPageTitle = 'Mandats';

const statusSeverities = { actif: 'success', expire: undefined, revoque: 'error' } as const;

function mandateCells(mandate: Mandate) {
  return [
    mandate.scopes.map((scope) => scopeLabels[scope]).join(', '),
    `Du ${formatDate(mandate.startsAt)} au ${formatDate(mandate.endsAt)}`,
    <Badge key="etat" small severity={statusSeverities[mandate.status]}>
      {statusLabels[mandate.status]}
    </Badge>,
  ];
}

function GivenMandates({
  mandates,
  revoke,
}: {
  mandates: Mandate[];
  revoke: (m: Mandate) => Promise<void>;
}) {
  if (mandates.length === 0) return <p>Vous n’avez donné aucun mandat.</p>;
  return (
    <DataTable
      caption="Mandats que vous avez donnés"
      headers={['Aidant', 'Autorisations', 'Période', 'État', 'Action']}
      rows={mandates.map((mandate) => [
        `${mandate.aidant.displayName} (${mandate.aidant.email})`,
        ...mandateCells(mandate),
        mandate.status === 'actif' && (
          <ConfirmableAction
            label={`Révoquer le mandat donné à ${mandate.aidant.displayName}`}
            question="L’aidant ne pourra plus agir en votre nom, dès maintenant."
            confirmLabel="Révoquer le mandat"
            onConfirm={() => revoke(mandate)}
          />
        ),
      ])}
    />
  );
}

function ReceivedMandates({ mandates }: { mandates: Mandate[] }) {
  const { actingFor, setActingFor } = useSession();
  if (mandates.length === 0) return <p>Personne ne vous a donné mandat pour le moment.</p>;
  const action = ({ beneficiary, status }: Mandate) => {
    if (status !== 'actif') return null;
    if (actingFor?.personId === beneficiary.personId) {
      return (
        <Button priority="secondary" size="small" onClick={() => setActingFor(null)}>
          {`Cesser d’agir pour ${beneficiary.displayName}`}
        </Button>
      );
    }
    return (
      <Button size="small" onClick={() => setActingFor(beneficiary)}>
        {`Agir pour ${beneficiary.displayName}`}
      </Button>
    );
  };
  return (
    <DataTable
      caption="Mandats que vous avez reçus"
      headers={['Bénéficiaire', 'Autorisations', 'Période', 'État', 'Action']}
      rows={mandates.map((mandate) => [
        mandate.beneficiary.displayName,
        ...mandateCells(mandate),
        action(mandate),
      ])}
    />
  );
}

function Mandates({ session }: { session: AuthenticatedSession }) {
  const { resource, reload } = useResource(identityApi.mandates, 'mandats');
  const [granted, setGranted] = useState<Mandate | null>(null);
  const { error, run } = useSubmission();
  const isBeneficiary = hasRole(session.memberships, 'beneficiaire');
  const isAidant = hasRole(session.memberships, 'aidant');

  const revoke = (mandate: Mandate) =>
    run(async () => {
      await identityApi.revokeMandate(mandate.id);
      reload();
    });

  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={mandatesPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{mandatesPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Un mandat permet à un aidant (un proche, un travailleur social) d’agir au nom d’un
        bénéficiaire, pour ce que celui-ci a choisi et pour une durée limitée. Le bénéficiaire peut
        le révoquer à tout moment.
      </p>
      {isBeneficiary && (
        <div className={fr.cx('fr-mb-6w')}>
          <GrantMandateForm
            onGranted={(mandate) => {
              setGranted(mandate);
              reload();
            }}
          />
        </div>
      )}
      {granted !== null && (
        <SuccessMessage>
          {`Mandat donné à ${granted.aidant.displayName} jusqu’au ${formatDate(granted.endsAt)}.`}
        </SuccessMessage>
      )}
      <SubmissionError error={error} />
      <Loaded resource={resource}>
        {({ given, received }) => (
          <>
            {(isBeneficiary || given.length > 0) && (
              <section aria-labelledby="mandats-donnes" className={fr.cx('fr-mb-6w')}>
                <h2 id="mandats-donnes">Mandats donnés</h2>
                <GivenMandates mandates={given} revoke={revoke} />
              </section>
            )}
            {(isAidant || received.length > 0) && (
              <section aria-labelledby="mandats-recus">
                <h2 id="mandats-recus">Mandats reçus</h2>
                <ReceivedMandates mandates={received} />
              </section>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}

export function MandatesPage() {
  return <RequireSession>{(session) => <Mandates session={session} />}</RequireSession>;
}
