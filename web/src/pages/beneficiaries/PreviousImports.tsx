import { fr } from '@codegouvfr/react-dsfr';
import { DataTable } from '../../components/DataTable.js';
import { Loaded, useResource } from '../../components/resource.js';
import { formatDateTime } from '../../identity/format.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import { importStatusLabels } from '../../beneficiaries/format.js';
import { formatCount } from '../../programmes/money.js';
import { AppLink } from '../../routing.js';

/** The funder's imports, newest first, each leading to its report (or to where it stopped). */
export function PreviousImports({ organisationId }: { organisationId: number }) {
  const { resource } = useResource(
    () => beneficiariesApi.imports(organisationId),
    `imports-${organisationId}`,
  );
  return (
    <section aria-labelledby="imports-precedents" className={fr.cx('fr-mt-6w')}>
      <h2 id="imports-precedents">Imports précédents</h2>
      <Loaded resource={resource}>
        {(imports) =>
          imports.length === 0 ? (
            <p>Aucun fichier importé pour le moment.</p>
          ) : (
            <DataTable
              caption="Imports précédents, du plus récent au plus ancien"
              headers={['Fichier', 'Déposé le', 'État', 'Valides', 'Rejetées', 'Doublons']}
              rows={imports.map((previous) => [
                <AppLink key="fichier" href={`/beneficiaires/import/${previous.id}`}>
                  {previous.fileName}
                </AppLink>,
                formatDateTime(previous.createdAt),
                importStatusLabels[previous.status],
                formatCount(previous.validLines),
                formatCount(previous.rejectedLines),
                formatCount(previous.duplicateLines),
              ])}
            />
          )
        }
      </Loaded>
    </section>
  );
}
