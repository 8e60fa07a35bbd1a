import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ErrorSummary, type SummarisedError } from '../components/ErrorSummary.js';
import { SubmissionError, errorState, useSubmission } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { canManage } from '../programmes/access.js';
import { fundsApi, programmesApi } from '../programmes/api.js';
import { blankRules } from '../programmes/rules.js';
import type { FundView, NewProgramme, ProgrammeTemplate } from '../programmes/types.js';
import { navigate } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { programmesPageTitle } from './ProgrammesPage.js';
import { TemplateChoice, fromScratch } from './programmes/TemplateChoice.js';

export const newProgrammePageTitle = 'Créer un dispositif';

const ids = {
  fund: 'dispositif-fonds',
  axis: 'dispositif-axe',
  name: 'dispositif-nom',
  description: 'dispositif-description',
  start: 'dispositif-modele-vierge',
};

interface Draft {
  fundId: string;
  axisId: string;
  start: string;
  name: string;
  description: string;
}

function initialDraft(funds: FundView[], templates: ProgrammeTemplate[]): Draft {
  const asked = new URLSearchParams(window.location.search).get('fonds');
  const fund = funds.find((candidate) => `${candidate.id}` === asked) ?? funds[0];
  const template = templates[0];
  return {
    fundId: fund === undefined ? '' : `${fund.id}`,
    axisId: fund?.axes[0] === undefined ? '' : `${fund.axes[0].id}`,
    start: template?.id ?? fromScratch,
    name: template?.name ?? '',
    description: template?.description ?? '',
  };
}

function problemsOf(draft: Draft): SummarisedError[] {
  const problems: SummarisedError[] = [];
  const add = (fieldId: string, fieldLabel: string, message: string) =>
    problems.push({ key: fieldId, fieldId, fieldLabel, message });
  if (draft.fundId === '') add(ids.fund, 'Fonds', 'Choisissez le fonds qui finance le dispositif.');
  if (draft.axisId === '') add(ids.axis, 'Axe', 'Choisissez l’axe du fonds.');
  const name = draft.name.trim();
  if (name === '' || name.length > 200) {
    add(ids.name, 'Nom', 'Nommez le dispositif (200 caractères au plus).');
  }
  if (draft.description.length > 4000) {
    add(ids.description, 'Description', 'La description ne peut dépasser 4 000 caractères.');
  }
  return problems;
}

function requestOf(draft: Draft): NewProgramme {
  const base = {
    fundId: Number(draft.fundId),
    axisId: Number(draft.axisId),
    name: draft.name.trim(),
    description: draft.description.trim(),
  };
  return draft.start === fromScratch
    ? { ...base, rules: blankRules }
    : { ...base, templateId: draft.start };
}

function FundAndAxis({
  funds,
  draft,
  set,
  errors,
}: {
  funds: FundView[];
  draft: Draft;
  set: (changes: Partial<Draft>) => void;
  errors: ReadonlyMap<string, string>;
}) {
  const fund = funds.find((candidate) => `${candidate.id}` === draft.fundId);
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <Select
          label="Fonds qui finance le dispositif"
          hint="Les fonds que vous gérez."
          {...errorState(errors.get(ids.fund))}
          nativeSelectProps={{
            id: ids.fund,
            value: draft.fundId,
            onChange: (event) => {
              const next = funds.find((candidate) => `${candidate.id}` === event.target.value);
              set({ fundId: event.target.value, axisId: `${next?.axes[0]?.id ?? ''}` });
            },
          }}
        >
          {funds.map((candidate) => (
            <option key={candidate.id} value={`${candidate.id}`}>
              {candidate.name}
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <Select
          label="Axe du fonds"
          hint="Le budget du dispositif sera réservé sur cet axe."
          {...errorState(errors.get(ids.axis))}
          nativeSelectProps={{
            id: ids.axis,
            value: draft.axisId,
            onChange: (event) => set({ axisId: event.target.value }),
          }}
        >
          {(fund?.axes ?? []).map((axis) => (
            <option key={axis.id} value={`${axis.id}`}>
              {axis.name}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}

function Presentation({
  draft,
  set,
  errors,
}: {
  draft: Draft;
  set: (changes: Partial<Draft>) => void;
  errors: ReadonlyMap<string, string>;
}) {
  return (
    <>
      <Input
        label="Nom du dispositif"
        {...errorState(errors.get(ids.name))}
        nativeInputProps={{
          id: ids.name,
          value: draft.name,
          maxLength: 200,
          onChange: (event) => set({ name: event.target.value }),
        }}
      />
      <Input
        label="Description"
        hintText="Ce que l’aide permet, pour qui : elle sera lue par les bénéficiaires."
        textArea
        {...errorState(errors.get(ids.description))}
        nativeTextAreaProps={{
          id: ids.description,
          value: draft.description,
          rows: 4,
          onChange: (event) => set({ description: event.target.value }),
        }}
      />
    </>
  );
}

function NewProgrammeForm({
  funds,
  templates,
}: {
  funds: FundView[];
  templates: ProgrammeTemplate[];
}) {
  const [draft, setDraft] = useState(() => initialDraft(funds, templates));
  const [problems, setProblems] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const errors = new Map(problems.map((problem) => [problem.fieldId ?? '', problem.message]));

  function choose(start: string): void {
    const before = templates.find((template) => template.id === draft.start);
    const after = templates.find((template) => template.id === start);
    // The name and description follow the template as long as the person has not written theirs.
    const keepsName = draft.name.trim() !== '' && draft.name !== before?.name;
    const keepsDescription =
      draft.description.trim() !== '' && draft.description !== before?.description;
    set({
      start,
      name: keepsName ? draft.name : (after?.name ?? ''),
      description: keepsDescription ? draft.description : (after?.description ?? ''),
    });
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = problemsOf(draft);
    setProblems(found);
    if (found.length > 0) return;
    void run(async () =>
      navigate(`/dispositifs/${(await programmesApi.createProgramme(requestOf(draft))).id}`),
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label={newProgrammePageTitle}>
      <ErrorSummary errors={problems} />
      <SubmissionError error={error} />
      <h2>Fonds et axe</h2>
      <FundAndAxis funds={funds} draft={draft} set={set} errors={errors} />
      <h2 className={fr.cx('fr-mt-4w')}>Règles</h2>
      <TemplateChoice templates={templates} chosen={draft.start} onChoose={choose} />
      <h2 className={fr.cx('fr-mt-4w')}>Présentation</h2>
      <Presentation draft={draft} set={set} errors={errors} />
      <Button type="submit" disabled={pending}>
        Créer le dispositif
      </Button>
    </form>
  );
}

function NewProgrammeView({ session }: { session: AuthenticatedSession }) {
  const { resource } = useResource(async () => {
    const [funds, templates] = await Promise.all([fundsApi.funds(), programmesApi.templates()]);
    const managed = funds.filter((fund) => canManage(session.memberships, fund.organisationId));
    return { funds: managed, templates };
  }, 'nouveau-dispositif');
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={newProgrammePageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: programmesPageTitle, linkProps: { href: '/dispositifs' } },
        ]}
      />
      <h1>{newProgrammePageTitle}</h1>
      <Loaded resource={resource}>
        {({ funds, templates }) =>
          funds.length === 0 ? (
            <Alert
              severity="info"
              small
              description="Un dispositif est financé par un fonds que vous gérez : créez d’abord un fonds."
            />
          ) : (
            <NewProgrammeForm funds={funds} templates={templates} />
          )
        }
      </Loaded>
    </div>
  );
}

export function NewProgrammePage() {
  return <RequireSession>{(session) => <NewProgrammeView session={session} />}</RequireSession>;
}
