import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { campaignsApi } from '../../campaigns/api.js';
import { reasonProblem } from '../../campaigns/reason.js';
import type { CampaignView } from '../../campaigns/types.js';
import { ReasonField } from './ReasonField.js';

/** Before any envelope is credited, a campaign may be abandoned, saying why. */
export function CancelSection({
  campaign,
  onChanged,
}: {
  campaign: CampaignView;
  onChanged: () => void;
}) {
  const fieldId = `campagne-${campaign.id}-motif-annulation`;
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = reasonProblem(reason);
    setProblem(found);
    if (found !== undefined) {
      document.getElementById(fieldId)?.focus();
      return;
    }
    void run(async () => {
      await campaignsApi.cancel(campaign.id, reason.trim());
      onChanged();
    });
  }

  return (
    <section aria-labelledby="campagne-annulation" className={fr.cx('fr-mb-6w')}>
      <h2 id="campagne-annulation">Annuler la campagne</h2>
      <p>Aucune enveloppe n’a été créditée : annuler ne retire rien à personne.</p>
      <form onSubmit={submit} noValidate aria-labelledby="campagne-annulation">
        <SubmissionError error={error} />
        <ReasonField
          id={fieldId}
          label="Motif de l’annulation"
          hint="Il est inscrit au journal d’audit."
          value={reason}
          problem={problem}
          onChange={setReason}
        />
        <Button type="submit" priority="secondary" disabled={pending}>
          Annuler la campagne
        </Button>
      </form>
    </section>
  );
}
