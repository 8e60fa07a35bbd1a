import { describe, expect, it } from 'vitest';
import { NOTIFICATION_TEMPLATES, type NotificationTemplate } from './outbox.js';
import {
  frenchDay,
  frenchDayAndTime,
  MAX_SMS_LENGTH,
  renderNotice,
  type RenderedNotice,
} from './templates.js';

const context = { spaceUrl: 'https://flechage.exemple.fr/espace' };

const EXAMPLES: Record<NotificationTemplate, Record<string, unknown>> = {
  attribution_credited: {
    programmeName: 'Pass sport',
    funderName: 'Département de la Gironde',
    amountCents: 120_050,
    validUntil: '2026-12-31',
  },
  attribution_suspended: {
    programmeName: 'Pass sport',
    funderName: 'Gironde',
    reason: 'Contrôle en cours.',
  },
  attribution_revoked: {
    programmeName: 'Pass sport',
    funderName: 'Gironde',
    reason: 'Condition non remplie.',
  },
  envelope_expiring: {
    programmeName: 'Pass sport',
    remainingCents: 3_000,
    validUntil: '2026-09-01',
    daysLeft: 7,
  },
  payment_refused: {
    merchantName: 'Librairie du centre',
    amountCents: 4_599,
    reasons: ['Ce commerçant n’est pas agréé pour ce dispositif.'],
  },
  application_decided: {
    programmeName: 'Aide au permis',
    decision: 'accepted',
    reason: 'Toutes les conditions sont remplies.',
    amountCents: 50_000,
  },
  application_information_requested: {
    programmeName: 'Aide au permis',
    message: 'Merci de joindre un justificatif de domicile.',
  },
  mandate_expiring: { otherPartyName: 'Amina Aidante', endsAt: '2026-07-14T12:05:00Z' },
};

function rendered(
  template: NotificationTemplate,
  payload: Record<string, unknown>,
): RenderedNotice {
  const result = renderNotice(template, payload, context);
  if (!('rendered' in result)) throw new Error(result.invalid);
  return result.rendered;
}

describe('modèles de notification', () => {
  it.each(NOTIFICATION_TEMPLATES)('%s : chaque canal dit où voir le détail', (template) => {
    const notice = rendered(template, EXAMPLES[template]);
    expect(notice.email.text).toContain('espace personnel : https://flechage.exemple.fr/espace');
    expect(notice.email.text.startsWith('Bonjour,')).toBe(true);
    expect(notice.inApp.body).toContain('https://flechage.exemple.fr/espace');
    expect(notice.sms).toContain('https://flechage.exemple.fr/espace');
    expect(notice.sms.length).toBeLessThanOrEqual(MAX_SMS_LENGTH);
    expect(notice.email.subject).toBe(notice.inApp.subject);
  });

  it('annonce un crédit avec le montant et la date en français', () => {
    const notice = rendered('attribution_credited', EXAMPLES.attribution_credited);
    expect(notice.email.subject).toBe('Vous avez reçu une aide : Pass sport');
    expect(notice.email.text).toContain(
      'Département de la Gironde vous a attribué 1\u202f200,50\u00a0€ au titre du dispositif « Pass sport ». Elle est utilisable jusqu’au 31 décembre 2026.',
    );
    expect(notice.kind).toBe('aide_creditee');
  });

  it('explique comment relier le dossier quand le contenu porte un code', () => {
    const payload = { ...EXAMPLES.attribution_credited, claimCode: 'ABCD2345EF', validUntil: null };
    const notice = rendered('attribution_credited', payload);
    expect(notice.email.text).toContain(
      'reliez votre dossier à votre compte en saisissant ce code : ABCD2345EF',
    );
    expect(notice.sms).toContain('ABCD2345EF');
    expect(notice.email.text).not.toContain('utilisable jusqu’au');
  });

  it('garde le texte du rappel de fin de mandat, à l’heure de Paris', () => {
    const notice = rendered('mandate_expiring', EXAMPLES.mandate_expiring);
    expect(notice.kind).toBe('mandat_fin_proche');
    expect(notice.inApp.subject).toBe('Votre mandat à Amina Aidante se termine bientôt');
    expect(notice.inApp.body).toContain('prend fin le 14 juillet 2026 à 14 h 05.');
  });

  it('liste les motifs d’un paiement refusé', () => {
    const notice = rendered('payment_refused', EXAMPLES.payment_refused);
    expect(notice.email.text).toContain(
      'Pourquoi :\n- Ce commerçant n’est pas agréé pour ce dispositif.',
    );
    expect(notice.sms).toContain('45,99\u00a0€ refusé chez Librairie du centre');
  });

  it('dit une demande refusée sans montant', () => {
    const payload = { ...EXAMPLES.application_decided, decision: 'refused', amountCents: null };
    const notice = rendered('application_decided', payload);
    expect(notice.email.subject).toBe('Votre demande est refusée : Aide au permis');
    expect(notice.sms).toContain('est refusée.');
  });

  it('n’écrit pas de motif vide', () => {
    const payload = { ...EXAMPLES.application_decided, reason: '' };
    expect(rendered('application_decided', payload).email.text).not.toContain('Motif');
    expect(rendered('attribution_revoked', EXAMPLES.attribution_revoked).email.text).toContain(
      'Motif : Condition non remplie.',
    );
  });

  it('tient un SMS en 300 caractères même avec des noms très longs', () => {
    const long = 'X'.repeat(2000);
    const payload = { ...EXAMPLES.payment_refused, merchantName: long, reasons: [long, long] };
    const notice = rendered('payment_refused', payload);
    expect(notice.sms.length).toBeLessThanOrEqual(MAX_SMS_LENGTH);
    expect(notice.email.subject.length).toBeLessThanOrEqual(200);
  });

  it('refuse un contenu qui ne correspond pas au modèle', () => {
    const result = renderNotice('attribution_credited', { programmeName: 'Pass sport' }, context);
    expect(result).toEqual({ invalid: expect.stringContaining('attribution_credited') });
  });

  it('écrit les dates en français, au jour de Paris', () => {
    expect(frenchDay('2026-09-01')).toBe('1er septembre 2026');
    // 23 h 30 UTC on 31 December is already 1 January in Paris.
    expect(frenchDay('2026-12-31T23:30:00Z')).toBe('1er janvier 2027');
    expect(frenchDayAndTime('2026-01-15T08:00:00+00:00')).toBe('15 janvier 2026 à 9 h 00');
  });
});
