import type { SummarisedError } from '../../components/ErrorSummary.js';
import { sum } from '../../programmes/format.js';
import { parseEurosToCents } from '../../programmes/money.js';
import type { NewFund } from '../../programmes/types.js';

// The new-fund form as typed, its checks and the request it becomes. Pure.

/** « autre »: an organisation not in the list, given by its number. */
export const otherOrganisation = 'autre';

export interface ContributorRow {
  key: number;
  organisation: string;
  otherNumber: string;
  amount: string;
}

export interface AxisRow {
  key: number;
  name: string;
  budget: string;
}

export interface FundDraft {
  organisationId: string;
  name: string;
  startsOn: string;
  endsOn: string;
  contributors: ContributorRow[];
  axes: AxisRow[];
}

export const fundFieldIds = {
  organisation: 'fonds-gestionnaire',
  name: 'fonds-nom',
  startsOn: 'fonds-debut',
  endsOn: 'fonds-fin',
  contributorOrganisation: (key: number) => `fonds-contributeur-${key}-organisation`,
  contributorNumber: (key: number) => `fonds-contributeur-${key}-numero`,
  contributorAmount: (key: number) => `fonds-contributeur-${key}-montant`,
  axisName: (key: number) => `fonds-axe-${key}-nom`,
  axisBudget: (key: number) => `fonds-axe-${key}-budget`,
};

export const amountProblem =
  'Saisissez un montant en euros supérieur à zéro, par exemple 150000 ou 1 250,50.';

/** The amounts that can be read, for the running totals shown while typing. */
export function runningTotals(draft: FundDraft) {
  const cents = (text: string) => parseEurosToCents(text) ?? 0;
  const committedCents = sum(draft.contributors.map((row) => cents(row.amount)));
  const budgetCents = sum(draft.axes.map((row) => cents(row.budget)));
  return { committedCents, budgetCents, exceeds: budgetCents > committedCents };
}

function contributorOrganisationId(row: ContributorRow): number | null {
  const text = row.organisation === otherOrganisation ? row.otherNumber.trim() : row.organisation;
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : null;
}

type Problem = SummarisedError & { fieldId: string };

function contributorProblems(draft: FundDraft): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<number>();
  draft.contributors.forEach((row, index) => {
    const label = `Contributeur ${index + 1}`;
    const organisationId = contributorOrganisationId(row);
    const organisationField =
      row.organisation === otherOrganisation
        ? fundFieldIds.contributorNumber(row.key)
        : fundFieldIds.contributorOrganisation(row.key);
    if (organisationId === null) {
      const message =
        row.organisation === otherOrganisation
          ? 'Saisissez le numéro de l’organisation (des chiffres).'
          : 'Choisissez l’organisation qui contribue.';
      problems.push({
        key: organisationField,
        fieldId: organisationField,
        fieldLabel: label,
        message,
      });
    } else if (seen.has(organisationId)) {
      const message = 'Cette organisation contribue déjà au fonds : une ligne par contributeur.';
      problems.push({
        key: organisationField,
        fieldId: organisationField,
        fieldLabel: label,
        message,
      });
    } else seen.add(organisationId);
    const amount = parseEurosToCents(row.amount);
    if (amount === null || amount === 0) {
      const fieldId = fundFieldIds.contributorAmount(row.key);
      problems.push({
        key: fieldId,
        fieldId,
        fieldLabel: `${label}, engagement`,
        message: amountProblem,
      });
    }
  });
  return problems;
}

function axisProblems(draft: FundDraft): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  draft.axes.forEach((row, index) => {
    const label = `Axe ${index + 1}`;
    const name = row.name.trim().toLowerCase();
    const nameField = fundFieldIds.axisName(row.key);
    if (name === '' || row.name.trim().length > 200) {
      problems.push({
        key: nameField,
        fieldId: nameField,
        fieldLabel: label,
        message: 'Nommez l’axe (200 caractères au plus).',
      });
    } else if (names.has(name)) {
      problems.push({
        key: nameField,
        fieldId: nameField,
        fieldLabel: label,
        message: 'Deux axes portent ce nom.',
      });
    } else names.add(name);
    const amount = parseEurosToCents(row.budget);
    if (amount === null || amount === 0) {
      const fieldId = fundFieldIds.axisBudget(row.key);
      problems.push({
        key: fieldId,
        fieldId,
        fieldLabel: `${label}, budget`,
        message: amountProblem,
      });
    }
  });
  return problems;
}

function generalProblems(draft: FundDraft): Problem[] {
  const problems: Problem[] = [];
  const add = (fieldId: string, fieldLabel: string, message: string) =>
    problems.push({ key: fieldId, fieldId, fieldLabel, message });
  if (draft.organisationId === '') {
    add(fundFieldIds.organisation, 'Gestionnaire', 'Choisissez l’organisation qui gère le fonds.');
  }
  const name = draft.name.trim();
  if (name === '' || name.length > 200) {
    add(fundFieldIds.name, 'Nom', 'Nommez le fonds (200 caractères au plus).');
  }
  if (draft.startsOn === '') add(fundFieldIds.startsOn, 'Début', 'Indiquez le premier jour.');
  if (draft.endsOn === '') add(fundFieldIds.endsOn, 'Fin', 'Indiquez le dernier jour.');
  else if (draft.startsOn !== '' && draft.endsOn < draft.startsOn) {
    add(fundFieldIds.endsOn, 'Fin', 'La fin de la période doit suivre son début.');
  }
  return problems;
}

/** Every problem of the form in the order of its fields, or the request to send. */
export function checkFundDraft(
  draft: FundDraft,
): { problems: Problem[]; request: null } | { problems: []; request: NewFund } {
  const problems = [
    ...generalProblems(draft),
    ...contributorProblems(draft),
    ...axisProblems(draft),
  ];
  const totals = runningTotals(draft);
  const lastAxis = draft.axes.at(-1);
  if (problems.length === 0 && totals.exceeds && lastAxis !== undefined) {
    const fieldId = fundFieldIds.axisBudget(lastAxis.key);
    problems.push({
      key: 'axes-total',
      fieldId,
      fieldLabel: 'Budgets des axes',
      message: 'La somme des budgets des axes dépasse celle des engagements des contributeurs.',
    });
  }
  if (problems.length > 0) return { problems, request: null };
  return {
    problems: [],
    request: {
      organisationId: Number(draft.organisationId),
      name: draft.name.trim(),
      startsOn: draft.startsOn,
      endsOn: draft.endsOn,
      contributors: draft.contributors.map((row) => ({
        organisationId: contributorOrganisationId(row) as number,
        committedCents: parseEurosToCents(row.amount) as number,
      })),
      axes: draft.axes.map((row) => ({
        name: row.name.trim(),
        budgetCents: parseEurosToCents(row.budget) as number,
      })),
    },
  };
}
