import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';

/**
 * A button whose action cannot be undone: a first press only asks for confirmation, right where
 * the person is, and moves the focus to the confirming button.
 */
export function ConfirmableAction({
  label,
  question,
  confirmLabel,
  onConfirm,
}: {
  /** The button's text, precise enough out of context (« Révoquer la clé Caisse 1 »). */
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);

  async function confirm(): Promise<void> {
    setPending(true);
    try {
      await onConfirm();
    } finally {
      setPending(false);
      setAsking(false);
    }
  }

  if (!asking) {
    return (
      <Button priority="secondary" size="small" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <div role="group" aria-label={label}>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>{question}</p>
      <Button
        size="small"
        className={fr.cx('fr-mr-1w')}
        disabled={pending}
        onClick={() => void confirm()}
        ref={confirmButton}
      >
        {confirmLabel}
      </Button>
      <Button priority="tertiary" size="small" onClick={() => setAsking(false)}>
        Annuler
      </Button>
    </div>
  );
}
