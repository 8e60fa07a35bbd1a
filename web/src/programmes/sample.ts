import { departementGrid } from './departements.js';
import type { BeneficiaryFacts } from './types.js';

// Samples of beneficiaries for simulations: read from a file the person chooses (CSV or JSON),
// or generated here, always the same for the same date, from a small seeded generator.

export const maximumSampleSize = 5_000;
export const demoSampleSize = 3_000;

/** Mulberry32: a tiny deterministic generator, plenty for a varied demonstration sample. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The communes of the Gironde where most of the sample lives, the demo fund's territory. */
const girondeCommunes = [
  '33063',
  '33063',
  '33063',
  '33281',
  '33318',
  '33522',
  '33550',
  '33449',
  '33039',
  '33529',
  '33192',
  '33119',
  '33249',
  '33243',
];

function pick<Item>(random: () => number, items: readonly Item[]): Item {
  return items[Math.floor(random() * items.length)] as Item;
}

/** Index drawn with the given weights. */
function weighted(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let draw = random() * total;
  for (const [index, weight] of weights.entries()) {
    draw -= weight;
    if (draw < 0) return index;
  }
  return weights.length - 1;
}

/** YYYY-MM-DD of a birth `age` full years before `referenceDate`, on a day drawn in that year. */
function birthDateFor(referenceDate: string, age: number, random: () => number): string {
  const reference = new Date(`${referenceDate}T00:00:00Z`);
  const birth = new Date(reference);
  birth.setUTCFullYear(reference.getUTCFullYear() - age);
  birth.setUTCDate(birth.getUTCDate() - Math.floor(random() * 364) - 1);
  return birth.toISOString().slice(0, 10);
}

function ageOf(random: () => number): number {
  const band = weighted(random, [10, 12, 20, 58]);
  if (band === 0) return 18;
  if (band === 1) return 15 + Math.floor(random() * 11);
  if (band === 2) return 60 + Math.floor(random() * 30);
  return Math.floor(random() * 95);
}

function statusesOf(age: number, random: () => number): string[] {
  const statuses: string[] = [];
  if (age >= 15 && age <= 17) statuses.push('lyceen');
  if (age >= 18 && age <= 25 && random() < 0.5)
    statuses.push(random() < 0.8 ? 'etudiant' : 'apprenti');
  if (statuses.includes('etudiant') && random() < 0.3) statuses.push('boursier');
  if (age >= 62) statuses.push('retraite');
  else if (age >= 18) {
    const work = weighted(random, [60, 10, 8, 6, 16]);
    statuses.push(
      ['salarie', 'demandeur_emploi', 'independant', 'beneficiaire_rsa', ''][work] as string,
    );
  }
  if (random() < 0.04) statuses.push('handicap');
  return statuses.filter((status) => status !== '');
}

function personOf(referenceDate: string, random: () => number): BeneficiaryFacts {
  const age = ageOf(random);
  const inGironde = random() < 0.45;
  const communeCode = inGironde
    ? pick(random, girondeCommunes)
    : pick(random, departementGrid).chefLieu;
  const facts: BeneficiaryFacts = {
    birthDate: birthDateFor(referenceDate, age, random),
    communeCode,
    householdQuotientEuros: 150 + Math.floor(random() ** 1.6 * 2_200),
    dependentChildren: age < 20 ? 0 : weighted(random, [40, 25, 20, 10, 4, 1]),
    statuses: statusesOf(age, random),
  };
  if (random() < 0.3) facts.declaredExpenseCents = (50 + Math.floor(random() * 1_950)) * 1_000;
  return facts;
}

/** « Échantillon de démonstration »: varied people, mostly in the Gironde, the same every time. */
export function demoSample(
  referenceDate: string,
  size = demoSampleSize,
): { facts: BeneficiaryFacts }[] {
  const random = seededRandom(20_260_101);
  return Array.from({ length: size }, () => ({ facts: personOf(referenceDate, random) }));
}

export type ParsedSample =
  { ok: true; beneficiaries: { facts: BeneficiaryFacts }[] } | { ok: false; problems: string[] };

const columns = [
  'birthDate',
  'communeCode',
  'householdQuotientEuros',
  'dependentChildren',
  'statuses',
] as const;

function factsOfRow(
  cells: Record<string, string>,
  line: number,
  problems: string[],
): BeneficiaryFacts {
  const facts: BeneficiaryFacts = {};
  const birthDate = cells.birthDate ?? '';
  if (birthDate !== '') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) facts.birthDate = birthDate;
    else
      problems.push(
        `Ligne ${line} : date de naissance « ${birthDate} » illisible (attendu AAAA-MM-JJ).`,
      );
  }
  if ((cells.communeCode ?? '') !== '') facts.communeCode = (cells.communeCode ?? '').toUpperCase();
  const quotient = (cells.householdQuotientEuros ?? '').replace(',', '.');
  if (quotient !== '') {
    if (/^\d+(\.\d+)?$/.test(quotient)) facts.householdQuotientEuros = Number(quotient);
    else problems.push(`Ligne ${line} : quotient familial « ${quotient} » illisible.`);
  }
  const children = cells.dependentChildren ?? '';
  if (children !== '') {
    if (/^\d{1,2}$/.test(children)) facts.dependentChildren = Number(children);
    else problems.push(`Ligne ${line} : nombre d’enfants « ${children} » illisible.`);
  }
  const statuses = (cells.statuses ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (statuses.length > 0) facts.statuses = statuses;
  return facts;
}

function splitCsvLine(line: string, separator: string): string[] {
  return line.split(separator).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

/** A CSV file with a header line naming its columns (in any order), « ; » or « , » between cells. */
export function parseCsvSample(text: string): ParsedSample {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined) return { ok: false, problems: ['Le fichier est vide.'] };
  const separator = header.includes(';') ? ';' : ',';
  const names = splitCsvLine(header, separator);
  if (!names.some((name) => (columns as readonly string[]).includes(name))) {
    return {
      ok: false,
      problems: [`La première ligne doit nommer les colonnes : ${columns.join(', ')}.`],
    };
  }
  const problems: string[] = [];
  const beneficiaries = lines.slice(1).map((line, index) => {
    const values = splitCsvLine(line, separator);
    const cells = Object.fromEntries(names.map((name, position) => [name, values[position] ?? '']));
    return { facts: factsOfRow(cells, index + 2, problems) };
  });
  return checked(beneficiaries, problems);
}

/** A JSON file: a list of facts, or of `{ facts }` as the API takes them. */
export function parseJsonSample(text: string): ParsedSample {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['Le fichier n’est pas un JSON valide.'] };
  }
  if (!Array.isArray(data))
    return { ok: false, problems: ['Le fichier JSON doit contenir une liste de personnes.'] };
  const beneficiaries = data.map((item: unknown) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const facts = 'facts' in record ? record.facts : record;
    return { facts: facts as BeneficiaryFacts };
  });
  return checked(beneficiaries, []);
}

function checked(beneficiaries: { facts: BeneficiaryFacts }[], problems: string[]): ParsedSample {
  if (problems.length > 0) {
    const more = problems.length > 5 ? [`… et ${problems.length - 5} autres erreurs.`] : [];
    return { ok: false, problems: [...problems.slice(0, 5), ...more] };
  }
  if (beneficiaries.length === 0)
    return { ok: false, problems: ['Le fichier ne contient aucune personne.'] };
  if (beneficiaries.length > maximumSampleSize) {
    return {
      ok: false,
      problems: [
        `Le fichier contient ${beneficiaries.length} personnes : ${maximumSampleSize} au plus.`,
      ],
    };
  }
  return { ok: true, beneficiaries };
}

export function parseSampleFile(name: string, text: string): ParsedSample {
  return /\.json$/i.test(name) ? parseJsonSample(text) : parseCsvSample(text);
}
