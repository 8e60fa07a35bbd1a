import { useEffect, useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { errorState, useSubmission } from '../../components/forms.js';
import type { ApiError } from '../../identity/api.js';
import { beneficiariesApi } from '../../beneficiaries/api.js';
import type { BeneficiaryView } from '../../beneficiaries/types.js';
import { formatDay, today } from '../../programmes/format.js';

const minReasonLength = 3;
const maxReasonLength = 500;
const reasonFieldId = 'effacement-motif';

/** Why the platform refused, in a title a person understands before reading the details. */
function refusalTitle(error: ApiError): string {
  if (error.code === 'aid_in_progress') return 'Une aide est en cours pour ce bénéficiaire';
  if (error.code !== 'retention_running') return 'Effacement refusé';
  const details = error.details as { retentionUntil?: unknown } | undefined;
  return typeof details?.retentionUntil === 'string'
    ? `Effacement impossible avant le ${formatDay(details.retentionUntil)}`
    : 'Les données doivent encore être conservées';
}

/** When the law lets the data go: `retentionUntil` is the first day erasure is permitted. */
function RetentionNote({ beneficiary }: { beneficiary: BeneficiaryView }) {
  const until = beneficiary.retentionUntil;
  if (until === null) {
    return (
      <p>
        Une aide est en cours : les données sont conservées tant qu’elle court, puis pendant cinq
        ans après la dernière aide reçue.
      </p>
    );
  }
  if (until <= today()) {
    return <p>Plus rien n’oblige à conserver ces données : elles peuvent être effacées.</p>;
  }
  return (
    <p>{`Les données doivent être conservées : elles pourront être effacées à partir du ${formatDay(until)}.`}</p>
  );
}

const reasonProblem = (reason: string) =>
  reason.trim().length < minReasonLength
    ? `Indiquez le motif de l’effacement (${minReasonLength} caractères au moins).`
    : undefined;

/** The reason, the confirmation, and the server's refusal said plainly above the form. */
function EraseForm({
  beneficiaryId,
  onErased,
  onCancel,
}: {
  beneficiaryId: number;
  onErased: () => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const { pending, error, run } = useSubmission();
  const refusal = useRef<HTMLDivElement>(null);

  useEffect(() => document.getElementById(reasonFieldId)?.focus(), []);
  useEffect(() => {
    if (error !== null) refusal.current?.focus();
  }, [error]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = reasonProblem(reason);
    setProblem(found);
    if (found !== undefined) {
      document.getElementById(reasonFieldId)?.focus();
      return;
    }
    void run(async () => {
      await beneficiariesApi.erase(beneficiaryId, reason.trim());
      onErased();
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Effacer les données du bénéficiaire">
      {error !== null && (
        <div ref={refusal} tabIndex={-1} className={fr.cx('fr-mb-3w')}>
          <Alert severity="error" as="h3" title={refusalTitle(error)} description={error.message} />
        </div>
      )}
      <p>
        Le nom, l’adresse, les coordonnées et le foyer seront effacés définitivement ; la fiche
        restera, anonyme, pour que les aides versées gardent leur trace.
      </p>
      <Input
        label="Motif de l’effacement"
        hintText="Par exemple : demande de la personne au titre du RGPD, reçue le 3 mars."
        textArea
        {...errorState(problem)}
        nativeTextAreaProps={{
          id: reasonFieldId,
          value: reason,
          maxLength: maxReasonLength,
          rows: 3,
          onChange: (event) => setReason(event.target.value),
        }}
      />
      <div className="action-row">
        <Button type="submit" iconId="fr-icon-delete-line" disabled={pending}>
          Confirmer l’effacement
        </Button>
        <Button type="button" priority="secondary" onClick={onCancel}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

/**
 * The erasure of a record's personal data: asked for with a reason, confirmed, and refused by
 * the server while the law still requires to keep them, which the page says plainly.
 */
export function EraseSection({
  beneficiary,
  onErased,
}: {
  beneficiary: BeneficiaryView;
  onErased: () => void;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <section aria-labelledby="fiche-effacement" className={fr.cx('fr-mt-6w')}>
      <h2 id="fiche-effacement">Effacer les données</h2>
      <RetentionNote beneficiary={beneficiary} />
      {asking ? (
        <EraseForm
          beneficiaryId={beneficiary.id}
          onErased={onErased}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <Button priority="secondary" iconId="fr-icon-delete-line" onClick={() => setAsking(true)}>
          Effacer les données
        </Button>
      )}
    </section>
  );
}
