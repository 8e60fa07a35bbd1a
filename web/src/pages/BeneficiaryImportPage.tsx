import './beneficiaries/beneficiaries.css';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper.js';
import { Loaded, useResource } from '../components/resource.js';
import { beneficiariesApi } from '../beneficiaries/api.js';
import { importingOrganisations } from '../beneficiaries/access.js';
import type { ImportStatus, ImportView } from '../beneficiaries/types.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { beneficiariesPagePath, beneficiariesPageTitle } from './BeneficiariesPage.js';
import { AnalysisStep } from './beneficiaries/AnalysisStep.js';
import { MappingStep } from './beneficiaries/MappingStep.js';
import { PreviousImports } from './beneficiaries/PreviousImports.js';
import { ImportOutcome, ReportStep } from './beneficiaries/ReportStep.js';
import { UploadStep } from './beneficiaries/UploadStep.js';

export const beneficiaryImportPageTitle = 'Importer des bénéficiaires';

const stepTitles: readonly string[] = [
  'Choisir le fichier',
  'Associer les colonnes',
  'Analyser les lignes',
  'Vérifier et confirmer',
];

/** Where an import stands in the wizard: its status says which step the person is at. */
const stepOfStatus: Record<ImportStatus, 2 | 3 | 4> = {
  uploaded: 2,
  analysing: 3,
  analysed: 4,
  failed: 4,
  imported: 4,
  abandoned: 4,
};

/**
 * The steps, with the focus moved to the current one's title when the step changes, so that
 * keyboard and screen reader users follow the wizard without searching for where it went on.
 */
function Steps({ step }: { step: 1 | 2 | 3 | 4 }) {
  const container = useRef<HTMLDivElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    const title = container.current?.querySelector('h2');
    if (title === null || title === undefined) return;
    title.setAttribute('tabindex', '-1');
    title.focus();
  }, [step]);
  return (
    <div ref={container}>
      <Stepper
        id="import-etapes"
        currentStep={step}
        stepCount={stepTitles.length}
        title={<span id="import-etape-titre">{stepTitles[step - 1]}</span>}
        nextTitle={stepTitles[step]}
      />
    </div>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={beneficiaryImportPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: beneficiariesPageTitle, linkProps: { href: beneficiariesPagePath } },
        ]}
      />
      <h1>{beneficiaryImportPageTitle}</h1>
      {children}
    </div>
  );
}

function NewImport({ session }: { session: AuthenticatedSession }) {
  const organisations = importingOrganisations(session.memberships);
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? 0);
  if (organisations.length === 0) {
    return (
      <Alert
        severity="info"
        small
        description="Seuls les gestionnaires et les instructeurs d’un financeur importent des bénéficiaires."
      />
    );
  }
  return (
    <>
      <p className={fr.cx('fr-text--lead')}>
        Le fichier est d’abord analysé ligne à ligne : rien n’est enregistré avant que vous ayez vu
        le rapport et confirmé l’import.
      </p>
      <Steps step={1} />
      <UploadStep
        organisations={organisations}
        organisationId={organisationId}
        onOrganisationChange={setOrganisationId}
        csrfToken={session.csrfToken}
      />
      <PreviousImports organisationId={organisationId} />
    </>
  );
}

/** An import under way: the step its status calls for, kept up to date as it moves on. */
function ImportWizard({ initial }: { initial: ImportView }) {
  const [view, setView] = useState(initial);
  // An analysed or failed file may be analysed again with other columns.
  const [remapping, setRemapping] = useState(false);
  const started = useCallback((analysing: ImportView) => {
    setView(analysing);
    setRemapping(false);
  }, []);
  const remap = () => setRemapping(true);
  const step = remapping ? 2 : stepOfStatus[view.status];
  return (
    <>
      <Steps step={step} />
      {step === 2 && (
        <MappingStep
          view={view}
          onStarted={started}
          onCancel={remapping ? () => setRemapping(false) : undefined}
        />
      )}
      {step === 3 && <AnalysisStep view={view} onUpdate={setView} />}
      {step === 4 && view.status === 'analysed' && (
        <ReportStep view={view} onChange={setView} onRemap={remap} />
      )}
      {step === 4 && view.status !== 'analysed' && <ImportOutcome view={view} onRemap={remap} />}
    </>
  );
}

function ExistingImport({ importId }: { importId: number }) {
  const { resource } = useResource(() => beneficiariesApi.importView(importId), `${importId}`);
  return <Loaded resource={resource}>{(view) => <ImportWizard initial={view} />}</Loaded>;
}

/** The import wizard: a new file, or (with `importId`) an import where it stands. */
export function BeneficiaryImportPage({ importId }: { importId?: number }) {
  return (
    <RequireSession>
      {(session) => (
        <Frame>
          {importId === undefined ? (
            <NewImport session={session} />
          ) : (
            <ExistingImport importId={importId} />
          )}
        </Frame>
      )}
    </RequireSession>
  );
}
