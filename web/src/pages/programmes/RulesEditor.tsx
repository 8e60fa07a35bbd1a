import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { asApiError } from '../../identity/api.js';
import { programmesApi, ruleProblemsOf } from '../../programmes/api.js';
import type { RuleSet } from '../../programmes/rules.js';
import type { RuleProblem } from '../../programmes/types.js';
import { AmountEditor } from './AmountEditor.js';
import { ConditionEditor, CustomAttributesEditor } from './ConditionEditor.js';
import { NumberField, RuleProblemsProvider, unreadable } from './rule-fields.js';
import { summarisedRuleProblems, unreadableValues } from './rule-problems.js';
import { UsageEditor } from './UsageEditor.js';

function RulesPart({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={`rules-part ${fr.cx('fr-mb-4w')}`}>
      <h4 id={id}>{title}</h4>
      <p className={fr.cx('fr-text--sm')}>{intro}</p>
      {children}
    </section>
  );
}

function RulesFields({ draft, set }: { draft: RuleSet; set: (changes: Partial<RuleSet>) => void }) {
  return (
    <>
      <RulesPart
        id="regles-eligibilite"
        title="Éligibilité"
        intro="Qui a droit à l’aide : des conditions, que l’on peut regrouper (toutes, au moins une, aucune)."
      >
        <ConditionEditor
          path="eligibility"
          value={draft.eligibility}
          attributes={draft.customAttributes ?? []}
          onChange={(eligibility) => set({ eligibility })}
        />
        <CustomAttributesEditor
          path="customAttributes"
          value={draft.customAttributes}
          onChange={(customAttributes) => set({ customAttributes })}
        />
      </RulesPart>
      <RulesPart
        id="regles-montant"
        title="Montant"
        intro="Combien reçoit chaque bénéficiaire éligible."
      >
        <AmountEditor value={draft.amount} onChange={(amount) => set({ amount })} />
      </RulesPart>
      <RulesPart
        id="regles-usage"
        title="Usage"
        intro="Où, quand et comment l’aide peut être dépensée. Une règle laissée vide ne restreint rien."
      >
        <UsageEditor value={draft.usage} onChange={(usage) => set({ usage })} />
      </RulesPart>
      <RulesPart
        id="regles-cumul"
        title="Cumul"
        intro="Quand un bénéficiaire a plusieurs aides, celles de priorité la plus basse paient en premier ; à égalité, celle qui expire la première."
      >
        <NumberField
          path="stacking.priority"
          label="Priorité (de 0 à 1 000)"
          value={draft.stacking.priority}
          onChange={(priority) => set({ stacking: { priority: priority ?? unreadable } })}
        />
      </RulesPart>
    </>
  );
}

/**
 * The rules of a version, as a form, to save as a new version: the saved versions never change.
 * What the server refuses shows next to each field and in a summary at the top.
 */
export function RulesEditor({
  programmeId,
  version,
  rules,
  onDirtyChange,
  onSaved,
  onClose,
}: {
  programmeId: number;
  version: number;
  rules: RuleSet;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: (version: number) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<RuleSet>(() => structuredClone(rules));
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const { pending, error, run } = useSubmission();
  const title = useRef<HTMLHeadingElement>(null);
  // Computed once per answer: the summary takes the focus when its list changes.
  const summary = useMemo(() => summarisedRuleProblems(problems), [problems]);
  // Opened by a button above it: the focus moves to the form.
  useEffect(() => title.current?.focus(), []);

  function set(changes: Partial<RuleSet>): void {
    const next = { ...draft, ...changes };
    setDraft(next);
    onDirtyChange(JSON.stringify(next) !== JSON.stringify(rules));
  }

  function save(event: FormEvent): void {
    event.preventDefault();
    const unreadable = unreadableValues(draft);
    setProblems(unreadable);
    if (unreadable.length > 0) return;
    void run(async () => {
      try {
        const saved = await programmesApi.saveVersion(programmeId, draft);
        onDirtyChange(false);
        onSaved(saved.version);
      } catch (caught) {
        const found = ruleProblemsOf(asApiError(caught));
        if (found.length === 0) throw caught;
        setProblems(found);
      }
    });
  }

  return (
    <form onSubmit={save} noValidate aria-labelledby="regles-formulaire-titre">
      <h3 id="regles-formulaire-titre" className={fr.cx('fr-h4')} tabIndex={-1} ref={title}>
        {`Modifier les règles (à partir de la version ${version})`}
      </h3>
      <ErrorSummary errors={summary} title="Les règles contiennent des erreurs" />
      <SubmissionError error={error} />
      <RuleProblemsProvider value={problems}>
        <RulesFields draft={draft} set={set} />
      </RuleProblemsProvider>
      <div className="rules-actions">
        <Button type="submit" disabled={pending}>
          Enregistrer une nouvelle version
        </Button>
        <Button type="button" priority="secondary" onClick={onClose}>
          Fermer sans enregistrer
        </Button>
      </div>
    </form>
  );
}
