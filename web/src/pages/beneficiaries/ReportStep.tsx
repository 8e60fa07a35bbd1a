import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { DataTable } from '../../components/DataTable.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import { problemFieldLabel, problemReason } from '../../beneficiaries/format.js';
import type { ImportView } from '../../beneficiaries/types.js';
import { formatCount } from '../../programmes/money.js';
import { AppLink } from '../../routing.js';
import { importedBeneficiariesPath } from '../BeneficiariesPage.js';
import { ImportCounts } from './AnalysisStep.js';
import { Pager } from './Pager.js';

const problemsPageSize = 20;

const plural = (count: number, singular: string, several: string) =>
  `${formatCount(count)} ${count > 1 ? several : singular}`;

/** Every line the import leaves out and why, a page at a time: a file may have thousands. */
function ProblemsTable({ view }: { view: ImportView }) {
  const [page, setPage] = useState(1);
  const { resource } = useResource(
    () => beneficiariesApi.problems(view.id, (page - 1) * problemsPageSize, problemsPageSize),
    `${view.id}-${page}`,
  );
  return (
    <section aria-labelledby="import-problemes" className={fr.cx('fr-mb-4w')}>
      <h3 id="import-problemes" className={fr.cx('fr-h5')}>
        Lignes écartées
      </h3>
      <Loaded resource={resource}>
        {(found) =>
          found.total === 0 ? (
            <p>Aucune ligne écartée : toutes les lignes du fichier sont valides.</p>
          ) : (
            <>
              <p>
                {`${plural(found.total, 'problème relevé', 'problèmes relevés')}. Corrigez-les dans le fichier et importez-le de nouveau pour ajouter ces lignes.`}
              </p>
              <DataTable
                caption={`Problèmes relevés dans le fichier ${view.fileName}, page ${page}`}
                headers={['Ligne', 'Champ', 'Motif']}
                rows={found.problems.map((problem) => [
                  `${problem.line}`,
                  problemFieldLabel(problem.field),
                  problemReason(problem.reason),
                ])}
              />
              <Pager
                id="import-problemes-pages"
                page={page}
                total={found.total}
                pageSize={problemsPageSize}
                onPage={setPage}
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function Decision({
  view,
  onChange,
  onRemap,
}: {
  view: ImportView;
  onChange: (view: ImportView) => void;
  onRemap: () => void;
}) {
  const { pending, error, run } = useSubmission();
  const confirm = () =>
    run(async () => {
      onChange(await beneficiariesApi.confirm(view.id));
    });
  const abandon = () =>
    run(async () => {
      onChange(await beneficiariesApi.abandon(view.id));
    });
  return (
    <>
      <SubmissionError error={error} />
      <div className="action-row">
        {view.validLines > 0 && (
          <Button iconId="fr-icon-check-line" disabled={pending} onClick={() => void confirm()}>
            {view.validLines === 1
              ? 'Importer la ligne valide'
              : `Importer les ${formatCount(view.validLines)} lignes valides`}
          </Button>
        )}
        <Button priority="secondary" iconId="fr-icon-arrow-left-line" onClick={onRemap}>
          Modifier l’association des colonnes
        </Button>
        <ConfirmableAction
          label="Abandonner"
          question="Aucun bénéficiaire de ce fichier ne sera créé, et le fichier sera supprimé de la plateforme."
          confirmLabel="Abandonner cet import"
          onConfirm={abandon}
        />
      </div>
    </>
  );
}

/** The fourth step: what the analysis found, and the choice to import the valid lines or not. */
export function ReportStep({
  view,
  onChange,
  onRemap,
}: {
  view: ImportView;
  onChange: (view: ImportView) => void;
  onRemap: () => void;
}) {
  return (
    <>
      <p>
        {`L’analyse du fichier ${view.fileName} est terminée. Rien n’est encore enregistré : vérifiez le rapport, puis confirmez.`}
      </p>
      <ImportCounts view={view} />
      <ProblemsTable view={view} />
      {view.validLines === 0 && (
        <Alert
          severity="warning"
          small
          description="Aucune ligne n’est valide : il n’y a rien à importer. Corrigez le fichier puis importez-le de nouveau."
        />
      )}
      <Decision view={view} onChange={onChange} onRemap={onRemap} />
    </>
  );
}

/** The import's end: done, abandoned or failed, said once with the focus on it. */
export function ImportOutcome({ view, onRemap }: { view: ImportView; onRemap: () => void }) {
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), []);
  const again = (
    <AppLink href="/beneficiaires/import" className={fr.cx('fr-link')}>
      Importer un autre fichier
    </AppLink>
  );
  return (
    <div ref={outcome} tabIndex={-1}>
      {view.status === 'imported' && (
        <Alert
          severity="success"
          as="h3"
          title={`${plural(view.validLines, 'bénéficiaire importé', 'bénéficiaires importés')}`}
          description={
            <>
              <AppLink href={importedBeneficiariesPath(view.id)}>
                Voir les bénéficiaires de cet import
              </AppLink>
              {' · '}
              {again}
            </>
          }
        />
      )}
      {view.status === 'abandoned' && (
        <Alert
          severity="info"
          as="h3"
          title="Import abandonné"
          description={<>Aucun bénéficiaire de ce fichier n’a été créé. {again}</>}
        />
      )}
      {view.status === 'failed' && (
        <Alert
          severity="error"
          as="h3"
          title="L’analyse du fichier a échoué"
          description={
            <>
              <p>{view.failure ?? 'Le fichier n’a pas pu être lu.'}</p>
              <p>
                <button type="button" className={fr.cx('fr-link')} onClick={onRemap}>
                  Modifier l’association des colonnes et relancer l’analyse
                </button>
                {' · '}
                {again}
              </p>
            </>
          }
        />
      )}
    </div>
  );
}
