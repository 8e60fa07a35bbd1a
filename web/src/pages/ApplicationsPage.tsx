import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { instructionApi } from '../applications/api.js';
import type { ApplicationStatus, ApplicationSummary } from '../applications/types.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { formatDate } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { evaluationText, StatusBadge } from './applications/ApplicationParts.js';

export const applicationsPageTitle = 'Demandes d’aide à instruire';

const PAGE_SIZE = 50;

const statusChoices: [ApplicationStatus | '', string][] = [
  ['', 'Tous les états'],
  ['submitted', 'À instruire'],
  ['information_requested', 'Informations demandées'],
  ['accepted', 'Acceptées'],
  ['refused', 'Refusées'],
  ['withdrawn', 'Retirées'],
];

function ApplicationsTable({ applications }: { applications: ApplicationSummary[] }) {
  if (applications.length === 0) return <p>Aucune demande ne correspond.</p>;
  return (
    <DataTable
      caption="Demandes d’aide"
      headers={['N°', 'Demandeur', 'Dispositif', 'Déposée le', 'Évaluation automatique', 'État']}
      rows={applications.map((application) => [
        <AppLink key="numero" href={`/demandes/${application.id}`}>
          {`Demande n° ${application.id}`}
        </AppLink>,
        application.applicantName,
        application.programmeName,
        formatDate(application.createdAt),
        evaluationText(application.eligible, application.evaluatedAmountCents),
        <StatusBadge key="etat" status={application.status} label={application.statusLabel} />,
      ])}
    />
  );
}

/** The funders where the person instructs: a filter only when there are several. */
function funderChoices(session: AuthenticatedSession): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const membership of session.memberships) {
    const instructs = membership.role === 'instructeur' || membership.role === 'gestionnaire';
    if (instructs && membership.organisationId !== null) {
      seen.set(
        membership.organisationId,
        membership.organisationName ?? `${membership.organisationId}`,
      );
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

type Filter = { status: ApplicationStatus | ''; organisationId: number | undefined };

function Filters({
  filter,
  funders,
  change,
}: {
  filter: Filter;
  funders: { id: number; name: string }[];
  change: (filter: Filter) => void;
}) {
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
        <Select
          label="État"
          nativeSelectProps={{
            id: 'filtre-etat',
            value: filter.status,
            onChange: (event) =>
              change({ ...filter, status: event.target.value as ApplicationStatus | '' }),
          }}
        >
          {statusChoices.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      {funders.length > 1 && (
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select
            label="Financeur"
            nativeSelectProps={{
              id: 'filtre-financeur',
              value: filter.organisationId === undefined ? '' : `${filter.organisationId}`,
              onChange: (event) =>
                change({
                  ...filter,
                  organisationId:
                    event.target.value === '' ? undefined : Number(event.target.value),
                }),
            }}
          >
            <option value="">Tous mes financeurs</option>
            {funders.map((funder) => (
              <option key={funder.id} value={funder.id}>
                {funder.name}
              </option>
            ))}
          </Select>
        </div>
      )}
    </div>
  );
}

function ApplicationsView({ session }: { session: AuthenticatedSession }) {
  const [filter, setFilter] = useState<Filter>({ status: 'submitted', organisationId: undefined });
  const [offset, setOffset] = useState(0);
  const { resource } = useResource(
    () =>
      instructionApi.applications({
        status: filter.status === '' ? undefined : filter.status,
        organisationId: filter.organisationId,
        offset,
        limit: PAGE_SIZE,
      }),
    `demandes-${filter.status}-${filter.organisationId ?? 'toutes'}-${offset}`,
  );
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={applicationsPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{applicationsPageTitle}</h1>
      <Filters
        filter={filter}
        funders={funderChoices(session)}
        change={(changed) => {
          setFilter(changed);
          setOffset(0);
        }}
      />
      <Loaded resource={resource}>
        {({ applications, total }) => (
          <>
            <p role="status">{`${total} demande${total > 1 ? 's' : ''}`}</p>
            <ApplicationsTable applications={applications} />
            <Pager offset={offset} total={total} move={setOffset} />
          </>
        )}
      </Loaded>
    </div>
  );
}

function Pager({
  offset,
  total,
  move,
}: {
  offset: number;
  total: number;
  move: (offset: number) => void;
}) {
  if (total <= PAGE_SIZE) return null;
  return (
    <nav aria-label="Pages de demandes" className={fr.cx('fr-mt-2w')}>
      <Button
        priority="secondary"
        size="small"
        disabled={offset === 0}
        onClick={() => move(Math.max(0, offset - PAGE_SIZE))}
        className={fr.cx('fr-mr-1w')}
      >
        Page précédente
      </Button>
      <Button
        priority="secondary"
        size="small"
        disabled={offset + PAGE_SIZE >= total}
        onClick={() => move(offset + PAGE_SIZE)}
      >
        Page suivante
      </Button>
    </nav>
  );
}

export function ApplicationsPage() {
  return <RequireSession>{(session) => <ApplicationsView session={session} />}</RequireSession>;
}
