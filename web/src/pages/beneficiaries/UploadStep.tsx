import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Upload } from '@codegouvfr/react-dsfr/Upload.js';
import { errorState, SubmissionError, useSubmission } from '../../components/forms.js';
import { beneficiariesApi, importContentTypes, importFormatOf } from '../../beneficiaries/api.js';
import { navigate } from '../../routing.js';
import { FunderSelect } from './FunderSelect.js';

/**
 * The server's default limits (a workbook is unzipped whole, hence its lower one): a bigger file
 * is refused before anything is sent. The server has the last word when set otherwise.
 */
const maxMegabytes = { csv: 50, xlsx: 20 } as const;
const maxFileNameLength = 200;

const fileFieldId = 'import-fichier';

function fileProblem(file: File | null): string | undefined {
  if (file === null) return 'Choisissez le fichier à importer.';
  const format = importFormatOf(file.name);
  if (format === null) return 'Le fichier doit être un tableau CSV (.csv) ou Excel (.xlsx).';
  if (file.name.length > maxFileNameLength) {
    return `Le nom du fichier dépasse ${maxFileNameLength} caractères : renommez-le.`;
  }
  if (file.size === 0) return 'Le fichier est vide.';
  if (file.size > maxMegabytes[format] * 1024 * 1024) {
    return format === 'xlsx'
      ? `Un classeur XLSX fait au plus ${maxMegabytes.xlsx} Mo : enregistrez-le en CSV UTF-8.`
      : `Le fichier dépasse ${maxMegabytes.csv} Mo : découpez-le en plusieurs fichiers.`;
  }
  return undefined;
}

function FileField({
  problem,
  onChange,
}: {
  problem: string | undefined;
  onChange: (file: File | null) => void;
}) {
  return (
    <Upload
      label="Fichier des bénéficiaires"
      hint={`Un tableau CSV (séparé par « ; » ou « , », encodé en UTF-8) de ${maxMegabytes.csv} Mo au plus, ou un classeur Excel (.xlsx) de ${maxMegabytes.xlsx} Mo au plus ; sa première ligne nomme les colonnes.`}
      className={fr.cx('fr-mb-4w')}
      {...errorState(problem)}
      nativeInputProps={{
        id: fileFieldId,
        accept: `.csv,.xlsx,${importContentTypes.csv},${importContentTypes.xlsx}`,
        onChange: (event) => onChange(event.target.files?.[0] ?? null),
      }}
    />
  );
}

/** The first step: which funder the people are aided by, and the file that lists them. */
export function UploadStep({
  organisations,
  organisationId,
  onOrganisationChange,
  csrfToken,
}: {
  organisations: { id: number; name: string }[];
  organisationId: number;
  onOrganisationChange: (organisationId: number) => void;
  csrfToken: string;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [sentFraction, setSentFraction] = useState<number | null>(null);
  const { pending, error, run } = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found = fileProblem(file);
    setProblem(found);
    if (found !== undefined || file === null) {
      document.getElementById(fileFieldId)?.focus();
      return;
    }
    setSentFraction(0);
    void run(async () => {
      try {
        const uploaded = await beneficiariesApi.uploadImport(
          { organisationId, file, csrfToken },
          setSentFraction,
        );
        navigate(`/beneficiaires/import/${uploaded.id}`);
      } finally {
        setSentFraction(null);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="import-etape-titre">
      <SubmissionError error={error} />
      {organisations.length > 1 && (
        <FunderSelect
          id="import-financeur"
          label="Financeur qui aide ces bénéficiaires"
          organisations={organisations}
          value={`${organisationId}`}
          onChange={(value) => onOrganisationChange(Number(value))}
        />
      )}
      <FileField
        problem={problem}
        onChange={(chosen) => {
          setFile(chosen);
          // A problem on screen is checked again at once against the new choice.
          if (problem !== undefined) setProblem(fileProblem(chosen));
        }}
      />
      {sentFraction !== null && (
        <>
          <label htmlFor="import-envoi">{`Envoi du fichier : ${Math.round(sentFraction * 100)} %`}</label>
          <progress id="import-envoi" className="import-progress" max={1} value={sentFraction} />
        </>
      )}
      <Button type="submit" iconId="fr-icon-upload-line" disabled={pending}>
        Envoyer le fichier
      </Button>
    </form>
  );
}
