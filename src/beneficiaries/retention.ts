// How long a funder keeps a beneficiary's personal data, in one place: while an aid runs, and
// then five years after the last aid received ended (the time for audits and recovery of
// undue payments); a record that never received any aid may be erased at once.

export const RETENTION_YEARS = 5;

export type RetentionFacts = {
  /** An attribution proposed, approved, suspended or credited and still valid, or an open application. */
  aidRunning: boolean;
  /** When the last credited attribution ended (its validity, or its revocation or expiry). */
  lastAidEndedAt: Date | null;
  createdAt: Date;
};

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day erasure is permitted; null while an aid runs (the end is not known yet). */
export function retentionUntil(facts: RetentionFacts): string | null {
  if (facts.aidRunning) return null;
  if (facts.lastAidEndedAt === null) return isoDay(facts.createdAt);
  const end = new Date(facts.lastAidEndedAt);
  end.setUTCFullYear(end.getUTCFullYear() + RETENTION_YEARS);
  return isoDay(end);
}

export type ErasureDecision =
  | { allowed: true }
  | { allowed: false; refusal: 'aid_in_progress' }
  | { allowed: false; refusal: 'retention_running'; retentionUntil: string };

export function erasureDecision(facts: RetentionFacts, today: string): ErasureDecision {
  const until = retentionUntil(facts);
  if (until === null) return { allowed: false, refusal: 'aid_in_progress' };
  if (until > today) return { allowed: false, refusal: 'retention_running', retentionUntil: until };
  return { allowed: true };
}
