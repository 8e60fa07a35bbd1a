import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { canManage, readsFunds } from '../programmes/access.js';
import { fundsApi, programmesApi } from '../programmes/api.js';
import { contributorName } from '../programmes/format.js';
import { formatCents } from '../programmes/money.js';
import type { FundView, ProgrammeTemplate, ProgrammeView } from '../programmes/types.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { MovementForm } from './funds/MovementForm.js';
import { programmesPageTitle } from './ProgrammesPage.js';
import { RulesSection } from './programmes/RulesSection.js';
import { SimulationSection } from './programmes/SimulationSection.js';

export const programmePageTitle = 'Détail du dispositif';

interface ProgrammeContext {
  programme: ProgrammeView;
  fund: FundView | null;
  template: ProgrammeTemplate | undefined;
}

async function loadProgramme(
  programmeId: number,
  session: AuthenticatedSession,
): Promise<ProgrammeContext> {
  const programme = await programmesApi.programme(programmeId);
  const [fund, templates] = await Promise.all([
    // Instructors read programmes but not funds: the page then names the fund by its number.
    readsFunds(session.memberships) ? fundsApi.fund(programme.fundId).catch(() => null) : null,
    programmesApi.templates().catch(() => []),
  ]);
  return { programme, fund, template: templates.find((t) => t.id === programme.templateId) };
}

function Summary({ programme, fund, template }: ProgrammeContext) {
  const axis = fund?.axes.find((candidate) => candidate.id === programme.axisId);
  const reserves = programme.reserves.filter((reserve) => reserve.availableCents > 0);
  return (
    <dl className="identification">
      <dt>Fonds</dt>
      <dd>
        <AppLink href={`/fonds/${programme.fundId}`}>
          {fund?.name ?? `Fonds n° ${programme.fundId}`}
        </AppLink>
      </dd>
      <dt>Axe</dt>
      <dd>{axis?.name ?? `Axe n° ${programme.axisId}`}</dd>
      <dt>Modèle de départ</dt>
      <dd>{template?.name ?? 'Aucun (règles écrites de zéro)'}</dd>
      <dt>Version publiée</dt>
      <dd>
        {programme.publishedVersion === null
          ? 'Aucune : le dispositif n’attribue rien encore'
          : `Version ${programme.publishedVersion}`}
      </dd>
      <dt>Budget réservé</dt>
      <dd>
        {formatCents(programme.reservedCents)}
        {fund !== null && reserves.length > 0 && (
          <ul className={fr.cx('fr-raw-list', 'fr-text--sm', 'fr-mb-0')}>
            {reserves.map((reserve) => (
              <li
                key={reserve.contributorId}
              >{`dont ${contributorName(fund, reserve.contributorId)} : ${formatCents(reserve.availableCents)}`}</li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}

function Versions({ programme }: { programme: ProgrammeView }) {
  return (
    <section aria-labelledby="dispositif-versions" className={fr.cx('fr-mb-6w')}>
      <h2 id="dispositif-versions">Versions des règles</h2>
      <DataTable
        caption="Versions des règles du dispositif"
        headers={['Version', 'Enregistrée le', 'État']}
        rows={[...programme.versions].reverse().map((version) => [
          `Version ${version.version}`,
          formatDateTime(version.createdAt),
          version.version === programme.publishedVersion ? (
            <Badge key="etat" small severity="success">
              Publiée
            </Badge>
          ) : (
            <Badge key="etat" small>
              Non publiée
            </Badge>
          ),
        ])}
      />
    </section>
  );
}

function ProgrammeContent({
  context,
  session,
  reload,
}: {
  context: ProgrammeContext;
  session: AuthenticatedSession;
  reload: () => void;
}) {
  const { programme } = context;
  const manages = canManage(session.memberships, programme.organisationId);
  return (
    <>
      {programme.description !== '' && (
        <p className={fr.cx('fr-text--lead')}>{programme.description}</p>
      )}
      <Summary {...context} />
      {manages && programme.publishedVersion !== null && (
        <Button
          iconId="fr-icon-send-plane-line"
          priority="secondary"
          linkProps={{ href: `/campagnes/nouvelle?programmeId=${programme.id}` }}
          className={fr.cx('fr-mb-4w')}
        >
          Lancer une campagne
        </Button>
      )}
      <Versions programme={programme} />
      <RulesSection
        programme={programme}
        sampleFacts={context.template?.sampleFacts ?? {}}
        manages={manages}
        reload={reload}
      />
      {manages && (
        <MovementForm
          idPrefix="reserve"
          title="Réserver un budget"
          targetLabel={null}
          targets={[{ id: programme.id, label: programme.name }]}
          submitLabel="Réserver"
          describe={(_target, amount) =>
            `${amount} réservés pour le dispositif sur son axe, au prorata de ce que chaque contributeur y a apporté`
          }
          send={(_id, amountCents, clientKey) =>
            programmesApi.reserveBudget(programme.id, { amountCents, clientKey })
          }
          onDone={reload}
        />
      )}
      <SimulationSection programme={programme} />
    </>
  );
}

function ProgrammeDetails({
  programmeId,
  session,
}: {
  programmeId: number;
  session: AuthenticatedSession;
}) {
  const { resource, reload } = useResource(
    () => loadProgramme(programmeId, session),
    `dispositif-${programmeId}`,
  );
  const name = resource.status === 'loaded' ? resource.data.programme.name : programmePageTitle;
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={name}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: programmesPageTitle, linkProps: { href: '/dispositifs' } },
        ]}
      />
      <h1>{name}</h1>
      <Loaded resource={resource}>
        {(context) => <ProgrammeContent context={context} session={session} reload={reload} />}
      </Loaded>
    </div>
  );
}

export function ProgrammePage({ programmeId }: { programmeId: number }) {
  return (
    <RequireSession>
      {(session) => <ProgrammeDetails programmeId={programmeId} session={session} />}
    </RequireSession>
  );
}
