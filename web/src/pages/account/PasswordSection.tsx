import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput.js';
import {
  SubmissionError,
  SuccessMessage,
  passwordLengthHint,
  passwordProblem,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { identityApi } from '../../identity/api.js';

const fields = {
  current: 'mot-de-passe-actuel',
  next: 'mot-de-passe-nouveau',
  confirmation: 'mot-de-passe-confirmation',
};

type Field = keyof typeof fields;

function errorMessages(message: string | undefined) {
  return message === undefined ? [] : [{ severity: 'error' as const, message }];
}

function problems(values: Record<Field, string>) {
  return {
    current: values.current === '' ? 'Saisissez votre mot de passe actuel.' : undefined,
    next: passwordProblem(values.next),
    confirmation:
      values.confirmation !== values.next
        ? 'La confirmation ne correspond pas au nouveau mot de passe.'
        : undefined,
  };
}

/** Changing the password ends every other session, in case someone else had opened one. */
export function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const [values, setValues] = useState<Record<Field, string>>({
    current: '',
    next: '',
    confirmation: '',
  });
  const [changed, setChanged] = useState(false);
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    setChanged(false);
    if (!report(problems(values))) return;
    void run(async () => {
      await identityApi.changePassword(values.current, values.next);
      setValues({ current: '', next: '', confirmation: '' });
      setChanged(true);
      onChanged();
    });
  }

  function passwordField(field: Field, label: string, autoComplete: string, hint?: string) {
    return (
      <PasswordInput
        label={label}
        hintText={hint}
        messagesHint=""
        messages={errorMessages(errors[field])}
        nativeInputProps={{
          id: fields[field],
          autoComplete,
          value: values[field],
          onChange: (event) => setValues({ ...values, [field]: event.target.value }),
        }}
      />
    );
  }

  return (
    <section aria-labelledby="compte-mot-de-passe" className={fr.cx('fr-mb-6w')}>
      <h2 id="compte-mot-de-passe">Mot de passe</h2>
      <form onSubmit={submit} noValidate aria-label="Changer de mot de passe">
        <SubmissionError error={error} />
        {changed && (
          <SuccessMessage>
            Votre mot de passe est modifié. Vos autres sessions ont été fermées.
          </SuccessMessage>
        )}
        {passwordField('current', 'Mot de passe actuel', 'current-password')}
        {passwordField('next', 'Nouveau mot de passe', 'new-password', passwordLengthHint)}
        {passwordField('confirmation', 'Confirmation du nouveau mot de passe', 'new-password')}
        <Button type="submit" disabled={pending} className={fr.cx('fr-mt-2w')}>
          Changer de mot de passe
        </Button>
      </form>
    </section>
  );
}
