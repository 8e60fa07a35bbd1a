import { z } from 'zod';
import { parisOffsetMs, parseInstant } from '../programmes/rules/calendar.js';
import { formatCents, formatDateFrench } from '../programmes/rules/format.js';
import type { NotificationTemplate } from './outbox.js';

// The words of every notification, in French, for each channel. Pure: the worker renders a
// row's payload at delivery time, so that a message reads the same however late it leaves.

export const MAX_SMS_LENGTH = 300;
export const MAX_SUBJECT_LENGTH = 200;
export const MAX_IN_APP_BODY_LENGTH = 4000;
/** A name quoted in an SMS is shortened to this, so that the message stays in one or two parts. */
const SMS_NAME_LENGTH = 60;

const text = z.string().min(1).max(2000);
/** The decider's words; may be left empty (an application accepted as asked). */
const reason = z.string().max(2000).nullish();
const isoDateOrInstant = z.string().refine(isIsoDateOrInstant, 'date ISO 8601 attendue');
const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const claimCode = {
  claimCode: z
    .string()
    .regex(/^[A-Z0-9]{10}$/)
    .optional(),
};

export const PAYLOAD_SCHEMAS = {
  attribution_credited: z.object({
    programmeName: text,
    funderName: text,
    amountCents: cents,
    validUntil: isoDateOrInstant.nullable(),
    ...claimCode,
  }),
  attribution_suspended: z.object({
    programmeName: text,
    funderName: text,
    reason,
    ...claimCode,
  }),
  attribution_revoked: z.object({
    programmeName: text,
    funderName: text,
    reason,
    ...claimCode,
  }),
  envelope_expiring: z.object({
    programmeName: text,
    remainingCents: cents,
    validUntil: isoDateOrInstant,
    daysLeft: z.number().int().min(0).max(3660),
    ...claimCode,
  }),
  payment_refused: z.object({
    merchantName: text,
    amountCents: cents,
    reasons: z.array(text).max(20),
    ...claimCode,
  }),
  application_decided: z.object({
    programmeName: text,
    decision: z.enum(['accepted', 'refused']),
    reason,
    amountCents: cents.nullable(),
    ...claimCode,
  }),
  application_information_requested: z.object({
    programmeName: text,
    message: z.string().min(1).max(4000),
    ...claimCode,
  }),
  mandate_expiring: z.object({ otherPartyName: text, endsAt: isoDateOrInstant }),
} satisfies Record<NotificationTemplate, z.ZodType>;

type Payload<T extends NotificationTemplate> = z.infer<(typeof PAYLOAD_SCHEMAS)[T]>;

/** The `kind` of the in-app notification, as the personal space lists it. */
export const IN_APP_KINDS: Record<NotificationTemplate, string> = {
  attribution_credited: 'aide_creditee',
  attribution_suspended: 'aide_suspendue',
  attribution_revoked: 'aide_retiree',
  envelope_expiring: 'aide_bientot_expiree',
  payment_refused: 'paiement_refuse',
  application_decided: 'demande_decidee',
  application_information_requested: 'demande_complement',
  mandate_expiring: 'mandat_fin_proche',
};

export type RenderedNotice = {
  kind: string;
  email: { subject: string; text: string };
  sms: string;
  inApp: { subject: string; body: string };
};

export type RenderContext = {
  /** Where the personal space is: `/espace`, or the full address when the public one is known. */
  spaceUrl: string;
};

/** What a template says, before it is dressed for each channel. */
type Wording = {
  subject: string;
  /** Paragraphs of the email and of the in-app body. */
  paragraphs: string[];
  /** The SMS, without the line about the personal space that is added after. */
  sms: string;
};

function isIsoDateOrInstant(value: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return true;
  return !Number.isNaN(parseInstant(value));
}

/** « 1er septembre 2026 » for a date, or for the day (in Paris) of an instant. */
export function frenchDay(value: string): string {
  if (value.length === 10) return formatDateFrench(value);
  const epochMs = parseInstant(value);
  return formatDateFrench(new Date(epochMs + parisOffsetMs(epochMs)).toISOString().slice(0, 10));
}

/** « 1er septembre 2026 à 14 h 05 » (Paris time) for an instant; the day alone for a date. */
export function frenchDayAndTime(value: string): string {
  if (value.length === 10) return formatDateFrench(value);
  const epochMs = parseInstant(value);
  const local = new Date(epochMs + parisOffsetMs(epochMs)).toISOString();
  return `${formatDateFrench(local.slice(0, 10))} à ${Number(local.slice(11, 13))} h ${local.slice(14, 16)}`;
}

export function clip(value: string, maxLength: number): string {
  return value.length <= maxLength ? value : `${value.slice(0, maxLength - 1)}…`;
}

function motive(reason: string | null | undefined): string[] {
  return reason === null || reason === undefined || reason.trim() === ''
    ? []
    : [`Motif : ${reason}`];
}

function short(name: string): string {
  return clip(name, SMS_NAME_LENGTH);
}

function credited(payload: Payload<'attribution_credited'>): Wording {
  const amount = formatCents(payload.amountCents);
  const until =
    payload.validUntil === null
      ? ''
      : ` Elle est utilisable jusqu’au ${frenchDay(payload.validUntil)}.`;
  return {
    subject: `Vous avez reçu une aide : ${payload.programmeName}`,
    paragraphs: [
      `${payload.funderName} vous a attribué ${amount} au titre du dispositif « ${payload.programmeName} ».${until}`,
      'Cette aide se dépense chez les commerçants et prestataires agréés pour ce dispositif.',
    ],
    sms: `Fléchage : ${short(payload.funderName)} vous a attribué ${amount} (${short(payload.programmeName)}).${until}`,
  };
}

function suspended(payload: Payload<'attribution_suspended'>): Wording {
  return {
    subject: `Votre aide est suspendue : ${payload.programmeName}`,
    paragraphs: [
      `${payload.funderName} a suspendu votre aide « ${payload.programmeName} ». Vous ne pouvez plus la dépenser pour le moment.`,
      ...motive(payload.reason),
    ],
    sms: `Fléchage : votre aide ${short(payload.programmeName)} est suspendue par ${short(payload.funderName)}.`,
  };
}

function revoked(payload: Payload<'attribution_revoked'>): Wording {
  return {
    subject: `Votre aide est retirée : ${payload.programmeName}`,
    paragraphs: [
      `${payload.funderName} a retiré votre aide « ${payload.programmeName} ». Le montant restant n’est plus disponible.`,
      ...motive(payload.reason),
    ],
    sms: `Fléchage : votre aide ${short(payload.programmeName)} est retirée par ${short(payload.funderName)}.`,
  };
}

function expiring(payload: Payload<'envelope_expiring'>): Wording {
  const remaining = formatCents(payload.remainingCents);
  const day = frenchDay(payload.validUntil);
  const days = payload.daysLeft <= 1 ? `${payload.daysLeft} jour` : `${payload.daysLeft} jours`;
  return {
    subject: `Votre aide expire dans ${days} : ${payload.programmeName}`,
    paragraphs: [
      `Il vous reste ${remaining} sur votre aide « ${payload.programmeName} », utilisable jusqu’au ${day}.`,
      'Passé cette date, le montant restant retourne aux financeurs.',
    ],
    sms: `Fléchage : il vous reste ${remaining} sur ${short(payload.programmeName)}, à utiliser avant le ${day}.`,
  };
}

function paymentRefused(payload: Payload<'payment_refused'>): Wording {
  const amount = formatCents(payload.amountCents);
  const reasons = payload.reasons.length === 0 ? ['Motif non précisé.'] : payload.reasons;
  return {
    subject: `Paiement refusé chez ${payload.merchantName}`,
    paragraphs: [
      `Votre paiement de ${amount} chez ${payload.merchantName} a été refusé.`,
      ['Pourquoi :', ...reasons.map((reason) => `- ${reason}`)].join('\n'),
    ],
    sms: `Fléchage : paiement de ${amount} refusé chez ${short(payload.merchantName)}. ${short(reasons[0] ?? '')}`,
  };
}

function applicationDecided(payload: Payload<'application_decided'>): Wording {
  const accepted = payload.decision === 'accepted';
  const amount = payload.amountCents === null ? '' : ` pour ${formatCents(payload.amountCents)}`;
  const verdict = accepted ? `est acceptée${amount}` : 'est refusée';
  return {
    subject: `Votre demande est ${accepted ? 'acceptée' : 'refusée'} : ${payload.programmeName}`,
    paragraphs: [
      `Votre demande d’aide « ${payload.programmeName} » ${verdict}.`,
      ...motive(payload.reason),
    ],
    sms: `Fléchage : votre demande ${short(payload.programmeName)} ${verdict}.`,
  };
}

function informationRequested(payload: Payload<'application_information_requested'>): Wording {
  return {
    subject: `Votre demande nécessite un complément : ${payload.programmeName}`,
    paragraphs: [
      `Pour instruire votre demande d’aide « ${payload.programmeName} », l’instructeur vous demande :`,
      payload.message,
      'Répondez depuis votre demande, dans votre espace personnel.',
    ],
    sms: `Fléchage : un complément est demandé pour votre demande ${short(payload.programmeName)}.`,
  };
}

function mandateExpiring(payload: Payload<'mandate_expiring'>): Wording {
  const ends = frenchDayAndTime(payload.endsAt);
  return {
    subject: `Votre mandat à ${payload.otherPartyName} se termine bientôt`,
    paragraphs: [
      `Le mandat que vous avez donné à ${payload.otherPartyName} prend fin le ${ends}.`,
      'Vous pouvez le renouveler ou le laisser expirer ; vous pouvez aussi le révoquer dès maintenant.',
    ],
    sms: `Fléchage : votre mandat à ${short(payload.otherPartyName)} prend fin le ${ends}.`,
  };
}

const WORDINGS: { [T in NotificationTemplate]: (payload: Payload<T>) => Wording } = {
  attribution_credited: credited,
  attribution_suspended: suspended,
  attribution_revoked: revoked,
  envelope_expiring: expiring,
  payment_refused: paymentRefused,
  application_decided: applicationDecided,
  application_information_requested: informationRequested,
  mandate_expiring: mandateExpiring,
};

function claimParagraph(code: string): string {
  return (
    `Pour retrouver cette aide dans votre espace personnel, créez votre compte ou connectez-vous, ` +
    `puis reliez votre dossier à votre compte en saisissant ce code : ${code}`
  );
}

function dress(kind: string, wording: Wording, code: string | undefined, context: RenderContext) {
  const where = `Le détail est dans votre espace personnel : ${context.spaceUrl}`;
  const paragraphs = [...wording.paragraphs, ...(code === undefined ? [] : [claimParagraph(code)])];
  const smsClaim = code === undefined ? '' : ` Code pour relier votre dossier : ${code}.`;
  return {
    kind,
    email: {
      subject: clip(wording.subject, MAX_SUBJECT_LENGTH),
      text: [
        'Bonjour,',
        ...paragraphs,
        where,
        '-- \nFléchage. Ce message est envoyé automatiquement, merci de ne pas y répondre.',
      ].join('\n\n'),
    },
    sms: clip(`${wording.sms}${smsClaim} Détails : ${context.spaceUrl}`, MAX_SMS_LENGTH),
    inApp: {
      subject: clip(wording.subject, MAX_SUBJECT_LENGTH),
      body: clip([...paragraphs, where].join('\n\n'), MAX_IN_APP_BODY_LENGTH),
    },
  };
}

export type RenderResult = { rendered: RenderedNotice } | { invalid: string };

/** Renders a notice for every channel, or says why its payload cannot be read. */
export function renderNotice(
  template: NotificationTemplate,
  payload: unknown,
  context: RenderContext,
): RenderResult {
  const parsed = PAYLOAD_SCHEMAS[template].safeParse(payload);
  if (!parsed.success) {
    return { invalid: `contenu invalide pour ${template} : ${z.prettifyError(parsed.error)}` };
  }
  const wording = (WORDINGS[template] as (payload: unknown) => Wording)(parsed.data);
  const code = 'claimCode' in parsed.data ? parsed.data.claimCode : undefined;
  return { rendered: dress(IN_APP_KINDS[template], wording, code, context) };
}
