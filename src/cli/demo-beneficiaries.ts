import type pg from 'pg';
import type { BeneficiaryInput } from '../beneficiaries/schemas.js';
import { insertBeneficiaries } from '../beneficiaries/store.js';
import { journaled, OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import { communesOf, type Commune } from '../reference/zones.js';
import { DEMO_ACCOUNTS, demoEmail, type DemoPeople } from './demo-people.js';
import { seededRandom } from '../platform/seeded-random.js';

// The demo département's registry: a few thousand people in real communes of the Gironde,
// weighted by population, of every age (many 15–25 for the culture pass, families with
// children and a quotient, retired people), generated from a fixed seed so that every demo is
// the same; plus the record of the demo beneficiary's account, which links by its email.

export const DEMO_BENEFICIARY_COUNT = 3_000;
const DEMO_SEED = 20_260_501;
const DEMO_DEPARTEMENT = '33';
const INSERT_BATCH = 1_000;
const REFERENCE_YEAR = 2026;

const FAMILY_NAMES = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Lefebvre',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Gautier',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Dumont',
  'Marie',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Martinez',
  'Gérard',
  'Roche',
  'Renard',
  'Schmitt',
  'Roy',
  'Leroux',
  'Colin',
  'Vidal',
  'Caron',
  'Picard',
  'Diallo',
  'Nguyen',
  'Benali',
  'Da Silva',
  'Haddad',
  'Traoré',
  'Lopez',
  'Etcheverry',
  'Larrieu',
];

const GIVEN_NAMES = [
  'Camille',
  'Léa',
  'Manon',
  'Emma',
  'Chloé',
  'Inès',
  'Jade',
  'Louise',
  'Alice',
  'Lina',
  'Zoé',
  'Sarah',
  'Julie',
  'Clara',
  'Eva',
  'Anaïs',
  'Mathilde',
  'Océane',
  'Yasmine',
  'Aïcha',
  'Marie',
  'Nathalie',
  'Isabelle',
  'Sophie',
  'Sylvie',
  'Catherine',
  'Françoise',
  'Monique',
  'Lucas',
  'Hugo',
  'Louis',
  'Gabriel',
  'Arthur',
  'Jules',
  'Adam',
  'Raphaël',
  'Léo',
  'Nathan',
  'Tom',
  'Théo',
  'Enzo',
  'Maxime',
  'Yanis',
  'Mohamed',
  'Noah',
  'Ethan',
  'Antoine',
  'Thomas',
  'Nicolas',
  'Julien',
  'Pierre',
  'Philippe',
  'Michel',
  'Jean',
  'Alain',
  'Bernard',
  'Christophe',
  'Éric',
  'Jean-Pierre',
  'Marie-Claire',
  'Anne-Sophie',
  'Paul',
  'Baptiste',
  'Kevin',
  'Mehdi',
  'Ibrahim',
];

const STREETS = [
  'rue de la République',
  'avenue Thiers',
  'cours de la Libération',
  'rue Sainte-Catherine',
  'place de la Mairie',
  'allée des Pins',
  'chemin des Vignes',
  'rue du Port',
  'avenue Jean-Jaurès',
  'rue Victor-Hugo',
  'impasse des Tilleuls',
  'route de Lacanau',
  'rue des Écoles',
  'cours Gambetta',
];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function between(random: Random, minimum: number, maximum: number): number {
  return minimum + Math.floor(random() * (maximum - minimum + 1));
}

/** Communes drawn in proportion to their population, as residents are. */
function communePicker(random: Random): () => Commune {
  const communes = communesOf('departement', DEMO_DEPARTEMENT);
  const cumulative: number[] = [];
  let total = 0;
  for (const commune of communes) {
    total += Math.max(commune.population ?? 1, 1);
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return communes[low] as Commune;
  };
}

type LifeStage = { minimumAge: number; maximumAge: number; share: number };

/** Many young people (the culture pass), working-age families, retired people. */
const LIFE_STAGES: LifeStage[] = [
  { minimumAge: 15, maximumAge: 25, share: 0.4 },
  { minimumAge: 26, maximumAge: 60, share: 0.42 },
  { minimumAge: 61, maximumAge: 92, share: 0.18 },
];

function householdOf(random: Random, age: number): BeneficiaryInput['household'] {
  const quotient = Math.round((250 + random() * 1_750) * 100) / 100;
  if (age <= 25) {
    const statuses =
      age <= 18
        ? ['lyceen']
        : pick(random, [
            ['etudiant'],
            ['etudiant', 'boursier'],
            ['apprenti'],
            ['demandeur_emploi'],
            ['salarie'],
            ['service_civique'],
          ]);
    return { householdQuotientEuros: quotient, dependentChildren: 0, statuses };
  }
  if (age <= 60) {
    const statuses = pick(random, [
      [],
      [],
      ['salarie'],
      ['salarie'],
      ['demandeur_emploi'],
      ['beneficiaire_rsa'],
      ['independant'],
      ['proche_aidant'],
      ['handicap'],
    ]);
    return {
      householdQuotientEuros: quotient,
      dependentChildren: pick(random, [0, 0, 1, 1, 2, 2, 2, 3, 4]),
      ...(statuses.length > 0 ? { statuses } : {}),
    };
  }
  return { householdQuotientEuros: quotient, dependentChildren: 0, statuses: ['retraite'] };
}

function ageOf(random: Random): number {
  let draw = random();
  for (const stage of LIFE_STAGES) {
    if (draw < stage.share) return between(random, stage.minimumAge, stage.maximumAge);
    draw -= stage.share;
  }
  return between(random, 26, 60);
}

function emailOf(givenNames: string, familyName: string, index: number): string {
  const local = `${givenNames}.${familyName}`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z.]+/g, '-');
  return `${local}.${index}@exemple.test`;
}

/** `count` people of the Gironde, the same for the same seed. */
export function generatePeople(count: number, seed = DEMO_SEED): BeneficiaryInput[] {
  const random = seededRandom(seed);
  const commune = communePicker(random);
  return Array.from({ length: count }, (_, index) => {
    const familyName = pick(random, FAMILY_NAMES);
    const givenNames = pick(random, GIVEN_NAMES);
    const age = ageOf(random);
    const birthDate = `${REFERENCE_YEAR - age}-${String(between(random, 1, 12)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}`;
    const reachable = random();
    return {
      kind: 'personne',
      familyName,
      givenNames,
      birthDate,
      addressLine: `${between(random, 1, 180)} ${pick(random, STREETS)}`,
      communeCode: commune().code,
      email: reachable < 0.7 ? emailOf(givenNames, familyName, index) : null,
      phone:
        reachable >= 0.55 ? `06${String(between(random, 0, 99_999_999)).padStart(8, '0')}` : null,
      externalId: `ALLOC-${String(3_300_000 + index).padStart(7, '0')}`,
      household: householdOf(random, age),
    };
  });
}

/** The record the demo beneficiary's account finds at the département when signing in. */
function demoAccountRecord(): BeneficiaryInput {
  return {
    kind: 'personne',
    familyName: 'Martin',
    givenNames: 'Camille',
    birthDate: '2008-03-14',
    addressLine: '12 rue Sainte-Catherine',
    postalCode: '33000',
    communeCode: '33063',
    email: demoEmail(DEMO_ACCOUNTS.beneficiaire[0]),
    externalId: 'ALLOC-3299999',
    household: { householdQuotientEuros: 640, dependentChildren: 0, statuses: ['lyceen'] },
  };
}

/** Inserts the demo registry once; answers how many records were created. */
export async function seedDemoBeneficiaries(pool: pg.Pool, people: DemoPeople): Promise<number> {
  const funderId = people.organisations.departement;
  const records = [demoAccountRecord(), ...generatePeople(DEMO_BENEFICIARY_COUNT)];
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    let inserted = 0;
    for (let start = 0; start < records.length; start += INSERT_BATCH) {
      inserted += await insertBeneficiaries(
        client,
        funderId,
        records.slice(start, start + INSERT_BATCH),
      );
    }
    await journal({
      organisationId: funderId,
      action: 'beneficiary.demo_seed',
      targetType: 'organisation',
      targetId: funderId,
      after: { inserted },
    });
    return inserted;
  });
}
