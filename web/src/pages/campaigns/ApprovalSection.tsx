import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { canApproveCampaigns } from '../../campaigns/access.js';
import { campaignsApi } from '../../campaigns/api.js';
import type { CampaignView } from '../../campaigns/types.js';
import { formatDateTime } from '../../identity/format.js';
import type { AuthenticatedSession } from '../../identity/types.js';
import { formatCents, formatCount } from '../../programmes/money.js';

// Who approved and who still must: above the funder's threshold, two different people.

function ruleSentence(campaign: CampaignView): string {
  const threshold = formatCents(campaign.fourEyesThresholdCents);
  return campaign.needsSecondApproval
    ? `Le montant dépasse le seuil de ${threshold} fixé par le financeur : deux personnes différentes doivent approuver la campagne.`
    : `Le montant ne dépasse pas le seuil de ${threshold} fixé par le financeur : une approbation suffit.`;
}

function Approvals({ campaign }: { campaign: CampaignView }) {
  if (campaign.approvals.length === 0) return <p>Aucune approbation pour le moment.</p>;
  return (
    <ol>
      {campaign.approvals.map((approval, index) => (
        <li key={approval.personId}>
          {`${index === 0 ? 'Première' : 'Seconde'} approbation par ${approval.displayName}, le ${formatDateTime(approval.at)}`}
        </li>
      ))}
    </ol>
  );
}

function ApproveButton({
  campaign,
  second,
  onChanged,
}: {
  campaign: CampaignView;
  second: boolean;
  onChanged: () => void;
}) {
  const { error, run } = useSubmission();
  const what = `${formatCount(campaign.eligibleCount)} enveloppes pour ${formatCents(campaign.totalCents)}`;
  const question = second
    ? `Donner la seconde approbation ? Le crédit de ${what} commencera aussitôt.`
    : campaign.needsSecondApproval
      ? `Approuver le crédit de ${what} ? Une autre personne devra ensuite approuver.`
      : `Approuver le crédit de ${what} ? Il commencera aussitôt.`;
  return (
    <>
      <SubmissionError error={error} />
      <ConfirmableAction
        label={second ? 'Donner la seconde approbation' : 'Approuver la campagne'}
        question={question}
        confirmLabel="Confirmer l’approbation"
        onConfirm={() =>
          run(async () => {
            await campaignsApi.approve(campaign.id);
            onChanged();
          })
        }
      />
    </>
  );
}

function NextStep({
  campaign,
  session,
  onChanged,
}: {
  campaign: CampaignView;
  session: AuthenticatedSession;
  onChanged: () => void;
}) {
  const approves = canApproveCampaigns(session.memberships, campaign.organisationId);
  if (campaign.status === 'simulated') {
    if (campaign.eligibleCount === 0) {
      return <p>Personne n’est à créditer : il n’y a rien à approuver.</p>;
    }
    if (!approves)
      return (
        <p>La campagne attend l’approbation d’un gestionnaire ou d’un contrôleur financier.</p>
      );
    return <ApproveButton campaign={campaign} second={false} onChanged={onChanged} />;
  }
  if (campaign.status !== 'awaiting_second_approval') return null;
  const approvedByMe = campaign.approvals.some(
    (approval) => approval.personId === session.person.id,
  );
  if (approvedByMe) {
    return (
      <Alert
        severity="info"
        small
        description="Vous avez donné la première approbation. Une autre personne — un gestionnaire ou un contrôleur financier du financeur — doit maintenant approuver la campagne pour que le crédit commence."
      />
    );
  }
  if (!approves)
    return (
      <p>La campagne attend une seconde approbation, par une autre personne que la première.</p>
    );
  return <ApproveButton campaign={campaign} second onChanged={onChanged} />;
}

export function ApprovalSection({
  campaign,
  session,
  onChanged,
}: {
  campaign: CampaignView;
  session: AuthenticatedSession;
  onChanged: () => void;
}) {
  return (
    <section aria-labelledby="campagne-approbation" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-approbation">Approbation</h2>
      <p>
        {`À créditer : ${formatCount(campaign.eligibleCount)} enveloppes pour ${formatCents(campaign.totalCents)}. `}
        {ruleSentence(campaign)}
      </p>
      <Approvals campaign={campaign} />
      <NextStep campaign={campaign} session={session} onChanged={onChanged} />
    </section>
  );
}
