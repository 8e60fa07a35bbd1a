import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import {
  SubmissionError,
  errorState,
  type FieldErrors,
  isEmailAddress,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import type { Mandate, MandateDuration, MandateScope } from '../../identity/types.js';
import { durationLabels, scopeChoiceLabels } from './labels.js';

const scopes = Object.keys(scopeChoiceLabels) as MandateScope[];
const durations = Object.keys(durationLabels) as MandateDuration[];

// The DSFR numbers a group's boxes after the group's id: the first box is where focus goes.
const fields = {
  email: 'mandat-courriel',
  scopes: 'mandat-portees-0',
  consent: 'mandat-consentement-0',
};

function ConsentText({ chosen, duration }: { chosen: MandateScope[]; duration: MandateDuration }) {
  const { resource } = useResource(
    () => identityApi.mandateConsentText(chosen, duration),
    `${chosen.join(',')}|${duration}`,
  );
  return (
    <div className="consent-text">
      <Loaded resource={resource}>
        {({ text }) => <p className={fr.cx('fr-mb-0')}>{text}</p>}
      </Loaded>
    </div>
  );
}

interface Grant {
  email: string;
  scopes: MandateScope[];
  duration: MandateDuration;
  consent: boolean;
}

const emptyGrant: Grant = { email: '', scopes: [], duration: '1_mois', consent: false };

type GrantFieldsProps = {
  grant: Grant;
  errors: FieldErrors<keyof typeof fields>;
  change: (changes: Partial<Grant>) => void;
};

// Consent is given to one text: choosing otherwise changes the text, so it must be given again.
function ScopeAndDurationFields({ grant, errors, change }: GrantFieldsProps) {
  const toggle = (scope: MandateScope, checked: boolean) => {
    const others = grant.scopes.filter((chosen) => chosen !== scope);
    const chosen = scopes.filter((known) => (known === scope ? checked : others.includes(known)));
    change({ scopes: chosen, consent: false });
  };
  return (
    <>
      <Checkbox
        id="mandat-portees"
        legend="Ce que l’aidant pourra faire en votre nom"
        {...errorState(errors.scopes)}
        options={scopes.map((scope) => ({
          label: scopeChoiceLabels[scope],
          nativeInputProps: {
            checked: grant.scopes.includes(scope),
            onChange: (event) => toggle(scope, event.target.checked),
          },
        }))}
      />
      <RadioButtons
        legend="Durée du mandat"
        name="mandat-duree"
        orientation="horizontal"
        options={durations.map((duration) => ({
          label: durationLabels[duration],
          nativeInputProps: {
            value: duration,
            checked: grant.duration === duration,
            onChange: () => change({ duration, consent: false }),
          },
        }))}
      />
    </>
  );
}

function ConsentField({ grant, errors, change }: GrantFieldsProps) {
  return (
    <>
      <h3 className={fr.cx('fr-h6')}>Votre accord</h3>
      {grant.scopes.length === 0 ? (
        <p>Cochez d’abord ce que l’aidant pourra faire : le texte à accepter s’affichera ici.</p>
      ) : (
        <ConsentText chosen={grant.scopes} duration={grant.duration} />
      )}
      <Checkbox
        id="mandat-consentement"
        className={fr.cx('fr-mb-3w')}
        {...errorState(errors.consent)}
        options={[
          {
            label: 'J’ai lu ce texte et je donne mon accord.',
            nativeInputProps: {
              checked: grant.consent,
              onChange: (event) => change({ consent: event.target.checked }),
            },
          },
        ]}
      />
    </>
  );
}

function grantProblems(grant: Grant) {
  return {
    email: isEmailAddress(grant.email.trim())
      ? undefined
      : 'Saisissez l’adresse électronique de l’aidant, au format nom@domaine.fr.',
    scopes: grant.scopes.length === 0 ? 'Cochez au moins une autorisation.' : undefined,
    consent: grant.consent ? undefined : 'Cochez la case pour donner votre accord.',
  };
}

/** A beneficiary lets an aidant act in their name: for what, how long, and with their consent. */
export function GrantMandateForm({ onGranted }: { onGranted: (mandate: Mandate) => void }) {
  const [grant, setGrant] = useState(emptyGrant);
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();
  const change = (changes: Partial<Grant>) => setGrant({ ...grant, ...changes });

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!report(grantProblems(grant))) return;
    const { email, scopes: chosen, duration } = grant;
    void run(async () => {
      onGranted(
        await identityApi.grantMandate({ aidantEmail: email.trim(), scopes: chosen, duration }),
      );
      setGrant(emptyGrant);
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="mandat-nouveau">
      <h2 id="mandat-nouveau">Donner un mandat à un aidant</h2>
      <SubmissionError error={error} />
      <Input
        label="Adresse électronique de l’aidant"
        hintText="L’aidant doit déjà avoir un compte Fléchage."
        {...errorState(errors.email)}
        nativeInputProps={{
          id: fields.email,
          type: 'email',
          value: grant.email,
          onChange: (event) => change({ email: event.target.value }),
        }}
      />
      <ScopeAndDurationFields grant={grant} errors={errors} change={change} />
      <ConsentField grant={grant} errors={errors} change={change} />
      <Button type="submit" disabled={pending}>
        Donner le mandat
      </Button>
    </form>
  );
}
