import { describe, expect, it } from 'vitest';
import {
  communeIsInZone,
  communesOf,
  distanceKilometres,
  findCommune,
  isKnownZone,
  listZones,
  resolveCommune,
  zoneDataLoadCount,
  zoneName,
} from './zones.js';

// Kept first: the file is read on the first lookup, never at import.
describe('chargement des territoires', () => {
  it('ne lit les fichiers qu’une fois, au premier appel', () => {
    expect(zoneDataLoadCount()).toBe(0);
    findCommune('33063');
    zoneName('region', '75');
    communesOf('departement', '33');
    listZones('epci');
    expect(zoneDataLoadCount()).toBe(1);
  });
});

describe('communes', () => {
  it('trouve Bordeaux avec son département, sa région et sa métropole', () => {
    expect(findCommune('33063')).toEqual({
      code: '33063',
      name: 'Bordeaux',
      departementCode: '33',
      regionCode: '75',
      epciCode: '243300316',
      latitude: null,
      longitude: null,
      population: expect.any(Number),
    });
  });

  it('trouve Paris, Ajaccio et Saint-Denis de La Réunion', () => {
    expect(findCommune('75056')).toMatchObject({ name: 'Paris', departementCode: '75' });
    expect(findCommune('75056')?.regionCode).toBe('11');
    expect(findCommune('2A004')).toMatchObject({
      name: 'Ajaccio',
      departementCode: '2A',
      regionCode: '94',
    });
    expect(findCommune('2a004')?.name).toBe('Ajaccio');
    expect(findCommune('97411')).toMatchObject({
      name: 'Saint-Denis',
      departementCode: '974',
      regionCode: '04',
    });
  });

  it('ne connaît que les communes actuelles', () => {
    expect(findCommune('00000')).toBeUndefined();
    expect(findCommune('')).toBeUndefined();
    // Paris 1er arrondissement: an arrondissement municipal, not a commune.
    expect(findCommune('75101')).toBeUndefined();
    expect(zoneName('commune', '75101')).toBeUndefined();
  });

  it('ramène un arrondissement municipal ou une commune déléguée à la commune actuelle', () => {
    expect(resolveCommune('75101')?.code).toBe('75056');
    expect(resolveCommune('69381')?.code).toBe('69123');
    expect(resolveCommune('13201')?.code).toBe('13055');
    expect(resolveCommune('33063')?.code).toBe('33063');
    expect(resolveCommune('00000')).toBeUndefined();
  });

  it('laisse sans intercommunalité les îles qui n’en ont pas', () => {
    expect(findCommune('85113')).toMatchObject({ name: "L'Île-d'Yeu" });
    expect(findCommune('85113')?.epciCode).toBeNull();
  });

  it('fige les communes partagées', () => {
    const bordeaux = findCommune('33063');
    expect(Object.isFrozen(bordeaux)).toBe(true);
  });
});

describe('zones', () => {
  it('nomme les zones de chaque niveau', () => {
    expect(zoneName('departement', '33')).toBe('Gironde');
    expect(zoneName('departement', '2A')).toBe('Corse-du-Sud');
    expect(zoneName('region', '75')).toBe('Nouvelle-Aquitaine');
    expect(zoneName('epci', '243300316')).toBe('Bordeaux Métropole');
    expect(zoneName('commune', '33063')).toBe('Bordeaux');
  });

  it('reconnaît les codes connus et refuse les autres', () => {
    expect(isKnownZone('departement', '974')).toBe(true);
    expect(isKnownZone('region', '94')).toBe(true);
    expect(isKnownZone('epci', '243300316')).toBe(true);
    expect(isKnownZone('commune', '97411')).toBe(true);
    expect(isKnownZone('departement', '20')).toBe(false);
    expect(isKnownZone('region', '33')).toBe(false);
    expect(isKnownZone('epci', '33063')).toBe(false);
    expect(isKnownZone('commune', '243300316')).toBe(false);
  });

  it('situe une commune dans ses zones et pas dans les autres', () => {
    const bordeaux = findCommune('33063');
    if (bordeaux === undefined) throw new Error('Bordeaux absente');
    expect(communeIsInZone(bordeaux, 'commune', '33063')).toBe(true);
    expect(communeIsInZone(bordeaux, 'epci', '243300316')).toBe(true);
    expect(communeIsInZone(bordeaux, 'departement', '33')).toBe(true);
    expect(communeIsInZone(bordeaux, 'region', '75')).toBe(true);
    expect(communeIsInZone(bordeaux, 'commune', '75056')).toBe(false);
    expect(communeIsInZone(bordeaux, 'departement', '24')).toBe(false);
    expect(communeIsInZone(bordeaux, 'region', '11')).toBe(false);
    expect(communeIsInZone(bordeaux, 'epci', '200054781')).toBe(false);
  });

  it('liste les zones triées par code, sans doublon', () => {
    const departements = listZones('departement');
    expect(departements.length).toBeGreaterThanOrEqual(101);
    expect(departements).toContainEqual({ code: '33', name: 'Gironde' });
    const codes = departements.map((zone) => zone.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    expect(listZones('region')).toContainEqual({ code: '75', name: 'Nouvelle-Aquitaine' });
    expect(listZones('epci').length).toBeGreaterThan(1000);
  });

  it('donne les communes d’une zone', () => {
    const metropole = communesOf('epci', '243300316');
    expect(metropole.map((commune) => commune.code)).toContain('33063');
    expect(metropole.length).toBe(28);
    expect(metropole.every((commune) => commune.departementCode === '33')).toBe(true);
    const corseDuSud = communesOf('departement', '2A');
    expect(corseDuSud.map((commune) => commune.code)).toContain('2A004');
    expect(communesOf('region', '04').map((commune) => commune.code)).toContain('97411');
    expect(communesOf('departement', '99')).toEqual([]);
  });

  it('rend une copie que l’appelant peut modifier', () => {
    const first = communesOf('departement', '33');
    first.length = 0;
    expect(communesOf('departement', '33').length).toBeGreaterThan(500);
  });

  it('compte toutes les communes actuelles une seule fois', () => {
    const total = listZones('region').reduce(
      (sum, region) => sum + communesOf('region', region.code).length,
      0,
    );
    expect(total).toBeGreaterThan(34_000);
  });
});

describe('distances', () => {
  it('calcule la distance à vol d’oiseau', () => {
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const bordeaux = { latitude: 44.8378, longitude: -0.5792 };
    expect(distanceKilometres(paris, bordeaux)).toBeGreaterThan(495);
    expect(distanceKilometres(paris, bordeaux)).toBeLessThan(505);
    expect(distanceKilometres(paris, paris)).toBe(0);
    expect(distanceKilometres(bordeaux, paris)).toBeCloseTo(distanceKilometres(paris, bordeaux), 9);
  });

  it('reste défini aux antipodes', () => {
    const pole = { latitude: 90, longitude: 0 };
    const otherPole = { latitude: -90, longitude: 0 };
    expect(distanceKilometres(pole, otherPole)).toBeCloseTo(Math.PI * 6371.0088, 3);
  });
});
