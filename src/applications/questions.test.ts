import { describe, expect, it } from 'vitest';
import { PROGRAMME_TEMPLATES } from '../programmes/templates.js';
import { compileRules } from '../programmes/rules/engine.js';
import { platformRuleReference } from '../programmes/rules/reference.js';
import type { AmountRule, Condition, RuleSet } from '../programmes/rules/schema.js';
import {
  checkAnswers,
  questionsOf,
  MAX_DECLARED_EXPENSE_CENTS,
  type AnswerContext,
  type Question,
} from './questions.js';

const IDENTITY_KEYS = ['familyName', 'givenNames', 'birthDate', 'communeCode'];

const FIXED: AmountRule = { type: 'fixed', amountCents: 100_00, rounding: 'down' };

function rules(eligibility: Condition, amount: AmountRule = FIXED, extra: Partial<RuleSet> = {}) {
  return { eligibility, amount, usage: {}, stacking: { priority: 1 }, ...extra } as RuleSet;
}

function keysOf(questions: Question[]): string[] {
  return questions.map((question) => question.key);
}

const context: AnswerContext = {
  today: '2026-09-01',
  isKnownCommune: (code) => ['33063', '2A004', '75056'].includes(code),
};

const identity = {
  familyName: 'Martin',
  givenNames: 'Camille',
  birthDate: '2008-03-10',
  communeCode: '33063',
};

function template(id: string) {
  const found = PROGRAMME_TEMPLATES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`modèle ${id} absent`);
  return found;
}

describe('les questions que posent les règles', () => {
  it('sans condition ni montant variable, seulement l’identité', () => {
    expect(keysOf(questionsOf(rules({ type: 'all', conditions: [] })))).toEqual(IDENTITY_KEYS);
  });

  it.each([
    ['un âge', { type: 'age', minimumYears: 18 }, []],
    ['une résidence', { type: 'residence', zones: [{ kind: 'departement', code: '33' }] }, []],
    [
      'un quotient familial',
      { type: 'household_quotient', maximumEuros: 900 },
      ['householdQuotientEuros'],
    ],
    ['des enfants à charge', { type: 'dependent_children', minimum: 1 }, ['dependentChildren']],
    ['un statut', { type: 'status', anyOf: ['etudiant'] }, ['statuses']],
    [
      'un type d’organisation',
      { type: 'organisation_kind', anyOf: ['association'] },
      ['organisationKind'],
    ],
  ] as [string, Condition, string[]][])('une condition sur %s', (_name, condition, added) => {
    expect(keysOf(questionsOf(rules(condition)))).toEqual([...IDENTITY_KEYS, ...added]);
  });

  it('descend dans « tous », « au moins un » et « sauf », et ne pose chaque question qu’une fois', () => {
    const condition: Condition = {
      type: 'any',
      conditions: [
        { type: 'not', condition: { type: 'dependent_children', maximum: 0 } },
        {
          type: 'all',
          conditions: [
            { type: 'dependent_children', minimum: 3 },
            { type: 'household_quotient', maximumEuros: 500 },
          ],
        },
      ],
    };
    expect(keysOf(questionsOf(rules(condition)))).toEqual([
      ...IDENTITY_KEYS,
      'householdQuotientEuros',
      'dependentChildren',
    ]);
  });

  it('propose comme situations exactement les statuts que les règles nomment, avec leur libellé', () => {
    const condition: Condition = {
      type: 'any',
      conditions: [
        { type: 'status', anyOf: ['etudiant', 'apprenti'] },
        { type: 'not', condition: { type: 'status', anyOf: ['salarie', 'etudiant'] } },
      ],
    };
    const statuses = questionsOf(rules(condition)).find((question) => question.key === 'statuses');
    expect(statuses).toMatchObject({ input: 'choices', required: false });
    expect(statuses?.choices).toEqual([
      { value: 'apprenti', label: 'apprenti' },
      { value: 'etudiant', label: 'étudiant' },
      { value: 'salarie', label: 'salarié' },
    ]);
  });

  it('propose comme types d’organisation ceux que les règles nomment', () => {
    const question = questionsOf(
      rules({ type: 'organisation_kind', anyOf: ['copropriete', 'association'] }),
    ).find((candidate) => candidate.key === 'organisationKind');
    expect(question?.choices).toEqual([
      { value: 'association', label: 'association' },
      { value: 'copropriete', label: 'copropriété' },
    ]);
  });

  it.each([
    [
      'des tranches de quotient',
      {
        type: 'brackets',
        attribute: 'household_quotient',
        brackets: [{ upTo: null, amountCents: 1 }],
        rounding: 'down',
      },
      ['householdQuotientEuros'],
    ],
    [
      'des tranches d’âge',
      {
        type: 'brackets',
        attribute: 'age',
        brackets: [{ upTo: null, amountCents: 1 }],
        rounding: 'down',
      },
      [],
    ],
    [
      'un montant par enfant',
      {
        type: 'per_unit',
        unit: 'dependent_child',
        unitAmount: { type: 'fixed', amountCents: 5 },
        rounding: 'down',
      },
      ['dependentChildren'],
    ],
    [
      'une part de la dépense',
      { type: 'expense_share', rate: { type: 'fixed', rateBasisPoints: 5000 }, rounding: 'down' },
      ['declaredExpenseCents'],
    ],
    [
      'un plafond en part de la dépense',
      { ...FIXED, expenseShareCeilingBasisPoints: 4000 },
      ['declaredExpenseCents'],
    ],
    [
      'un taux par tranche d’enfants',
      {
        type: 'expense_share',
        rate: {
          type: 'brackets',
          attribute: 'dependent_children',
          brackets: [{ upTo: null, rateBasisPoints: 1 }],
        },
        rounding: 'down',
      },
      ['dependentChildren', 'declaredExpenseCents'],
    ],
  ] as [string, AmountRule, string[]][])('un montant selon %s', (_name, amount, added) => {
    expect(keysOf(questionsOf(rules({ type: 'all', conditions: [] }, amount)))).toEqual([
      ...IDENTITY_KEYS,
      ...added,
    ]);
  });

  it('pose les attributs propres au dispositif lus par les règles, avec leur libellé et leur type', () => {
    const declared: RuleSet['customAttributes'] = [
      { key: 'proprietaire', label: 'Propriétaire occupant', type: 'boolean' },
      { key: 'surface', label: 'Surface (m²)', type: 'number' },
      {
        key: 'occupation',
        label: 'Occupation',
        type: 'text',
        values: ['locataire', 'propriétaire'],
      },
      { key: 'metier', label: 'Métier', type: 'text' },
      { key: 'inutile', label: 'Jamais lu', type: 'boolean' },
      { key: 'pieces', label: 'Pièces', type: 'number' },
    ];
    const condition: Condition = {
      type: 'all',
      conditions: [
        { type: 'custom', attribute: 'metier', operator: 'equals', value: 'boulanger' },
        { type: 'custom', attribute: 'occupation', operator: 'one_of', value: ['locataire'] },
        { type: 'custom', attribute: 'proprietaire', operator: 'equals', value: true },
      ],
    };
    const amount: AmountRule = {
      type: 'per_unit',
      unit: 'custom',
      customAttribute: 'pieces',
      unitAmount: {
        type: 'brackets',
        attribute: 'custom',
        customAttribute: 'surface',
        brackets: [{ upTo: null, amountCents: 1 }],
      },
      rounding: 'down',
    };
    const questions = questionsOf(rules(condition, amount, { customAttributes: declared }));
    expect(questions.slice(IDENTITY_KEYS.length)).toEqual([
      {
        key: 'custom.proprietaire',
        label: 'Propriétaire occupant',
        input: 'boolean',
        required: true,
      },
      {
        key: 'custom.surface',
        label: 'Surface (m²)',
        input: 'decimal',
        required: true,
        minimum: 0,
        maximum: 1_000_000_000,
      },
      {
        key: 'custom.occupation',
        label: 'Occupation',
        input: 'choice',
        required: true,
        choices: [
          { value: 'locataire', label: 'locataire' },
          { value: 'propriétaire', label: 'propriétaire' },
        ],
      },
      { key: 'custom.metier', label: 'Métier', input: 'text', required: true, maxLength: 200 },
      {
        key: 'custom.pieces',
        label: 'Pièces',
        input: 'decimal',
        required: true,
        minimum: 0,
        maximum: 1_000_000_000,
      },
    ]);
  });

  it.each(PROGRAMME_TEMPLATES.map((candidate) => [candidate.id, candidate] as const))(
    'le modèle « %s » : ses faits d’exemple répondent à toutes ses questions et le rendent éligible',
    (_id, candidate) => {
      const questions = questionsOf(candidate.rules);
      const sample = candidate.sampleFacts;
      const answers: Record<string, unknown> = { familyName: 'Durand', givenNames: 'Lou' };
      for (const question of questions) {
        if (question.key.startsWith('custom.')) {
          answers[question.key] = sample.custom?.[question.key.slice(7)];
        } else if (question.key === 'statuses') {
          // The form offers only the statuses the rules name; the others change nothing.
          const offered = question.choices?.map((choice) => choice.value) ?? [];
          answers.statuses = sample.statuses?.filter((status) => offered.includes(status));
        } else if (!(question.key in answers)) {
          answers[question.key] = (sample as Record<string, unknown>)[question.key];
        }
      }
      answers.birthDate ??= '1990-01-01';
      answers.communeCode ??= '33063';
      const checked = checkAnswers(questions, answers, {
        today: '2026-09-01',
        isKnownCommune: () => true,
      });
      expect(checked.valid, JSON.stringify(checked)).toBe(true);
      if (!checked.valid) return;
      const decision = compileRules(candidate.rules, platformRuleReference()).evaluate(
        checked.facts,
        '2026-09-01',
      );
      expect(decision.eligible, decision.explanation.map((step) => step.sentence).join('\n')).toBe(
        true,
      );
    },
  );

  it('le modèle d’adaptation du logement demande quotient, dépense et les deux attributs déclarés', () => {
    const keys = keysOf(questionsOf(template('adaptation-logement-seniors').rules));
    expect(keys).toEqual([
      ...IDENTITY_KEYS,
      'householdQuotientEuros',
      'declaredExpenseCents',
      'custom.perte_autonomie',
      'custom.occupation',
    ]);
  });
});

describe('la vérification des réponses', () => {
  const questions = questionsOf(
    rules(
      {
        type: 'all',
        conditions: [
          { type: 'status', anyOf: ['etudiant'] },
          { type: 'household_quotient', maximumEuros: 900 },
          { type: 'dependent_children', minimum: 0 },
          { type: 'custom', attribute: 'proprietaire', operator: 'equals', value: true },
          { type: 'custom', attribute: 'occupation', operator: 'equals', value: 'locataire' },
        ],
      },
      { type: 'expense_share', rate: { type: 'fixed', rateBasisPoints: 5000 }, rounding: 'down' },
      {
        customAttributes: [
          { key: 'proprietaire', label: 'Propriétaire', type: 'boolean' },
          { key: 'occupation', label: 'Occupation', type: 'text', values: ['locataire'] },
        ],
      },
    ),
  );
  const complete = {
    ...identity,
    statuses: ['etudiant'],
    householdQuotientEuros: 612.5,
    dependentChildren: 2,
    declaredExpenseCents: 120_000,
    'custom.proprietaire': false,
    'custom.occupation': 'locataire',
  };

  it('des réponses complètes donnent les faits que lisent les règles', () => {
    const checked = checkAnswers(questions, { ...complete, familyName: '  Martin ' }, context);
    expect(checked).toEqual({
      valid: true,
      identity: { familyName: 'Martin', givenNames: 'Camille' },
      facts: {
        birthDate: '2008-03-10',
        communeCode: '33063',
        statuses: ['etudiant'],
        householdQuotientEuros: 612.5,
        dependentChildren: 2,
        declaredExpenseCents: 120_000,
        custom: { proprietaire: false, occupation: 'locataire' },
      },
      answers: { ...complete, familyName: 'Martin' },
    });
  });

  it('aucune situation cochée se lit « aucune », et un code de commune corse en minuscules est normalisé', () => {
    const { statuses: _omitted, ...rest } = complete;
    const checked = checkAnswers(questions, { ...rest, communeCode: '2a004' }, context);
    expect(checked.valid && checked.facts).toMatchObject({ statuses: [], communeCode: '2A004' });
  });

  it.each([
    ['nom vide', { familyName: '   ' }, 'familyName', 'Réponse vide.'],
    ['nom trop long', { familyName: 'x'.repeat(101) }, 'familyName', '100 caractères au plus.'],
    ['nom non texte', { givenNames: 42 }, 'givenNames', 'Texte attendu.'],
    [
      'caractère nul',
      { givenNames: 'Ca\u0000mille' },
      'givenNames',
      'Texte invalide : caractère non autorisé.',
    ],
    [
      'date impossible',
      { birthDate: '2008-02-30' },
      'birthDate',
      'Date attendue au format AAAA-MM-JJ, et ce jour doit exister.',
    ],
    ['date future', { birthDate: '2027-01-01' }, 'birthDate', 'Cette date est dans le futur.'],
    [
      'date trop ancienne',
      { birthDate: '1899-12-31' },
      'birthDate',
      'Date antérieure au 1er janvier 1900.',
    ],
    [
      'commune mal formée',
      { communeCode: '3306' },
      'communeCode',
      'Code INSEE attendu : 5 caractères, par exemple 33063.',
    ],
    ['commune inconnue', { communeCode: '99999' }, 'communeCode', 'Commune « 99999 » inconnue.'],
    [
      'quotient négatif',
      { householdQuotientEuros: -1 },
      'householdQuotientEuros',
      'Valeur attendue entre 0 et 100000.',
    ],
    [
      'quotient trop grand',
      { householdQuotientEuros: 100_000.01 },
      'householdQuotientEuros',
      'Valeur attendue entre 0 et 100000.',
    ],
    [
      'quotient au millième',
      { householdQuotientEuros: 612.555 },
      'householdQuotientEuros',
      'Deux décimales au plus.',
    ],
    [
      'quotient en texte',
      { householdQuotientEuros: '612' },
      'householdQuotientEuros',
      'Nombre attendu.',
    ],
    [
      'enfants non entiers',
      { dependentChildren: 1.5 },
      'dependentChildren',
      'Nombre entier attendu.',
    ],
    [
      'trop d’enfants',
      { dependentChildren: 21 },
      'dependentChildren',
      'Valeur attendue entre 0 et 20.',
    ],
    [
      'dépense nulle',
      { declaredExpenseCents: 0 },
      'declaredExpenseCents',
      `Valeur attendue entre 1 et ${MAX_DECLARED_EXPENSE_CENTS} (en centimes).`,
    ],
    [
      'dépense infinie',
      { declaredExpenseCents: Number.POSITIVE_INFINITY },
      'declaredExpenseCents',
      'Nombre attendu.',
    ],
    [
      'statut non proposé',
      { statuses: ['retraite'] },
      'statuses',
      'Choisissez parmi les valeurs proposées.',
    ],
    ['statuts non liste', { statuses: 'etudiant' }, 'statuses', 'Liste de valeurs attendue.'],
    [
      'booléen en texte',
      { 'custom.proprietaire': 'oui' },
      'custom.proprietaire',
      'Répondez par oui ou par non.',
    ],
    [
      'choix hors liste',
      { 'custom.occupation': 'propriétaire' },
      'custom.occupation',
      'Choisissez une des valeurs proposées.',
    ],
    ['question inconnue', { salaire: 1 }, 'salaire', 'Question inconnue.'],
  ] as [string, Record<string, unknown>, string, string][])(
    'refuse %s, en nommant le champ',
    (_name, change, field, message) => {
      expect(checkAnswers(questions, { ...complete, ...change }, context)).toEqual({
        valid: false,
        problems: [{ field, message }],
      });
    },
  );

  it('une réponse manquante à une question obligatoire est un problème par champ', () => {
    const checked = checkAnswers(questions, { familyName: 'Martin' }, context);
    expect(checked.valid).toBe(false);
    if (checked.valid) return;
    expect(checked.problems.map((problem) => problem.field)).toEqual([
      'givenNames',
      'birthDate',
      'communeCode',
      'householdQuotientEuros',
      'dependentChildren',
      'declaredExpenseCents',
      'custom.proprietaire',
      'custom.occupation',
    ]);
    expect(new Set(checked.problems.map((problem) => problem.message))).toEqual(
      new Set(['Réponse requise.']),
    );
  });

  it('un texte en forme d’injection est gardé tel quel : c’est une réponse, jamais du code', () => {
    const text = "Robert'); drop table applications;-- <script>alert(1)</script>";
    const checked = checkAnswers(questions, { ...complete, familyName: text }, context);
    expect(checked.valid && checked.identity.familyName).toBe(text);
  });
});
