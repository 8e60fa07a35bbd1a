import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { applicantApi } from '../../applications/api.js';
import type { ApplicationDetail } from '../../applications/types.js';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { Loaded, useResource } from '../../components/resource.js';
import { RequireSession, useSession } from '../../identity/session.js';
import type { AuthenticatedSession } from '../../identity/types.js';
import { backOfficeHomePageTitle } from '../BackOfficeHomePage.js';
import { myApplicationsPageTitle } from '../MyApplicationsPage.js';
import {
  AnswersList,
  DecisionCallout,
  EvaluationPanel,
  HistoryList,
  isOpen,
  StatusBadge,
} from './ApplicationParts.js';
import { DocumentList, DocumentUploadForm } from './DocumentsSection.js';
import { MessageForm, MessageThread } from './MessagesSection.js';

export const myApplicationPageTitle = 'Ma demande d’aide';

/** The case worker's last request, shown first while it waits for an answer. */
function InformationRequested({ detail }: { detail: ApplicationDetail }) {
  if (detail.application.status !== 'information_requested') return null;
  const request = detail.messages.filter((message) => message.authorSide === 'instruction').at(-1);
  return (
    <Alert
      severity="warning"
      as="h2"
      title="L’instructeur vous demande des informations"
      description={
        <>
          <span style={{ whiteSpace: 'pre-wrap' }}>{request?.body ?? ''}</span>
          <br />
          Répondez dans la partie « Échanges » ci-dessous et joignez les justificatifs demandés :
          l’instruction reprendra.
        </>
      }
      className={fr.cx('fr-mb-4w')}
    />
  );
}

/** The documents and messages an open application still takes; a closed one only shows them. */
function ApplicantExchange({
  detail,
  session,
  reload,
}: {
  detail: ApplicationDetail;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  const { actingFor } = useSession();
  const onBehalfOf = actingFor?.personId;
  const { application } = detail;
  const open = isOpen(application.status);
  return (
    <>
      <section aria-labelledby="documents-titre" className={fr.cx('fr-mb-6w')}>
        <h2 id="documents-titre">Justificatifs</h2>
        <DocumentList documents={detail.documents} />
        {open && (
          <DocumentUploadForm
            count={detail.documents.length}
            upload={async (file) => {
              await applicantApi.uploadDocument(application.id, file, {
                csrfToken: session.csrfToken,
                ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
              });
              reload();
            }}
          />
        )}
      </section>
      <section aria-labelledby="echanges-titre" className={fr.cx('fr-mb-6w')}>
        <h2 id="echanges-titre">Échanges avec l’instructeur</h2>
        <MessageThread messages={detail.messages} />
        {open && (
          <MessageForm
            id="message-demandeur"
            label="Votre message"
            hint="Votre réponse à l’instructeur, ou une précision sur votre demande."
            submitLabel="Envoyer le message"
            send={async (text) => {
              await applicantApi.sendMessage(application.id, text, onBehalfOf);
              reload();
            }}
          />
        )}
      </section>
    </>
  );
}

function ApplicationBody({
  detail,
  session,
  reload,
}: {
  detail: ApplicationDetail;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  const { actingFor } = useSession();
  const onBehalfOf = actingFor?.personId;
  const { application } = detail;
  const open = isOpen(application.status);
  const justSubmitted = new URLSearchParams(window.location.search).get('deposee') === '1';
  return (
    <>
      <p>
        <StatusBadge status={application.status} label={application.statusLabel} />
        {` Financeur : ${application.funderName}. Déposée par ${application.submittedByName}.`}
      </p>
      {justSubmitted && open && (
        <Alert
          severity="success"
          small
          description="Votre demande est déposée. Voici son évaluation automatique ; joignez maintenant vos justificatifs."
          className={fr.cx('fr-mb-4w')}
        />
      )}
      <DecisionCallout detail={detail} walletLink />
      <InformationRequested detail={detail} />
      <EvaluationPanel
        evaluation={detail.evaluation}
        ruleVersion={application.ruleVersion}
        referenceDate={application.referenceDate}
      />
      <ApplicantExchange detail={detail} session={session} reload={reload} />
      <AnswersList answers={application.answers} />
      <HistoryList history={detail.history} />
      {open && (
        <ConfirmableAction
          label="Retirer ma demande"
          question="Retirer cette demande ? Elle ne sera plus instruite ; vous pourrez en déposer une nouvelle."
          confirmLabel="Oui, retirer la demande"
          onConfirm={async () => {
            await applicantApi.withdraw(application.id, onBehalfOf);
            reload();
          }}
        />
      )}
    </>
  );
}

function MyApplicationView({
  applicationId,
  session,
}: {
  applicationId: number;
  session: AuthenticatedSession;
}) {
  const { actingFor } = useSession();
  const { resource, reload } = useResource(
    () => applicantApi.application(applicationId, actingFor?.personId),
    `ma-demande-${applicationId}-${actingFor?.personId ?? 'moi'}`,
  );
  const title =
    resource.status === 'loaded' ? resource.data.application.programmeName : myApplicationPageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: myApplicationsPageTitle, linkProps: { href: '/mes-demandes' } },
        ]}
      />
      <h1>{`Demande : ${title}`}</h1>
      <Loaded resource={resource}>
        {(detail) => <ApplicationBody detail={detail} session={session} reload={reload} />}
      </Loaded>
    </div>
  );
}

export function MyApplicationPage({ applicationId }: { applicationId: number }) {
  return (
    <RequireSession>
      {(session) => <MyApplicationView applicationId={applicationId} session={session} />}
    </RequireSession>
  );
}
