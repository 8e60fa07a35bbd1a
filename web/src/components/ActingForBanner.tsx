import { fr } from '@codegouvfr/react-dsfr';
import { Notice } from '@codegouvfr/react-dsfr/Notice.js';
import { useSession } from '../identity/session.js';

/** Always in sight while an aidant acts in someone else's name, so it is never done unknowingly. */
export function ActingForBanner() {
  const { actingFor, setActingFor } = useSession();
  if (actingFor === null) return null;
  return (
    <Notice
      severity="warning"
      title={`Vous agissez pour ${actingFor.displayName}`}
      description={
        <button
          type="button"
          className={fr.cx('fr-link', 'fr-ml-1w')}
          onClick={() => setActingFor(null)}
        >
          Cesser d’agir pour {actingFor.displayName}
        </button>
      }
    />
  );
}
