import type { ReactNode } from 'react';
import { CityHall, DataVisualization, Grocery, Money } from '@codegouvfr/react-dsfr/picto/index.js';

/** The four spaces of the platform, each still being built; some already open to logged-in people. */
export interface Space {
  path: string;
  title: string;
  audience: string;
  description: string;
  pictogram: ReactNode;
  /** What its people can already do once logged in, while the rest is being built. */
  alreadyOpen?: string;
}

export const spaces: readonly Space[] = [
  {
    path: '/financeurs',
    title: 'Espace financeurs',
    audience: 'État, régions, départements, communes et autres financeurs publics',
    description:
      "Transformer un budget en dispositif d'aide, fixer ses règles d'usage, agréer les commerçants et suivre chaque euro engagé.",
    pictogram: <CityHall />,
    alreadyOpen:
      'Les équipes des financeurs se connectent à leur espace : leur organisation, ses membres et ses invitations, le journal d’audit et la double authentification, l’instruction des demandes d’aide, les fiches des bénéficiaires et l’import de leurs fichiers.',
  },
  {
    path: '/beneficiaires',
    title: 'Espace bénéficiaires',
    audience: 'Personnes et structures qui reçoivent une aide fléchée',
    description:
      "Consulter ses soldes fléchés, savoir où et pour quoi les dépenser, retrouver l'historique de ses paiements.",
    pictogram: <Money />,
    alreadyOpen:
      'Les bénéficiaires consultent leurs aides dans « Mes aides » : le solde de chaque enveloppe, où et jusqu’à quand l’utiliser, et pourquoi elle leur a été attribuée. Ils demandent une aide en ligne dans « Mes demandes d’aide », joignent leurs justificatifs et suivent la décision et son motif. Ils donnent un mandat à un aidant, ou le révoquent ; les aidants agissent pour les personnes qui les ont mandatés. Chacun vérifie et corrige ses coordonnées chez les financeurs, et rattache une aide avec le code reçu par courrier ou SMS.',
  },
  {
    path: '/commercants',
    title: 'Espace commerçants',
    audience: 'Commerçants et prestataires agréés par les dispositifs',
    description:
      'Encaisser les paiements fléchés, connaître les dispositifs acceptés et suivre ses règlements.',
    pictogram: <Grocery />,
    alreadyOpen:
      'Les commerçants gèrent les membres de leur commerce et les clés API de leurs caisses.',
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
