import { describe, expect, it } from 'vitest';
import { PROGRAMME_TEMPLATES } from '../templates.js';
import { platformRuleReference } from './reference.js';
import { describeUsage } from './usage-description.js';

const reference = platformRuleReference();

/** Amounts are written with non-breaking spaces; the assertions read plain ones. */
function plain(sentences: string[]): string {
  return sentences.join(' ').replace(/\s/g, ' ');
}

function usageOf(id: string) {
  const template = PROGRAMME_TEMPLATES.find((candidate) => candidate.id === id);
  if (template === undefined) throw new Error(id);
  return template.rules.usage;
}

describe('où utiliser une aide, en français', () => {
  it('pass culture : catégories, plafond du numérique, validité après le crédit', () => {
    const { places, sentences } = describeUsage(usageOf('pass-culture-jeunes'), reference);
    expect(places).toEqual([]);
    expect(sentences[0]).toMatch(/^Utilisable pour : .*culture/i);
    expect(sentences).toContain('Utilisable partout en France.');
    expect(sentences).toContain('Valable pendant 24 mois après le crédit.');
    expect(plain(sentences)).toMatch(/Au plus 100,00 € pour : /);
  });

  it('circuits courts : zone nommée, jours, heures, part de l’achat, plafonds', () => {
    const { places, sentences } = describeUsage(usageOf('circuits-courts-territoire'), reference);
    expect(places).toHaveLength(1);
    expect(places[0]).toMatch(/intercommunalité/);
    const text = plain(sentences);
    expect(text).toContain('Au plus 30,00 € par mois.');
    expect(text).toContain('Au plus 20,00 € par paiement.');
    expect(text).toContain('lundi, mardi, mercredi, jeudi, vendredi et samedi');
    expect(text).toContain('de 07:00 à 20:00');
    expect(text).toContain('Paie au plus 50 % de chaque achat.');
  });

  it('sans aucune règle d’usage : partout, chez tous', () => {
    expect(describeUsage({}, reference).sentences).toEqual([
      'Utilisable chez tous les commerçants acceptant le dispositif.',
      'Utilisable partout en France.',
    ]);
  });

  it('chaque modèle se décrit sans code brut ni « undefined »', () => {
    for (const template of PROGRAMME_TEMPLATES) {
      const text = describeUsage(template.rules.usage, reference).sentences.join(' ');
      expect(text).not.toMatch(/undefined|NaN|\[object/);
    }
  });
});
