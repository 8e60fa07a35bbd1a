import { fr } from '@codegouvfr/react-dsfr';
import { DataTable } from '../../components/DataTable.js';
import type { CampaignSimulation, CampaignView } from '../../campaigns/types.js';
import { formatCents, formatCount } from '../../programmes/money.js';
import { conditionTypeLabels, type ConditionType } from '../../programmes/rules.js';
import { unknownZoneCode } from '../../programmes/types.js';
import { AmountChart } from '../programmes/AmountChart.js';
import { DepartementMap } from '../programmes/DepartementMap.js';

// The simulation of a campaign as the approvers read it: how many, how much, where, and why
// the others are not eligible.

/** The communes listed in the table; the map and the totals count all of them. */
const communesListed = 50;

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-3')}>
      <div className="key-figure">
        <p className="key-figure__label">{label}</p>
        <p className="key-figure__value">{value}</p>
        {detail !== undefined && <p className="key-figure__change">{detail}</p>}
      </div>
    </div>
  );
}

function CampaignFigures({
  campaign,
  simulation,
}: {
  campaign: CampaignView;
  simulation: CampaignSimulation;
}) {
  const average =
    campaign.eligibleCount === 0 ? 0 : Math.round(campaign.totalCents / campaign.eligibleCount);
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-3w')}>
      <Figure label="Personnes évaluées" value={formatCount(simulation.evaluated)} />
      <Figure label="Éligibles" value={formatCount(simulation.eligible)} />
      <Figure
        label="Enveloppes à créditer"
        value={formatCount(campaign.eligibleCount)}
        detail={
          campaign.alreadyAttributedCount === 0
            ? 'Aucun éligible n’a déjà cette aide'
            : `${formatCount(campaign.alreadyAttributedCount)} éligibles ont déjà cette aide : ils ne sont pas crédités une seconde fois`
        }
      />
      <Figure
        label="Montant à créditer"
        value={formatCents(campaign.totalCents)}
        detail={`Soit ${formatCents(average)} en moyenne par enveloppe`}
      />
    </div>
  );
}

function communeLabel(commune: CampaignSimulation['byCommune'][number]): string {
  if (commune.communeCode === unknownZoneCode) return 'Commune inconnue';
  const name = commune.communeName ?? commune.communeCode;
  return name === commune.communeCode ? name : `${name} (${commune.communeCode})`;
}

function CommunesTable({ simulation }: { simulation: CampaignSimulation }) {
  const rows = [...simulation.byCommune].sort(
    (left, right) => right.eligible - left.eligible || right.evaluated - left.evaluated,
  );
  const listed = rows.slice(0, communesListed);
  return (
    <>
      <DataTable
        caption="Bénéficiaires évalués, éligibles et montant par commune"
        headers={['Commune', 'Évalués', 'Éligibles', 'Montant']}
        rows={listed.map((commune) => [
          communeLabel(commune),
          formatCount(commune.evaluated),
          formatCount(commune.eligible),
          formatCents(commune.totalCents),
        ])}
      />
      {rows.length > listed.length && (
        <p className={fr.cx('fr-text--sm')}>
          {`Les ${communesListed} communes qui comptent le plus d’éligibles, sur ${formatCount(rows.length)} ; la carte par département compte toutes les communes.`}
        </p>
      )}
    </>
  );
}

/** « Âge (condition 2) » from the code and the path « eligibility.conditions.1 ». */
function conditionLabel(condition: { path: string; code: string }): string {
  const label = conditionTypeLabels[condition.code as ConditionType] ?? condition.code;
  const positions = [...condition.path.matchAll(/conditions\.(\d+)/g)].map(
    (match) => Number(match[1]) + 1,
  );
  return positions.length === 0 ? label : `${label} (condition ${positions.join('.')})`;
}

function UnmetConditions({ simulation }: { simulation: CampaignSimulation }) {
  const excluded = simulation.evaluated - simulation.eligible;
  if (excluded === 0) return <p>Toutes les personnes évaluées sont éligibles.</p>;
  return (
    <DataTable
      caption="Conditions non remplies par les personnes non éligibles"
      headers={['Condition', 'Personnes qui ne la remplissent pas']}
      rows={simulation.unmetConditions.map((condition) => [
        conditionLabel(condition),
        formatCount(condition.count),
      ])}
    />
  );
}

export function CampaignSimulationSection({
  campaign,
  simulation,
}: {
  campaign: CampaignView;
  simulation: CampaignSimulation;
}) {
  return (
    <section aria-labelledby="campagne-simulation" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-simulation">Simulation</h2>
      <CampaignFigures campaign={campaign} simulation={simulation} />
      <h3 className={fr.cx('fr-h5')}>Par commune</h3>
      <CommunesTable simulation={simulation} />
      <h3 className={fr.cx('fr-h5')}>Carte par département</h3>
      <DepartementMap report={simulation} />
      <h3 className={fr.cx('fr-h5', 'fr-mt-4w')}>Répartition des montants</h3>
      <AmountChart report={simulation} />
      <h3 className={fr.cx('fr-h5')}>Pourquoi les autres ne sont pas éligibles</h3>
      <UnmetConditions simulation={simulation} />
    </section>
  );
}
