import { fr } from '@codegouvfr/react-dsfr';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { DataTable } from '../../components/DataTable.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import { formatDate } from '../../identity/format.js';
import type { Member, Organisation } from '../../identity/types.js';

/** The organisation's members; its managers may take someone out (their account remains). */
export function MembersSection({
  organisation,
  canManage,
  ownPersonId,
}: {
  organisation: Organisation;
  canManage: boolean;
  ownPersonId: number;
}) {
  const { resource, reload } = useResource(
    () => identityApi.members(organisation.id),
    `membres-${organisation.id}`,
  );
  const { error, run } = useSubmission();

  function actionFor(member: Member) {
    // Removing oneself would lock one out of the page at once: another manager does it.
    if (member.personId === ownPersonId) return 'Vous';
    return (
      <ConfirmableAction
        label={`Retirer ${member.displayName}`}
        question={`${member.displayName} n’aura plus accès à ${organisation.name}.`}
        confirmLabel="Confirmer le retrait"
        onConfirm={() =>
          run(async () => {
            await identityApi.removeMember(organisation.id, member.membershipId);
            reload();
          })
        }
      />
    );
  }

  return (
    <section aria-labelledby="organisation-membres" className={fr.cx('fr-mb-6w')}>
      <h2 id="organisation-membres">Membres</h2>
      <SubmissionError error={error} />
      <Loaded resource={resource}>
        {(members) => (
          <DataTable
            caption={`Membres de ${organisation.name}`}
            headers={[
              'Nom',
              'Adresse électronique',
              'Rôle',
              'Membre depuis le',
              ...(canManage ? ['Action'] : []),
            ]}
            rows={members.map((member) => [
              member.displayName,
              member.email,
              member.roleLabel,
              formatDate(member.createdAt),
              ...(canManage ? [actionFor(member)] : []),
            ])}
          />
        )}
      </Loaded>
    </section>
  );
}
