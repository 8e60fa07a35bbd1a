import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import type { CampaignView } from '../../campaigns/types.js';
import { formatDateTime } from '../../identity/format.js';
import { formatCents, formatCount } from '../../programmes/money.js';

// The work the server does in the background, followed live: the simulation, then the credit.

/** « 42 % », rounded down so that 100 % means done. */
function percentOf(part: number, whole: number): string {
  if (whole === 0) return '0 %';
  return `${Math.floor((part * 100) / whole)} %`;
}

export function SimulationProgress({ campaign }: { campaign: CampaignView }) {
  return (
    <section aria-labelledby="campagne-avancement" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-avancement">Simulation en cours</h2>
      <p>
        Chaque bénéficiaire de la population est évalué selon les règles du dispositif. Rien n’est
        crédité à cette étape.
      </p>
      {/* The population's size is only known at the end: the bar says it works, the count how far. */}
      <progress className="campaign-progress" aria-labelledby="campagne-examines" />
      <p id="campagne-examines" role="status">
        {`${formatCount(campaign.examinedCount)} personnes examinées`}
      </p>
    </section>
  );
}

function Outcome({ campaign }: { campaign: CampaignView }) {
  const credited = `${formatCount(campaign.creditedCount)} enveloppes créditées pour ${formatCents(campaign.creditedCents)}`;
  const finished =
    campaign.finishedAt === null ? '' : `, le ${formatDateTime(campaign.finishedAt)}`;
  switch (campaign.status) {
    case 'completed':
      return (
        <Alert
          severity="success"
          title="Campagne terminée"
          description={`${credited}${finished}. Chaque bénéficiaire en est prévenu.`}
        />
      );
    case 'stopped':
      return (
        <Alert
          severity="warning"
          title="Campagne arrêtée"
          description={`${campaign.stopReason ?? 'La réserve du dispositif est épuisée.'} ${credited} sur ${formatCount(campaign.eligibleCount)} prévues ; les autres ne sont pas créditées.`}
        />
      );
    case 'failed':
      return (
        <Alert
          severity="error"
          title="Campagne en échec"
          description={`${campaign.failure ?? 'Une erreur est survenue.'} ${credited}.`}
        />
      );
    default:
      return null;
  }
}

export function CreditingSection({ campaign }: { campaign: CampaignView }) {
  const running = campaign.status === 'approved' || campaign.status === 'crediting';
  return (
    <section aria-labelledby="campagne-credit" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-credit">Crédit des enveloppes</h2>
      <progress
        className="campaign-progress"
        max={Math.max(campaign.eligibleCount, 1)}
        value={campaign.creditedCount}
        aria-labelledby="campagne-creditees"
      />
      <p id="campagne-creditees" role="status">
        {`${formatCount(campaign.creditedCount)} enveloppes créditées sur ${formatCount(campaign.eligibleCount)} (${percentOf(campaign.creditedCount, campaign.eligibleCount)}), soit ${formatCents(campaign.creditedCents)} sur ${formatCents(campaign.totalCents)}`}
        {running ? ' — en cours…' : ''}
      </p>
      <Outcome campaign={campaign} />
    </section>
  );
}
