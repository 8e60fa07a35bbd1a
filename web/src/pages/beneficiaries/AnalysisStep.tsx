import { useEffect, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { SubmissionError } from '../../components/forms.js';
import { asApiError, type ApiError } from '../../identity/api.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import type { ImportView } from '../../beneficiaries/types.js';
import { formatCount } from '../../programmes/money.js';

/** Often enough for the bar to move smoothly, rarely enough to cost the server nothing. */
const pollingMilliseconds = 500;

/** The counts of an analysis, in the words of the report. */
export function ImportCounts({ view }: { view: ImportView }) {
  const counts: [string, number][] = [
    ['Lignes lues', view.linesRead],
    ['Lignes valides', view.validLines],
    ['Lignes rejetées', view.rejectedLines],
    ['Doublons', view.duplicateLines],
  ];
  return (
    <ul className="import-counts">
      {counts.map(([label, count]) => (
        <li key={label}>
          <span className="import-counts__value">{formatCount(count)}</span>
          {label}
        </li>
      ))}
    </ul>
  );
}

const encoder = new TextEncoder();
const lineBytes = (cells: readonly string[]) => encoder.encode(cells.join(',')).length + 1;

/**
 * About how many lines the file holds: its size over the size of its first lines. Only for CSV:
 * a workbook's size says nothing of its lines (it is compressed, and unzipped whole at once).
 */
function estimatedLines(view: ImportView): number | null {
  if (view.fileFormat !== 'csv' || view.preview.length === 0) return null;
  const previewBytes = view.preview.reduce((total, line) => total + lineBytes(line), 0);
  const bodyBytes = view.fileBytes - lineBytes(view.columns);
  return Math.max(1, Math.round(bodyBytes / (previewBytes / view.preview.length)));
}

/**
 * The share of the lines analysed so far, estimated, and short of the end until the server says
 * it is done; null when it cannot be estimated (the bar then only shows that work goes on).
 */
function analysedFraction(view: ImportView): number | null {
  const lines = estimatedLines(view);
  if (lines === null) return null;
  return Math.min(0.99, view.linesRead / lines);
}

/** The third step: the server reads every line; the page asks it how far it is twice a second. */
export function AnalysisStep({
  view,
  onUpdate,
}: {
  view: ImportView;
  onUpdate: (view: ImportView) => void;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    const timer = window.setTimeout(() => {
      beneficiariesApi.importView(view.id).then(
        (next) => {
          if (isCurrent) onUpdate(next);
        },
        (caught: unknown) => {
          if (isCurrent) setError(asApiError(caught));
        },
      );
    }, pollingMilliseconds);
    return () => {
      isCurrent = false;
      window.clearTimeout(timer);
    };
  }, [view, attempt, onUpdate]);

  const fraction = analysedFraction(view);
  return (
    <div>
      <p role="status">Analyse du fichier {view.fileName} en cours…</p>
      <label htmlFor="import-analyse" className={fr.cx('fr-text--bold')}>
        {fraction === null
          ? 'Avancement de l’analyse'
          : `Avancement de l’analyse : environ ${Math.round(fraction * 100)} %`}
      </label>
      <progress
        id="import-analyse"
        className="import-progress"
        max={1}
        {...(fraction === null ? {} : { value: fraction })}
      />
      <ImportCounts view={view} />
      {error !== null && (
        <>
          <SubmissionError error={error} />
          <Button
            priority="secondary"
            onClick={() => {
              setError(null);
              setAttempt((current) => current + 1);
            }}
          >
            Reprendre le suivi de l’analyse
          </Button>
        </>
      )}
    </div>
  );
}
