import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';

/**
 * A value to copy elsewhere (a secret, a link), shown in full so it can also be selected by
 * hand, with a button that copies it and says whether that worked.
 */
export function CopyableText({
  label,
  value,
  shownAs = value,
}: {
  /** What the value is, for the button and the screen readers (« le secret »). */
  label: string;
  value: string;
  /** The value as displayed, for instance grouped by four characters to read it aloud. */
  shownAs?: string;
}) {
  const [outcome, setOutcome] = useState<string>('');

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setOutcome('Copié dans le presse-papiers.');
    } catch {
      setOutcome('Copie impossible : sélectionnez le texte puis copiez-le.');
    }
  }

  return (
    <div className={fr.cx('fr-mb-2w')}>
      <p className={fr.cx('fr-mb-1w')}>
        <code className="copyable-text">{shownAs}</code>
      </p>
      <Button
        priority="secondary"
        size="small"
        iconId="fr-icon-clipboard-line"
        onClick={() => void copy()}
      >
        {`Copier ${label}`}
      </Button>
      <p role="status" className={fr.cx('fr-text--sm', 'fr-mt-1w', 'fr-mb-0')}>
        {outcome}
      </p>
    </div>
  );
}
