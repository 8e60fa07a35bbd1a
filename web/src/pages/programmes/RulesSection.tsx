import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ConfirmableAction } from '../../components/ConfirmableAction.js';
import { SubmissionError, SuccessMessage, useSubmission } from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { programmesApi } from '../../programmes/api.js';
import type { RuleSet } from '../../programmes/rules.js';
import type { BeneficiaryFacts, ProgrammeView } from '../../programmes/types.js';
import { ExplanationPanel } from './ExplanationPanel.js';
import { RulesEditor } from './RulesEditor.js';

function PublishAction({
  programme,
  version,
  onPublished,
}: {
  programme: ProgrammeView;
  version: number;
  onPublished: () => void;
}) {
  const { error, run } = useSubmission();
  const [published, setPublished] = useState<number | null>(null);
  if (programme.publishedVersion === version) {
    return (
      <>
        {published === version && (
          <SuccessMessage>{`La version ${version} est publiée : elle s’applique aux prochaines attributions.`}</SuccessMessage>
        )}
        <p className={fr.cx('fr-text--sm')}>{`La version ${version} est la version publiée.`}</p>
      </>
    );
  }
  return (
    <div className={fr.cx('fr-mb-2w')}>
      <SubmissionError error={error} />
      <ConfirmableAction
        label={`Publier cette version (${version})`}
        question={`La version ${version} s’appliquera à toutes les attributions suivantes ; celles déjà faites ne changent pas.`}
        confirmLabel={`Confirmer la publication de la version ${version}`}
        onConfirm={() =>
          run(async () => {
            await programmesApi.publish(programme.id, version);
            setPublished(version);
            onPublished();
          })
        }
      />
    </div>
  );
}

function VersionPicker({
  programme,
  version,
  onChange,
}: {
  programme: ProgrammeView;
  version: number;
  onChange: (version: number) => void;
}) {
  return (
    <Select
      label="Version des règles affichée"
      nativeSelectProps={{
        id: 'regles-version',
        value: `${version}`,
        onChange: (event) => onChange(Number(event.target.value)),
      }}
    >
      {programme.versions.map((candidate) => (
        <option key={candidate.version} value={`${candidate.version}`}>
          {`Version ${candidate.version}${candidate.version === programme.publishedVersion ? ' (publiée)' : ''}`}
        </option>
      ))}
    </Select>
  );
}

interface Workspace {
  programme: ProgrammeView;
  sampleFacts: BeneficiaryFacts;
  saved: { version: number; rules: RuleSet };
  editing: boolean;
  dirty: boolean;
  setDirty: (dirty: boolean) => void;
  onSaved: (version: number) => void;
  onClose: () => void;
}

/** The form beside the explanation on wide screens, above it on narrow ones. */
function RulesWorkspace({ programme, sampleFacts, saved, editing, dirty, ...editor }: Workspace) {
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      {editing && (
        <div className={fr.cx('fr-col-12', 'fr-col-lg-7')}>
          <RulesEditor
            key={saved.version}
            programmeId={programme.id}
            version={saved.version}
            rules={saved.rules}
            onDirtyChange={editor.setDirty}
            onSaved={editor.onSaved}
            onClose={editor.onClose}
          />
        </div>
      )}
      <div className={fr.cx('fr-col-12', editing ? 'fr-col-lg-5' : 'fr-col-lg-8')}>
        <ExplanationPanel
          programmeId={programme.id}
          version={saved.version}
          draftChanged={editing && dirty}
          sampleFacts={sampleFacts}
          attributes={saved.rules.customAttributes ?? []}
        />
      </div>
    </div>
  );
}

function RulesToolbar({
  programme,
  version,
  canEdit,
  onVersion,
  onEdit,
}: {
  programme: ProgrammeView;
  version: number;
  canEdit: boolean;
  onVersion: (version: number) => void;
  onEdit: () => void;
}) {
  return (
    <div
      className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-grid-row--bottom', 'fr-mb-2w')}
    >
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <VersionPicker programme={programme} version={version} onChange={onVersion} />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        {canEdit && (
          <Button iconId="fr-icon-edit-line" className={fr.cx('fr-mb-3w')} onClick={onEdit}>
            Modifier les règles
          </Button>
        )}
      </div>
    </div>
  );
}

/**
 * The rules of one version: the explanation for a sample beneficiary and, for managers, the
 * form that saves changes as a new version, and the way to publish it.
 */
export function RulesSection({
  programme,
  sampleFacts,
  manages,
  reload,
}: {
  programme: ProgrammeView;
  sampleFacts: BeneficiaryFacts;
  manages: boolean;
  reload: () => void;
}) {
  const latest = programme.versions.at(-1)?.version ?? 1;
  const [version, setVersion] = useState(programme.publishedVersion ?? latest);
  const [editing, setEditing] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const { resource } = useResource(
    () => programmesApi.version(programme.id, version),
    `regles-${programme.id}-${version}`,
  );
  const workspace = {
    programme,
    sampleFacts,
    editing,
    dirty,
    setDirty,
    onSaved: (next: number) => {
      setVersion(next);
      setSavedVersion(next);
      reload();
    },
    onClose: () => {
      setEditing(false);
      setDirty(false);
    },
  };
  return (
    <section aria-labelledby="dispositif-regles" className={fr.cx('fr-mb-6w')}>
      <h2 id="dispositif-regles">Règles</h2>
      <RulesToolbar
        programme={programme}
        version={version}
        canEdit={manages && !editing}
        onVersion={(next) => {
          setVersion(next);
          setDirty(false);
        }}
        onEdit={() => setEditing(true)}
      />
      {savedVersion !== null && savedVersion === version && (
        <SuccessMessage>{`Version ${savedVersion} enregistrée : l’explication porte désormais sur elle. Publiez-la pour qu’elle s’applique.`}</SuccessMessage>
      )}
      {manages && <PublishAction programme={programme} version={version} onPublished={reload} />}
      <Loaded resource={resource}>
        {(saved) => <RulesWorkspace {...workspace} saved={saved} />}
      </Loaded>
    </section>
  );
}
