import { useEffect, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput.js';
import { OidcProviderButtons } from '../components/OidcProviderButtons.js';
import {
  SubmissionError,
  errorState,
  isEmailAddress,
  totpCodeOf,
  useFieldErrors,
  useSubmission,
} from '../components/forms.js';
import { identityApi, rememberCsrfToken } from '../identity/api.js';
import { useSession } from '../identity/session.js';
import { navigate } from '../routing.js';

export const loginPageTitle = 'Connexion';

/** Where to go once logged in: the page that asked for a login, if it is one of ours. */
function destinationAfterLogin(): string {
  const returnTo = new URLSearchParams(window.location.search).get('retour');
  const isOwnPage = returnTo !== null && returnTo.startsWith('/') && !returnTo.startsWith('//');
  return isOwnPage && !returnTo.startsWith('/connexion') ? returnTo : '/espace';
}

/** An OpenID login that failed comes back here with the server's explanation in the address. */
function openIdFailureMessage(): string | null {
  const parameters = new URLSearchParams(window.location.search);
  if (parameters.get('erreur') === null) return null;
  return parameters.get('message') ?? 'La connexion n’a pas abouti : réessayez.';
}

const passwordFields = { email: 'connexion-courriel', password: 'connexion-mot-de-passe' };

function PasswordStep() {
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, report } = useFieldErrors(passwordFields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const valid = report({
      email: isEmailAddress(email.trim())
        ? undefined
        : 'Saisissez une adresse électronique au format nom@domaine.fr.',
      password: password === '' ? 'Saisissez votre mot de passe.' : undefined,
    });
    if (!valid) return;
    void run(async () => {
      const answer = await identityApi.login(email.trim(), password);
      rememberCsrfToken(answer.csrfToken);
      await refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="connexion-par-mot-de-passe">
      <h2 id="connexion-par-mot-de-passe" className={fr.cx('fr-h5')}>
        Se connecter avec son adresse électronique
      </h2>
      <SubmissionError error={error} />
      <Input
        label="Adresse électronique"
        hintText="Format attendu : nom@domaine.fr"
        {...errorState(errors.email)}
        nativeInputProps={{
          id: passwordFields.email,
          type: 'email',
          autoComplete: 'username',
          value: email,
          onChange: (event) => setEmail(event.target.value),
        }}
      />
      <PasswordInput
        label="Mot de passe"
        messagesHint=""
        messages={errors.password ? [{ severity: 'error', message: errors.password }] : []}
        nativeInputProps={{
          id: passwordFields.password,
          autoComplete: 'current-password',
          value: password,
          onChange: (event) => setPassword(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending} className={fr.cx('fr-mt-2w')}>
        Se connecter
      </Button>
    </form>
  );
}

const totpFields = { code: 'connexion-code' };

function SecondFactorStep() {
  const { refresh, logout } = useSession();
  const [code, setCode] = useState('');
  const { errors, report } = useFieldErrors(totpFields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const digits = totpCodeOf(code);
    if (!report({ code: digits === null ? 'Le code compte 6 chiffres.' : undefined })) return;
    void run(async () => {
      const answer = await identityApi.loginTotp(digits ?? '');
      rememberCsrfToken(answer.csrfToken);
      await refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="second-facteur">
      <h2 id="second-facteur" className={fr.cx('fr-h5')}>
        Saisir le code de votre application d’authentification
      </h2>
      <SubmissionError error={error} />
      <Input
        label="Code à 6 chiffres"
        hintText="Le code affiché en ce moment par votre application (il change toutes les 30 secondes)."
        {...errorState(errors.code)}
        nativeInputProps={{
          id: totpFields.code,
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
          value: code,
          onChange: (event) => setCode(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending} className={fr.cx('fr-mr-2w')}>
        Valider
      </Button>
      <Button type="button" priority="secondary" onClick={() => void run(logout)}>
        Annuler
      </Button>
    </form>
  );
}

export function LoginPage() {
  const { state } = useSession();
  const [openIdFailure] = useState(openIdFailureMessage);

  useEffect(() => {
    if (state.status === 'authenticated') navigate(destinationAfterLogin(), { replace: true });
  }, [state.status]);

  const secondFactorPending = state.status === 'second_factor_pending';
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-10', 'fr-col-lg-7')}>
          <h1>Se connecter à Fléchage</h1>
          {openIdFailure !== null && (
            <Alert
              severity="error"
              as="h2"
              title="La connexion n’a pas abouti"
              description={openIdFailure}
              className={fr.cx('fr-mb-4w')}
            />
          )}
          {state.status === 'failed' && <SubmissionError error={state.error} />}
          <div className={`login-panel ${fr.cx('fr-p-4w')}`}>
            {secondFactorPending ? (
              <SecondFactorStep />
            ) : (
              <>
                <OidcProviderButtons returnTo={destinationAfterLogin()} />
                <PasswordStep />
              </>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
