import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { SubmissionError, SuccessMessage, useSubmission } from '../../components/forms.js';
import { attributionsApi } from '../../campaigns/api.js';
import { reasonProblem } from '../../campaigns/reason.js';
import type { AttributionStatus, AttributionView, StatusChange } from '../../campaigns/types.js';
import { ReasonField } from './ReasonField.js';

const changeTexts: Record<StatusChange, { label: string; hint: string; done: string }> = {
  suspend: {
    label: 'Suspendre l’enveloppe',
    hint: 'Elle ne paie plus rien jusqu’à ce qu’elle soit rétablie ; son solde reste réservé.',
    done: 'Enveloppe suspendue.',
  },
  reinstate: {
    label: 'Rétablir l’enveloppe',
    hint: 'Elle paie de nouveau, avec le solde qu’elle avait.',
    done: 'Enveloppe rétablie.',
  },
  revoke: {
    label: 'Révoquer l’attribution',
    hint: 'Définitif : le solde restant retourne à la réserve du dispositif.',
    done: 'Attribution révoquée : le solde restant est retourné à la réserve.',
  },
};

/** The changes each status allows (TRANSITIONS in src/attributions/model.ts). */
const changesFrom: Record<AttributionStatus, StatusChange[]> = {
  proposed: ['revoke'],
  approved: ['revoke'],
  credited: ['suspend', 'revoke'],
  suspended: ['reinstate', 'revoke'],
  revoked: [],
  expired: [],
};

function ChangeChoice({
  name,
  changes,
  change,
  onChange,
}: {
  name: string;
  changes: StatusChange[];
  change: StatusChange;
  onChange: (change: StatusChange) => void;
}) {
  return (
    <RadioButtons
      legend="Changement"
      name={name}
      options={changes.map((candidate) => ({
        label: changeTexts[candidate].label,
        hintText: changeTexts[candidate].hint,
        nativeInputProps: {
          checked: change === candidate,
          onChange: () => onChange(candidate),
        },
      }))}
    />
  );
}

export function StatusChangeForm({
  attribution,
  onChanged,
}: {
  attribution: AttributionView;
  onChanged: () => void;
}) {
  const changes = changesFrom[attribution.status];
  const [chosen, setChosen] = useState<StatusChange | null>(changes[0] ?? null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, run } = useSubmission();
  const reasonId = `attribution-${attribution.id}-motif`;
  // The form reopens on the choices of the new status once a change is made.
  const change = chosen !== null && changes.includes(chosen) ? chosen : (changes[0] ?? null);
  if (change === null) {
    return done === null ? null : <SuccessMessage>{done}</SuccessMessage>;
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    setDone(null);
    const found = reasonProblem(reason);
    setProblem(found);
    if (found !== undefined || change === null) {
      document.getElementById(reasonId)?.focus();
      return;
    }
    void run(async () => {
      await attributionsApi.changeStatus(attribution.id, change, reason.trim());
      setReason('');
      setDone(changeTexts[change].done);
      onChanged();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="attribution-statut">
      {done !== null && <SuccessMessage>{done}</SuccessMessage>}
      <SubmissionError error={error} />
      <ChangeChoice
        name={`attribution-${attribution.id}-changement`}
        changes={changes}
        change={change}
        onChange={setChosen}
      />
      <ReasonField
        id={reasonId}
        label="Motif"
        hint="Inscrit à l’historique de l’attribution et communiqué au bénéficiaire."
        value={reason}
        problem={problem}
        onChange={setReason}
      />
      <Button
        type="submit"
        priority={change === 'revoke' ? 'secondary' : 'primary'}
        disabled={pending}
        className={fr.cx('fr-mb-2w')}
      >
        {changeTexts[change].label}
      </Button>
    </form>
  );
}
