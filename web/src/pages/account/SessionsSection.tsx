import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../../components/DataTable.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { identityApi } from '../../identity/api.js';
import { formatDateTime } from '../../identity/format.js';
import type { OpenSession } from '../../identity/types.js';

const authenticationMethodLabels: Record<string, string> = { mot_de_passe: 'Mot de passe' };

function sessionRow(session: OpenSession, endSession: (session: OpenSession) => void) {
  const openedAt = formatDateTime(session.createdAt);
  return [
    session.userAgent ?? 'Appareil inconnu',
    authenticationMethodLabels[session.authenticationMethod] ?? session.authenticationMethod,
    openedAt,
    formatDateTime(session.lastSeenAt),
    session.current ? (
      <Badge small severity="success">
        Cette session
      </Badge>
    ) : (
      <Button
        priority="secondary"
        size="small"
        onClick={() => endSession(session)}
        nativeButtonProps={{ 'aria-label': `Déconnecter la session ouverte le ${openedAt}` }}
      >
        Déconnecter
      </Button>
    ),
  ];
}

/** Every open session of the person: one left open elsewhere can be closed from here. */
export function SessionsSection({ version }: { version: number }) {
  const { resource, reload } = useResource(identityApi.openSessions, `sessions-${version}`);
  const { error, run } = useSubmission();

  function endSession(session: OpenSession): void {
    void run(async () => {
      await identityApi.endSession(session.id);
      reload();
    });
  }

  return (
    <section aria-labelledby="compte-sessions" className={fr.cx('fr-mb-6w')}>
      <h2 id="compte-sessions">Sessions ouvertes</h2>
      <SubmissionError error={error} />
      <Loaded resource={resource}>
        {(sessions) => (
          <DataTable
            caption="Vos sessions ouvertes, sur cet appareil et ailleurs"
            headers={['Appareil', 'Connexion', 'Ouverte le', 'Dernière activité', 'Action']}
            rows={sessions.map((session) => sessionRow(session, endSession))}
          />
        )}
      </Loaded>
    </section>
  );
}
