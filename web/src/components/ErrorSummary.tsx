import { useEffect, useRef, type MouseEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';

/** One problem of a form: the message, and the field it belongs to when there is one on screen. */
export interface SummarisedError {
  key: string;
  message: string;
  /** The id of the field in error; the link moves the focus there. */
  fieldId?: string;
  /** What the field is, for a message read out of its context (« Contributeur 2, montant »). */
  fieldLabel?: string;
}

const focusable = 'input, select, textarea, button';

/** The field itself, or for a group of fields (a fieldset) its first control. */
function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string): void {
  const element = document.getElementById(fieldId);
  if (element === null) return;
  event.preventDefault();
  const target = element.matches(focusable)
    ? element
    : element.querySelector<HTMLElement>(focusable);
  (target ?? element).scrollIntoView({ block: 'center' });
  if (target === null) element.setAttribute('tabindex', '-1');
  (target ?? element).focus();
}

/**
 * The list of what to correct, at the top of a form, each linked to its field; it takes the
 * focus when it appears so that keyboard and screen reader users hear it first. `errors` must
 * keep its identity between renders (state, or memoised): a new list takes the focus again.
 */
export function ErrorSummary({
  errors,
  title = 'Le formulaire contient des erreurs',
}: {
  errors: readonly SummarisedError[];
  title?: string;
}) {
  const summary = useRef<HTMLDivElement>(null);
  const shown = errors.length > 0;
  useEffect(() => {
    if (shown) summary.current?.focus();
  }, [shown, errors]);
  if (!shown) return null;
  return (
    <div ref={summary} tabIndex={-1} className={fr.cx('fr-mb-3w')}>
      <Alert
        severity="error"
        as="h2"
        title={`${title} (${errors.length})`}
        description={
          <ul>
            {errors.map((error) => (
              <li key={error.key}>
                {error.fieldId === undefined ? (
                  `${error.fieldLabel === undefined ? '' : `${error.fieldLabel} : `}${error.message}`
                ) : (
                  <a
                    href={`#${error.fieldId}`}
                    onClick={(event) => focusField(event, error.fieldId as string)}
                  >
                    {error.fieldLabel === undefined
                      ? error.message
                      : `${error.fieldLabel} : ${error.message}`}
                  </a>
                )}
              </li>
            ))}
          </ul>
        }
      />
    </div>
  );
}
