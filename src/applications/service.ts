import type pg from 'pg';
import type { BeneficiaryInput } from '../beneficiaries/schemas.js';
import {
  findBeneficiaryOfPerson,
  insertBeneficiary,
  linkRecordsByEmail,
} from '../beneficiaries/store.js';
import { normaliseBeneficiary, normalisePhone } from '../beneficiaries/model.js';
import type { Journal } from '../identity/journal.js';
import { findPersonById } from '../identity/people-store.js';
import { queuePersonNotices } from '../notifications/outbox.js';
import { dateOfDayNumberText, parisDayNumber } from '../programmes/rules/calendar.js';
import type { CompiledRules, EligibilityDecision } from '../programmes/rules/engine.js';
import type { BeneficiaryFacts } from '../programmes/rules/facts.js';
import type { RuleSet } from '../programmes/rules/schema.js';
import { findCommune } from '../reference/zones.js';
import { applicationError } from './errors.js';
import { checkAnswers, questionsOf, type ApplicantIdentity } from './questions.js';
import {
  insertApplication,
  insertEvent,
  insertMessage,
  lockApplication,
  OPEN_STATUSES,
  updateApplicationStatus,
  type ApplicationRecord,
  type ApplicationStatus,
  type MessageSide,
  type OpenProgrammeRecord,
} from './store.js';

// Applications: submitted with the answers the rules need and evaluated at once; then a case
// worker asks for more, or decides. Each change locks the application, checks its status, and
// writes the change, its history line, the notice and the journal entry in one transaction.

export type Submission = {
  programme: OpenProgrammeRecord;
  rules: RuleSet;
  compiled: CompiledRules;
  applicantPersonId: number;
  submittedByPersonId: number;
  answers: Record<string, unknown>;
  today: string;
};

/** The day in Paris: applications are evaluated on the day they are submitted. */
export function parisToday(nowMs = Date.now()): string {
  return dateOfDayNumberText(parisDayNumber(nowMs));
}

export const answerContext = (today: string) => ({
  today,
  // Current communes only: the rules' zones are drawn from them.
  isKnownCommune: (code: string) => findCommune(code) !== undefined,
});

/**
 * The record the answers describe, checked by the registry's own rules (the same as for an
 * imported file), whether or not a record must be created: one applicant, one set of rules.
 */
function recordOfAnswers(
  identity: ApplicantIdentity,
  facts: BeneficiaryFacts,
  person: { email: string; phone: string | null },
  today: string,
): BeneficiaryInput {
  const phone = person.phone === null ? null : normalisePhone(person.phone);
  const normalised = normaliseBeneficiary(
    {
      kind: 'personne',
      ...identity,
      birthDate: facts.birthDate ?? null,
      communeCode: facts.communeCode ?? null,
      email: person.email,
      phone: phone !== null && 'value' in phone ? phone.value : null,
      householdQuotientEuros: facts.householdQuotientEuros ?? null,
      dependentChildren: facts.dependentChildren ?? null,
      statuses: facts.statuses ?? null,
      ...(facts.custom === undefined ? {} : { custom: facts.custom }),
    },
    today,
  );
  if ('data' in normalised) return normalised.data;
  const problems = normalised.problems.map((found) => ({
    field: found.field,
    message: found.reason,
  }));
  throw applicationError('answers_invalid', problems);
}

/** The applicant's record at the funder: the one linked to them, else a new one from the answers. */
async function beneficiaryOfApplicant(
  client: pg.ClientBase,
  submission: Submission,
  identity: ApplicantIdentity,
  facts: BeneficiaryFacts,
): Promise<number> {
  const { programme, applicantPersonId } = submission;
  // Locked: two submissions of one person at once must not create two records at one funder.
  const person = await findPersonById(client, applicantPersonId, { forUpdate: true });
  if (person === undefined) throw new Error(`person ${applicantPersonId} vanished`);
  const record = recordOfAnswers(identity, facts, person, submission.today);
  // A record the funder already holds with the account's email is this person's: no duplicate.
  await linkRecordsByEmail(client, applicantPersonId, person.email);
  const existing = await findBeneficiaryOfPerson(
    client,
    programme.organisationId,
    applicantPersonId,
  );
  if (existing !== undefined) return existing.id;
  return insertBeneficiary(client, programme.organisationId, record, {
    personId: applicantPersonId,
  });
}

/** Checks the answers, evaluates them, and records the application with its evaluation. */
export async function submitApplication(
  client: pg.ClientBase,
  journal: Journal,
  submission: Submission,
): Promise<{ applicationId: number; decision: EligibilityDecision }> {
  const { programme } = submission;
  const checked = checkAnswers(
    questionsOf(submission.rules),
    submission.answers,
    answerContext(submission.today),
  );
  if (!checked.valid) throw applicationError('answers_invalid', checked.problems);
  const decision = submission.compiled.evaluate(checked.facts, submission.today);
  const beneficiaryId = await beneficiaryOfApplicant(
    client,
    submission,
    checked.identity,
    checked.facts,
  );
  const applicationId = await insertApplication(client, {
    organisationId: programme.organisationId,
    programmeId: programme.id,
    ruleVersion: programme.publishedVersion,
    beneficiaryId,
    applicantPersonId: submission.applicantPersonId,
    submittedByPersonId: submission.submittedByPersonId,
    answers: checked.answers,
    facts: checked.facts,
    referenceDate: submission.today,
    eligible: decision.eligible,
    evaluatedAmountCents: decision.amountCents,
  });
  if (applicationId === undefined) throw applicationError('application_already_open');
  await insertEvent(client, {
    applicationId,
    fromStatus: null,
    toStatus: 'submitted',
    reason: null,
    personId: submission.submittedByPersonId,
  });
  await journal({
    organisationId: programme.organisationId,
    action: 'application.submit',
    targetType: 'application',
    targetId: applicationId,
    after: {
      programmeId: programme.id,
      ruleVersion: programme.publishedVersion,
      eligible: decision.eligible,
      evaluatedAmountCents: decision.amountCents,
    },
  });
  return { applicationId, decision };
}

/** Locks the application and answers its status, refusing any change once it is closed. */
export async function lockOpenApplication(
  client: pg.ClientBase,
  applicationId: number,
): Promise<ApplicationStatus> {
  const status = await lockApplication(client, applicationId);
  if (!OPEN_STATUSES.includes(status)) throw applicationError('application_closed');
  return status;
}

type Change = {
  application: ApplicationRecord;
  from: ApplicationStatus;
  to: ApplicationStatus;
  reason: string | null;
  personId: number;
};

async function recordTransition(client: pg.ClientBase, change: Change): Promise<void> {
  if (change.from === change.to) return;
  await insertEvent(client, {
    applicationId: change.application.id,
    fromStatus: change.from,
    toStatus: change.to,
    reason: change.reason,
    personId: change.personId,
  });
}

/** A message in the exchange; from the applicant, it answers a request and resumes instruction. */
export async function addMessage(
  client: pg.ClientBase,
  journal: Journal,
  message: { application: ApplicationRecord; side: MessageSide; personId: number; body: string },
): Promise<number> {
  const { application } = message;
  const from = await lockOpenApplication(client, application.id);
  const messageId = await insertMessage(client, {
    applicationId: application.id,
    authorPersonId: message.personId,
    authorSide: message.side,
    body: message.body,
  });
  const to: ApplicationStatus =
    message.side === 'instruction' ? 'information_requested' : 'submitted';
  if (to !== from) {
    await updateApplicationStatus(client, application.id, { status: to });
    const reason = to === 'submitted' ? 'Réponse du demandeur' : message.body;
    await recordTransition(client, { application, from, to, reason, personId: message.personId });
  }
  if (message.side === 'instruction') {
    await queuePersonNotices(client, 'application_information_requested', [
      {
        personId: application.applicantPersonId,
        eventKey: `application:${application.id}:information:${messageId}`,
        payload: { programmeName: application.programmeName, message: message.body },
      },
    ]);
  }
  await journal({
    organisationId: application.organisationId,
    action:
      message.side === 'instruction' ? 'application.request_information' : 'application.message',
    targetType: 'application',
    targetId: application.id,
    before: { status: from },
    after: { status: to, messageId },
  });
  return messageId;
}

export async function withdrawApplication(
  client: pg.ClientBase,
  journal: Journal,
  application: ApplicationRecord,
  personId: number,
): Promise<void> {
  const from = await lockOpenApplication(client, application.id);
  await updateApplicationStatus(client, application.id, { status: 'withdrawn' });
  await recordTransition(client, {
    application,
    from,
    to: 'withdrawn',
    reason: 'Demande retirée par le demandeur',
    personId,
  });
  await journal({
    organisationId: application.organisationId,
    action: 'application.withdraw',
    targetType: 'application',
    targetId: application.id,
    before: { status: from },
    after: { status: 'withdrawn' },
  });
}

export type Decision = {
  decision: 'accepted' | 'refused';
  reason: string;
  amountCents: number | null;
  attributionId: number | null;
};

/** Writes a decision already checked (and, for an acceptance, already attributed). */
export async function recordDecision(
  client: pg.ClientBase,
  journal: Journal,
  application: ApplicationRecord,
  decision: Decision & { decidedByPersonId: number },
): Promise<void> {
  const from = await lockOpenApplication(client, application.id);
  await updateApplicationStatus(client, application.id, {
    status: decision.decision,
    decisionReason: decision.reason,
    decidedByPersonId: decision.decidedByPersonId,
    decidedAmountCents: decision.amountCents,
  });
  await recordTransition(client, {
    application,
    from,
    to: decision.decision,
    reason: decision.reason,
    personId: decision.decidedByPersonId,
  });
  await queuePersonNotices(client, 'application_decided', [
    {
      personId: application.applicantPersonId,
      eventKey: `application:${application.id}:decided`,
      payload: {
        programmeName: application.programmeName,
        decision: decision.decision,
        reason: decision.reason,
        amountCents: decision.amountCents,
      },
    },
  ]);
  await journal({
    organisationId: application.organisationId,
    action: decision.decision === 'accepted' ? 'application.accept' : 'application.refuse',
    targetType: 'application',
    targetId: application.id,
    before: { status: from },
    after: {
      status: decision.decision,
      reason: decision.reason,
      amountCents: decision.amountCents,
      attributionId: decision.attributionId,
    },
  });
}

/** The largest amount a case worker may grant when the rules gave nothing: 100 000 €. */
export const MAX_DECIDED_AMOUNT_CENTS = 10_000_000;

/**
 * The amount an acceptance grants: the evaluated one by default; a case worker may lower it,
 * never raise it, except when the rules gave nothing, where they must name it (up to a cap).
 */
export function acceptedAmountCents(
  evaluatedAmountCents: number,
  askedAmountCents: number | undefined,
): number {
  if (askedAmountCents === undefined) {
    if (evaluatedAmountCents <= 0) throw applicationError('decision_amount_missing');
    return evaluatedAmountCents;
  }
  const ceiling = evaluatedAmountCents > 0 ? evaluatedAmountCents : MAX_DECIDED_AMOUNT_CENTS;
  if (
    !Number.isSafeInteger(askedAmountCents) ||
    askedAmountCents < 1 ||
    askedAmountCents > ceiling
  ) {
    throw applicationError('decision_amount_invalid', { maximumCents: ceiling });
  }
  return askedAmountCents;
}
