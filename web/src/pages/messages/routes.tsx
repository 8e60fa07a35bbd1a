import type { ResolvedPage } from '../../routes.js';
import { MessagesPage, messagesPagePath, messagesPageTitle } from '../MessagesPage.js';
import { MessagePage, messagePageTitle } from './MessagePage.js';

/** The caught messages' list, at a fixed address. */
export const messageFixedPages: [string, () => ResolvedPage][] = [
  [messagesPagePath, () => ({ title: messagesPageTitle, content: <MessagesPage /> })],
];

/** One caught message, by the id in the address. */
export function messagePageWithParameter(path: string): ResolvedPage | undefined {
  const message = /^\/messages\/(\d{1,15})$/.exec(path);
  if (message === null) return undefined;
  const messageId = Number(message[1]);
  return {
    title: messagePageTitle,
    content: <MessagePage key={messageId} messageId={messageId} />,
  };
}
