import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl.js';
import { DataTable } from '../../components/DataTable.js';
import {
  departementGrid,
  departementLabel,
  gridColumns,
  gridRows,
} from '../../programmes/departements.js';
import { formatCents, formatCount } from '../../programmes/money.js';
import { unknownZoneCode, type SimulationReport, type ZoneTotals } from '../../programmes/types.js';

// The simulation by département: a grid cartogram of metropolitan France, one square per
// département coloured by the eligible count or the cost, with its legend and its table.

type Measure = 'eligible' | 'totalCents';

const measureLabels: Record<Measure, string> = {
  eligible: 'Bénéficiaires éligibles',
  totalCents: 'Coût',
};

/** Five shades of blue France, lightest first; the darkest ones take white text. */
const shades = ['#e3e3fd', '#cacafb', '#9a9aff', '#3b3bb8', '#000091'];
const emptyShade = '#f6f6f6';
const cellSize = 44;
const gap = 4;

const formatMeasure = (measure: Measure, value: number) =>
  measure === 'eligible' ? formatCount(value) : formatCents(value);

/**
 * Class limits by quantiles of the values shown: one territory much above the others (the
 * programme's own) would otherwise leave all the rest in the lightest shade. Each class runs
 * from the lowest to the highest value it holds; equal values always share a class.
 */
function classesOf(values: readonly number[]): { from: number; to: number }[] {
  const sorted = values.filter((value) => value > 0).sort((left, right) => left - right);
  const distinct = [...new Set(sorted)];
  if (distinct.length <= shades.length)
    return distinct.map((value) => ({ from: value, to: value }));
  const breaks = [
    ...new Set(
      shades.map(
        (_, index) =>
          sorted[Math.ceil(((index + 1) * sorted.length) / shades.length) - 1] as number,
      ),
    ),
  ];
  return breaks.map((to, index) => {
    const previous = breaks[index - 1];
    const from = previous === undefined ? distinct[0] : distinct.find((value) => value > previous);
    return { from: from ?? to, to };
  });
}

/** Fewer classes than shades spread over the whole scale: the highest is always the darkest. */
function shadeOf(classIndex: number, classCount: number): number {
  if (classCount <= 1) return shades.length - 1;
  return Math.round((classIndex * (shades.length - 1)) / (classCount - 1));
}

function shadeIndex(value: number, classes: { from: number; to: number }[]): number {
  if (value <= 0) return -1;
  const index = classes.findIndex((range) => value <= range.to);
  return index === -1 ? classes.length - 1 : index;
}

function Legend({
  measure,
  classes,
}: {
  measure: Measure;
  classes: { from: number; to: number }[];
}) {
  return (
    <ul className="map-legend" aria-label={`Légende : ${measureLabels[measure].toLowerCase()}`}>
      <li>
        <span
          className="map-legend__swatch"
          style={{ background: emptyShade }}
          aria-hidden="true"
        />
        Aucun
      </li>
      {classes.map((range, index) => (
        <li key={range.from}>
          <span
            className="map-legend__swatch"
            style={{ background: shades[shadeOf(index, classes.length)] }}
            aria-hidden="true"
          />
          {range.from === range.to
            ? formatMeasure(measure, range.from)
            : `${formatMeasure(measure, range.from)} à ${formatMeasure(measure, range.to)}`}
        </li>
      ))}
    </ul>
  );
}

function GridMap({
  measure,
  totals,
  classes,
}: {
  measure: Measure;
  totals: Map<string, ZoneTotals>;
  classes: { from: number; to: number }[];
}) {
  const width = gridColumns * (cellSize + gap);
  const height = gridRows * (cellSize + gap);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="departement-map"
      role="img"
      aria-labelledby="carte-titre"
    >
      <title id="carte-titre">{`${measureLabels[measure]} par département de métropole (carte en grille ; le tableau qui suit donne les valeurs)`}</title>
      {departementGrid.map((cell) => {
        const value = totals.get(cell.code)?.[measure] ?? 0;
        const index = shadeIndex(value, classes);
        const shade = index === -1 ? -1 : shadeOf(index, classes.length);
        const x = cell.column * (cellSize + gap);
        const y = cell.row * (cellSize + gap);
        return (
          <g key={cell.code}>
            <title>{`${departementLabel(cell.code)} : ${formatMeasure(measure, value)}`}</title>
            <rect
              x={x}
              y={y}
              width={cellSize}
              height={cellSize}
              rx={3}
              fill={shade === -1 ? emptyShade : shades[shade]}
              className="departement-map__cell"
            />
            <text
              x={x + cellSize / 2}
              y={y + cellSize / 2 + 5}
              textAnchor="middle"
              className={
                shade >= 3
                  ? 'departement-map__code departement-map__code--light'
                  : 'departement-map__code'
              }
              aria-hidden="true"
            >
              {cell.code}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function DepartementMap({ report }: { report: SimulationReport }) {
  const [measure, setMeasure] = useState<Measure>('eligible');
  const totals = new Map(report.byDepartement.map((entry) => [entry.departementCode, entry]));
  const onGrid = new Set(departementGrid.map((cell) => cell.code));
  const classes = classesOf(departementGrid.map((cell) => totals.get(cell.code)?.[measure] ?? 0));
  const elsewhere = report.byDepartement.filter((entry) => !onGrid.has(entry.departementCode));
  const rows = [...report.byDepartement].sort((left, right) => right[measure] - left[measure]);
  return (
    <div>
      <SegmentedControl
        legend="Couleur des départements selon"
        small
        segments={[
          {
            label: measureLabels.eligible,
            nativeInputProps: {
              checked: measure === 'eligible',
              onChange: () => setMeasure('eligible'),
            },
          },
          {
            label: measureLabels.totalCents,
            nativeInputProps: {
              checked: measure === 'totalCents',
              onChange: () => setMeasure('totalCents'),
            },
          },
        ]}
      />
      <div className="map-layout">
        <GridMap measure={measure} totals={totals} classes={classes} />
        <Legend measure={measure} classes={classes} />
      </div>
      {elsewhere.length > 0 && (
        <p className={fr.cx('fr-text--sm')}>
          {`Hors de la carte (outre-mer ou commune inconnue) : ${elsewhere.map((entry) => `${entry.departementCode === unknownZoneCode ? 'commune inconnue' : departementLabel(entry.departementCode)} — ${formatCount(entry.eligible)} éligibles`).join(' ; ')}.`}
        </p>
      )}
      <details className={fr.cx('fr-mt-1w')}>
        <summary>Voir les données de la carte en tableau</summary>
        <DataTable
          caption="Bénéficiaires évalués, éligibles et coût par département"
          headers={['Département', 'Évalués', 'Éligibles', 'Coût']}
          rows={rows.map((entry) => [
            entry.departementCode === unknownZoneCode
              ? 'Commune inconnue'
              : departementLabel(entry.departementCode),
            formatCount(entry.evaluated),
            formatCount(entry.eligible),
            formatCents(entry.totalCents),
          ])}
        />
      </details>
    </div>
  );
}
