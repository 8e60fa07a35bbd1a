import { fr } from '@codegouvfr/react-dsfr';
import {
  formatCents,
  formatCentsDelta,
  formatCount,
  formatCountDelta,
} from '../../programmes/money.js';
import type { SimulationAnswer } from '../../programmes/types.js';

function Figure({ label, value, change }: { label: string; value: string; change?: string }) {
  return (
    <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
      <div className="key-figure">
        <p className="key-figure__label">{label}</p>
        <p className="key-figure__value">{value}</p>
        {change !== undefined && <p className="key-figure__change">{change}</p>}
      </div>
    </div>
  );
}

/** « 42,5 % » of a count among another, to one decimal, without floating-point display. */
function shareOf(part: number, whole: number): string {
  if (whole === 0) return '0 %';
  const tenths = Math.round((part * 1_000) / whole);
  const text = `${Math.trunc(tenths / 10)},${tenths % 10}`.replace(/,0$/, '');
  return `${text} %`;
}

/** The simulation in three numbers, and how they change from the compared version. */
export function KeyFigures({
  answer,
  compareWith,
}: {
  answer: SimulationAnswer;
  compareWith: number | null;
}) {
  const { report, comparison, baseline } = answer;
  const against = compareWith === null ? '' : ` par rapport à la version ${compareWith}`;
  const average = report.eligible === 0 ? 0 : Math.round(report.totalCents / report.eligible);
  return (
    <>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-3w')}>
        <Figure label="Personnes évaluées" value={formatCount(report.evaluated)} />
        <Figure
          label="Éligibles"
          value={`${formatCount(report.eligible)} (${shareOf(report.eligible, report.evaluated)})`}
          change={
            comparison === null
              ? undefined
              : comparison.eligibleDelta === 0
                ? `Autant d’éligibles qu’avec la version ${compareWith}`
                : `${formatCountDelta(comparison.eligibleDelta)} éligibles${against}`
          }
        />
        <Figure
          label="Coût total"
          value={formatCents(report.totalCents)}
          change={
            comparison === null
              ? `Soit ${formatCents(average)} en moyenne par bénéficiaire`
              : comparison.totalCentsDelta === 0
                ? `Même coût qu’avec la version ${compareWith}`
                : `${formatCentsDelta(comparison.totalCentsDelta)}${against}`
          }
        />
      </div>
      {baseline !== null && compareWith !== null && (
        <p className={fr.cx('fr-text--sm')}>
          {`Version ${compareWith} sur le même échantillon : ${formatCount(baseline.eligible)} éligibles pour ${formatCents(baseline.totalCents)}.`}
        </p>
      )}
    </>
  );
}
