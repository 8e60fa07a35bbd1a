import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded, useResource } from '../components/resource.js';
import { formatDateTime } from '../identity/format.js';
import { RequireSession } from '../identity/session.js';
import { AppLink } from '../routing.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import {
  channelLabels,
  messagesApi,
  type CaughtMessageSummary,
  type MessageChannel,
  type MessageQuery,
} from './messages/api.js';
import { OutboxSummary } from './messages/OutboxSummary.js';

export const messagesPageTitle = 'Messages envoyés';
export const messagesPagePath = '/messages';

const pageSize = 50;

function MessageFilter({ onFilter }: { onFilter: (query: MessageQuery) => void }) {
  const [channel, setChannel] = useState<'' | MessageChannel>('');
  const [recipient, setRecipient] = useState('');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const query: MessageQuery = { offset: 0, limit: pageSize };
    if (channel !== '') query.channel = channel;
    if (recipient.trim() !== '') query.recipient = recipient.trim();
    onFilter(query);
  }

  return (
    <form onSubmit={submit} aria-labelledby="messages-filtre">
      <h2 id="messages-filtre" className={fr.cx('fr-h4')}>
        Filtrer
      </h2>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select
            label="Canal"
            nativeSelectProps={{
              id: 'messages-canal',
              value: channel,
              onChange: (event) => setChannel(event.target.value as '' | MessageChannel),
            }}
          >
            <option value="">Tous</option>
            <option value="email">{channelLabels.email}</option>
            <option value="sms">{channelLabels.sms}</option>
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
          <Input
            label="Destinataire"
            hintText="Adresse électronique ou numéro de téléphone exact"
            nativeInputProps={{
              id: 'messages-destinataire',
              value: recipient,
              maxLength: 254,
              onChange: (event) => setRecipient(event.target.value),
            }}
          />
        </div>
      </div>
      <Button type="submit">Filtrer</Button>
    </form>
  );
}

function MessageTable({ messages }: { messages: CaughtMessageSummary[] }) {
  return (
    <DataTable
      caption="Messages reçus par le collecteur local, des plus récents aux plus anciens"
      headers={['Reçu le', 'Canal', 'Destinataire', 'Objet', 'Message']}
      rows={messages.map((message) => [
        formatDateTime(message.receivedAt),
        channelLabels[message.channel],
        message.recipient,
        message.subject ?? '—',
        <AppLink key="lire" href={`${messagesPagePath}/${message.id}`}>
          Lire<span className={fr.cx('fr-sr-only')}> le message n° {message.id}</span>
        </AppLink>,
      ])}
    />
  );
}

function Pager({
  query,
  total,
  onChange,
}: {
  query: MessageQuery;
  total: number;
  onChange: (query: MessageQuery) => void;
}) {
  const hasNewer = query.offset > 0;
  const hasOlder = query.offset + query.limit < total;
  if (!hasNewer && !hasOlder) return null;
  return (
    <nav aria-label="Pages de messages" className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
      <Button
        priority="secondary"
        disabled={!hasNewer}
        onClick={() => onChange({ ...query, offset: Math.max(query.offset - query.limit, 0) })}
      >
        Messages plus récents
      </Button>
      <Button
        priority="secondary"
        disabled={!hasOlder}
        onClick={() => onChange({ ...query, offset: query.offset + query.limit })}
      >
        Messages plus anciens
      </Button>
    </nav>
  );
}

function Messages() {
  const [query, setQuery] = useState<MessageQuery>({ offset: 0, limit: pageSize });
  const { resource } = useResource(() => messagesApi.messages(query), JSON.stringify(query));

  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={messagesPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{messagesPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Sans relais SMTP ni fournisseur SMS configurés, la plateforme garde ici les courriels et les
        SMS qu’elle aurait envoyés, pour les vérifier.
      </p>
      <OutboxSummary />
      <MessageFilter onFilter={setQuery} />
      <section aria-labelledby="messages-resultats" className={fr.cx('fr-mt-6w')}>
        <h2 id="messages-resultats">Messages reçus</h2>
        <Loaded resource={resource}>
          {({ messages, total }) => (
            <>
              <p role="status">
                {total === 0
                  ? 'Aucun message.'
                  : `${total} message(s) ; messages ${query.offset + 1} à ${query.offset + messages.length}.`}
              </p>
              {messages.length > 0 && <MessageTable messages={messages} />}
              <Pager query={query} total={total} onChange={setQuery} />
            </>
          )}
        </Loaded>
      </section>
    </div>
  );
}

export function MessagesPage() {
  return <RequireSession>{() => <Messages />}</RequireSession>;
}
