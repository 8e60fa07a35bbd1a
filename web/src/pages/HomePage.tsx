import { fr } from '@codegouvfr/react-dsfr';
import { Tile } from '@codegouvfr/react-dsfr/Tile.js';
import { spaces } from '../spaces.js';

const steps: readonly { title: string; text: string }[] = [
  {
    title: 'Le financeur crée un dispositif',
    text: "L'État, une région, un département ou une commune transforme un budget en dispositif d'aide : montant par bénéficiaire, dépenses autorisées, commerçants agréés, dates de validité.",
  },
  {
    title: 'Le bénéficiaire reçoit un solde fléché',
    text: "Le montant attribué lui est réservé et ne peut servir qu'à l'usage prévu par le dispositif.",
  },
  {
    title: 'Les règles sont vérifiées au paiement',
    text: 'Chez un commerçant agréé, chaque paiement est contrôlé selon les règles du financeur : une dépense non autorisée est refusée sur-le-champ.',
  },
  {
    title: 'Le commerçant est réglé',
    text: 'Les paiements acceptés sont reversés au commerçant, avec le détail des dispositifs qui les ont financés.',
  },
  {
    title: "L'argent non utilisé revient",
    text: "À la fin du dispositif, les soldes qui n'ont pas été dépensés retournent au financeur au lieu de se perdre.",
  },
  {
    title: 'Chacun voit où va chaque centime',
    text: "Chaque mouvement est tracé : financeurs, bénéficiaires et commerçants suivent leurs opérations, et les données publiques montrent à tous où est allé l'argent, sans aucune donnée personnelle.",
  },
];

export function HomePage() {
  return (
    <>
      <section className={`home-introduction ${fr.cx('fr-py-8w')}`}>
        <div className={fr.cx('fr-container')}>
          <h1>L'argent public fléché, jusqu'au dernier centime</h1>
          <p className={fr.cx('fr-text--lead', 'fr-mb-0')}>
            Fléchage est la plateforme des aides publiques à usage défini. Les financeurs publics y
            transforment leurs budgets en dispositifs d'aide, les bénéficiaires dépensent leur solde
            fléché chez des commerçants agréés, et chacun peut vérifier que l'argent a servi à ce
            pour quoi il avait été voté.
          </p>
        </div>
      </section>

      <section className={fr.cx('fr-container', 'fr-py-6w')} aria-labelledby="comment-ca-marche">
        <h2 id="comment-ca-marche">Comment ça marche</h2>
        <ol className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
          {steps.map((step, index) => (
            <li key={step.title} className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-4')}>
              <div className="step">
                <span className="step__number" aria-hidden="true">
                  {index + 1}
                </span>
                <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>{step.title}</h3>
                <p className={fr.cx('fr-mb-0')}>{step.text}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section className={`home-spaces ${fr.cx('fr-py-6w')}`} aria-labelledby="acces-espaces">
        <div className={fr.cx('fr-container')}>
          <h2 id="acces-espaces">Accéder à votre espace</h2>
          <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
            {spaces.map((space) => (
              <li key={space.path} className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-3')}>
                <Tile
                  title={space.title}
                  titleAs="h3"
                  desc={space.description}
                  detail={
                    space.alreadyOpen === undefined
                      ? 'En cours de construction'
                      : 'Premières fonctions ouvertes'
                  }
                  linkProps={{ href: space.path }}
                  pictogram={space.pictogram}
                  enlargeLinkOrButton
                />
              </li>
            ))}
          </ul>
        </div>
      </section>
    </>
  );
}
