import nodemailer from 'nodemailer';

// The ways out: email over SMTP and SMS over an HTTP provider. Each message carries its outbox
// id, so that a receiver that sees it twice (a worker died after sending, before recording it)
// can tell, and the local catcher and fake provider keep it once.

/** SMTP waits, each below the worker's lease so that a slow relay cannot outlive it. */
const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
const SMTP_SOCKET_TIMEOUT_MS = 15_000;
const SMTP_MAX_CONNECTIONS = 4;
export const SMS_TIMEOUT_MS = 5_000;
/** The longest a single delivery may take: the worker starts none closer than this to its lease's end. */
export const MAX_DELIVERY_MS = SMTP_CONNECTION_TIMEOUT_MS + SMTP_SOCKET_TIMEOUT_MS;
export const OUTBOX_ID_HEADER = 'X-Flechage-Outbox-Id';

export type OutgoingMessage = { outboxId: number; to: string; subject: string; text: string };
export type OutgoingSms = { outboxId: number; to: string; text: string };

/** A refusal that trying again would not change (an address the relay rejects, say). */
export class PermanentDeliveryError extends Error {}

export type EmailChannel = { send(message: OutgoingMessage): Promise<void>; close(): void };
export type SmsChannel = { send(message: OutgoingSms): Promise<void> };

function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'flechage.localhost';
}

export function createEmailChannel(options: { smtpUrl: string; from: string }): EmailChannel {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: SMTP_MAX_CONNECTIONS,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  });
  const domain = domainOf(options.from);
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: `<notification-${message.outboxId}@${domain}>`,
          headers: { [OUTBOX_ID_HEADER]: String(message.outboxId) },
        });
      } catch (error) {
        const responseCode = (error as { responseCode?: number }).responseCode;
        if (responseCode !== undefined && responseCode >= 500) {
          throw new PermanentDeliveryError(`refusé par le relais SMTP (${responseCode})`);
        }
        throw error;
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * POST `{ to, text, reference }` with a bearer token; any 2xx means accepted. A 4xx other
 * than a timeout or a rate limit is the provider refusing this message for good.
 */
export function createSmsChannel(options: { url: () => string; token: string }): SmsChannel {
  return {
    async send(message) {
      const response = await fetch(options.url(), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          to: message.to,
          text: message.text,
          reference: String(message.outboxId),
        }),
        signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return;
      const refusal = `refusé par le fournisseur SMS (HTTP ${response.status})`;
      const temporary =
        response.status >= 500 || response.status === 408 || response.status === 429;
      throw temporary ? new Error(refusal) : new PermanentDeliveryError(refusal);
    },
  };
}
