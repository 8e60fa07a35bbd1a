import type pg from 'pg';
import type { NotificationTemplate } from './outbox.js';
import { renderNotice } from './templates.js';
import { insertNotification } from '../identity/people-store.js';
import { markNoticeSent } from './worker-store.js';

// The in-app channel: a row of the personal space's notifications, written with the outbox
// row's event key, so that writing it again changes nothing.

/** The personal space's own address: an in-app message is read inside the application. */
export const IN_APP_SPACE_PATH = '/espace';

export type InAppNotice = {
  id: number;
  personId: number;
  template: NotificationTemplate;
  eventKey: string;
  payload: unknown;
};

/** Answers why the payload cannot be rendered, or undefined once the notification is written. */
export async function deliverInApp(
  client: pg.ClientBase,
  notice: InAppNotice,
): Promise<string | undefined> {
  const result = renderNotice(notice.template, notice.payload, { spaceUrl: IN_APP_SPACE_PATH });
  if ('invalid' in result) return result.invalid;
  await insertNotification(client, {
    personId: notice.personId,
    kind: result.rendered.kind,
    subject: result.rendered.inApp.subject,
    body: result.rendered.inApp.body,
    eventKey: notice.eventKey,
  });
  await markNoticeSent(client, notice.id);
  return undefined;
}
