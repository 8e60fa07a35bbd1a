import { communesOf, listZones } from '../reference/zones.js';

// Finding one's commune by its name, as a person knows it, rather than by its INSEE code: the
// index of folded names is built once, on the first search.

export const MAX_COMMUNE_RESULTS = 20;
export const MIN_COMMUNE_SEARCH_LENGTH = 2;

export type CommuneChoice = { code: string; name: string; departementCode: string };

type IndexedCommune = CommuneChoice & { folded: string; population: number };

let index: IndexedCommune[] | undefined;

/** « Saint-Émilion » and « saint emilion » are the same search. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[-'’\s]+/g, ' ')
    .trim();
}

function communeIndex(): IndexedCommune[] {
  index ??= listZones('departement')
    .flatMap((departement) => communesOf('departement', departement.code))
    .map((commune) => ({
      code: commune.code,
      name: commune.name,
      departementCode: commune.departementCode,
      folded: foldName(commune.name),
      population: commune.population ?? 0,
    }));
  return index;
}

/**
 * Communes whose name starts with the search (then those that contain it), or whose INSEE
 * code starts with it; the most populated first.
 */
export function searchCommunes(search: string): CommuneChoice[] {
  const folded = foldName(search);
  if (folded.length < MIN_COMMUNE_SEARCH_LENGTH) return [];
  const code = search.trim().toUpperCase();
  const scored = communeIndex().flatMap((commune) => {
    if (commune.code.startsWith(code) || commune.folded.startsWith(folded)) {
      return [{ commune, rank: 0 }];
    }
    return commune.folded.includes(folded) ? [{ commune, rank: 1 }] : [];
  });
  scored.sort(
    (left, right) => left.rank - right.rank || right.commune.population - left.commune.population,
  );
  return scored
    .slice(0, MAX_COMMUNE_RESULTS)
    .map(({ commune: { code: inseeCode, name, departementCode } }) => ({
      code: inseeCode,
      name,
      departementCode,
    }));
}
