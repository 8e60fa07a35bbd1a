import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { instructionApi } from '../../applications/api.js';
import type { ApplicationDetail } from '../../applications/types.js';
import { Loaded, useResource } from '../../components/resource.js';
import { formatDateTime } from '../../identity/format.js';
import { RequireSession } from '../../identity/session.js';
import { applicationsPageTitle } from '../ApplicationsPage.js';
import { backOfficeHomePageTitle } from '../BackOfficeHomePage.js';
import {
  AnswersList,
  DecisionCallout,
  EvaluationPanel,
  HistoryList,
  isOpen,
  StatusBadge,
} from './ApplicationParts.js';
import { DecisionForm } from './DecisionForm.js';
import { DocumentList } from './DocumentsSection.js';
import { MessageForm, MessageThread } from './MessagesSection.js';

export const instructionPageTitle = 'Instruire une demande';

function InstructionBody({ detail, reload }: { detail: ApplicationDetail; reload: () => void }) {
  const { application } = detail;
  const open = isOpen(application.status);
  return (
    <>
      <p>
        <StatusBadge status={application.status} label={application.statusLabel} />
        {` ${application.applicantName}, demande déposée le ${formatDateTime(application.createdAt)}`}
        {application.submittedByName !== application.applicantName &&
          ` par ${application.submittedByName} (aidant sous mandat)`}
        {`, dispositif ${application.programmeName}.`}
      </p>
      <DecisionCallout detail={detail} walletLink={false} />
      <EvaluationPanel
        evaluation={detail.evaluation}
        ruleVersion={application.ruleVersion}
        referenceDate={application.referenceDate}
      />
      <AnswersList answers={application.answers} />
      <section aria-labelledby="documents-titre" className={fr.cx('fr-mb-6w')}>
        <h2 id="documents-titre">Justificatifs</h2>
        <DocumentList
          documents={detail.documents}
          downloadUrl={(documentId) => instructionApi.documentUrl(application.id, documentId)}
        />
      </section>
      <section aria-labelledby="echanges-titre" className={fr.cx('fr-mb-6w')}>
        <h2 id="echanges-titre">Échanges avec le demandeur</h2>
        <MessageThread messages={detail.messages} />
        {open && (
          <MessageForm
            id="demande-informations"
            label="Demander des informations"
            hint="Le demandeur est prévenu et la demande attend sa réponse."
            submitLabel="Envoyer la demande d’informations"
            send={async (text) => {
              await instructionApi.requestInformation(application.id, text);
              reload();
            }}
          />
        )}
      </section>
      {open && (
        <section aria-labelledby="decision-titre" className={fr.cx('fr-mb-6w')}>
          <h2 id="decision-titre">Décider</h2>
          <DecisionForm detail={detail} decided={reload} />
        </section>
      )}
      <HistoryList history={detail.history} />
    </>
  );
}

function InstructionView({ applicationId }: { applicationId: number }) {
  const { resource, reload } = useResource(
    () => instructionApi.application(applicationId),
    `demande-${applicationId}`,
  );
  const title = `Demande n° ${applicationId}`;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: applicationsPageTitle, linkProps: { href: '/demandes' } },
        ]}
      />
      <h1>{title}</h1>
      <Loaded resource={resource}>
        {(detail) => <InstructionBody detail={detail} reload={reload} />}
      </Loaded>
    </div>
  );
}

export function InstructionPage({ applicationId }: { applicationId: number }) {
  return <RequireSession>{() => <InstructionView applicationId={applicationId} />}</RequireSession>;
}
