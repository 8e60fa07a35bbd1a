import type { FundView } from './types.js';

const dayFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });

/** « 1 janvier 2026 » for a day written YYYY-MM-DD, whatever the reader's time zone. */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** « du 1 janvier 2026 au 31 décembre 2028 ». */
export function formatPeriod(startsOn: string, endsOn: string): string {
  return `du ${formatDay(startsOn)} au ${formatDay(endsOn)}`;
}

/** Today as YYYY-MM-DD in the reader's own calendar. */
export function today(): string {
  const now = new Date();
  const month = `${now.getMonth() + 1}`.padStart(2, '0');
  const day = `${now.getDate()}`.padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

export const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export function fundTotals(fund: FundView) {
  return {
    committedCents: sum(fund.contributors.map((contributor) => contributor.committedCents)),
    paidCents: sum(fund.contributors.map((contributor) => contributor.paidCents)),
    unallocatedCents: sum(fund.contributors.map((contributor) => contributor.unallocatedCents)),
    budgetCents: sum(fund.axes.map((axis) => axis.budgetCents)),
    allocatedCents: sum(fund.axes.map((axis) => axis.allocatedCents)),
  };
}

/** The name of a contributor of the fund, by its id in the fund. */
export function contributorName(fund: FundView, contributorId: number): string {
  const contributor = fund.contributors.find((candidate) => candidate.id === contributorId);
  return contributor?.organisationName ?? `Contributeur n° ${contributorId}`;
}

/** The fund's owner, named when it contributes itself (the usual case). */
export function ownerName(fund: FundView): string {
  const owner = fund.contributors.find((c) => c.organisationId === fund.organisationId);
  return owner?.organisationName ?? `Organisation n° ${fund.organisationId}`;
}
