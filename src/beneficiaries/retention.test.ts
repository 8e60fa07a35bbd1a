import { describe, expect, it } from 'vitest';
import { erasureDecision, retentionUntil } from './retention.js';

const createdAt = new Date('2026-01-10T09:00:00Z');

describe('durée de conservation', () => {
  it('permet d’effacer à tout moment une fiche qui n’a jamais reçu d’aide', () => {
    const facts = { aidRunning: false, lastAidEndedAt: null, createdAt };
    expect(retentionUntil(facts)).toBe('2026-01-10');
    expect(erasureDecision(facts, '2026-01-10')).toEqual({ allowed: true });
  });

  it('refuse tant qu’une aide court, sans date de fin connue', () => {
    const facts = { aidRunning: true, lastAidEndedAt: new Date('2020-01-01'), createdAt };
    expect(retentionUntil(facts)).toBeNull();
    expect(erasureDecision(facts, '2040-01-01')).toEqual({
      allowed: false,
      refusal: 'aid_in_progress',
    });
  });

  it('conserve cinq ans après la fin de la dernière aide reçue', () => {
    const facts = {
      aidRunning: false,
      lastAidEndedAt: new Date('2026-08-31T21:59:59Z'),
      createdAt,
    };
    expect(retentionUntil(facts)).toBe('2031-08-31');
    expect(erasureDecision(facts, '2031-08-30')).toEqual({
      allowed: false,
      refusal: 'retention_running',
      retentionUntil: '2031-08-31',
    });
    expect(erasureDecision(facts, '2031-08-31')).toEqual({ allowed: true });
  });
});
