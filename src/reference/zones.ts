import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';

// Territories (communes, EPCI, départements, régions) from the official split published by
// Etalab. The communes file is several megabytes: it is read on first use only, then indexed.

export type ZoneKind = 'commune' | 'epci' | 'departement' | 'region';

export type Commune = {
  code: string;
  name: string;
  departementCode: string;
  regionCode: string;
  epciCode: string | null;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
};

type GroupingKind = Exclude<ZoneKind, 'commune'>;

type ZoneIndex = {
  communes: Map<string, Commune>;
  /** Arrondissements municipaux and communes déléguées or associées, to their current commune. */
  formerCodes: Map<string, string>;
  names: Record<GroupingKind, Map<string, string>>;
  members: Record<GroupingKind, Map<string, Commune[]>>;
};

const rawCommuneSchema = z.object({
  code: z.string(),
  nom: z.string(),
  type: z.string(),
  departement: z.string(),
  region: z.string(),
  population: z.number().optional(),
  // A commune déléguée or associée names its current commune here.
  chefLieu: z.string().optional(),
  // An arrondissement municipal (Paris, Lyon, Marseille) names its commune here.
  commune: z.string().optional(),
});
const rawNamedSchema = z.object({ code: z.string(), nom: z.string() });
const rawEpciSchema = rawNamedSchema.extend({ membres: z.array(z.object({ code: z.string() })) });

const CURRENT_COMMUNE_TYPE = 'commune-actuelle';
const EARTH_MEAN_RADIUS_KILOMETRES = 6371.0088;

let zoneIndex: ZoneIndex | undefined;
let zoneIndexLoads = 0;

function readEtalabFile<T>(fileName: string, schema: z.ZodType<T>): T[] {
  const require = createRequire(import.meta.url);
  const filePath = require.resolve(`@etalab/decoupage-administratif/data/${fileName}`);
  // Read and parse rather than require(): the module cache would keep the raw array alive.
  return z.array(schema).parse(JSON.parse(readFileSync(filePath, 'utf8')));
}

function namesByCode(entries: { code: string; nom: string }[]): Map<string, string> {
  return new Map(entries.map((entry) => [entry.code, entry.nom]));
}

function byCode(left: { code: string }, right: { code: string }): number {
  return left.code < right.code ? -1 : left.code > right.code ? 1 : 0;
}

function pushMember(index: Map<string, Commune[]>, code: string | null, commune: Commune): void {
  if (code === null) return;
  const list = index.get(code);
  if (list === undefined) index.set(code, [commune]);
  else list.push(commune);
}

function buildZoneIndex(): ZoneIndex {
  const rawCommunes = readEtalabFile('communes.json', rawCommuneSchema);
  const rawEpcis = readEtalabFile('epci.json', rawEpciSchema);
  const epciOfCommune = new Map<string, string>();
  for (const epci of rawEpcis) {
    for (const member of epci.membres) epciOfCommune.set(member.code, epci.code);
  }
  const index: ZoneIndex = {
    communes: new Map(),
    formerCodes: new Map(),
    names: {
      epci: namesByCode(rawEpcis),
      departement: namesByCode(readEtalabFile('departements.json', rawNamedSchema)),
      region: namesByCode(readEtalabFile('regions.json', rawNamedSchema)),
    },
    members: { epci: new Map(), departement: new Map(), region: new Map() },
  };
  for (const raw of rawCommunes) {
    if (raw.type !== CURRENT_COMMUNE_TYPE) {
      const currentCode = raw.commune ?? raw.chefLieu;
      if (currentCode !== undefined) index.formerCodes.set(raw.code, currentCode);
      continue;
    }
    const commune: Commune = Object.freeze({
      code: raw.code,
      name: raw.nom,
      departementCode: raw.departement,
      regionCode: raw.region,
      epciCode: epciOfCommune.get(raw.code) ?? null,
      // The Etalab split carries no coordinates for communes; kept in the type for maps.
      latitude: null,
      longitude: null,
      population: raw.population ?? null,
    });
    index.communes.set(commune.code, commune);
    pushMember(index.members.departement, commune.departementCode, commune);
    pushMember(index.members.region, commune.regionCode, commune);
    pushMember(index.members.epci, commune.epciCode, commune);
  }
  // A current commune code always wins over a former code that happens to be equal.
  for (const code of index.communes.keys()) index.formerCodes.delete(code);
  for (const members of Object.values(index.members)) {
    for (const list of members.values()) list.sort(byCode);
  }
  return index;
}

function loadedZoneIndex(): ZoneIndex {
  if (zoneIndex === undefined) {
    zoneIndex = buildZoneIndex();
    zoneIndexLoads += 1;
  }
  return zoneIndex;
}

/** How many times the territory files were read: once per process, whatever the lookups. */
export function zoneDataLoadCount(): number {
  return zoneIndexLoads;
}

/** Codes arrive from forms and files: surrounding spaces and a lower-case Corsica letter. */
function normaliseZoneCode(code: string): string {
  return code.trim().toUpperCase();
}

/** A current commune (commune actuelle) by its INSEE code, e.g. '33063' for Bordeaux. */
export function findCommune(inseeCode: string): Commune | undefined {
  return loadedZoneIndex().communes.get(normaliseZoneCode(inseeCode));
}

/**
 * The current commune for any INSEE code an address may carry: SIRENE gives Paris, Lyon and
 * Marseille establishments the code of their arrondissement municipal, and older records the
 * code of a commune since merged into a commune nouvelle.
 */
export function resolveCommune(inseeCode: string): Commune | undefined {
  const index = loadedZoneIndex();
  const code = normaliseZoneCode(inseeCode);
  const currentCode = index.formerCodes.get(code) ?? code;
  return index.communes.get(currentCode);
}

export function isKnownZone(kind: ZoneKind, code: string): boolean {
  return zoneName(kind, code) !== undefined;
}

/** The official name, e.g. zoneName('departement', '33') === 'Gironde'. */
export function zoneName(kind: ZoneKind, code: string): string | undefined {
  const index = loadedZoneIndex();
  const normalised = normaliseZoneCode(code);
  if (kind === 'commune') return index.communes.get(normalised)?.name;
  return index.names[kind].get(normalised);
}

export function communeIsInZone(commune: Commune, kind: ZoneKind, code: string): boolean {
  const normalised = normaliseZoneCode(code);
  switch (kind) {
    case 'commune':
      return commune.code === normalised;
    case 'epci':
      return commune.epciCode === normalised;
    case 'departement':
      return commune.departementCode === normalised;
    case 'region':
      return commune.regionCode === normalised;
  }
}

/** Every zone of a kind, ordered by code. */
export function listZones(kind: GroupingKind): { code: string; name: string }[] {
  return [...loadedZoneIndex().names[kind]].map(([code, name]) => ({ code, name })).sort(byCode);
}

/** The current communes of a zone, ordered by code; empty for an unknown zone. */
export function communesOf(kind: GroupingKind, code: string): Commune[] {
  // A copy: callers may sort or filter it without touching the shared index.
  return [...(loadedZoneIndex().members[kind].get(normaliseZoneCode(code)) ?? [])];
}

function radians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Great-circle distance (haversine) on a sphere of the Earth's mean radius. */
export function distanceKilometres(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const latitudeDelta = radians(b.latitude - a.latitude);
  const longitudeDelta = radians(b.longitude - a.longitude);
  const haversine =
    Math.sin(latitudeDelta / 2) ** 2 +
    Math.cos(radians(a.latitude)) *
      Math.cos(radians(b.latitude)) *
      Math.sin(longitudeDelta / 2) ** 2;
  // Rounding can push the term a hair above 1 for antipodal points; asin would then return NaN.
  return 2 * EARTH_MEAN_RADIUS_KILOMETRES * Math.asin(Math.sqrt(Math.min(1, haversine)));
}
