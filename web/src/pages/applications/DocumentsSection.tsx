import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Upload } from '@codegouvfr/react-dsfr/Upload.js';
import { SubmissionError, SuccessMessage, useSubmission } from '../../components/forms.js';
import {
  DOCUMENT_TYPES,
  MAX_DOCUMENTS_PER_APPLICATION,
  MAX_DOCUMENT_BYTES,
} from '../../applications/api.js';
import type { ApplicationDocument } from '../../applications/types.js';
import { formatDateTime } from '../../identity/format.js';

// The documents of an application: the list, and for the applicant the form that attaches one
// (checked here for type and size so that a wrong file is refused before it travels).

const typeLabels: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'image PNG',
  'image/jpeg': 'image JPEG',
};

const sizeFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

export function sizeText(sizeBytes: number): string {
  if (sizeBytes < 1024 * 1024) return `${sizeFormat.format(sizeBytes / 1024)} ko`;
  return `${sizeFormat.format(sizeBytes / (1024 * 1024))} Mo`;
}

export function DocumentList({
  documents,
  downloadUrl,
}: {
  documents: ApplicationDocument[];
  /** For the case worker: where each document downloads. */
  downloadUrl?: (documentId: number) => string;
}) {
  if (documents.length === 0) return <p>Aucun document joint.</p>;
  return (
    <ul>
      {documents.map((document) => {
        const description = `${typeLabels[document.mediaType] ?? document.mediaType}, ${sizeText(document.sizeBytes)}, joint le ${formatDateTime(document.createdAt)}`;
        return (
          <li key={document.id}>
            {downloadUrl === undefined ? (
              <strong>{document.fileName}</strong>
            ) : (
              <a href={downloadUrl(document.id)} download={document.fileName}>
                {`Télécharger ${document.fileName}`}
              </a>
            )}
            {` (${description})`}
          </li>
        );
      })}
    </ul>
  );
}

function fileProblem(file: File | undefined): string | undefined {
  if (file === undefined) return 'Choisissez un fichier.';
  if (!(DOCUMENT_TYPES as readonly string[]).includes(file.type)) {
    return 'Ce type de fichier n’est pas accepté : PDF, PNG ou JPEG uniquement.';
  }
  if (file.size === 0) return 'Ce fichier est vide.';
  if (file.size > MAX_DOCUMENT_BYTES) return 'Ce fichier dépasse 5 Mo.';
  return undefined;
}

export function DocumentUploadForm({
  count,
  upload,
}: {
  count: number;
  upload: (file: File) => Promise<void>;
}) {
  const [file, setFile] = useState<File | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const { pending, error, run } = useSubmission();
  if (count >= MAX_DOCUMENTS_PER_APPLICATION) {
    return <p>{`Cette demande a déjà ${MAX_DOCUMENTS_PER_APPLICATION} documents, le maximum.`}</p>;
  }

  function submit(): void {
    const found = fileProblem(file);
    setProblem(found);
    setSent(null);
    if (found !== undefined || file === undefined) {
      document.getElementById('document-fichier')?.focus();
      return;
    }
    void run(async () => {
      await upload(file);
      setSent(`Le document « ${file.name} » est joint à votre demande.`);
      setFile(undefined);
      setInputKey((current) => current + 1);
    });
  }

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <SubmissionError error={error} />
      {sent !== null && <SuccessMessage>{sent}</SuccessMessage>}
      <Upload
        key={inputKey}
        label="Joindre un justificatif"
        hint={`PDF, PNG ou JPEG, 5 Mo au plus ; ${MAX_DOCUMENTS_PER_APPLICATION} documents au plus par demande.`}
        state={problem === undefined ? 'default' : 'error'}
        stateRelatedMessage={problem}
        nativeInputProps={{
          id: 'document-fichier',
          accept: DOCUMENT_TYPES.join(','),
          onChange: (event) => setFile(event.target.files?.[0]),
        }}
        className={fr.cx('fr-mb-2w')}
      />
      <Button type="submit" priority="secondary" disabled={pending}>
        Envoyer le document
      </Button>
    </form>
  );
}
