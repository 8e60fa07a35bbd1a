import type { ReactNode } from 'react';
import { CityHall, DataVisualization, Grocery, Money } from '@codegouvfr/react-dsfr/picto/index.js';

/** The four spaces of the platform; each one is still to be built, hence the announcement. */
export interface Space {
  path: string;
  title: string;
  audience: string;
  description: string;
  pictogram: ReactNode;
}

export const spaces: readonly Space[] = [
  {
    path: '/financeurs',
    title: 'Espace financeurs',
    audience: 'État, régions, départements, communes et autres financeurs publics',
    description:
      "Transformer un budget en dispositif d'aide, fixer ses règles d'usage, agréer les commerçants et suivre chaque euro engagé.",
    pictogram: <CityHall />,
  },
  {
    path: '/beneficiaires',
    title: 'Espace bénéficiaires',
    audience: 'Personnes et structures qui reçoivent une aide fléchée',
    description:
      "Consulter ses soldes fléchés, savoir où et pour quoi les dépenser, retrouver l'historique de ses paiements.",
    pictogram: <Money />,
  },
  {
    path: '/commercants',
    title: 'Espace commerçants',
    audience: 'Commerçants et prestataires agréés par les dispositifs',
    description:
      'Encaisser les paiements fléchés, connaître les dispositifs acceptés et suivre ses règlements.',
    pictogram: <Grocery />,
  },
  {
    path: '/donnees-publiques',
    title: 'Données publiques',
    audience: 'Tout le monde : citoyens, élus, journalistes, chercheurs',
    description:
      "Voir où est allé l'argent public, dispositif par dispositif, sans aucune donnée personnelle.",
    pictogram: <DataVisualization />,
  },
];
