import { useCallback, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { asApiError, type ApiError } from '../identity/api.js';

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

/** DSFR input props for a field's error: the message is linked to the field through aria. */
export function errorState(message: string | undefined) {
  return message === undefined ? {} : { state: 'error' as const, stateRelatedMessage: message };
}

/**
 * Keeps the errors found before sending a form; when there are some, moves the focus to the
 * first field in error so that keyboard and screen reader users land on what to correct.
 */
export function useFieldErrors<Field extends string>(fieldIds: Record<Field, string>) {
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const report = useCallback(
    (found: FieldErrors<Field>): boolean => {
      setErrors(found);
      const firstField = (Object.keys(fieldIds) as Field[]).find((field) => found[field]);
      if (firstField === undefined) return true;
      document.getElementById(fieldIds[firstField])?.focus();
      return false;
    },
    [fieldIds],
  );
  return { errors, report };
}

/** Runs what a form sends, remembering that it is under way and why the server refused it. */
export function useSubmission() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (task: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await task();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, run };
}

/** The server's refusal, announced to screen readers as soon as it appears. */
export function SubmissionError({ error }: { error: ApiError | null }) {
  if (error === null) return null;
  return <Alert severity="error" small description={error.message} className={fr.cx('fr-mb-3w')} />;
}

export function SuccessMessage({ children }: { children: string }) {
  return (
    <Alert
      severity="success"
      small
      role="status"
      description={children}
      className={fr.cx('fr-mb-3w')}
    />
  );
}

export const passwordLengthHint = 'Entre 12 et 256 caractères.';

/** The platform's password rule, checked before sending so the answer comes at once. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'Le mot de passe doit compter au moins 12 caractères.';
  if (password.length > 256) return 'Le mot de passe ne peut pas dépasser 256 caractères.';
  return undefined;
}

export function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** A second-factor code: six digits, as authenticator apps show them (spaces allowed). */
export function totpCodeOf(value: string): string | null {
  const digits = value.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
