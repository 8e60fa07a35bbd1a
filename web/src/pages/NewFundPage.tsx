import { useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ErrorSummary, type SummarisedError } from '../components/ErrorSummary.js';
import { SubmissionError, errorState, useSubmission } from '../components/forms.js';
import { useResource } from '../components/resource.js';
import { identityApi } from '../identity/api.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession, Organisation } from '../identity/types.js';
import { managedOrganisations } from '../programmes/access.js';
import { fundsApi } from '../programmes/api.js';
import { formatCents } from '../programmes/money.js';
import { navigate } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { fundsPageTitle } from './FundsPage.js';
import {
  checkFundDraft,
  fundFieldIds,
  runningTotals,
  type AxisRow,
  type ContributorRow,
  type FundDraft,
} from './funds/fund-draft.js';
import { AxisFields, ContributorFields, RowsSection } from './funds/FundRows.js';

export const newFundPageTitle = 'Créer un fonds';

const funderKinds = new Set([
  'etat',
  'region',
  'departement',
  'commune',
  'epci',
  'caisse_allocations_familiales',
  'caisse_retraite',
  'mutuelle',
  'union_europeenne',
  'cofinanceur_prive',
  'service',
]);

function useRowKeys() {
  const next = useRef(1);
  return () => {
    next.current += 1;
    return next.current;
  };
}

function Totals({ draft }: { draft: FundDraft }) {
  const totals = runningTotals(draft);
  const left = totals.committedCents - totals.budgetCents;
  return (
    <div className={fr.cx('fr-callout', 'fr-mb-4w')} role="status" aria-live="polite">
      <p className={fr.cx('fr-mb-1w')}>
        Total engagé par les contributeurs : <strong>{formatCents(totals.committedCents)}</strong>
      </p>
      <p className={fr.cx('fr-mb-1w')}>
        Total des budgets des axes : <strong>{formatCents(totals.budgetCents)}</strong>
      </p>
      {totals.exceeds ? (
        <Alert
          severity="error"
          small
          description={`Les budgets des axes dépassent les engagements de ${formatCents(-left)} : réduisez un budget ou augmentez un engagement.`}
        />
      ) : (
        <p className={fr.cx('fr-mb-0')}>Reste à répartir entre les axes : {formatCents(left)}</p>
      )}
    </div>
  );
}

function GeneralFields({
  draft,
  set,
  errors,
  organisations,
}: {
  draft: FundDraft;
  set: (changes: Partial<FundDraft>) => void;
  errors: ReadonlyMap<string, string>;
  organisations: { id: number; name: string }[];
}) {
  return (
    <>
      <Select
        label="Organisation qui gère le fonds"
        className="field-wide"
        {...errorState(errors.get(fundFieldIds.organisation))}
        nativeSelectProps={{
          id: fundFieldIds.organisation,
          value: draft.organisationId,
          onChange: (event) => set({ organisationId: event.target.value }),
        }}
      >
        {organisations.map((organisation) => (
          <option key={organisation.id} value={`${organisation.id}`}>
            {organisation.name}
          </option>
        ))}
      </Select>
      <Input
        label="Nom du fonds"
        className="field-wide"
        hintText="Par exemple « Fonds Jeunesse et territoires »."
        {...errorState(errors.get(fundFieldIds.name))}
        nativeInputProps={{
          id: fundFieldIds.name,
          value: draft.name,
          maxLength: 200,
          onChange: (event) => set({ name: event.target.value }),
        }}
      />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {(['startsOn', 'endsOn'] as const).map((field) => (
          <div key={field} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Input
              label={field === 'startsOn' ? 'Premier jour du fonds' : 'Dernier jour du fonds'}
              {...errorState(errors.get(fundFieldIds[field]))}
              nativeInputProps={{
                id: fundFieldIds[field],
                type: 'date',
                value: draft[field],
                onChange: (event) => set({ [field]: event.target.value }),
              }}
            />
          </div>
        ))}
      </div>
    </>
  );
}

function initialDraft(organisations: { id: number }[]): FundDraft {
  const first = organisations[0] === undefined ? '' : `${organisations[0].id}`;
  return {
    organisationId: first,
    name: '',
    startsOn: '',
    endsOn: '',
    contributors: [{ key: 0, organisation: first, otherNumber: '', amount: '' }],
    axes: [{ key: 1, name: '', budget: '' }],
  };
}

function useFundDraft(organisations: { id: number }[]) {
  const [draft, setDraft] = useState<FundDraft>(() => initialDraft(organisations));
  const newKey = useRowKeys();
  const set = (changes: Partial<FundDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const contributors = {
    add: () =>
      set({
        contributors: [
          ...draft.contributors,
          { key: newKey(), organisation: '', otherNumber: '', amount: '' },
        ],
      }),
    change: (row: ContributorRow) =>
      set({ contributors: draft.contributors.map((r) => (r.key === row.key ? row : r)) }),
    remove: (key: number) => set({ contributors: draft.contributors.filter((r) => r.key !== key) }),
  };
  const axes = {
    add: () => set({ axes: [...draft.axes, { key: newKey(), name: '', budget: '' }] }),
    change: (row: AxisRow) => set({ axes: draft.axes.map((r) => (r.key === row.key ? row : r)) }),
    remove: (key: number) => set({ axes: draft.axes.filter((r) => r.key !== key) }),
  };
  return { draft, set, contributors, axes };
}

function NewFundForm({
  organisations,
  candidates,
}: {
  organisations: { id: number; name: string }[];
  candidates: readonly Organisation[];
}) {
  const { draft, set, contributors, axes } = useFundDraft(organisations);
  const [problems, setProblems] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();
  const errors = new Map(problems.map((problem) => [problem.fieldId ?? '', problem.message]));

  function submit(event: FormEvent): void {
    event.preventDefault();
    const checked = checkFundDraft(draft);
    setProblems(checked.problems);
    if (checked.request === null) return;
    const request = checked.request;
    void run(async () => navigate(`/fonds/${(await fundsApi.createFund(request)).id}`));
  }

  return (
    <form onSubmit={submit} noValidate aria-label={newFundPageTitle}>
      <ErrorSummary errors={problems} />
      <SubmissionError error={error} />
      <GeneralFields draft={draft} set={set} errors={errors} organisations={organisations} />
      <RowsSection
        title="Contributeurs et engagements"
        rows={draft.contributors}
        addLabel="Ajouter un contributeur"
        onAdd={contributors.add}
        onRemove={contributors.remove}
        renderRow={(row, index, onRemove) => (
          <ContributorFields
            key={row.key}
            row={row}
            index={index}
            candidates={candidates}
            errors={errors}
            onChange={contributors.change}
            onRemove={onRemove}
          />
        )}
      />
      <RowsSection
        title="Axes et budgets"
        rows={draft.axes}
        addLabel="Ajouter un axe"
        onAdd={axes.add}
        onRemove={axes.remove}
        renderRow={(row, index, onRemove) => (
          <AxisFields
            key={row.key}
            row={row}
            index={index}
            errors={errors}
            onChange={axes.change}
            onRemove={onRemove}
          />
        )}
      />
      <Totals draft={draft} />
      <Button type="submit" disabled={pending}>
        Créer le fonds
      </Button>
    </form>
  );
}

function NewFundView({ session }: { session: AuthenticatedSession }) {
  const organisations = managedOrganisations(session.memberships);
  const { resource } = useResource(identityApi.organisations, 'organisations');
  const candidates =
    resource.status === 'loaded' ? resource.data.filter((o) => funderKinds.has(o.kind)) : [];
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={newFundPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: fundsPageTitle, linkProps: { href: '/fonds' } },
        ]}
      />
      <h1>{newFundPageTitle}</h1>
      {organisations.length === 0 ? (
        <Alert
          severity="info"
          small
          description="Seuls les gestionnaires d’un financeur créent un fonds."
        />
      ) : (
        <NewFundForm organisations={organisations} candidates={candidates} />
      )}
    </div>
  );
}

export function NewFundPage() {
  return <RequireSession>{(session) => <NewFundView session={session} />}</RequireSession>;
}
