import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import {
  errorState,
  SubmissionError,
  SuccessMessage,
  useSubmission,
} from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { canSetFourEyesThreshold } from '../../campaigns/access.js';
import { funderSettingsApi } from '../../campaigns/api.js';
import type { Membership } from '../../identity/types.js';
import { centsToInput, formatCents, parseEurosToCents } from '../../programmes/money.js';

function ThresholdForm({
  organisationId,
  thresholdCents,
  onSaved,
}: {
  organisationId: number;
  thresholdCents: number;
  onSaved: (thresholdCents: number) => void;
}) {
  const fieldId = `seuil-${organisationId}`;
  const [amount, setAmount] = useState(() => centsToInput(thresholdCents));
  const [problem, setProblem] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | null>(null);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    setSaved(null);
    const cents = parseEurosToCents(amount);
    if (cents === null) {
      setProblem('Indiquez un montant en euros, par exemple 50 000 ou 1 500,50.');
      document.getElementById(fieldId)?.focus();
      return;
    }
    setProblem(undefined);
    void run(async () => {
      const answer = await funderSettingsApi.save(organisationId, {
        fourEyesThresholdCents: cents,
      });
      onSaved(answer.fourEyesThresholdCents);
      setSaved(`Seuil enregistré : ${formatCents(answer.fourEyesThresholdCents)}.`);
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-2w')}>
      <SubmissionError error={error} />
      {saved !== null && <SuccessMessage>{saved}</SuccessMessage>}
      <Input
        label="Seuil de la double approbation (en euros)"
        hintText="S’applique aux campagnes préparées après l’enregistrement."
        className="field-narrow"
        {...errorState(problem)}
        nativeInputProps={{
          id: fieldId,
          inputMode: 'decimal',
          value: amount,
          onChange: (event) => setAmount(event.target.value),
        }}
      />
      <Button type="submit" disabled={pending}>
        Enregistrer le seuil
      </Button>
    </form>
  );
}

function OrganisationThreshold({
  organisation,
  memberships,
  titled,
}: {
  organisation: { id: number; name: string };
  memberships: readonly Membership[];
  titled: boolean;
}) {
  const { resource, reload } = useResource(
    () => funderSettingsApi.settings(organisation.id),
    `seuil-${organisation.id}`,
  );
  return (
    <div className={fr.cx('fr-mb-3w')}>
      {titled && <h3 className={fr.cx('fr-h6')}>{organisation.name}</h3>}
      <Loaded resource={resource}>
        {({ fourEyesThresholdCents }) => (
          <>
            <p>
              {`Au-delà de ${formatCents(fourEyesThresholdCents)}, une campagne doit être approuvée par deux personnes différentes.`}
            </p>
            {canSetFourEyesThreshold(memberships, organisation.id) && (
              <ThresholdForm
                organisationId={organisation.id}
                thresholdCents={fourEyesThresholdCents}
                onSaved={reload}
              />
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}

/** The funder's threshold of the four-eyes rule: read by all its staff, set by its controllers. */
export function FourEyesSection({
  organisations,
  memberships,
}: {
  organisations: { id: number; name: string }[];
  memberships: readonly Membership[];
}) {
  if (organisations.length === 0) return null;
  return (
    <section aria-labelledby="double-approbation" className={fr.cx('fr-mt-6w')}>
      <h2 id="double-approbation">Double approbation</h2>
      {organisations.map((organisation) => (
        <OrganisationThreshold
          key={organisation.id}
          organisation={organisation}
          memberships={memberships}
          titled={organisations.length > 1}
        />
      ))}
    </section>
  );
}
