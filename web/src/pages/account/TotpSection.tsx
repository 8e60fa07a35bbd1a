import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { CopyableText } from '../../components/CopyableText.js';
import {
  SubmissionError,
  SuccessMessage,
  errorState,
  totpCodeOf,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { identityApi } from '../../identity/api.js';
import { groupByFour } from '../../identity/format.js';
import { useSession } from '../../identity/session.js';
import type { TotpSetup } from '../../identity/types.js';

/** A form asking for the code the authenticator app shows, then sending it. */
function CodeForm({
  id,
  label,
  submitLabel,
  send,
}: {
  id: string;
  label: string;
  submitLabel: string;
  send: (code: string) => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const { errors, report } = useFieldErrors({ code: id });
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const digits = totpCodeOf(code);
    if (!report({ code: digits === null ? 'Le code compte 6 chiffres.' : undefined })) return;
    void run(() => send(digits ?? ''));
  }

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <SubmissionError error={error} />
      <Input
        label={label}
        hintText="Les 6 chiffres affichés en ce moment par votre application."
        {...errorState(errors.code)}
        nativeInputProps={{
          id,
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
          value: code,
          onChange: (event) => setCode(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}

function Enrolment({ setup, onConfirmed }: { setup: TotpSetup; onConfirmed: () => Promise<void> }) {
  return (
    <>
      <ol>
        <li>
          Dans votre application d’authentification, ajoutez un compte en saisissant cette clé :
          <CopyableText label="la clé" value={setup.secret} shownAs={groupByFour(setup.secret)} />
        </li>
        <li>
          Ou, si votre application le permet, collez-y cette adresse de configuration :
          <CopyableText label="l’adresse de configuration" value={setup.otpauthUri} />
        </li>
        <li>Saisissez ci-dessous le code que l’application affiche alors.</li>
      </ol>
      <CodeForm
        id="totp-activation-code"
        label="Code de vérification"
        submitLabel="Activer la double authentification"
        send={async (code) => {
          await identityApi.confirmTotp(code);
          await onConfirmed();
        }}
      />
    </>
  );
}

/** A second factor for the funders' staff: an authenticator app's code after the password. */
export function TotpSection({ totpEnabled }: { totpEnabled: boolean }) {
  const { refresh } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const { pending, error, run } = useSubmission();

  async function finish(message: string): Promise<void> {
    setSetup(null);
    setOutcome(message);
    await refresh();
  }

  return (
    <section aria-labelledby="compte-totp" className={fr.cx('fr-mb-6w')}>
      <h2 id="compte-totp">Double authentification</h2>
      {outcome !== null && <SuccessMessage>{outcome}</SuccessMessage>}
      <SubmissionError error={error} />
      {totpEnabled ? (
        <>
          <p>Activée : chaque connexion demande aussi un code de votre application.</p>
          <CodeForm
            id="totp-desactivation-code"
            label="Code pour désactiver"
            submitLabel="Désactiver la double authentification"
            send={async (code) => {
              await identityApi.disableTotp(code);
              await finish('La double authentification est désactivée.');
            }}
          />
        </>
      ) : setup === null ? (
        <>
          <p>
            Non activée. Une application d’authentification (sur téléphone ou ordinateur) vous
            donnera un code à saisir après votre mot de passe.
          </p>
          <Button
            disabled={pending}
            onClick={() => void run(async () => setSetup(await identityApi.setupTotp()))}
          >
            Configurer la double authentification
          </Button>
        </>
      ) : (
        <Enrolment
          setup={setup}
          onConfirmed={() => finish('La double authentification est activée.')}
        />
      )}
    </section>
  );
}
