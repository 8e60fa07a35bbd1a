import { useCallback, useRef } from 'react';
import { useSubmission } from '../components/forms.js';
import { newClientKey } from './money.js';

/**
 * Sends a money movement with an idempotency key: one key per submission, kept when it fails
 * (the network may have lost the answer, not the request) so that sending the same form again
 * cannot move the money twice; a new key once it succeeded or once the form changed.
 */
export function useIdempotentSubmission() {
  const submission = useSubmission();
  const clientKey = useRef<string | null>(null);
  const { run } = submission;

  const send = useCallback(
    (task: (clientKey: string) => Promise<void>) => {
      clientKey.current ??= newClientKey();
      const key = clientKey.current;
      return run(async () => {
        await task(key);
        clientKey.current = null;
      });
    },
    [run],
  );
  /** The form changed: its next submission is another movement. */
  const formChanged = useCallback(() => {
    clientKey.current = null;
  }, []);
  return { ...submission, send, formChanged };
}
