// The reason every change of a campaign or an attribution asks for, checked as the server
// checks it (reasonSchema in src/attributions/schemas.ts) so that the answer comes at once.

export const minimumReasonLength = 3;
/** MAX_REASON_LENGTH on the server. */
export const maximumReasonLength = 1_000;

export function reasonProblem(reason: string): string | undefined {
  const length = reason.trim().length;
  if (length < minimumReasonLength) return 'Indiquez le motif (3 caractères au moins).';
  if (length > maximumReasonLength) return 'Le motif ne peut dépasser 1 000 caractères.';
  return undefined;
}
