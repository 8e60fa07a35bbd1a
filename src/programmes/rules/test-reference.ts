import type { RuleReference, ZoneKind } from './schema.js';

// A small reference for the engine's unit tests: a few real communes with their real
// départements, régions and EPCI, a few real MCC and NAF codes and groups. Kept apart from
// the platform's reference so that the engine's tests do not depend on its files.

type Commune = NonNullable<ReturnType<RuleReference['findCommune']>> & { name: string };

const COMMUNES: Commune[] = [
  {
    code: '69123',
    name: 'Lyon',
    departementCode: '69',
    regionCode: '84',
    epciCode: '200046977',
    latitude: 45.758,
    longitude: 4.835,
  },
  {
    code: '69266',
    name: 'Villeurbanne',
    departementCode: '69',
    regionCode: '84',
    epciCode: '200046977',
    latitude: 45.767,
    longitude: 4.88,
  },
  {
    code: '33063',
    name: 'Bordeaux',
    departementCode: '33',
    regionCode: '75',
    epciCode: '243300316',
    latitude: 44.837,
    longitude: -0.579,
  },
  {
    code: '44109',
    name: 'Nantes',
    departementCode: '44',
    regionCode: '52',
    epciCode: '244400404',
    latitude: 47.218,
    longitude: -1.554,
  },
  {
    code: '59350',
    name: 'Lille',
    departementCode: '59',
    regionCode: '32',
    epciCode: '200093201',
    latitude: 50.63,
    longitude: 3.058,
  },
  {
    code: '2A004',
    name: 'Ajaccio',
    departementCode: '2A',
    regionCode: '94',
    epciCode: '242010056',
    latitude: null,
    longitude: null,
  },
  {
    code: '97411',
    name: 'Saint-Denis',
    departementCode: '974',
    regionCode: '04',
    epciCode: '249740119',
    latitude: -20.882,
    longitude: 55.45,
  },
];

const NAMES: Record<Exclude<ZoneKind, 'commune'>, Record<string, string>> = {
  epci: {
    '200046977': 'Métropole de Lyon',
    '243300316': 'Bordeaux Métropole',
    '244400404': 'Nantes Métropole',
    '200093201': 'Métropole Européenne de Lille',
    '242010056': 'CA du Pays Ajaccien',
    '249740119': 'CA CINOR',
  },
  departement: {
    '69': 'Rhône',
    '33': 'Gironde',
    '44': 'Loire-Atlantique',
    '59': 'Nord',
    '2A': 'Corse-du-Sud',
    '974': 'La Réunion',
  },
  region: {
    '84': 'Auvergne-Rhône-Alpes',
    '75': 'Nouvelle-Aquitaine',
    '52': 'Pays de la Loire',
    '32': 'Hauts-de-France',
    '94': 'Corse',
    '04': 'La Réunion',
  },
};

const GROUPS: Record<string, { label: string; mcc: string[]; naf: string[] }> = {
  culture: {
    label: 'Culture',
    mcc: ['5942', '7832', '7922', '5815'],
    naf: ['47.61Z', '59.14Z', '90.01Z'],
  },
  livres: { label: 'Livres', mcc: ['5942'], naf: ['47.61Z'] },
  cinema: { label: 'Cinéma', mcc: ['7832'], naf: ['59.14Z'] },
  biens_numeriques: { label: 'Biens numériques', mcc: ['5815', '5816'], naf: ['58.21Z'] },
  alimentation: { label: 'Alimentation', mcc: ['5411', '0763'], naf: ['47.11D', '01.13Z'] },
  circuits_courts: { label: 'Circuits courts', mcc: ['0763'], naf: ['01.13Z'] },
  auto_ecole: { label: 'Auto-écoles', mcc: [], naf: ['85.53Z'] },
  equipement_maison: { label: 'Équipement du logement', mcc: ['5211'], naf: ['43.22A'] },
};

const KNOWN_MCC = new Set([
  '5942',
  '7832',
  '7922',
  '5815',
  '5816',
  '5411',
  '0763',
  '5211',
  '5812',
  '5999',
  '8299',
]);
const KNOWN_NAF = new Set([
  '47.61Z',
  '59.14Z',
  '90.01Z',
  '58.21Z',
  '47.11D',
  '01.13Z',
  '85.53Z',
  '43.22A',
  '56.10A',
]);

function normaliseNaf(code: string): string {
  const compact = code.trim().toUpperCase().replace('.', '');
  return /^\d{4}[A-Z]$/.test(compact) ? `${compact.slice(0, 2)}.${compact.slice(2)}` : compact;
}

export function testReference(): RuleReference {
  const communes = new Map(COMMUNES.map((commune) => [commune.code, commune]));
  return {
    findCommune: (code) => communes.get(code),
    isKnownZone: (kind, code) =>
      kind === 'commune' ? communes.has(code) : NAMES[kind][code] !== undefined,
    zoneName: (kind, code) => (kind === 'commune' ? communes.get(code)?.name : NAMES[kind][code]),
    isKnownMcc: (code) => KNOWN_MCC.has(code),
    isKnownNaf: (code) => KNOWN_NAF.has(normaliseNaf(code)),
    isKnownGroup: (group) => GROUPS[group] !== undefined,
    groupLabel: (group) => GROUPS[group]?.label,
    groupsOfMerchant: (merchant) =>
      Object.entries(GROUPS)
        .filter(
          ([, codes]) =>
            (merchant.mcc !== null && codes.mcc.includes(merchant.mcc)) ||
            (merchant.naf !== null && codes.naf.includes(normaliseNaf(merchant.naf))),
        )
        .map(([group]) => group),
  };
}
