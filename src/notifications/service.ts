import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { ConfigurationError, type Configuration } from '../platform/config.js';
import type { HttpServer } from '../platform/http.js';
import { startMailCatcher, type MailCatcher } from './catcher.js';
import { createEmailChannel, createSmsChannel } from './channels.js';
import { IN_APP_SPACE_PATH } from './in-app.js';
import { notificationRoutes } from './routes.js';
import { createNotificationWorker, type NotificationWorker } from './worker.js';

// Wires the notifications: the routes, the channels (real ones when configured, else the local
// catcher and the fake SMS provider) and the delivery worker.

export type Notifications = { worker: NotificationWorker; close(): Promise<void> };

/** The server's own address once it listens: the fake SMS provider and links point there. */
function ownBaseUrl(server: HttpServer): string | undefined {
  const address = server.server.address() as AddressInfo | string | null;
  if (address === null || typeof address === 'string') return undefined;
  const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function fakeSmsUrl(server: HttpServer): string {
  const base = ownBaseUrl(server);
  if (base === undefined) throw new Error('le serveur n’écoute pas encore : SMS remis à plus tard');
  return `${base}/api/fake-sms/messages`;
}

function spaceUrlOf(configuration: Configuration, server: HttpServer): string {
  const base = configuration.FLECHAGE_PUBLIC_URL ?? ownBaseUrl(server);
  return base === undefined ? IN_APP_SPACE_PATH : new URL(IN_APP_SPACE_PATH, base).href;
}

/** Registers the routes and starts the worker; call before the server listens. */
export async function startNotifications(
  configuration: Configuration,
  pool: pg.Pool,
  server: HttpServer,
): Promise<Notifications> {
  const onError = (error: unknown) => server.log.error({ err: error }, 'notifications');
  const smsUrl = configuration.FLECHAGE_SMS_URL;
  if (smsUrl !== undefined && configuration.FLECHAGE_SMS_TOKEN === undefined) {
    throw new ConfigurationError('FLECHAGE_SMS_URL demande aussi FLECHAGE_SMS_TOKEN');
  }
  const randomToken = randomBytes(32).toString('hex');
  const smsToken = configuration.FLECHAGE_SMS_TOKEN ?? randomToken;
  // With a real provider, the fake one hears nobody: the real provider's token opens nothing here.
  const fakeProviderToken = smsUrl === undefined ? smsToken : randomToken;
  await server.register(notificationRoutes, { pool, smsToken: fakeProviderToken });
  let catcher: MailCatcher | undefined;
  let smtpUrl = configuration.FLECHAGE_SMTP_URL;
  if (smtpUrl === undefined) {
    catcher = await startMailCatcher(pool, {
      port: configuration.FLECHAGE_SMTP_CATCHER_PORT,
      onError,
    });
    smtpUrl = catcher.smtpUrl;
  }
  const email = createEmailChannel({ smtpUrl, from: configuration.FLECHAGE_MAIL_FROM });
  const sms = createSmsChannel({
    url: () => smsUrl ?? fakeSmsUrl(server),
    token: smsToken,
  });
  const worker = createNotificationWorker(
    pool,
    { email, sms },
    {
      batchSize: configuration.FLECHAGE_NOTIFICATION_BATCH,
      maxAttempts: configuration.FLECHAGE_NOTIFICATION_MAX_ATTEMPTS,
      intervalMs: configuration.FLECHAGE_NOTIFICATION_INTERVAL_MS,
      spaceUrl: () => spaceUrlOf(configuration, server),
      onError,
    },
  );
  worker.start();
  return {
    worker,
    async close() {
      await worker.stop();
      email.close();
      await catcher?.close();
    },
  };
}
