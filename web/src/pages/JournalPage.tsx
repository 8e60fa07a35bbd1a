import { useCallback, useEffect, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { DataTable } from '../components/DataTable.js';
import { SubmissionError, useSubmission } from '../components/forms.js';
import { identityApi } from '../identity/api.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import type { JournalEntry, JournalQuery } from '../identity/types.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { JournalSearchForm } from './journal/JournalSearchForm.js';
import { actorTypeLabels, targetTypeLabels } from './journal/labels.js';

export const journalPageTitle = 'Journal d’audit';

const pageSize = '50';

function actorOf(entry: JournalEntry): string {
  const actor =
    entry.actorDisplayName ??
    (entry.actorApiKeyId !== null
      ? `Clé d’API n° ${entry.actorApiKeyId}`
      : actorTypeLabels[entry.actorType]);
  const onBehalfOf = entry.onBehalfOfDisplayName ?? entry.onBehalfOfPersonId;
  return onBehalfOf === null ? actor : `${actor}, pour ${onBehalfOf}`;
}

function targetOf(entry: JournalEntry): string {
  return `${targetTypeLabels[entry.targetType] ?? entry.targetType} n° ${entry.targetId}`;
}

/** The state before and after the action, for whoever needs to know exactly what changed. */
function Changes({ entry }: { entry: JournalEntry }) {
  if (entry.before === null && entry.after === null) return '—';
  return (
    <details>
      <summary>Avant et après</summary>
      <pre className="journal-changes">
        {`Avant : ${JSON.stringify(entry.before, null, 2)}\nAprès : ${JSON.stringify(entry.after, null, 2)}`}
      </pre>
    </details>
  );
}

/** One search's entries, newest first, and where the next page of older ones starts. */
function useJournalSearch() {
  const [criteria, setCriteria] = useState<JournalQuery | null>(null);
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const { pending, error, run } = useSubmission();

  const load = useCallback(
    (query: JournalQuery, previous: JournalEntry[]) =>
      run(async () => {
        const page = await identityApi.journal({ ...query, limit: pageSize });
        setEntries([...previous, ...page.entries]);
        setNextBeforeId(page.nextBeforeId);
      }),
    [run],
  );

  const search = useCallback(
    (query: JournalQuery) => {
      setCriteria(query);
      void load(query, []);
    },
    [load],
  );

  function more(): void {
    if (criteria === null || nextBeforeId === null) return;
    void load({ ...criteria, beforeId: `${nextBeforeId}` }, entries);
  }

  return { entries, nextBeforeId, pending, error, search, more };
}

function Journal() {
  const journal = useJournalSearch();
  const { search } = journal;
  // The latest entries, before any criterion is chosen.
  useEffect(() => search({}), [search]);

  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={journalPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{journalPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Chaque action sur les comptes, les organisations, les clés et les mandats y est inscrite,
        sans pouvoir être modifiée ni effacée.
      </p>
      <JournalSearchForm pending={journal.pending} onSearch={search} />
      <section aria-labelledby="journal-resultats" className={fr.cx('fr-mt-6w')}>
        <h2 id="journal-resultats">Résultats</h2>
        <SubmissionError error={journal.error} />
        <p role="status">
          {journal.pending
            ? 'Recherche en cours…'
            : `${journal.entries.length} entrée(s) affichée(s).`}
        </p>
        {journal.entries.length > 0 && (
          <DataTable
            caption="Entrées du journal, des plus récentes aux plus anciennes"
            headers={['Date', 'Auteur', 'Action', 'Objet', 'Détails']}
            rows={journal.entries.map((entry) => [
              formatDateTime(entry.occurredAt),
              actorOf(entry),
              entry.actionLabel,
              targetOf(entry),
              <Changes key="details" entry={entry} />,
            ])}
          />
        )}
        {journal.nextBeforeId !== null && (
          <Button priority="secondary" disabled={journal.pending} onClick={journal.more}>
            Voir plus
          </Button>
        )}
      </section>
    </div>
  );
}

export function JournalPage() {
  return <RequireSession>{() => <Journal />}</RequireSession>;
}
