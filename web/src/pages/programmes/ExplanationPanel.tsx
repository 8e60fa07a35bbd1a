import { useEffect, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { errorState } from '../../components/forms.js';
import { asApiError, type ApiError } from '../../identity/api.js';
import { programmesApi } from '../../programmes/api.js';
import { today } from '../../programmes/format.js';
import { formatCents } from '../../programmes/money.js';
import {
  organisationKindLabels,
  statusLabels,
  type CustomAttribute,
} from '../../programmes/rules.js';
import type { BeneficiaryFacts, Explanation } from '../../programmes/types.js';
import {
  factsDraftOf,
  factsOf,
  type FactsDraft,
  type FactsField,
  type FactsProblems,
} from './sample-facts.js';

type Outcome =
  | { status: 'waiting' }
  | { status: 'done'; explanation: Explanation }
  | { status: 'failed'; error: ApiError };

const textFields: [FactsField, string, string | undefined, 'date' | 'text'][] = [
  ['birthDate', 'Date de naissance', undefined, 'date'],
  ['communeCode', 'Commune de résidence (code INSEE)', 'Par exemple 33063 pour Bordeaux.', 'text'],
  ['householdQuotient', 'Quotient familial (€)', undefined, 'text'],
  ['dependentChildren', 'Enfants à charge', undefined, 'text'],
  [
    'declaredExpense',
    'Dépense déclarée (€)',
    'Un devis ou une facture, pour une aide en pourcentage.',
    'text',
  ],
];

function CustomFactField({
  attribute,
  value,
  problem,
  onChange,
}: {
  attribute: CustomAttribute;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = `exemple-attribut-${attribute.key}`;
  const choices: [string, string][] | null =
    attribute.type === 'boolean'
      ? [
          ['true', 'Oui'],
          ['false', 'Non'],
        ]
      : (attribute.values?.map((item) => [item, item]) ?? null);
  if (choices !== null) {
    return (
      <Select
        label={attribute.label}
        nativeSelectProps={{ id, value, onChange: (event) => onChange(event.target.value) }}
      >
        <option value="">Non renseigné</option>
        {choices.map(([choice, label]) => (
          <option key={choice} value={choice}>
            {label}
          </option>
        ))}
      </Select>
    );
  }
  return (
    <Input
      label={attribute.label}
      {...errorState(problem)}
      nativeInputProps={{
        id,
        value,
        inputMode: attribute.type === 'number' ? 'decimal' : 'text',
        onChange: (event) => onChange(event.target.value),
      }}
    />
  );
}

function StatusChoices({
  draft,
  setDraft,
}: {
  draft: FactsDraft;
  setDraft: (draft: FactsDraft) => void;
}) {
  return (
    <Checkbox
      legend="Statuts"
      small
      options={Object.entries(statusLabels).map(([code, label]) => ({
        label,
        nativeInputProps: {
          checked: draft.statuses.includes(code),
          onChange: (event) =>
            setDraft({
              ...draft,
              statuses: event.target.checked
                ? [...draft.statuses, code]
                : draft.statuses.filter((s) => s !== code),
            }),
        },
      }))}
    />
  );
}

function SampleFields({
  draft,
  setDraft,
  problems,
  attributes,
}: {
  draft: FactsDraft;
  setDraft: (draft: FactsDraft) => void;
  problems: FactsProblems;
  attributes: readonly CustomAttribute[];
}) {
  return (
    <>
      {textFields.map(([field, label, hint, type]) => (
        <Input
          key={field}
          label={label}
          hintText={hint}
          {...errorState(problems[field])}
          nativeInputProps={{
            id: `exemple-${field}`,
            type,
            value: draft[field],
            onChange: (event) => setDraft({ ...draft, [field]: event.target.value }),
          }}
        />
      ))}
      <StatusChoices draft={draft} setDraft={setDraft} />
      <Select
        label="Type d’organisation (pour une aide aux structures)"
        nativeSelectProps={{
          id: 'exemple-organisationKind',
          value: draft.organisationKind,
          onChange: (event) => setDraft({ ...draft, organisationKind: event.target.value }),
        }}
      >
        <option value="">Une personne, pas une organisation</option>
        {Object.entries(organisationKindLabels).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </Select>
      {attributes.map((attribute) => (
        <CustomFactField
          key={attribute.key}
          attribute={attribute}
          value={draft.custom[attribute.key] ?? ''}
          problem={problems[`custom.${attribute.key}`]}
          onChange={(value) =>
            setDraft({ ...draft, custom: { ...draft.custom, [attribute.key]: value } })
          }
        />
      ))}
    </>
  );
}

/** Asks the server to explain, a moment after the last change, and keeps only the last answer. */
function useExplanation(
  programmeId: number,
  version: number,
  referenceDate: string,
  facts: BeneficiaryFacts | null,
) {
  const [outcome, setOutcome] = useState<Outcome>({ status: 'waiting' });
  const factsKey = JSON.stringify(facts);
  useEffect(() => {
    if (facts === null || referenceDate === '') return;
    let current = true;
    const timer = window.setTimeout(() => {
      programmesApi.explain(programmeId, { version, referenceDate, facts }).then(
        (explanation) => current && setOutcome({ status: 'done', explanation }),
        (error: unknown) => current && setOutcome({ status: 'failed', error: asApiError(error) }),
      );
    }, 300);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
    // `facts` is a new object at every render: its JSON names it.
  }, [programmeId, version, referenceDate, factsKey]);
  return outcome;
}

function ExplanationResult({ outcome }: { outcome: Outcome }) {
  if (outcome.status === 'waiting') return <p>Calcul de l’explication…</p>;
  if (outcome.status === 'failed')
    return <Alert severity="error" small description={outcome.error.message} />;
  const { explanation } = outcome;
  return (
    <>
      <p className={fr.cx('fr-mb-1w')}>
        {explanation.eligible ? (
          <Badge as="span" severity="success">
            Éligible
          </Badge>
        ) : (
          <Badge as="span" severity="error">
            Non éligible
          </Badge>
        )}{' '}
        {explanation.eligible && <strong>{formatCents(explanation.amountCents)}</strong>}
        <span className={fr.cx('fr-text--sm')}>{` — selon la version ${explanation.version}`}</span>
      </p>
      <ol className="explanation-sentences">
        {explanation.sentences.map((sentence, index) => (
          <li key={index}>{sentence}</li>
        ))}
      </ol>
    </>
  );
}

/**
 * A sample beneficiary, and what a saved version decides for them, sentence by sentence. The
 * server explains saved versions only: a draft must be saved to be explained.
 */
export function ExplanationPanel({
  programmeId,
  version,
  draftChanged,
  sampleFacts,
  attributes,
}: {
  programmeId: number;
  version: number;
  draftChanged: boolean;
  sampleFacts: BeneficiaryFacts;
  attributes: readonly CustomAttribute[];
}) {
  const [draft, setDraft] = useState(() => factsDraftOf(sampleFacts));
  const [referenceDate, setReferenceDate] = useState(today);
  const { facts, problems } = factsOf(draft, attributes);
  const readable = Object.keys(problems).length === 0 ? facts : null;
  const outcome = useExplanation(programmeId, version, referenceDate, readable);
  return (
    <section aria-labelledby="explication-titre" className="explanation-panel">
      <h3 id="explication-titre" className={fr.cx('fr-h5')}>
        Explication pour un bénéficiaire type
      </h3>
      {draftChanged && (
        <Alert
          severity="info"
          small
          className={fr.cx('fr-mb-2w')}
          description={`Vos modifications ne sont pas encore enregistrées : l’explication porte sur la version ${version}. Enregistrez pour voir l’explication avec ces règles.`}
        />
      )}
      <div aria-live="polite" className={fr.cx('fr-mb-3w')}>
        {readable === null ? (
          <p>Corrigez le bénéficiaire type pour voir l’explication.</p>
        ) : (
          <ExplanationResult outcome={outcome} />
        )}
      </div>
      <details className="sample-facts">
        <summary>Modifier le bénéficiaire type</summary>
        <Input
          label="Date de la demande"
          nativeInputProps={{
            id: 'exemple-date-reference',
            type: 'date',
            value: referenceDate,
            onChange: (event) => setReferenceDate(event.target.value),
          }}
        />
        <SampleFields
          draft={draft}
          setDraft={setDraft}
          problems={problems}
          attributes={attributes}
        />
      </details>
    </section>
  );
}
