import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import {
  SubmissionError,
  errorState,
  useFieldErrors,
  useSubmission,
} from '../../components/forms.js';
import { identityApi } from '../../identity/api.js';
import type { ApiKeyRole, CreatedApiKey } from '../../identity/types.js';

export const apiKeyRoleLabels: Record<ApiKeyRole, string> = {
  terminal: 'Caisse (terminal de paiement)',
  processeur_paiement: 'Processeur de paiement',
};

const roleHints: Record<ApiKeyRole, string> = {
  terminal: 'Pour un appareil qui encaisse en magasin.',
  processeur_paiement: 'Pour le service qui transmet vos paiements en ligne.',
};

const fields = { label: 'cle-nom' };

export function NewApiKeyForm({
  organisationId,
  onCreated,
}: {
  organisationId: number;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('terminal');
  const { errors, report } = useFieldErrors(fields);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const name = label.trim();
    const problem =
      name.length < 1 || name.length > 100 ? 'Saisissez un nom de 1 à 100 caractères.' : undefined;
    if (!report({ label: problem })) return;
    void run(async () => {
      onCreated(await identityApi.createApiKey(organisationId, name, role));
      setLabel('');
    });
  }

  return (
    <section aria-labelledby="cles-nouvelle">
      <h2 id="cles-nouvelle">Créer une clé</h2>
      <form onSubmit={submit} noValidate aria-labelledby="cles-nouvelle">
        <SubmissionError error={error} />
        <Input
          label="Nom de la clé"
          hintText="Pour la reconnaître, par exemple « Caisse 1 » ou « Caisse du rayon jeunesse »."
          {...errorState(errors.label)}
          nativeInputProps={{
            id: fields.label,
            value: label,
            maxLength: 100,
            onChange: (event) => setLabel(event.target.value),
          }}
        />
        <RadioButtons
          legend="Usage"
          name="cle-usage"
          options={(['terminal', 'processeur_paiement'] as const).map((candidate) => ({
            label: apiKeyRoleLabels[candidate],
            hintText: roleHints[candidate],
            nativeInputProps: {
              value: candidate,
              checked: role === candidate,
              onChange: () => setRole(candidate),
            },
          }))}
        />
        <Button type="submit" disabled={pending} className={fr.cx('fr-mt-1w')}>
          Créer la clé
        </Button>
      </form>
    </section>
  );
}
