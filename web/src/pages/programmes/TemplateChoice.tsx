import { fr } from '@codegouvfr/react-dsfr';
import type { ProgrammeTemplate } from '../../programmes/types.js';

/** Starting from scratch rather than from a template. */
export const fromScratch = 'vierge';

function StartCard({
  id,
  value,
  title,
  description,
  checked,
  onChoose,
}: {
  id: string;
  value: string;
  title: string;
  description: string;
  checked: boolean;
  onChoose: (value: string) => void;
}) {
  return (
    <div className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-4')}>
      <div className={`start-card fr-radio-group${checked ? ' start-card--checked' : ''}`}>
        <input
          type="radio"
          id={id}
          name="dispositif-depart"
          value={value}
          checked={checked}
          onChange={() => onChoose(value)}
        />
        <label className={fr.cx('fr-label')} htmlFor={id}>
          <span className="start-card__title">{title}</span>
          <span className={fr.cx('fr-hint-text')}>{description}</span>
        </label>
      </div>
    </div>
  );
}

/** The starting points of a new programme, as cards: each template, or blank rules. */
export function TemplateChoice({
  templates,
  chosen,
  onChoose,
}: {
  templates: readonly ProgrammeTemplate[];
  chosen: string;
  onChoose: (value: string) => void;
}) {
  return (
    <fieldset className={fr.cx('fr-fieldset')} aria-labelledby="dispositif-depart-legende">
      <legend id="dispositif-depart-legende" className={fr.cx('fr-fieldset__legend')}>
        Point de départ des règles
        <span className={fr.cx('fr-hint-text')}>
          Un modèle reprend les règles d’un dispositif réel ; vous les adapterez ensuite.
        </span>
      </legend>
      <div
        className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-2w')}
        style={{ width: '100%' }}
      >
        {templates.map((template) => (
          <StartCard
            key={template.id}
            id={`dispositif-modele-${template.id}`}
            value={template.id}
            title={template.name}
            description={template.description}
            checked={chosen === template.id}
            onChoose={onChoose}
          />
        ))}
        <StartCard
          id="dispositif-modele-vierge"
          value={fromScratch}
          title="Partir de zéro"
          description="Des règles minimales : tout le monde est éligible à 100 €, dépensables partout. À compléter."
          checked={chosen === fromScratch}
          onChoose={onChoose}
        />
      </div>
    </fieldset>
  );
}
