import { fr } from '@codegouvfr/react-dsfr';
import { DataTable } from '../../components/DataTable.js';
import { formatCents, formatCount } from '../../programmes/money.js';
import type { SimulationReport } from '../../programmes/types.js';

// How many people receive each amount: a bar chart drawn by hand in SVG, with its table.

interface Bar {
  label: string;
  count: number;
}

const maximumBars = 14;

/** One bar per amount when they are few; otherwise amounts grouped in ranges of equal width. */
export function barsOf(distribution: SimulationReport['amountDistribution']): Bar[] {
  if (distribution.length <= maximumBars) {
    return distribution.map((entry) => ({
      label: formatCents(entry.amountCents),
      count: entry.count,
    }));
  }
  const lowest = distribution[0]?.amountCents ?? 0;
  const highest = distribution.at(-1)?.amountCents ?? 0;
  const width = Math.ceil((highest - lowest + 1) / maximumBars);
  const bars = Array.from({ length: maximumBars }, (_, index) => {
    const from = lowest + index * width;
    const to = Math.min(from + width - 1, highest);
    return { label: `${formatCents(from)} à ${formatCents(to)}`, count: 0 };
  });
  for (const entry of distribution) {
    const bar = bars[Math.min(Math.floor((entry.amountCents - lowest) / width), maximumBars - 1)];
    if (bar !== undefined) bar.count += entry.count;
  }
  return bars.filter((bar) => bar.count > 0);
}

const chart = { barArea: 260, top: 24, left: 56, bottom: 96, slot: 80, maximumWidth: 720 };

/** Few bars make a narrow chart, that phones show at a readable size. */
const widthFor = (barCount: number) =>
  Math.min(chart.maximumWidth, chart.left + Math.max(barCount, 4) * chart.slot);

function Axis({ highest, width }: { highest: number; width: number }) {
  // Whole counts only, each once: a small sample would otherwise draw 0, 1, 1, 2.
  const ticks = [...new Set([0, 0.25, 0.5, 0.75, 1].map((share) => Math.round(highest * share)))];
  return (
    <g aria-hidden="true">
      {ticks.map((tick) => {
        const y =
          chart.top + chart.barArea - (highest === 0 ? 0 : (tick / highest) * chart.barArea);
        return (
          <g key={tick}>
            <line x1={chart.left} x2={width} y1={y} y2={y} className="chart-grid" />
            <text x={chart.left - 8} y={y + 4} textAnchor="end" className="chart-label">
              {formatCount(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function AmountChart({ report }: { report: SimulationReport }) {
  const bars = barsOf(report.amountDistribution);
  if (bars.length === 0)
    return <p>Personne n’est éligible dans cet échantillon : aucun montant à représenter.</p>;
  const highest = Math.max(...bars.map((bar) => bar.count));
  const width = widthFor(bars.length);
  const slot = (width - chart.left) / bars.length;
  const barWidth = Math.min(64, slot * 0.7);
  const height = chart.top + chart.barArea + chart.bottom;
  return (
    <figure className={`chart-figure ${fr.cx('fr-mb-3w')}`}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        style={{ maxWidth: `${width * 1.25}px` }}
        role="img"
        aria-labelledby="graphique-montants-titre graphique-montants-description"
        className="amount-chart"
      >
        <title id="graphique-montants-titre">Nombre de bénéficiaires par montant accordé</title>
        <desc id="graphique-montants-description">
          {bars.map((bar) => `${bar.label} : ${formatCount(bar.count)} personnes`).join(' ; ')}
        </desc>
        <Axis highest={highest} width={width} />
        {bars.map((bar, index) => {
          const barHeight = (bar.count / highest) * chart.barArea;
          const x = chart.left + index * slot + (slot - barWidth) / 2;
          const y = chart.top + chart.barArea - barHeight;
          const middle = x + barWidth / 2;
          return (
            <g key={bar.label} aria-hidden="true">
              <rect
                x={x}
                y={y}
                width={barWidth}
                height={Math.max(barHeight, 1)}
                className="chart-bar"
              />
              <text x={middle} y={y - 6} textAnchor="middle" className="chart-value">
                {formatCount(bar.count)}
              </text>
              <text
                x={middle}
                y={chart.top + chart.barArea + 16}
                textAnchor="end"
                transform={`rotate(-35 ${middle} ${chart.top + chart.barArea + 16})`}
                className="chart-label"
              >
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className={fr.cx('fr-text--sm')}>
        Nombre de bénéficiaires éligibles par montant accordé.
      </figcaption>
      <details className={fr.cx('fr-mt-1w')}>
        <summary>Voir les données du graphique en tableau</summary>
        <DataTable
          caption="Nombre de bénéficiaires par montant accordé"
          headers={['Montant', 'Bénéficiaires']}
          rows={bars.map((bar) => [bar.label, formatCount(bar.count)])}
        />
      </details>
    </figure>
  );
}
