import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { DataTable } from '../components/DataTable.js';
import { errorState } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { beneficiariesApi } from '../beneficiaries/api.js';
import {
  importingOrganisations,
  readingOrganisations,
  readsBeneficiaries,
} from '../beneficiaries/access.js';
import { addressInWords, beneficiaryName, identityInWords } from '../beneficiaries/format.js';
import type { BeneficiaryPage, BeneficiarySearch } from '../beneficiaries/types.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { formatCount } from '../programmes/money.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { FunderSelect } from './beneficiaries/FunderSelect.js';
import { Pager } from './beneficiaries/Pager.js';

export const beneficiariesPageTitle = 'Bénéficiaires';
export const beneficiariesPagePath = '/beneficiaires/liste';

const pageSize = 50;
const communeCodePattern = /^[0-9][0-9AB][0-9]{3}$/;
const communeFieldId = 'beneficiaires-commune';

/** The address of the list showing only the records an import created. */
export const importedBeneficiariesPath = (importId: number) =>
  `${beneficiariesPagePath}?import=${importId}`;

interface Criteria {
  search: string;
  communeCode: string;
  organisationId: string;
  importId: number | null;
  page: number;
}

/** The criteria the address carries, so that a link (or a reload) shows the same list. */
function criteriaFromAddress(): Criteria {
  const query = new URLSearchParams(window.location.search);
  const importId = Number(query.get('import'));
  const page = Number(query.get('page'));
  return {
    search: query.get('recherche') ?? '',
    communeCode: query.get('commune') ?? '',
    organisationId: query.get('organisation') ?? '',
    importId: Number.isSafeInteger(importId) && importId > 0 ? importId : null,
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

function rememberInAddress(criteria: Criteria): void {
  const query = new URLSearchParams();
  if (criteria.search !== '') query.set('recherche', criteria.search);
  if (criteria.communeCode !== '') query.set('commune', criteria.communeCode);
  if (criteria.organisationId !== '') query.set('organisation', criteria.organisationId);
  if (criteria.importId !== null) query.set('import', `${criteria.importId}`);
  if (criteria.page > 1) query.set('page', `${criteria.page}`);
  const search = query.toString();
  // Replaced, not pushed: the address follows the list without adding steps to go back through.
  window.history.replaceState(
    null,
    '',
    `${beneficiariesPagePath}${search === '' ? '' : `?${search}`}`,
  );
}

function requestOf(criteria: Criteria): BeneficiarySearch {
  return {
    search: criteria.search.trim(),
    communeCode: criteria.communeCode.trim().toUpperCase(),
    organisationId: criteria.organisationId === '' ? undefined : Number(criteria.organisationId),
    importId: criteria.importId ?? undefined,
    offset: (criteria.page - 1) * pageSize,
    limit: pageSize,
  };
}

function SearchFields({
  draft,
  set,
  communeError,
  organisations,
}: {
  draft: Criteria;
  set: (changes: Partial<Criteria>) => void;
  communeError: string | undefined;
  organisations: { id: number; name: string }[];
}) {
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-grid-row--bottom')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
        <Input
          label="Nom, raison sociale ou identifiant"
          hintText="Une partie du nom suffit."
          nativeInputProps={{
            id: 'beneficiaires-recherche',
            type: 'search',
            value: draft.search,
            maxLength: 100,
            onChange: (event) => set({ search: event.target.value }),
          }}
        />
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
        <Input
          label="Commune (code INSEE)"
          hintText="Par exemple 33063 pour Bordeaux."
          {...errorState(communeError)}
          nativeInputProps={{
            id: communeFieldId,
            value: draft.communeCode,
            maxLength: 5,
            autoComplete: 'off',
            onChange: (event) => set({ communeCode: event.target.value }),
          }}
        />
      </div>
      {organisations.length > 1 && (
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <FunderSelect
            id="beneficiaires-financeur"
            label="Financeur"
            organisations={organisations}
            value={draft.organisationId}
            onChange={(organisationId) => set({ organisationId })}
            allLabel="Tous"
          />
        </div>
      )}
    </div>
  );
}

function SearchForm({
  criteria,
  organisations,
  onSearch,
}: {
  criteria: Criteria;
  organisations: { id: number; name: string }[];
  onSearch: (criteria: Criteria) => void;
}) {
  const [draft, setDraft] = useState(criteria);
  const [communeError, setCommuneError] = useState<string | undefined>(undefined);
  const set = (changes: Partial<Criteria>) => setDraft((current) => ({ ...current, ...changes }));

  function submit(event: FormEvent): void {
    event.preventDefault();
    const communeCode = draft.communeCode.trim().toUpperCase();
    if (communeCode !== '' && !communeCodePattern.test(communeCode)) {
      setCommuneError('Le code INSEE d’une commune compte 5 caractères, par exemple 33063.');
      document.getElementById(communeFieldId)?.focus();
      return;
    }
    setCommuneError(undefined);
    onSearch({ ...draft, communeCode, page: 1 });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Rechercher des bénéficiaires">
      <SearchFields
        draft={draft}
        set={set}
        communeError={communeError}
        organisations={organisations}
      />
      <Button type="submit" iconId="fr-icon-search-line" className={fr.cx('fr-mt-2w', 'fr-mb-4w')}>
        Rechercher
      </Button>
    </form>
  );
}

function Results({
  found,
  criteria,
  onPage,
}: {
  found: BeneficiaryPage;
  criteria: Criteria;
  onPage: (page: number) => void;
}) {
  return (
    <>
      <p role="status">
        {found.total === 0
          ? 'Aucun bénéficiaire ne correspond à ces critères.'
          : `${formatCount(found.total)} bénéficiaire${found.total > 1 ? 's' : ''} trouvé${found.total > 1 ? 's' : ''}.`}
      </p>
      {found.beneficiaries.length > 0 && (
        <DataTable
          caption="Bénéficiaires trouvés"
          headers={['Bénéficiaire', 'Identité', 'Adresse', 'Identifiant', 'Compte']}
          rows={found.beneficiaries.map((beneficiary) => [
            <AppLink key="nom" href={`/beneficiaires/${beneficiary.id}`}>
              {beneficiaryName(beneficiary)}
            </AppLink>,
            identityInWords(beneficiary),
            addressInWords(beneficiary),
            beneficiary.externalId ?? '—',
            beneficiary.linked ? 'Rattaché' : 'Non rattaché',
          ])}
        />
      )}
      <Pager
        id="beneficiaires-pages"
        page={criteria.page}
        total={found.total}
        pageSize={pageSize}
        onPage={onPage}
      />
    </>
  );
}

function ImportFilter({ importId, onClear }: { importId: number; onClear: () => void }) {
  return (
    <Alert
      severity="info"
      small
      className={fr.cx('fr-mb-3w')}
      description={
        <>
          {`Seuls les bénéficiaires créés par l’import n° ${importId} sont affichés. `}
          <button type="button" className={fr.cx('fr-link')} onClick={onClear}>
            Afficher tous les bénéficiaires
          </button>
        </>
      }
    />
  );
}

function BeneficiariesList({ session }: { session: AuthenticatedSession }) {
  const [criteria, setCriteria] = useState(criteriaFromAddress);
  const { resource } = useResource(
    () => beneficiariesApi.search(requestOf(criteria)),
    JSON.stringify(criteria),
  );
  const change = (next: Criteria) => {
    setCriteria(next);
    rememberInAddress(next);
  };
  return (
    <>
      {importingOrganisations(session.memberships).length > 0 && (
        <Button
          iconId="fr-icon-upload-line"
          linkProps={{ href: '/beneficiaires/import' }}
          className={fr.cx('fr-mb-4w')}
        >
          Importer un fichier
        </Button>
      )}
      <SearchForm
        // A search launched elsewhere (clearing the import filter) starts the form afresh.
        key={criteria.importId ?? 'tous'}
        criteria={criteria}
        organisations={readingOrganisations(session.memberships)}
        onSearch={change}
      />
      {criteria.importId !== null && (
        <ImportFilter
          importId={criteria.importId}
          onClear={() => change({ ...criteria, importId: null, page: 1 })}
        />
      )}
      <Loaded resource={resource}>
        {(found) => (
          <Results
            found={found}
            criteria={criteria}
            onPage={(page) => change({ ...criteria, page })}
          />
        )}
      </Loaded>
    </>
  );
}

function BeneficiariesView({ session }: { session: AuthenticatedSession }) {
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={beneficiariesPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{beneficiariesPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Les personnes et les structures que votre organisation aide : chaque fiche n’est visible que
        du financeur qui la tient.
      </p>
      {readsBeneficiaries(session.memberships) ? (
        <BeneficiariesList session={session} />
      ) : (
        <Alert
          severity="info"
          small
          description="Seules les équipes des financeurs consultent les fiches des bénéficiaires."
        />
      )}
    </div>
  );
}

export function BeneficiariesPage() {
  return <RequireSession>{(session) => <BeneficiariesView session={session} />}</RequireSession>;
}
