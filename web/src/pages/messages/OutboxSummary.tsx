import { fr } from '@codegouvfr/react-dsfr';
import { DataTable } from '../../components/DataTable.js';
import { Loaded, useResource } from '../../components/resource.js';
import { formatDateTime } from '../../identity/format.js';
import {
  channelLabels,
  messagesApi,
  statusLabels,
  type OutboxChannel,
  type OutboxStatus,
  type OutboxSummary as Summary,
} from './api.js';

const channels: OutboxChannel[] = ['email', 'sms', 'in_app'];
const statuses: OutboxStatus[] = ['pending', 'sent', 'failed'];

function countOf(summary: Summary, channel: OutboxChannel, status: OutboxStatus): number {
  return summary.counts.find((row) => row.channel === channel && row.status === status)?.count ?? 0;
}

/** How many notifications wait, left, or were given up, per channel. */
export function OutboxSummary() {
  const { resource } = useResource(messagesApi.outboxSummary, 'outbox-summary');
  return (
    <section aria-labelledby="messages-file" className={fr.cx('fr-mb-6w')}>
      <h2 id="messages-file">File d’envoi des notifications</h2>
      <Loaded resource={resource}>
        {(summary) => (
          <>
            <DataTable
              caption="Notifications par canal et par état"
              headers={['Canal', ...statuses.map((status) => statusLabels[status])]}
              rows={channels.map((channel) => [
                channelLabels[channel],
                ...statuses.map((status) =>
                  countOf(summary, channel, status).toLocaleString('fr-FR'),
                ),
              ])}
            />
            <p>
              {summary.earliestDueAt === null
                ? 'Aucune notification en attente.'
                : `Plus ancienne échéance en attente : ${formatDateTime(summary.earliestDueAt)}.`}
            </p>
          </>
        )}
      </Loaded>
    </section>
  );
}
