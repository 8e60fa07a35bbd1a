import { describe, expect, it } from 'vitest';
import { foldName, MAX_COMMUNE_RESULTS, searchCommunes } from './communes.js';

describe('la recherche de commune', () => {
  it('plie accents, casse, tirets et apostrophes', () => {
    expect(foldName('  Saint-Émilion ')).toBe('saint emilion');
    expect(foldName('L’Haÿ-les-Roses')).toBe('l hay les roses');
  });

  it('trouve une commune par le début de son nom, la plus peuplée d’abord', () => {
    expect(searchCommunes('bordeaux')[0]).toEqual({
      code: '33063',
      name: 'Bordeaux',
      departementCode: '33',
    });
    expect(searchCommunes('saint emilion').map((commune) => commune.code)).toContain('33394');
  });

  it('trouve une commune par le début de son code INSEE, corse comprise', () => {
    expect(searchCommunes('33063').map((commune) => commune.name)).toEqual(['Bordeaux']);
    expect(searchCommunes('2a004')[0]?.name).toBe('Ajaccio');
  });

  it('ne cherche pas sur moins de deux caractères, et borne les résultats', () => {
    expect(searchCommunes(' a ')).toEqual([]);
    expect(searchCommunes('sa')).toHaveLength(MAX_COMMUNE_RESULTS);
  });
});
