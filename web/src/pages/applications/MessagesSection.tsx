import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { SubmissionError, errorState, useSubmission } from '../../components/forms.js';
import type { ApplicationMessage } from '../../applications/types.js';
import { formatDateTime } from '../../identity/format.js';

// The exchange between the case worker and the applicant, oldest first, and the form that adds
// to it: a request for information on one side, an answer on the other.

export const MAX_MESSAGE_LENGTH = 4000;

const sideLabels: Record<ApplicationMessage['authorSide'], string> = {
  instruction: 'Instruction',
  demandeur: 'Demandeur',
};

export function MessageThread({ messages }: { messages: ApplicationMessage[] }) {
  if (messages.length === 0) return <p>Aucun échange pour le moment.</p>;
  return (
    <ol className={fr.cx('fr-raw-list')}>
      {messages.map((message) => (
        <li
          key={message.id}
          className={fr.cx('fr-mb-2w', 'fr-p-2w')}
          style={{ borderLeft: '4px solid var(--border-default-blue-france)' }}
        >
          <p className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
            <strong>{`${sideLabels[message.authorSide]} — ${message.authorName}`}</strong>
            {`, le ${formatDateTime(message.createdAt)}`}
          </p>
          <p className={fr.cx('fr-mb-0')} style={{ whiteSpace: 'pre-wrap' }}>
            {message.body}
          </p>
        </li>
      ))}
    </ol>
  );
}

export function MessageForm({
  id,
  label,
  hint,
  submitLabel,
  send,
}: {
  id: string;
  label: string;
  hint?: string;
  submitLabel: string;
  send: (text: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const { pending, error, run } = useSubmission();

  function submit(): void {
    const trimmed = text.trim();
    if (trimmed.length === 0) {
      setProblem('Écrivez votre message.');
      document.getElementById(id)?.focus();
      return;
    }
    if (trimmed.length > MAX_MESSAGE_LENGTH) {
      setProblem(`${MAX_MESSAGE_LENGTH} caractères au plus.`);
      document.getElementById(id)?.focus();
      return;
    }
    setProblem(undefined);
    void run(async () => {
      await send(trimmed);
      setText('');
    });
  }

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <SubmissionError error={error} />
      <Input
        label={label}
        hintText={hint}
        textArea
        nativeTextAreaProps={{
          id,
          value: text,
          rows: 4,
          maxLength: MAX_MESSAGE_LENGTH,
          onChange: (event) => setText(event.target.value),
        }}
        {...errorState(problem)}
      />
      <Button type="submit" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
