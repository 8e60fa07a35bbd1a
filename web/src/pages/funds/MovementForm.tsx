import { useState, type FormEvent } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { SubmissionError, SuccessMessage, errorState } from '../../components/forms.js';
import { useIdempotentSubmission } from '../../programmes/idempotency.js';
import { formatCents, parseEurosToCents } from '../../programmes/money.js';
import type { MovementAnswer } from '../../programmes/types.js';

export interface MovementTarget {
  id: number;
  label: string;
}

interface MovementFormProps {
  idPrefix: string;
  title: string;
  /** Null for a form with a single target, then not offered as a choice. */
  targetLabel: string | null;
  targets: readonly MovementTarget[];
  submitLabel: string;
  /** The sentence that confirms what was done, for a target and an amount. */
  describe: (target: MovementTarget, amount: string) => string;
  send: (targetId: number, amountCents: number, clientKey: string) => Promise<MovementAnswer>;
  onDone: () => void;
}

const amountProblem =
  'Saisissez un montant en euros supérieur à zéro, par exemple 25000 ou 1 250,50.';

/** The form's state, and its submission with one idempotency key per movement. */
function useMovement({ idPrefix, targets, describe, send, onDone }: MovementFormProps) {
  const ids = { target: `${idPrefix}-cible`, amount: `${idPrefix}-montant` };
  const [targetId, setTargetId] = useState(`${targets[0]?.id ?? ''}`);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const { pending, error, send: sendOnce, formChanged } = useIdempotentSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    setDone(null);
    const cents = parseEurosToCents(amount);
    const target = targets.find((candidate) => `${candidate.id}` === targetId);
    if (cents === null || cents === 0 || target === undefined) {
      setAmountError(amountProblem);
      document.getElementById(ids.amount)?.focus();
      return;
    }
    setAmountError(undefined);
    void sendOnce(async (clientKey) => {
      const answer = await send(target.id, cents, clientKey);
      const already = answer.status === 'already_exists' ? ' (déjà enregistré auparavant)' : '';
      setDone(`${describe(target, formatCents(cents))}${already}.`);
      setAmount('');
      onDone();
    });
  }
  const changeTarget = (value: string) => {
    setTargetId(value);
    formChanged();
  };
  const changeAmount = (value: string) => {
    setAmount(value);
    formChanged();
  };
  return {
    ids,
    targetId,
    amount,
    amountError,
    done,
    pending,
    error,
    submit,
    changeTarget,
    changeAmount,
  };
}

/**
 * A form that moves money once: a target (a contributor, an axis), an amount in euros, sent with
 * an idempotency key so that a retry after a lost answer never moves it twice.
 */
export function MovementForm(props: MovementFormProps) {
  const { idPrefix, title, targetLabel, targets, submitLabel } = props;
  const movement = useMovement(props);
  return (
    <section aria-labelledby={`${idPrefix}-titre`} className={fr.cx('fr-mb-6w')}>
      <h2 id={`${idPrefix}-titre`}>{title}</h2>
      <form onSubmit={movement.submit} noValidate aria-labelledby={`${idPrefix}-titre`}>
        <SubmissionError error={movement.error} />
        {movement.done !== null && <SuccessMessage>{movement.done}</SuccessMessage>}
        {targetLabel !== null && (
          <Select
            label={targetLabel}
            nativeSelectProps={{
              id: movement.ids.target,
              value: movement.targetId,
              onChange: (event) => movement.changeTarget(event.target.value),
            }}
          >
            {targets.map((target) => (
              <option key={target.id} value={`${target.id}`}>
                {target.label}
              </option>
            ))}
          </Select>
        )}
        <Input
          label="Montant"
          className="field-narrow"
          hintText="En euros, par exemple 25000 ou 1 250,50."
          {...errorState(movement.amountError)}
          nativeInputProps={{
            id: movement.ids.amount,
            inputMode: 'decimal',
            value: movement.amount,
            onChange: (event) => movement.changeAmount(event.target.value),
          }}
        />
        <Button type="submit" disabled={movement.pending}>
          {submitLabel}
        </Button>
      </form>
    </section>
  );
}
