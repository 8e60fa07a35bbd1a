import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut.js';
import type {
  ApplicationDetail,
  ApplicationEvent,
  ApplicationStatus,
  Evaluation,
} from '../../applications/types.js';
import { formatDateTime } from '../../identity/format.js';
import { formatDay } from '../../programmes/format.js';
import { formatCents } from '../../programmes/money.js';
import { AppLink } from '../../routing.js';

// What the applicant and the case worker both read about an application: its status, the
// automatic evaluation with its explanation, the answers, the decision and the history.

const statusSeverities: Record<
  ApplicationStatus,
  'info' | 'warning' | 'success' | 'error' | 'new'
> = {
  submitted: 'info',
  information_requested: 'warning',
  accepted: 'success',
  refused: 'error',
  withdrawn: 'new',
};

export function StatusBadge({ status, label }: { status: ApplicationStatus; label: string }) {
  return (
    <Badge as="span" severity={statusSeverities[status]} small noIcon={status === 'withdrawn'}>
      {label}
    </Badge>
  );
}

export function isOpen(status: ApplicationStatus): boolean {
  return status === 'submitted' || status === 'information_requested';
}

/** « Éligible : 200,00 € » or « Non éligible », as the rules decided. */
export function evaluationText(eligible: boolean, amountCents: number): string {
  return eligible ? `Éligible : ${formatCents(amountCents)}` : 'Non éligible';
}

export function EvaluationPanel({
  evaluation,
  ruleVersion,
  referenceDate,
}: {
  evaluation: Evaluation;
  ruleVersion: number;
  referenceDate: string;
}) {
  const conditions = evaluation.explanation.filter((step) => step.kind === 'condition');
  const amountSteps = evaluation.explanation.filter((step) => step.kind === 'amount');
  return (
    <section aria-labelledby="evaluation-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="evaluation-titre">Évaluation automatique</h2>
      <p>
        <strong>{evaluationText(evaluation.eligible, evaluation.amountCents)}</strong>
        {` — selon les règles du dispositif en version ${ruleVersion}, au ${formatDay(referenceDate)}.`}
      </p>
      <h3 className={fr.cx('fr-h6')}>Conditions</h3>
      <ul>
        {conditions.map((step, index) => (
          <li key={`condition-${index}`}>
            <span className={fr.cx('fr-sr-only')}>
              {step.fulfilled === true ? 'Remplie : ' : 'Non remplie : '}
            </span>
            <span aria-hidden="true">{step.fulfilled === true ? '✓ ' : '✗ '}</span>
            {step.sentence}
          </li>
        ))}
      </ul>
      <h3 className={fr.cx('fr-h6')}>Montant</h3>
      <ul>
        {amountSteps.map((step, index) => (
          <li key={`montant-${index}`}>{step.sentence}</li>
        ))}
      </ul>
      <p className={fr.cx('fr-text--sm')}>
        Cette évaluation est calculée par la plateforme à partir de vos réponses (article L311-3-1
        du code des relations entre le public et l’administration). La décision revient à
        l’instructeur du financeur.
      </p>
    </section>
  );
}

export function AnswersList({ answers }: { answers: ApplicationDetail['application']['answers'] }) {
  return (
    <section aria-labelledby="reponses-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="reponses-titre">Réponses</h2>
      <dl>
        {answers.map((answer) => (
          <div key={answer.key} className={fr.cx('fr-mb-1w')}>
            <dt className={fr.cx('fr-text--bold')}>{answer.label}</dt>
            <dd className={fr.cx('fr-ml-0')}>{answer.text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function DecisionCallout({
  detail,
  walletLink,
}: {
  detail: ApplicationDetail;
  /** For the applicant: where the credited aid now shows. */
  walletLink: boolean;
}) {
  const decision = detail.application.decision;
  if (decision === null) return null;
  const accepted = decision.decision === 'accepted';
  return (
    <CallOut
      title={accepted ? 'Demande acceptée' : 'Demande refusée'}
      titleAs="h2"
      iconId={accepted ? 'fr-icon-checkbox-circle-line' : 'fr-icon-close-circle-line'}
      colorVariant={accepted ? 'green-emeraude' : 'pink-tuile'}
      className={fr.cx('fr-mb-6w')}
    >
      {accepted && decision.amountCents !== null && (
        <>{`Montant accordé : ${formatCents(decision.amountCents)}. `}</>
      )}
      {`Décision du ${formatDateTime(decision.decidedAt)}. Motif : ${decision.reason}`}
      {accepted &&
        decision.attributionStatus === 'approved' &&
        ' L’aide sera créditée dès que la réserve du dispositif le permettra.'}
      {accepted && walletLink && (
        <>
          {' '}
          <AppLink href="/mes-aides">Voir mes aides</AppLink>
        </>
      )}
    </CallOut>
  );
}

export function HistoryList({ history }: { history: ApplicationEvent[] }) {
  return (
    <section aria-labelledby="historique-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="historique-titre">Historique</h2>
      <ol>
        {history.map((event) => (
          <li key={event.id}>
            {`${formatDateTime(event.occurredAt)} — ${event.toStatusLabel}`}
            {event.personName !== null && ` (par ${event.personName})`}
            {event.reason !== null && ` : ${event.reason}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
