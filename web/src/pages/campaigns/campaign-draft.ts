import type { SummarisedError } from '../../components/ErrorSummary.js';
import type { NewCampaign, Population } from '../../campaigns/types.js';

// The form of a new campaign as typed, checked before sending, and turned into the request.

export type PopulationKind = Population['kind'];

export interface CampaignDraft {
  programmeId: string;
  name: string;
  populationKind: PopulationKind;
  importId: string;
  communeCodes: string;
  referenceDate: string;
}

export const campaignFieldIds = {
  programme: 'campagne-dispositif',
  name: 'campagne-nom',
  population: 'campagne-population',
  importId: 'campagne-import',
  communeCodes: 'campagne-communes',
  referenceDate: 'campagne-date',
};

/** As many as the server takes in one population (MAX_COMMUNES_IN_POPULATION). */
export const maximumCommunes = 2_000;
const maximumNameLength = 200;
const communeCodePattern = /^[0-9][0-9AB][0-9]{3}$/;

/** The INSEE codes typed, separated by spaces, commas or lines, each once, in capitals. */
export function communeCodesOf(text: string): string[] {
  const codes = text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  return [...new Set(codes)];
}

function communeProblem(text: string): string | undefined {
  const codes = communeCodesOf(text);
  if (codes.length === 0) return 'Indiquez au moins un code INSEE de commune, par exemple 33063.';
  if (codes.length > maximumCommunes) {
    return `${maximumCommunes} communes au plus : choisissez plutôt tout le département.`;
  }
  const wrong = codes.filter((code) => !communeCodePattern.test(code));
  if (wrong.length > 0) {
    return `Ces codes ne sont pas des codes INSEE de commune (5 caractères, par exemple 33063 ou 2A004) : ${wrong.slice(0, 5).join(', ')}.`;
  }
  return undefined;
}

export function campaignProblems(draft: CampaignDraft): SummarisedError[] {
  const problems: SummarisedError[] = [];
  const add = (fieldId: string, fieldLabel: string, message: string) =>
    problems.push({ key: fieldId, fieldId, fieldLabel, message });
  if (draft.programmeId === '') {
    add(campaignFieldIds.programme, 'Dispositif', 'Choisissez le dispositif à attribuer.');
  }
  const name = draft.name.trim();
  if (name === '' || name.length > maximumNameLength) {
    add(
      campaignFieldIds.name,
      'Nom',
      `Nommez la campagne (${maximumNameLength} caractères au plus).`,
    );
  }
  if (draft.populationKind === 'import' && draft.importId === '') {
    add(campaignFieldIds.importId, 'Fichier importé', 'Choisissez le fichier importé.');
  }
  if (draft.populationKind === 'communes') {
    const problem = communeProblem(draft.communeCodes);
    if (problem !== undefined) add(campaignFieldIds.communeCodes, 'Communes', problem);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.referenceDate)) {
    add(campaignFieldIds.referenceDate, 'Date de référence', 'Indiquez une date (JJ/MM/AAAA).');
  }
  return problems;
}

function populationOf(draft: CampaignDraft): Population {
  switch (draft.populationKind) {
    case 'all':
      return { kind: 'all' };
    case 'import':
      return { kind: 'import', importId: Number(draft.importId) };
    case 'communes':
      return { kind: 'communes', communeCodes: communeCodesOf(draft.communeCodes) };
  }
}

export function campaignRequestOf(draft: CampaignDraft): NewCampaign {
  return {
    programmeId: Number(draft.programmeId),
    name: draft.name.trim(),
    population: populationOf(draft),
    referenceDate: draft.referenceDate,
  };
}
