import type pg from 'pg';
import {
  MAX_DELIVERY_MS,
  PermanentDeliveryError,
  type EmailChannel,
  type SmsChannel,
} from './channels.js';
import { deliverInApp } from './in-app.js';
import { NOTIFICATION_TEMPLATES, type NotificationTemplate } from './outbox.js';
import { renderNotice } from './templates.js';
import {
  claimDueNotices,
  markNoticeFailed,
  markNoticeSent,
  releaseNotices,
  type ClaimedNotice,
} from './worker-store.js';

// The delivery worker: claims due outbox rows under a lease, delivers them, records the outcome.
// Killed mid-delivery, it loses its rows when the lease ends and another worker sends them
// again; every channel makes that second copy harmless (see channels.ts and in-app.ts).

/** Waits after the first, second… failed try; the last one repeats until the tries run out. */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 3_600, 21_600] as const;
export const DEFAULT_LEASE_SECONDS = 60;
/** Deliveries of one batch running at once. */
const DELIVERY_LANES = 8;

export type WorkerChannels = { email: EmailChannel; sms: SmsChannel };

export type WorkerOptions = {
  batchSize: number;
  maxAttempts: number;
  intervalMs: number;
  leaseSeconds?: number;
  /** Where the personal space is, as the messages quote it. */
  spaceUrl: () => string;
  onError: (error: unknown) => void;
};

export type NotificationWorker = {
  /** Wakes up every interval from now on (at once while batches come back full). */
  start(): void;
  /** Claims and delivers one batch; answers how many rows it claimed. */
  runOnce(): Promise<number>;
  /** Stops waking up, and waits for the batch in flight. */
  stop(): Promise<void>;
};

export function retryDelaySeconds(attempts: number): number {
  const index = Math.min(Math.max(attempts, 1), RETRY_DELAYS_SECONDS.length) - 1;
  return RETRY_DELAYS_SECONDS[index] as number;
}

function isTemplate(template: string): template is NotificationTemplate {
  return (NOTIFICATION_TEMPLATES as readonly string[]).includes(template);
}

class InvalidNotice extends PermanentDeliveryError {}

async function deliver(
  pool: pg.Pool,
  channels: WorkerChannels,
  notice: ClaimedNotice,
  spaceUrl: string,
): Promise<void> {
  if (!isTemplate(notice.template)) throw new InvalidNotice(`modèle inconnu : ${notice.template}`);
  if (notice.recipientErased) throw new InvalidNotice('dossier du bénéficiaire effacé');
  if (notice.channel === 'in_app') {
    if (notice.personId === null) throw new InvalidNotice('aucun compte à prévenir');
    const client = await pool.connect();
    try {
      await client.query('begin');
      const invalid = await deliverInApp(client, {
        id: notice.id,
        personId: notice.personId,
        template: notice.template,
        eventKey: notice.eventKey,
        payload: notice.payload,
      });
      if (invalid !== undefined) throw new InvalidNotice(invalid);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    return;
  }
  const result = renderNotice(notice.template, notice.payload, { spaceUrl });
  if ('invalid' in result) throw new InvalidNotice(result.invalid);
  if (notice.address === null) throw new InvalidNotice('aucune adresse de destination');
  const { rendered } = result;
  if (notice.channel === 'email') {
    await channels.email.send({ outboxId: notice.id, to: notice.address, ...rendered.email });
  } else {
    await channels.sms.send({ outboxId: notice.id, to: notice.address, text: rendered.sms });
  }
  await markNoticeSent(pool, notice.id);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createNotificationWorker(
  pool: pg.Pool,
  channels: WorkerChannels,
  options: WorkerOptions,
): NotificationWorker {
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;

  async function settle(notice: ClaimedNotice): Promise<void> {
    try {
      await deliver(pool, channels, notice, options.spaceUrl());
    } catch (error) {
      const givenUp =
        error instanceof PermanentDeliveryError || notice.attempts >= options.maxAttempts;
      await markNoticeFailed(
        pool,
        notice.id,
        errorText(error),
        givenUp ? null : retryDelaySeconds(notice.attempts),
      );
    }
  }

  /** Lanes take the next row in turn; a row too close to its lease's end goes back unstarted. */
  async function runBatch(notices: ClaimedNotice[]): Promise<void> {
    const queue = [...notices];
    const released: number[] = [];
    const lane = async () => {
      for (let notice = queue.shift(); notice !== undefined; notice = queue.shift()) {
        if (notice.leasedUntil.getTime() - Date.now() < MAX_DELIVERY_MS) released.push(notice.id);
        else await settle(notice);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, queue.length) }, lane));
    await releaseNotices(pool, released);
  }

  async function runOnce(): Promise<number> {
    const notices = await claimDueNotices(pool, options.batchSize, leaseSeconds);
    await runBatch(notices);
    return notices.length;
  }

  return { runOnce, ...repeatedly(runOnce, options) };
}

/** Runs a batch every interval, or at once after a full batch (more is due), until stopped. */
function repeatedly(
  runOnce: () => Promise<number>,
  options: Pick<WorkerOptions, 'batchSize' | 'intervalMs' | 'onError'>,
): Pick<NotificationWorker, 'start' | 'stop'> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = runOnce().then(
        (claimed) => schedule(claimed === options.batchSize ? 0 : options.intervalMs),
        (error: unknown) => {
          options.onError(error);
          schedule(options.intervalMs);
        },
      );
    }, delayMs);
    timer.unref();
  }

  return {
    start() {
      schedule(options.intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
