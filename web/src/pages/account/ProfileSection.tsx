import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import {
  SubmissionError,
  SuccessMessage,
  errorState,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import { useSession, type ActingFor } from '../../identity/session.js';
import type { Profile } from '../../identity/types.js';

const fields = { displayName: 'profil-nom', phone: 'profil-telephone' };

function profileProblems(displayName: string, phone: string) {
  return {
    displayName:
      displayName.length < 1 || displayName.length > 120
        ? 'Saisissez un nom de 1 à 120 caractères.'
        : undefined,
    phone:
      phone !== '' && !/^\+?[0-9 .-]{6,20}$/.test(phone)
        ? 'Saisissez un numéro de 6 à 20 chiffres, par exemple 06 12 34 56 78.'
        : undefined,
  };
}

function ProfileForm({ profile, actingFor }: { profile: Profile; actingFor: ActingFor | null }) {
  const { refresh } = useSession();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [phone, setPhone] = useState(profile.phone ?? '');
  const [saved, setSaved] = useState(false);
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    setSaved(false);
    if (!report(profileProblems(displayName.trim(), phone.trim()))) return;
    void run(async () => {
      const changes = { displayName: displayName.trim(), phone: phone.trim() || null };
      await identityApi.updateProfile(changes, actingFor?.personId);
      setSaved(true);
      // The name shown in the header comes from the session.
      if (actingFor === null) await refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Modifier le profil">
      <SubmissionError error={error} />
      {saved && <SuccessMessage>Le profil est enregistré.</SuccessMessage>}
      <p>Adresse électronique : {profile.email}</p>
      <Input
        label="Nom affiché"
        {...errorState(errors.displayName)}
        nativeInputProps={{
          id: fields.displayName,
          autoComplete: 'name',
          value: displayName,
          onChange: (event) => setDisplayName(event.target.value),
        }}
      />
      <Input
        label="Téléphone (facultatif)"
        hintText="Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78"
        {...errorState(errors.phone)}
        nativeInputProps={{
          id: fields.phone,
          type: 'tel',
          autoComplete: 'tel',
          value: phone,
          onChange: (event) => setPhone(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending}>
        Enregistrer le profil
      </Button>
    </form>
  );
}

/** The person's profile, or the one of the beneficiary an aidant is acting for. */
export function ProfileSection() {
  const { actingFor } = useSession();
  const { resource } = useResource(
    () => identityApi.profile(actingFor?.personId),
    `profil-${actingFor?.personId ?? 'moi'}`,
  );
  return (
    <section aria-labelledby="compte-profil" className={fr.cx('fr-mb-6w')}>
      <h2 id="compte-profil">
        {actingFor === null ? 'Profil' : `Profil de ${actingFor.displayName}`}
      </h2>
      <Loaded resource={resource}>
        {(profile) => (
          <ProfileForm key={profile.personId} profile={profile} actingFor={actingFor} />
        )}
      </Loaded>
    </section>
  );
}
