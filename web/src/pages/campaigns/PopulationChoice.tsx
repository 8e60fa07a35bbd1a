import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { errorState } from '../../components/forms.js';
import { useResource } from '../../components/resource.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import type { ImportView } from '../../beneficiaries/types.js';
import { formatDateTime } from '../../identity/format.js';
import { formatCount } from '../../programmes/money.js';
import {
  campaignFieldIds,
  maximumCommunes,
  type CampaignDraft,
  type PopulationKind,
} from './campaign-draft.js';

const importLabel = (fileImport: ImportView) =>
  `${fileImport.fileName} — ${formatCount(fileImport.validLines)} bénéficiaires, importé le ${formatDateTime(fileImport.confirmedAt ?? fileImport.createdAt)}`;

/** The confirmed imports of the funder: only those hold beneficiaries. */
function ImportSelect({
  organisationId,
  draft,
  set,
  problem,
}: {
  organisationId: number;
  draft: CampaignDraft;
  set: (changes: Partial<CampaignDraft>) => void;
  problem: string | undefined;
}) {
  const { resource } = useResource(
    async () =>
      (await beneficiariesApi.imports(organisationId)).filter((item) => item.status === 'imported'),
    `imports-${organisationId}`,
  );
  if (resource.status === 'loading') return <p role="status">Chargement des fichiers importés…</p>;
  if (resource.status === 'failed') {
    return (
      <Alert
        severity="error"
        small
        description={`La liste des fichiers importés n’a pas pu être chargée : ${resource.error.message}`}
      />
    );
  }
  if (resource.data.length === 0) {
    return (
      <Alert
        severity="info"
        small
        description="Aucun fichier de bénéficiaires n’a encore été importé pour ce financeur."
      />
    );
  }
  return (
    <Select
      label="Fichier importé"
      {...errorState(problem)}
      nativeSelectProps={{
        id: campaignFieldIds.importId,
        value: draft.importId,
        onChange: (event) => set({ importId: event.target.value }),
      }}
    >
      <option value="" disabled>
        Choisissez un fichier
      </option>
      {resource.data.map((fileImport) => (
        <option key={fileImport.id} value={`${fileImport.id}`}>
          {importLabel(fileImport)}
        </option>
      ))}
    </Select>
  );
}

const kinds: { kind: PopulationKind; label: string; hint: string }[] = [
  {
    kind: 'all',
    label: 'Tous les bénéficiaires du financeur',
    hint: 'Chaque personne connue du financeur est évaluée selon les règles du dispositif.',
  },
  {
    kind: 'import',
    label: 'Les bénéficiaires d’un fichier importé',
    hint: 'Par exemple la liste transmise par un partenaire.',
  },
  {
    kind: 'communes',
    label: 'Les habitants de certaines communes',
    hint: 'Par leur code INSEE.',
  },
];

export function PopulationChoice({
  organisationId,
  draft,
  set,
  errors,
}: {
  organisationId: number | null;
  draft: CampaignDraft;
  set: (changes: Partial<CampaignDraft>) => void;
  errors: ReadonlyMap<string, string>;
}) {
  return (
    <>
      <RadioButtons
        legend="Population évaluée"
        name={campaignFieldIds.population}
        options={kinds.map(({ kind, label, hint }) => ({
          label,
          hintText: hint,
          nativeInputProps: {
            checked: draft.populationKind === kind,
            onChange: () => set({ populationKind: kind }),
          },
        }))}
      />
      {draft.populationKind === 'import' && organisationId !== null && (
        <ImportSelect
          organisationId={organisationId}
          draft={draft}
          set={set}
          problem={errors.get(campaignFieldIds.importId)}
        />
      )}
      {draft.populationKind === 'communes' && (
        <Input
          label="Codes INSEE des communes"
          hintText={`Séparés par des espaces, des virgules ou des retours à la ligne ; ${formatCount(maximumCommunes)} au plus. Par exemple : 33063 33281.`}
          textArea
          className={fr.cx('fr-mb-4w')}
          {...errorState(errors.get(campaignFieldIds.communeCodes))}
          nativeTextAreaProps={{
            id: campaignFieldIds.communeCodes,
            value: draft.communeCodes,
            rows: 3,
            onChange: (event) => set({ communeCodes: event.target.value }),
          }}
        />
      )}
    </>
  );
}
