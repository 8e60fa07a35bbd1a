import { apiRequest } from '../../identity/api.js';

// The back-office's view of the local mail catcher and fake SMS provider, and of the outbox.

export type MessageChannel = 'email' | 'sms';

export interface CaughtMessageSummary {
  id: number;
  channel: MessageChannel;
  outboxId: number | null;
  recipient: string;
  subject: string | null;
  receivedAt: string;
}

export interface CaughtMessage extends CaughtMessageSummary {
  body: string;
}

export interface MessageQuery {
  channel?: MessageChannel;
  recipient?: string;
  offset: number;
  limit: number;
}

export type OutboxChannel = MessageChannel | 'in_app';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxSummary {
  counts: { channel: OutboxChannel; status: OutboxStatus; count: number }[];
  earliestDueAt: string | null;
}

function searchOf(query: MessageQuery): string {
  const parameters = new URLSearchParams({ offset: `${query.offset}`, limit: `${query.limit}` });
  if (query.channel !== undefined) parameters.set('channel', query.channel);
  if (query.recipient !== undefined) parameters.set('recipient', query.recipient);
  return parameters.toString();
}

export const messagesApi = {
  messages: (query: MessageQuery) =>
    apiRequest<{ messages: CaughtMessageSummary[]; total: number }>(
      `/api/messages?${searchOf(query)}`,
    ),
  message: (messageId: number) =>
    apiRequest<{ message: CaughtMessage }>(`/api/messages/${encodeURIComponent(`${messageId}`)}`),
  outboxSummary: () => apiRequest<OutboxSummary>('/api/notifications/outbox/summary'),
};

export const channelLabels: Record<OutboxChannel, string> = {
  email: 'Courriel',
  sms: 'SMS',
  in_app: 'Espace personnel',
};

export const statusLabels: Record<OutboxStatus, string> = {
  pending: 'En attente',
  sent: 'Envoyés',
  failed: 'Abandonnés',
};
