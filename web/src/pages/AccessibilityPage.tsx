import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';

export const accessibilityPageTitle = "Déclaration d'accessibilité";

export function AccessibilityPage() {
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={accessibilityPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[]}
      />
      <h1>{accessibilityPageTitle}</h1>
      <p>
        L'équipe de Fléchage s'engage à rendre son service accessible, conformément à l'article 47
        de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à l'ensemble du site
        Fléchage.
      </p>
      <h2>État de conformité</h2>
      <p>
        Fléchage est <strong>non conforme</strong> au référentiel général d'amélioration de
        l'accessibilité (RGAA), version 4.1 : aucun audit de conformité n'a encore été réalisé.
      </p>
      <h2>Ce qui est déjà fait</h2>
      <ul>
        <li>Les pages utilisent le Système de design de l'État, conçu pour respecter le RGAA.</li>
        <li>
          Chaque page a un titre unique, un seul titre de premier niveau et des liens d'évitement.
        </li>
        <li>
          Les zones d'en-tête, de contenu principal et de pied de page sont balisées pour les
          technologies d'assistance.
        </li>
      </ul>
      <h2>Et ensuite</h2>
      <p>
        Un audit de conformité sera mené avant l'ouverture des espaces financeurs, bénéficiaires et
        commerçants. Cette déclaration sera alors mise à jour avec ses résultats, les contenus non
        accessibles et les moyens de nous contacter.
      </p>
    </div>
  );
}
