import './beneficiaries/beneficiaries.css';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { errorState, SubmissionError, SuccessMessage, useSubmission } from '../components/forms.js';
import { Loaded, useResource } from '../components/resource.js';
import { ownRecordsApi } from '../beneficiaries/api.js';
import { addressInWords, formatPhone } from '../beneficiaries/format.js';
import type { ContactChanges, OwnRecord } from '../beneficiaries/types.js';
import { RequireSession, useSession } from '../identity/session.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';
import { ContactFields, useRecordSubmission } from './beneficiaries/RecordFields.js';
import {
  contactFields,
  draftProblems,
  errorsById,
  recordFieldId,
  sentValue,
  type ContactField,
} from './beneficiaries/record-draft.js';

export const myRecordsPageTitle = 'Mes coordonnées chez les financeurs';

const claimCodeLength = 10;
const claimFieldId = 'rattachement-code';

/** The code as printed (« 7KX2-M9PQ-4T »), without the separators people copy with it. */
function claimCodeOf(text: string): string | null {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(`^[A-Z0-9]{${claimCodeLength}}$`).test(code) ? code : null;
}

function ownRecordName(record: OwnRecord): string {
  if (record.kind === 'organisation') return record.legalName ?? '—';
  return [record.givenNames, record.familyName].filter((part) => part !== null).join(' ') || '—';
}

function contactOf(record: OwnRecord): Record<ContactField, string> {
  return {
    addressLine: record.addressLine ?? '',
    postalCode: record.postalCode ?? '',
    communeCode: record.communeCode ?? '',
    email: record.email ?? '',
    phone: record.phone ?? '',
  };
}

function CorrectionForm({
  record,
  onDone,
  onCancel,
}: {
  record: OwnRecord;
  onDone: (record: OwnRecord) => void;
  onCancel: () => void;
}) {
  const prefix = `coordonnees-${record.id}`;
  const { actingFor } = useSession();
  const [values, setValues] = useState(() => contactOf(record));
  const { problems, setProblems, pending, error, run } = useRecordSubmission(prefix);
  useEffect(() => document.getElementById(recordFieldId(prefix, 'addressLine'))?.focus(), [prefix]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = draftProblems(prefix, contactFields, values);
    setProblems(found);
    if (found.length > 0) return;
    const before = contactOf(record);
    const changes: ContactChanges = {};
    for (const field of contactFields) {
      if (values[field].trim() !== before[field]) changes[field] = sentValue(values[field]);
    }
    void run(async () => {
      onDone(await ownRecordsApi.correct(record.id, changes, actingFor?.personId));
    });
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Corriger mes coordonnées chez ${record.funderName}`}
    >
      <ErrorSummary errors={problems} />
      <SubmissionError error={problems.length > 0 ? null : error} />
      <ContactFields
        prefix={prefix}
        values={values}
        errors={errorsById(problems)}
        onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
        ownDetails
      />
      <div className="action-row">
        <Button type="submit" disabled={pending}>
          Enregistrer mes coordonnées
        </Button>
        <Button type="button" priority="secondary" onClick={onCancel}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

function RecordCard({ record, onChanged }: { record: OwnRecord; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const savedMessage = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saved) savedMessage.current?.focus();
  }, [saved]);
  const headingId = `fiche-${record.id}`;
  return (
    <section aria-labelledby={headingId} className={fr.cx('fr-mb-6w')}>
      <h2 id={headingId} className={fr.cx('fr-h4')}>
        {record.funderName}
      </h2>
      {saved && (
        <div ref={savedMessage} tabIndex={-1}>
          <SuccessMessage>{`Coordonnées enregistrées chez ${record.funderName}.`}</SuccessMessage>
        </div>
      )}
      {editing ? (
        <CorrectionForm
          record={record}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            setSaved(true);
            onChanged();
          }}
        />
      ) : (
        <>
          <dl className="identification record-facts">
            <dt>Au nom de</dt>
            <dd>{ownRecordName(record)}</dd>
            <dt>Adresse</dt>
            <dd>{addressInWords(record)}</dd>
            <dt>Adresse électronique</dt>
            <dd>{record.email ?? 'Non renseignée'}</dd>
            <dt>Téléphone</dt>
            <dd>{record.phone === null ? 'Non renseigné' : formatPhone(record.phone)}</dd>
          </dl>
          <Button
            priority="secondary"
            iconId="fr-icon-edit-line"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {`Corriger mes coordonnées chez ${record.funderName}`}
          </Button>
        </>
      )}
    </section>
  );
}

function ClaimForm({ onClaimed }: { onClaimed: () => void }) {
  const { actingFor } = useSession();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [claimed, setClaimed] = useState<OwnRecord | null>(null);
  const { pending, error, run } = useSubmission();
  const claimedMessage = useRef<HTMLDivElement>(null);
  useEffect(() => claimedMessage.current?.focus(), [claimed]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const code = claimCodeOf(text);
    setProblem(
      code === null
        ? `Le code compte ${claimCodeLength} lettres et chiffres, tel qu’il figure sur le courrier ou le SMS.`
        : undefined,
    );
    if (code === null) {
      document.getElementById(claimFieldId)?.focus();
      return;
    }
    setClaimed(null);
    void run(async () => {
      setClaimed(await ownRecordsApi.claim(code, actingFor?.personId));
      setText('');
      onClaimed();
    });
  }

  return (
    <section aria-labelledby="rattacher" className={fr.cx('fr-mt-6w')}>
      <h2 id="rattacher">Rattacher une aide</h2>
      <p>
        Un financeur vous a écrit, par courrier, courriel ou SMS, avec un code de rattachement ?
        Saisissez-le pour retrouver sa fiche, et vos aides, dans votre espace.
      </p>
      {claimed !== null && (
        <div ref={claimedMessage} tabIndex={-1}>
          <SuccessMessage>
            {`Votre fiche chez ${claimed.funderName} est rattachée à votre compte : elle figure plus haut.`}
          </SuccessMessage>
        </div>
      )}
      <form onSubmit={submit} noValidate aria-label="Rattacher une aide avec un code">
        <SubmissionError error={error} />
        <Input
          label="Code de rattachement"
          hintText={`${claimCodeLength} lettres et chiffres, par exemple 7KX2M9PQ4T.`}
          className="field-wide"
          {...errorState(problem)}
          nativeInputProps={{
            id: claimFieldId,
            value: text,
            maxLength: 20,
            autoComplete: 'off',
            autoCapitalize: 'characters',
            spellCheck: false,
            onChange: (event) => setText(event.target.value),
          }}
        />
        <Button type="submit" iconId="fr-icon-link" disabled={pending}>
          Rattacher
        </Button>
      </form>
    </section>
  );
}

function MyRecords() {
  const { actingFor } = useSession();
  const onBehalfOf = actingFor?.personId;
  const { resource, reload } = useResource(
    () => ownRecordsApi.records(onBehalfOf),
    `fiches-${onBehalfOf ?? 'moi'}`,
  );
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={myRecordsPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{myRecordsPageTitle}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Chaque financeur qui vous aide tient une fiche à votre nom. Vérifiez-y vos coordonnées :
        c’est par elles qu’il vous prévient de vos aides.
      </p>
      <Loaded resource={resource}>
        {(records) =>
          records.length === 0 ? (
            <p>
              Aucun financeur ne tient de fiche rattachée à votre compte pour le moment. Si vous
              avez reçu un code de rattachement, saisissez-le ci-dessous.
            </p>
          ) : (
            records.map((record) => (
              <RecordCard key={record.id} record={record} onChanged={reload} />
            ))
          )
        }
      </Loaded>
      <ClaimForm onClaimed={reload} />
    </div>
  );
}

export function MyRecordsPage() {
  return <RequireSession>{() => <MyRecords />}</RequireSession>;
}
