import { describe, expect, it } from 'vitest';
import {
  CATEGORY_GROUPS,
  categoryDataLoadCount,
  categoryGroupCodes,
  categoryGroupLabel,
  groupContains,
  groupsOfMerchant,
  isKnownMcc,
  isKnownNaf,
  listMcc,
  listNaf,
  mccLabel,
  nafLabel,
  normaliseMcc,
  normaliseNaf,
  type CategoryGroup,
} from './merchant-categories.js';

// Accented letters are the mark of a French label; a code list is not a label.
const FRENCH_LABEL = /^[A-ZÀ-ÖØ-Ý0-9ÉÈÊŒ(][\p{L}\p{N} '’(),:;./«»+-]*$/u;

// Kept first: the files are read on the first lookup, never at import.
describe('chargement des catégories', () => {
  it('ne lit les fichiers qu’une fois, au premier appel', () => {
    expect(categoryDataLoadCount()).toBe(0);
    mccLabel('5942');
    nafLabel('47.61Z');
    groupsOfMerchant({ mcc: '5942', naf: '47.61Z' });
    listNaf();
    expect(categoryDataLoadCount()).toBe(1);
  });
});

describe('MCC', () => {
  it('nomme les codes connus en français', () => {
    expect(mccLabel('5942')).toBe('Librairies');
    expect(mccLabel('5912')).toBe('Pharmacies');
    expect(mccLabel('5552')).toBe('Recharge de véhicules électriques');
    expect(mccLabel('8299')).toContain('auto-écoles');
    expect(isKnownMcc('1711')).toBe(true);
  });

  it('accepte un code sans son zéro initial', () => {
    expect(normaliseMcc('742')).toBe('0742');
    expect(normaliseMcc(' 5942 ')).toBe('5942');
    expect(mccLabel('742')).toBe('Vétérinaires');
    expect(normaliseMcc('59420')).toBeUndefined();
    expect(normaliseMcc('59a2')).toBeUndefined();
    expect(normaliseMcc('')).toBeUndefined();
  });

  it('refuse les codes inconnus', () => {
    expect(isKnownMcc('0000')).toBe(false);
    expect(isKnownMcc('abcd')).toBe(false);
    expect(mccLabel('9999')).toBeUndefined();
  });

  it('couvre au moins 150 codes, triés, uniques, libellés en français', () => {
    const codes = listMcc();
    expect(codes.length).toBeGreaterThanOrEqual(150);
    const values = codes.map((entry) => entry.code);
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort()).toEqual(values);
    for (const entry of codes) {
      expect(entry.code).toMatch(/^\d{4}$/);
      expect(entry.label).toMatch(FRENCH_LABEL);
    }
  });
});

describe('NAF', () => {
  it('normalise les deux écritures d’une sous-classe', () => {
    expect(normaliseNaf('4761Z')).toBe('47.61Z');
    expect(normaliseNaf('47.61Z')).toBe('47.61Z');
    expect(normaliseNaf(' 47.61z ')).toBe('47.61Z');
    expect(normaliseNaf('47.61')).toBeUndefined();
    expect(normaliseNaf('476Z')).toBeUndefined();
    expect(normaliseNaf('47-61Z')).toBeUndefined();
    expect(normaliseNaf('')).toBeUndefined();
  });

  it('nomme les sous-classes avec leur libellé officiel', () => {
    expect(nafLabel('47.61Z')).toBe('Commerce de détail de livres en magasin spécialisé');
    expect(nafLabel('4761Z')).toBe('Commerce de détail de livres en magasin spécialisé');
    expect(nafLabel('85.53Z')).toBe('Enseignement de la conduite');
    expect(nafLabel('47.73Z')).toBe(
      'Commerce de détail de produits pharmaceutiques en magasin spécialisé',
    );
    expect(isKnownNaf('56.10A')).toBe(true);
  });

  it('refuse les codes inconnus et les niveaux au-dessus de la sous-classe', () => {
    expect(isKnownNaf('47.61A')).toBe(false);
    expect(isKnownNaf('47.61')).toBe(false);
    expect(isKnownNaf('47')).toBe(false);
    expect(nafLabel('99.99Z')).toBeUndefined();
  });

  it('contient les 732 sous-classes, uniques, sans espace superflu', () => {
    const codes = listNaf();
    expect(codes.length).toBe(732);
    const values = codes.map((entry) => entry.code);
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort()).toEqual(values);
    for (const entry of codes) {
      expect(entry.code).toMatch(/^\d{2}\.\d{2}[A-Z]$/);
      expect(entry.label).not.toMatch(/\s{2}|^\s|\s$/);
      expect(entry.label.length).toBeGreaterThan(3);
    }
  });
});

describe('groupes', () => {
  it('ont chacun un libellé français et au moins un code', () => {
    expect(new Set(CATEGORY_GROUPS).size).toBe(CATEGORY_GROUPS.length);
    for (const group of CATEGORY_GROUPS) {
      expect(categoryGroupLabel(group)).toMatch(FRENCH_LABEL);
      const codes = categoryGroupCodes(group);
      expect(codes.mcc.length + codes.mccWithoutNaf.length).toBeGreaterThan(0);
      expect(codes.naf.length).toBeGreaterThan(0);
    }
    expect(categoryGroupLabel('auto_ecole')).toBe('Auto-écoles');
  });

  it('ne contiennent que des codes des listes de référence, sans doublon', () => {
    for (const group of CATEGORY_GROUPS) {
      const codes = categoryGroupCodes(group);
      for (const code of [...codes.mcc, ...codes.mccWithoutNaf]) {
        expect(isKnownMcc(code), `${group} : MCC ${code}`).toBe(true);
      }
      for (const code of codes.naf) expect(isKnownNaf(code), `${group} : NAF ${code}`).toBe(true);
      const mcc = [...codes.mcc, ...codes.mccWithoutNaf];
      expect(new Set(mcc).size).toBe(mcc.length);
      expect(new Set(codes.naf).size).toBe(codes.naf.length);
    }
  });

  it('rangent chaque domaine culturel dans la culture', () => {
    const culture = categoryGroupCodes('culture');
    const domains: CategoryGroup[] = [
      'livres',
      'spectacle_vivant',
      'cinema',
      'musees_patrimoine',
      'musique',
    ];
    for (const group of domains) {
      const codes = categoryGroupCodes(group);
      for (const code of codes.naf) expect(culture.naf).toContain(code);
      for (const code of codes.mcc) expect(culture.mcc).toContain(code);
    }
    expect(categoryGroupCodes('alimentation').naf).toContain('01.13Z');
    expect(categoryGroupCodes('mobilite').naf).toContain('85.53Z');
  });

  it('rendent des copies que l’appelant peut modifier', () => {
    categoryGroupCodes('livres').mcc.push('0000');
    expect(categoryGroupCodes('livres').mcc).not.toContain('0000');
    groupsOfMerchant({ mcc: '5942', naf: null }).push('sport');
    expect(groupsOfMerchant({ mcc: '5942', naf: null })).not.toContain('sport');
  });
});

describe('appartenance d’un commerçant', () => {
  it('classe une librairie par son MCC ou par son NAF', () => {
    const byMcc = groupsOfMerchant({ mcc: '5942', naf: null });
    const byNaf = groupsOfMerchant({ mcc: null, naf: '4761Z' });
    for (const groups of [byMcc, byNaf]) {
      expect(groups).toContain('livres');
      expect(groups).toContain('culture');
      expect(groups).toContain('fournitures_scolaires');
      expect(groups).not.toContain('alimentation');
    }
  });

  it('réunit les groupes du MCC et du NAF, dans l’ordre de CATEGORY_GROUPS', () => {
    const groups = groupsOfMerchant({ mcc: '5411', naf: '47.73Z' });
    expect(groups).toEqual(['alimentation', 'sante']);
  });

  it('ne classe rien pour un commerçant sans code ou aux codes inconnus', () => {
    expect(groupsOfMerchant({ mcc: null, naf: null })).toEqual([]);
    expect(groupsOfMerchant({ mcc: '0000', naf: '99.99Z' })).toEqual([]);
    expect(groupsOfMerchant({ mcc: 'texte', naf: 'texte' })).toEqual([]);
    expect(groupContains('culture', { mcc: null, naf: null })).toBe(false);
  });

  it('ne croit le MCC 8299 auto-école que faute de NAF', () => {
    expect(groupContains('auto_ecole', { mcc: '8299', naf: null })).toBe(true);
    expect(groupContains('auto_ecole', { mcc: '8299', naf: '85.53Z' })).toBe(true);
    // A music school with the generic education MCC is not a driving school.
    expect(groupContains('auto_ecole', { mcc: '8299', naf: '85.52Z' })).toBe(false);
    expect(groupContains('culture', { mcc: '8299', naf: '85.52Z' })).toBe(true);
    // An invalid NAF is no NAF: the MCC decides.
    expect(groupContains('auto_ecole', { mcc: '8299', naf: '00.00Z' })).toBe(true);
    expect(groupContains('mobilite', { mcc: '8299', naf: null })).toBe(true);
  });

  it('range les métiers de la santé, de l’énergie et du bâtiment', () => {
    expect(groupContains('sante', { mcc: '5912', naf: null })).toBe(true);
    expect(groupContains('sante', { mcc: '5975', naf: null })).toBe(true);
    expect(groupContains('energie', { mcc: '5552', naf: null })).toBe(true);
    expect(groupContains('mobilite', { mcc: '5552', naf: null })).toBe(true);
    expect(groupContains('renovation_energetique', { mcc: null, naf: '43.22B' })).toBe(true);
    expect(groupContains('renovation_energetique', { mcc: '1711', naf: null })).toBe(true);
    expect(groupContains('equipement_maison', { mcc: '5047', naf: null })).toBe(true);
    expect(groupContains('circuits_courts', { mcc: null, naf: '47.81Z' })).toBe(true);
    expect(groupContains('circuits_courts', { mcc: '5411', naf: '47.11D' })).toBe(false);
    expect(groupContains('sport', { mcc: '7999', naf: '93.29Z' })).toBe(false);
    expect(groupContains('sport', { mcc: '7999', naf: null })).toBe(true);
  });

  it('décide vite, au moment du paiement', () => {
    const merchants = [
      { mcc: '5942', naf: '47.61Z' },
      { mcc: '5411', naf: null },
      { mcc: null, naf: '4322B' },
      { mcc: '8299', naf: '85.53Z' },
    ];
    const started = performance.now();
    let matches = 0;
    for (let round = 0; round < 25_000; round += 1) {
      for (const merchant of merchants) {
        if (groupContains('culture', merchant)) matches += 1;
        matches += groupsOfMerchant(merchant).length;
      }
    }
    expect(matches).toBeGreaterThan(0);
    // 200 000 lookups: a Map read each, far under a microsecond apiece.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
