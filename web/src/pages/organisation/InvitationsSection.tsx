import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { CopyableText } from '../../components/CopyableText.js';
import { DataTable } from '../../components/DataTable.js';
import {
  SubmissionError,
  errorState,
  isEmailAddress,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import { formatDate, formatDateTime } from '../../identity/format.js';
import { roleLabels, rolesForOrganisationKind } from '../../identity/roles.js';
import type { CreatedInvitation, Invitation, Organisation, Role } from '../../identity/types.js';

const fields = { email: 'invitation-courriel', role: 'invitation-role' };

function InvitationForm({
  organisation,
  onCreated,
}: {
  organisation: Organisation;
  onCreated: (invitation: CreatedInvitation) => void;
}) {
  const roles = rolesForOrganisationKind(organisation.kind);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role | ''>(roles.length === 1 ? (roles[0] ?? '') : '');
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const valid = report({
      email: isEmailAddress(email.trim())
        ? undefined
        : 'Saisissez une adresse au format nom@domaine.fr.',
      role: role === '' ? 'Choisissez le rôle de la personne invitée.' : undefined,
    });
    if (!valid || role === '') return;
    void run(async () => {
      onCreated(await identityApi.invite(organisation.id, email.trim(), role));
      setEmail('');
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="invitation-nouvelle">
      <h3 id="invitation-nouvelle">Inviter une personne</h3>
      <SubmissionError error={error} />
      <Input
        label="Adresse électronique de la personne"
        hintText="Format attendu : nom@domaine.fr"
        {...errorState(errors.email)}
        nativeInputProps={{
          id: fields.email,
          type: 'email',
          value: email,
          onChange: (event) => setEmail(event.target.value),
        }}
      />
      <Select
        label="Rôle"
        {...errorState(errors.role)}
        nativeSelectProps={{
          id: fields.role,
          value: role,
          onChange: (event) => setRole(event.target.value as Role | ''),
        }}
      >
        <option value="" disabled>
          Choisir un rôle
        </option>
        {roles.map((candidate) => (
          <option key={candidate} value={candidate}>
            {roleLabels[candidate]}
          </option>
        ))}
      </Select>
      <Button type="submit" disabled={pending}>
        Créer l’invitation
      </Button>
    </form>
  );
}

/** The platform sends no e-mail yet: the manager passes the link on by their own means. */
function CreatedInvitationNotice({ invitation }: { invitation: CreatedInvitation }) {
  const link = new URL(invitation.acceptUrl, window.location.origin).href;
  return (
    <Alert
      severity="success"
      as="h3"
      title={`Invitation créée pour ${invitation.email}`}
      className={fr.cx('fr-mb-4w')}
      description={
        <>
          <p>
            Transmettez ce lien à la personne : aucun courriel ne lui est envoyé. Il est valable
            jusqu’au {formatDateTime(invitation.expiresAt)} et ne sera plus affiché ensuite.
          </p>
          <CopyableText label="le lien d’invitation" value={link} />
        </>
      }
    />
  );
}

function isPending(invitation: Invitation): boolean {
  const expired = new Date(invitation.expiresAt).getTime() <= Date.now();
  return invitation.acceptedAt === null && invitation.cancelledAt === null && !expired;
}

export function InvitationsSection({ organisation }: { organisation: Organisation }) {
  const { resource, reload } = useResource(
    () => identityApi.invitations(organisation.id),
    `invitations-${organisation.id}`,
  );
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const { error, run } = useSubmission();

  const cancel = (invitation: Invitation) =>
    run(async () => {
      await identityApi.cancelInvitation(organisation.id, invitation.id);
      reload();
    });

  return (
    <section aria-labelledby="organisation-invitations" className={fr.cx('fr-mb-6w')}>
      <h2 id="organisation-invitations">Invitations</h2>
      {created !== null && <CreatedInvitationNotice invitation={created} />}
      <InvitationForm
        organisation={organisation}
        onCreated={(invitation) => {
          setCreated(invitation);
          reload();
        }}
      />
      <h3 className={fr.cx('fr-mt-6w')}>Invitations en attente</h3>
      <SubmissionError error={error} />
      <Loaded resource={resource}>
        {(invitations) => {
          const pending = invitations.filter(isPending);
          if (pending.length === 0) return <p>Aucune invitation en attente.</p>;
          return (
            <DataTable
              caption="Invitations en attente"
              headers={['Adresse électronique', 'Rôle', 'Créée le', 'Expire le', 'Action']}
              rows={pending.map((invitation) => [
                invitation.email,
                invitation.roleLabel,
                formatDate(invitation.createdAt),
                formatDateTime(invitation.expiresAt),
                <ConfirmableAction
                  key={invitation.id}
                  label={`Annuler l’invitation envoyée à ${invitation.email}`}
                  question="Le lien envoyé ne permettra plus de rejoindre l’organisation."
                  confirmLabel="Confirmer l’annulation"
                  onConfirm={() => cancel(invitation)}
                />,
              ])}
            />
          );
        }}
      </Loaded>
    </section>
  );
}
