import type pg from 'pg';
import { compiledVersion } from '../programmes/service.js';
import { explanationSentences } from '../programmes/rules/engine.js';
import { formatCents, formatNumber } from '../programmes/rules/format.js';
import { formatDateFrench } from '../programmes/rules/calendar.js';
import { findCommune } from '../reference/zones.js';
import { questionsOf, type AnswerValue, type Question } from './questions.js';
import type { ApplicationDetail } from './schemas.js';
import {
  listDocuments,
  listEvents,
  listMessages,
  type ApplicationRecord,
  type ApplicationStatus,
} from './store.js';

// How an application is shown, to the applicant and to the case worker alike: the answers
// with their questions, the evaluation recomputed from the stored facts (rules never change,
// so it is exactly what was decided on), the documents, the exchange and the history.

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  submitted: 'Déposée, en cours d’instruction',
  information_requested: 'Informations demandées',
  accepted: 'Acceptée',
  refused: 'Refusée',
  withdrawn: 'Retirée',
};

export function summaryOf(application: ApplicationRecord) {
  return {
    id: application.id,
    programmeId: application.programmeId,
    programmeName: application.programmeName,
    funderName: application.funderName,
    organisationId: application.organisationId,
    applicantName: application.applicantName,
    status: application.status,
    statusLabel: STATUS_LABELS[application.status],
    eligible: application.eligible,
    evaluatedAmountCents: application.evaluatedAmountCents,
    decidedAmountCents: application.decidedAmountCents,
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
  };
}

/** An answer as a person reads it: « oui », « 1 200,00 € », « Bordeaux (33063) ». */
export function answerText(question: Question, value: AnswerValue): string {
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (Array.isArray(value)) {
    const labels = value.map(
      (item) => question.choices?.find((choice) => choice.value === item)?.label ?? item,
    );
    return labels.length === 0 ? 'aucune' : labels.join(', ');
  }
  if (typeof value === 'number') {
    return question.input === 'amount_cents' ? formatCents(value) : formatNumber(value);
  }
  if (question.input === 'date') return formatDateFrench(value);
  if (question.input === 'commune') {
    const name = findCommune(value)?.name;
    return name === undefined ? value : `${name} (${value})`;
  }
  return question.choices?.find((choice) => choice.value === value)?.label ?? value;
}

export async function detailOf(
  pool: pg.Pool,
  application: ApplicationRecord,
): Promise<ApplicationDetail> {
  const [{ rules, compiled }, documents, messages, events] = await Promise.all([
    compiledVersion(pool, application.programmeId, application.ruleVersion),
    listDocuments(pool, application.id),
    listMessages(pool, application.id),
    listEvents(pool, application.id),
  ]);
  const decision = compiled.evaluate(application.facts, application.referenceDate);
  const answers = questionsOf(rules).flatMap((question) => {
    const value = application.answers[question.key];
    if (value === undefined) return [];
    return [{ key: question.key, label: question.label, value, text: answerText(question, value) }];
  });
  const decided = application.status === 'accepted' || application.status === 'refused';
  return {
    application: {
      ...summaryOf(application),
      ruleVersion: application.ruleVersion,
      referenceDate: application.referenceDate,
      beneficiaryId: application.beneficiaryId,
      submittedByName: application.submittedByName,
      answers,
      decision: decided
        ? {
            decision: application.status as 'accepted' | 'refused',
            reason: application.decisionReason ?? '',
            amountCents: application.decidedAmountCents,
            decidedAt: application.decidedAt ?? application.updatedAt,
            attributionId: application.attributionId,
            attributionStatus: application.attributionStatus,
          }
        : null,
    },
    evaluation: {
      eligible: decision.eligible,
      amountCents: decision.amountCents,
      sentences: explanationSentences(decision),
      explanation: decision.explanation.map(({ kind, code, fulfilled, sentence }) => ({
        kind,
        code,
        ...(fulfilled === undefined ? {} : { fulfilled }),
        sentence,
      })),
    },
    documents: documents.map(({ uploadedByPersonId: _uploader, ...document }) => document),
    messages: messages.map(({ authorPersonId: _author, ...message }) => message),
    history: events.map(({ personId: _person, ...event }) => ({
      ...event,
      toStatusLabel: STATUS_LABELS[event.toStatus],
    })),
  };
}
