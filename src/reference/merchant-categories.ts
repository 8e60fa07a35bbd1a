import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';

// Merchant categories: card-network MCC (ISO 18245), INSEE NAF rev. 2 sous-classes, and the named
// groups that programme rules earmark money to. Group membership is decided at payment time, so
// every code is resolved once into a bit mask and a lookup is two Map reads.

export const CATEGORY_GROUPS = [
  'culture',
  'livres',
  'spectacle_vivant',
  'cinema',
  'musees_patrimoine',
  'musique',
  'biens_numeriques',
  'alimentation',
  'circuits_courts',
  'mobilite',
  'auto_ecole',
  'sante',
  'renovation_energetique',
  'equipement_maison',
  'fournitures_scolaires',
  'sport',
  'energie',
] as const;

export type CategoryGroup = (typeof CATEGORY_GROUPS)[number];

export type MerchantCodes = { mcc: string | null; naf: string | null };

export type CategoryCode = { code: string; label: string };

/** A group's codes once its included groups are folded in. */
export type CategoryGroupCodes = {
  mcc: string[];
  /** Codes too broad to trust alone: they count only for a merchant whose NAF is unknown. */
  mccWithoutNaf: string[];
  naf: string[];
};

const codeListSchema = z.array(z.object({ code: z.string(), label: z.string().min(1) }));
const nafPackageSchema = z.array(z.object({ id: z.string(), label: z.string().min(1) }));
const groupFileSchema = z.array(
  z.object({
    group: z.enum(CATEGORY_GROUPS),
    label: z.string().min(1),
    includes: z.array(z.enum(CATEGORY_GROUPS)),
    mcc: z.array(z.string()),
    mccWithoutNaf: z.array(z.string()),
    naf: z.array(z.string()),
  }),
);
type GroupFileEntry = z.infer<typeof groupFileSchema>[number];

const MCC_PATTERN = /^\d{4}$/;
const NAF_SUBCLASS_PATTERN = /^(\d{2})\.?(\d{2})([A-Z])$/;

type CategoryIndex = {
  mccLabels: Map<string, string>;
  nafLabels: Map<string, string>;
  groupLabels: Map<CategoryGroup, string>;
  groupCodes: Map<CategoryGroup, CategoryGroupCodes>;
  mccMask: Map<string, number>;
  mccWithoutNafMask: Map<string, number>;
  nafMask: Map<string, number>;
  /** Masks already turned into group lists: few distinct masks occur, payments repeat them. */
  groupsByMask: Map<number, readonly CategoryGroup[]>;
};

let categoryIndex: CategoryIndex | undefined;
let categoryIndexLoads = 0;

function readOwnDataFile(fileName: string): unknown {
  return JSON.parse(readFileSync(new URL(`./data/${fileName}`, import.meta.url), 'utf8'));
}

/** Official NAF labels from the INSEE file repackaged by the SocialGouv team. */
function readNafLabels(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const filePath = require.resolve('@socialgouv/codes-naf/index.json');
  const entries = nafPackageSchema.parse(JSON.parse(readFileSync(filePath, 'utf8')));
  const labels = new Map<string, string>();
  for (const entry of entries) {
    // The file also lists divisions, groupes and classes; rules work on sous-classes only.
    if (!/^\d{2}\.\d{2}[A-Z]$/.test(entry.id)) continue;
    // A few official labels carry doubled spaces, which would break exact matching in the UI.
    labels.set(entry.id, entry.label.replace(/\s+/g, ' ').trim());
  }
  return labels;
}

function readMccLabels(): Map<string, string> {
  const entries = codeListSchema.parse(readOwnDataFile('mcc.json'));
  const labels = new Map<string, string>();
  for (const entry of entries) {
    if (!MCC_PATTERN.test(entry.code) || labels.has(entry.code)) {
      throw new Error(`Code MCC invalide ou en double dans mcc.json : ${entry.code}`);
    }
    labels.set(entry.code, entry.label);
  }
  return labels;
}

function resolveGroupCodes(
  entries: Map<CategoryGroup, GroupFileEntry>,
  group: CategoryGroup,
  visiting: Set<CategoryGroup>,
): { mcc: Set<string>; mccWithoutNaf: Set<string>; naf: Set<string> } {
  const entry = entries.get(group);
  if (entry === undefined) throw new Error(`Groupe absent de category-groups.json : ${group}`);
  if (visiting.has(group)) throw new Error(`Groupe inclus dans lui-même : ${group}`);
  visiting.add(group);
  const codes = {
    mcc: new Set(entry.mcc),
    mccWithoutNaf: new Set(entry.mccWithoutNaf),
    naf: new Set(entry.naf),
  };
  for (const included of entry.includes) {
    const inner = resolveGroupCodes(entries, included, visiting);
    for (const code of inner.mcc) codes.mcc.add(code);
    for (const code of inner.mccWithoutNaf) codes.mccWithoutNaf.add(code);
    for (const code of inner.naf) codes.naf.add(code);
  }
  visiting.delete(group);
  // A code trusted on its own in the group needs no NAF confirmation.
  for (const code of codes.mcc) codes.mccWithoutNaf.delete(code);
  return codes;
}

function checkCodesExist(group: CategoryGroup, codes: CategoryGroupCodes, index: CategoryIndex) {
  for (const code of [...codes.mcc, ...codes.mccWithoutNaf]) {
    if (!index.mccLabels.has(code))
      throw new Error(`MCC inconnu dans le groupe ${group} : ${code}`);
  }
  for (const code of codes.naf) {
    if (!index.nafLabels.has(code))
      throw new Error(`NAF inconnu dans le groupe ${group} : ${code}`);
  }
}

function addToMask(masks: Map<string, number>, codes: string[], bit: number): void {
  for (const code of codes) masks.set(code, (masks.get(code) ?? 0) | bit);
}

function buildCategoryIndex(): CategoryIndex {
  const index: CategoryIndex = {
    mccLabels: readMccLabels(),
    nafLabels: readNafLabels(),
    groupLabels: new Map(),
    groupCodes: new Map(),
    mccMask: new Map(),
    mccWithoutNafMask: new Map(),
    nafMask: new Map(),
    groupsByMask: new Map(),
  };
  const entries = new Map<CategoryGroup, GroupFileEntry>();
  for (const entry of groupFileSchema.parse(readOwnDataFile('category-groups.json'))) {
    if (entries.has(entry.group)) throw new Error(`Groupe en double : ${entry.group}`);
    entries.set(entry.group, entry);
  }
  CATEGORY_GROUPS.forEach((group, position) => {
    const resolved = resolveGroupCodes(entries, group, new Set());
    const codes: CategoryGroupCodes = {
      mcc: [...resolved.mcc].sort(),
      mccWithoutNaf: [...resolved.mccWithoutNaf].sort(),
      naf: [...resolved.naf].sort(),
    };
    checkCodesExist(group, codes, index);
    const bit = 1 << position;
    addToMask(index.mccMask, codes.mcc, bit);
    addToMask(index.mccWithoutNafMask, codes.mccWithoutNaf, bit);
    addToMask(index.nafMask, codes.naf, bit);
    index.groupLabels.set(group, entries.get(group)?.label ?? group);
    index.groupCodes.set(group, codes);
  });
  return index;
}

function loadedCategoryIndex(): CategoryIndex {
  if (categoryIndex === undefined) {
    categoryIndex = buildCategoryIndex();
    categoryIndexLoads += 1;
  }
  return categoryIndex;
}

/** How many times the category files were read: once per process, whatever the lookups. */
export function categoryDataLoadCount(): number {
  return categoryIndexLoads;
}

/** '742', ' 0742 ' and '0742' name the same code: terminals and exports drop the leading zero. */
export function normaliseMcc(code: string): string | undefined {
  const trimmed = code.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return undefined;
  return trimmed.padStart(4, '0');
}

/**
 * A NAF sous-classe written the INSEE way, 'NN.NNL': accepts '4761Z', '47.61Z' and '47.61z'.
 * Only the shape is checked; isKnownNaf says whether the code exists.
 */
export function normaliseNaf(code: string): string | undefined {
  const match = NAF_SUBCLASS_PATTERN.exec(code.trim().toUpperCase());
  if (match === null) return undefined;
  return `${match[1]}.${match[2]}${match[3]}`;
}

export function isKnownMcc(code: string): boolean {
  return mccLabel(code) !== undefined;
}

export function mccLabel(code: string): string | undefined {
  const normalised = normaliseMcc(code);
  return normalised === undefined ? undefined : loadedCategoryIndex().mccLabels.get(normalised);
}

export function isKnownNaf(code: string): boolean {
  return nafLabel(code) !== undefined;
}

export function nafLabel(code: string): string | undefined {
  const normalised = normaliseNaf(code);
  return normalised === undefined ? undefined : loadedCategoryIndex().nafLabels.get(normalised);
}

export function categoryGroupLabel(group: CategoryGroup): string {
  return loadedCategoryIndex().groupLabels.get(group) ?? group;
}

/** The codes a group contains, included groups folded in; copies, free to change. */
export function categoryGroupCodes(group: CategoryGroup): CategoryGroupCodes {
  const codes = loadedCategoryIndex().groupCodes.get(group);
  return {
    mcc: [...(codes?.mcc ?? [])],
    mccWithoutNaf: [...(codes?.mccWithoutNaf ?? [])],
    naf: [...(codes?.naf ?? [])],
  };
}

/**
 * A merchant belongs to a group when its NAF or its MCC is in the group. The NAF comes from the
 * SIRENE register and the MCC from the acquirer, so either may be missing. The few MCC too broad
 * to decide alone (8299 covers driving schools and every other private school) count only when
 * the NAF is missing or unknown.
 */
function merchantMask(merchant: MerchantCodes): number {
  const index = loadedCategoryIndex();
  const naf = merchant.naf === null ? undefined : normaliseNaf(merchant.naf);
  const mcc = merchant.mcc === null ? undefined : normaliseMcc(merchant.mcc);
  const nafIsKnown = naf !== undefined && index.nafLabels.has(naf);
  let mask = nafIsKnown ? (index.nafMask.get(naf) ?? 0) : 0;
  if (mcc !== undefined) {
    mask |= index.mccMask.get(mcc) ?? 0;
    if (!nafIsKnown) mask |= index.mccWithoutNafMask.get(mcc) ?? 0;
  }
  return mask;
}

function groupsOfMask(mask: number): readonly CategoryGroup[] {
  const index = loadedCategoryIndex();
  let groups = index.groupsByMask.get(mask);
  if (groups === undefined) {
    groups = Object.freeze(CATEGORY_GROUPS.filter((_, position) => (mask & (1 << position)) !== 0));
    index.groupsByMask.set(mask, groups);
  }
  return groups;
}

/** The groups a merchant belongs to, in CATEGORY_GROUPS order. */
export function groupsOfMerchant(merchant: MerchantCodes): CategoryGroup[] {
  return [...groupsOfMask(merchantMask(merchant))];
}

export function groupContains(group: CategoryGroup, merchant: MerchantCodes): boolean {
  const position = CATEGORY_GROUPS.indexOf(group);
  return position >= 0 && (merchantMask(merchant) & (1 << position)) !== 0;
}

function sortedCodeList(labels: Map<string, string>): CategoryCode[] {
  return [...labels]
    .map(([code, label]) => ({ code, label }))
    .sort((left, right) => (left.code < right.code ? -1 : left.code > right.code ? 1 : 0));
}

/** Every MCC of the reference list, ordered by code. */
export function listMcc(): CategoryCode[] {
  return sortedCodeList(loadedCategoryIndex().mccLabels);
}

/** Every NAF rev. 2 sous-classe, ordered by code. */
export function listNaf(): CategoryCode[] {
  return sortedCodeList(loadedCategoryIndex().nafLabels);
}
