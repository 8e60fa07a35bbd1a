import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import type pg from 'pg';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { OUTBOX_ID_HEADER } from './channels.js';
import { insertCaughtMessage } from './message-store.js';

// The embedded default's mail catcher: a real SMTP server on the loopback interface that keeps
// what it receives in `caught_messages`, where the back-office shows it. Nothing leaves the
// machine; the worker still speaks real SMTP to it, as it would to a relay.

export const MAX_CAUGHT_MESSAGE_BYTES = 1_048_576;
const MAX_CATCHER_CLIENTS = 20;
const MAX_CAUGHT_BODY_LENGTH = 100_000;
const MAX_SUBJECT_LENGTH = 300;

export type MailCatcher = { smtpUrl: string; close(): Promise<void> };

function clipped(value: string, maxLength: number): string {
  return value.length <= maxLength ? value : value.slice(0, maxLength);
}

/** The outbox id the message carries, if it is one. */
function outboxIdOf(header: unknown): number | null {
  const text = typeof header === 'string' ? header.trim() : '';
  return /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null;
}

async function keep(pool: pg.Pool, stream: Readable, session: SMTPServerSession): Promise<void> {
  const parsed = await simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true });
  const outboxId = outboxIdOf(parsed.headers.get(OUTBOX_ID_HEADER.toLowerCase()));
  const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
  await insertCaughtMessage(pool, {
    channel: 'email',
    outboxId,
    recipient: clipped(recipients.join(', ') || 'inconnu', 254),
    subject: parsed.subject === undefined ? null : clipped(parsed.subject, MAX_SUBJECT_LENGTH),
    body: clipped(parsed.text ?? '', MAX_CAUGHT_BODY_LENGTH),
  });
}

export async function startMailCatcher(
  pool: pg.Pool,
  options: { port: number; onError: (error: unknown) => void },
): Promise<MailCatcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_CAUGHT_MESSAGE_BYTES,
    rejectOversized: true,
    maxClients: MAX_CATCHER_CLIENTS,
    logger: false,
    onData(stream: SMTPServerDataStream, session, callback) {
      keep(pool, stream, session).then(
        () => callback(),
        (error: unknown) => {
          options.onError(error);
          // 451: the sender keeps the message and tries again later.
          callback(Object.assign(new Error('enregistrement impossible'), { responseCode: 451 }));
        },
      );
    },
  });
  server.on('error', options.onError);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
