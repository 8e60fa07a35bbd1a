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
import { canManageCampaigns } from '../campaigns/access.js';
import { campaignsApi } from '../campaigns/api.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { programmesApi } from '../programmes/api.js';
import { today } from '../programmes/format.js';
import type { ProgrammeView } from '../programmes/types.js';
import { navigate } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { campaignsPageTitle } from './CampaignsPage.js';
import {
  campaignFieldIds as ids,
  campaignProblems,
  campaignRequestOf,
  type CampaignDraft,
} from './campaigns/campaign-draft.js';
import { PopulationChoice } from './campaigns/PopulationChoice.js';

export const newCampaignPageTitle = 'Nouvelle campagne';

/** The programme and the import named in the address (links from a programme or an import). */
function initialDraft(programmes: ProgrammeView[]): CampaignDraft {
  const query = new URLSearchParams(window.location.search);
  const asked = programmes.find((candidate) => `${candidate.id}` === query.get('programmeId'));
  const importId = query.get('importId') ?? '';
  return {
    programmeId: `${(asked ?? programmes[0])?.id ?? ''}`,
    name: '',
    populationKind: /^\d+$/.test(importId) ? 'import' : 'all',
    importId: /^\d+$/.test(importId) ? importId : '',
    communeCodes: '',
    referenceDate: today(),
  };
}

function ProgrammeSelect({
  programmes,
  draft,
  set,
  problem,
}: {
  programmes: ProgrammeView[];
  draft: CampaignDraft;
  set: (changes: Partial<CampaignDraft>) => void;
  problem: string | undefined;
}) {
  return (
    <Select
      label="Dispositif attribué"
      hint="Les dispositifs publiés que vous gérez ; la campagne applique leur version publiée."
      {...errorState(problem)}
      nativeSelectProps={{
        id: ids.programme,
        value: draft.programmeId,
        // Another programme may belong to another funder, with other imports.
        onChange: (event) => set({ programmeId: event.target.value, importId: '' }),
      }}
    >
      {programmes.map((programme) => (
        <option key={programme.id} value={`${programme.id}`}>
          {`${programme.name} (version ${programme.publishedVersion ?? '?'})`}
        </option>
      ))}
    </Select>
  );
}

function NewCampaignForm({ programmes }: { programmes: ProgrammeView[] }) {
  const [draft, setDraft] = useState(() => initialDraft(programmes));
  const [problems, setProblems] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();
  const set = (changes: Partial<CampaignDraft>) =>
    setDraft((current) => ({ ...current, ...changes }));
  const errors = new Map(problems.map((problem) => [problem.fieldId ?? '', problem.message]));
  const programme = programmes.find((candidate) => `${candidate.id}` === draft.programmeId);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = campaignProblems(draft);
    setProblems(found);
    if (found.length > 0) return;
    void run(async () => {
      const campaign = await campaignsApi.create(campaignRequestOf(draft));
      navigate(`/campagnes/${campaign.id}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={newCampaignPageTitle}>
      <ErrorSummary errors={problems} />
      <SubmissionError error={error} />
      <ProgrammeSelect
        programmes={programmes}
        draft={draft}
        set={set}
        problem={errors.get(ids.programme)}
      />
      <Input
        label="Nom de la campagne"
        hintText="Par exemple : Pass culture — rentrée 2026."
        {...errorState(errors.get(ids.name))}
        nativeInputProps={{
          id: ids.name,
          value: draft.name,
          maxLength: 200,
          onChange: (event) => set({ name: event.target.value }),
        }}
      />
      <PopulationChoice
        organisationId={programme?.organisationId ?? null}
        draft={draft}
        set={set}
        errors={errors}
      />
      <Input
        label="Date de référence"
        hintText="Les âges et les autres conditions sont appréciés à cette date."
        className="field-narrow"
        {...errorState(errors.get(ids.referenceDate))}
        nativeInputProps={{
          id: ids.referenceDate,
          type: 'date',
          value: draft.referenceDate,
          onChange: (event) => set({ referenceDate: event.target.value }),
        }}
      />
      <p className={fr.cx('fr-text--sm')}>
        La simulation commence dès l’envoi : rien n’est crédité avant l’approbation.
      </p>
      <Button type="submit" disabled={pending} iconId="fr-icon-play-line">
        {pending ? 'Préparation…' : 'Préparer et simuler la campagne'}
      </Button>
    </form>
  );
}

function NewCampaignView({ session }: { session: AuthenticatedSession }) {
  const { resource } = useResource(
    async () =>
      (await programmesApi.programmes()).filter(
        (programme) =>
          programme.publishedVersion !== null &&
          canManageCampaigns(session.memberships, programme.organisationId),
      ),
    'nouvelle-campagne',
  );
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={newCampaignPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: campaignsPageTitle, linkProps: { href: '/campagnes' } },
        ]}
      />
      <h1>{newCampaignPageTitle}</h1>
      <Loaded resource={resource}>
        {(programmes) =>
          programmes.length === 0 ? (
            <Alert
              severity="info"
              small
              description="Une campagne attribue un dispositif publié que vous gérez : publiez d’abord les règles d’un dispositif."
            />
          ) : (
            <NewCampaignForm programmes={programmes} />
          )
        }
      </Loaded>
    </div>
  );
}

export function NewCampaignPage() {
  return <RequireSession>{(session) => <NewCampaignView session={session} />}</RequireSession>;
}
