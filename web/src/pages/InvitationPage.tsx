import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput.js';
import {
  SubmissionError,
  errorState,
  passwordLengthHint,
  passwordProblem,
  useFieldErrors,
  useSubmission,
} from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { formatDateTime } from '../identity/format.js';
import type { InvitationPreview } from '../identity/types.js';

export const invitationPageTitle = 'Invitation';

const fields = { displayName: 'invitation-nom', password: 'invitation-mot-de-passe' };

function AcceptForm({ token, onAccepted }: { token: string; onAccepted: () => void }) {
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const name = displayName.trim();
    const valid = report({
      displayName:
        name.length < 1 || name.length > 120
          ? 'Saisissez un nom de 1 à 120 caractères.'
          : undefined,
      password: passwordProblem(password),
    });
    if (!valid) return;
    void run(async () => {
      await identityApi.acceptInvitation(token, name, password);
      onAccepted();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="invitation-compte">
      <h2 id="invitation-compte">Créer votre compte</h2>
      <SubmissionError error={error} />
      <Input
        label="Votre nom"
        hintText="Tel que vos collègues le liront, par exemple « Camille Martin »."
        {...errorState(errors.displayName)}
        nativeInputProps={{
          id: fields.displayName,
          autoComplete: 'name',
          value: displayName,
          onChange: (event) => setDisplayName(event.target.value),
        }}
      />
      <PasswordInput
        label="Mot de passe"
        hintText={passwordLengthHint}
        messagesHint=""
        messages={errors.password ? [{ severity: 'error', message: errors.password }] : []}
        nativeInputProps={{
          id: fields.password,
          autoComplete: 'new-password',
          value: password,
          onChange: (event) => setPassword(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending} className={fr.cx('fr-mt-2w')}>
        Accepter l’invitation
      </Button>
    </form>
  );
}

function InvitationDetails({ token, preview }: { token: string; preview: InvitationPreview }) {
  const [accepted, setAccepted] = useState(false);
  if (accepted) {
    return (
      <Alert
        severity="success"
        as="h2"
        title="Votre compte est créé"
        description={
          <>
            <p>Connectez-vous avec l’adresse {preview.email} et le mot de passe choisi.</p>
            <Button linkProps={{ href: '/connexion' }}>Se connecter</Button>
          </>
        }
      />
    );
  }
  return (
    <>
      <p className={fr.cx('fr-text--lead')}>
        Vous êtes invité à rejoindre <strong>{preview.organisationName}</strong> en tant que{' '}
        <strong>{preview.roleLabel}</strong>.
      </p>
      <p>
        Invitation adressée à {preview.email}, valable jusqu’au {formatDateTime(preview.expiresAt)}.
      </p>
      <AcceptForm token={token} onAccepted={() => setAccepted(true)} />
    </>
  );
}

/** Reached from the link a manager passed on; no account is needed yet to open it. */
export function InvitationPage({ token }: { token: string }) {
  const { resource } = useResource(() => identityApi.invitationPreview(token), token);
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-10', 'fr-col-lg-7')}>
          <h1>Rejoindre une organisation sur Fléchage</h1>
          <Loaded resource={resource}>
            {(preview) => <InvitationDetails token={token} preview={preview} />}
          </Loaded>
        </div>
      </div>
    </div>
  );
}
