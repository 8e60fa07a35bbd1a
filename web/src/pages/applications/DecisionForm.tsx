import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { instructionApi } from '../../applications/api.js';
import type { ApplicationDetail, DecisionRequest } from '../../applications/types.js';
import { ErrorSummary, type SummarisedError } from '../../components/ErrorSummary.js';
import { SubmissionError, errorState, useSubmission } from '../../components/forms.js';
import { centsToInput, formatCents, parseEurosToCents } from '../../programmes/money.js';

// The case worker's decision: accept (with the amount, the evaluated one by default, lower if
// they decide so) or refuse, always with a reason the applicant will read.

export const MAX_REASON_LENGTH = 2000;

const fields = { decision: 'decision-choix', amount: 'decision-montant', reason: 'decision-motif' };
type Field = keyof typeof fields;

type Draft = { decision: 'accepted' | 'refused' | ''; amount: string; reason: string };

function problemsOf(draft: Draft, evaluatedCents: number): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {};
  if (draft.decision === '') problems.decision = 'Choisissez d’accepter ou de refuser.';
  if (draft.reason.trim() === '')
    problems.reason = 'Le motif est obligatoire : le demandeur le lira.';
  else if (draft.reason.trim().length > MAX_REASON_LENGTH) {
    problems.reason = `${MAX_REASON_LENGTH} caractères au plus.`;
  }
  if (draft.decision === 'accepted') {
    const cents = parseEurosToCents(draft.amount);
    if (cents === null || cents < 1) problems.amount = 'Montant en euros attendu, plus de 0 €.';
    else if (evaluatedCents > 0 && cents > evaluatedCents) {
      problems.amount = `Au plus le montant évalué, ${formatCents(evaluatedCents)}.`;
    }
  }
  return problems;
}

const labels: Record<Field, string> = {
  decision: 'Décision',
  amount: 'Montant accordé',
  reason: 'Motif',
};

const decisionChoices: ['accepted' | 'refused', string][] = [
  ['accepted', 'Accepter la demande'],
  ['refused', 'Refuser la demande'],
];

function DecisionFields({
  draft,
  change,
  problems,
  evaluatedCents,
}: {
  draft: Draft;
  change: (changes: Partial<Draft>) => void;
  problems: Partial<Record<Field, string>>;
  evaluatedCents: number;
}) {
  return (
    <>
      <RadioButtons
        legend="Décision"
        name="decision"
        id={fields.decision}
        orientation="horizontal"
        options={decisionChoices.map(([value, label]) => ({
          label,
          nativeInputProps: {
            value,
            checked: draft.decision === value,
            onChange: () => change({ decision: value }),
          },
        }))}
        {...errorState(problems.decision)}
      />
      {draft.decision === 'accepted' && (
        <Input
          label="Montant accordé (€)"
          hintText={
            evaluatedCents > 0
              ? `L’évaluation automatique donne ${formatCents(evaluatedCents)} : vous pouvez l’abaisser, pas le dépasser.`
              : 'Les règles ne donnent aucun montant : indiquez celui que vous accordez, en le justifiant dans le motif.'
          }
          nativeInputProps={{
            id: fields.amount,
            inputMode: 'decimal',
            value: draft.amount,
            onChange: (event) => change({ amount: event.target.value }),
          }}
          {...errorState(problems.amount)}
        />
      )}
      <Input
        label="Motif de la décision"
        hintText="Le demandeur le reçoit avec la décision : écrivez-le pour lui."
        textArea
        nativeTextAreaProps={{
          id: fields.reason,
          rows: 4,
          maxLength: MAX_REASON_LENGTH,
          value: draft.reason,
          onChange: (event) => change({ reason: event.target.value }),
        }}
        {...errorState(problems.reason)}
      />
    </>
  );
}

export function DecisionForm({
  detail,
  decided,
}: {
  detail: ApplicationDetail;
  decided: () => void;
}) {
  const evaluatedCents = detail.application.evaluatedAmountCents;
  const [draft, setDraft] = useState<Draft>({
    decision: '',
    amount: evaluatedCents > 0 ? centsToInput(evaluatedCents) : '',
    reason: '',
  });
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [summary, setSummary] = useState<SummarisedError[]>([]);
  const { pending, error, run } = useSubmission();
  const change = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));

  function submit(): void {
    const found = problemsOf(draft, evaluatedCents);
    setProblems(found);
    setSummary(
      (Object.keys(found) as Field[]).map((field) => ({
        key: field,
        message: found[field] as string,
        fieldId: fields[field],
        fieldLabel: labels[field],
      })),
    );
    if (Object.keys(found).length > 0 || draft.decision === '') return;
    const request: DecisionRequest = { decision: draft.decision, reason: draft.reason.trim() };
    if (draft.decision === 'accepted')
      request.amountCents = parseEurosToCents(draft.amount) as number;
    void run(async () => {
      await instructionApi.decide(detail.application.id, request);
      decided();
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
      <ErrorSummary errors={summary} />
      <SubmissionError error={error} />
      <DecisionFields
        draft={draft}
        change={change}
        problems={problems}
        evaluatedCents={evaluatedCents}
      />
      <Button type="submit" disabled={pending} className={fr.cx('fr-mt-1w')}>
        Enregistrer la décision
      </Button>
    </form>
  );
}
