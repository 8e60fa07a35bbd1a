import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Loaded, useResource } from '../../components/resource.js';
import { formatDateTime } from '../../identity/format.js';
import { RequireSession } from '../../identity/session.js';
import { backOfficeHomePageTitle } from '../BackOfficeHomePage.js';
import { messagesPagePath, messagesPageTitle } from '../MessagesPage.js';
import { channelLabels, messagesApi, type CaughtMessage } from './api.js';

export const messagePageTitle = 'Message';

// The text exactly as sent: line breaks kept, long links wrapped instead of widening the page.
const bodyStyle = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;
const detailsStyle = {
  display: 'grid',
  gridTemplateColumns: 'max-content 1fr',
  gap: '0.5rem 1.5rem',
} as const;

function titleOf(message: CaughtMessage): string {
  return message.subject ?? `SMS à ${message.recipient}`;
}

function MessageView({ message }: { message: CaughtMessage }) {
  return (
    <>
      <h1>{titleOf(message)}</h1>
      <dl style={detailsStyle}>
        <dt>Canal</dt>
        <dd>{channelLabels[message.channel]}</dd>
        <dt>Destinataire</dt>
        <dd>{message.recipient}</dd>
        <dt>Reçu le</dt>
        <dd>{formatDateTime(message.receivedAt)}</dd>
        <dt>Notification d’origine</dt>
        <dd>{message.outboxId === null ? 'inconnue' : `n° ${message.outboxId}`}</dd>
      </dl>
      <h2 className={fr.cx('fr-h4', 'fr-mt-4w')}>Texte</h2>
      <pre style={bodyStyle}>{message.body}</pre>
    </>
  );
}

function Message({ messageId }: { messageId: number }) {
  const { resource } = useResource(() => messagesApi.message(messageId), `message-${messageId}`);
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={`Message n° ${messageId}`}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: messagesPageTitle, linkProps: { href: messagesPagePath } },
        ]}
      />
      <Loaded resource={resource}>{({ message }) => <MessageView message={message} />}</Loaded>
    </div>
  );
}

export function MessagePage({ messageId }: { messageId: number }) {
  return <RequireSession>{() => <Message messageId={messageId} />}</RequireSession>;
}
