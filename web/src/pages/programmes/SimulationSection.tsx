import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Upload } from '@codegouvfr/react-dsfr/Upload.js';
import { SubmissionError, errorState, useSubmission } from '../../components/forms.js';
import { programmesApi } from '../../programmes/api.js';
import { today } from '../../programmes/format.js';
import { formatCount } from '../../programmes/money.js';
import {
  demoSample,
  demoSampleSize,
  maximumSampleSize,
  parseSampleFile,
} from '../../programmes/sample.js';
import type { BeneficiaryFacts, ProgrammeView, SimulationAnswer } from '../../programmes/types.js';
import { AmountChart } from './AmountChart.js';
import { DepartementMap } from './DepartementMap.js';
import { KeyFigures } from './KeyFigures.js';

type SampleSource = 'demo' | 'file';
type Sample = { beneficiaries: { facts: BeneficiaryFacts }[]; name: string };

const ids = { file: 'simulation-fichier', date: 'simulation-date' };

function VersionSelects({
  programme,
  version,
  compareWith,
  setVersion,
  setCompareWith,
}: {
  programme: ProgrammeView;
  version: number;
  compareWith: number | null;
  setVersion: (version: number) => void;
  setCompareWith: (version: number | null) => void;
}) {
  const options = programme.versions.map((candidate) => (
    <option key={candidate.version} value={`${candidate.version}`}>
      {`Version ${candidate.version}${candidate.version === programme.publishedVersion ? ' (publiée)' : ''}`}
    </option>
  ));
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <Select
          label="Version simulée"
          nativeSelectProps={{
            id: 'simulation-version',
            value: `${version}`,
            onChange: (event) => setVersion(Number(event.target.value)),
          }}
        >
          {options}
        </Select>
      </div>
      <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
        <Select
          label="Comparer avec la version"
          nativeSelectProps={{
            id: 'simulation-comparaison',
            value: compareWith === null ? '' : `${compareWith}`,
            onChange: (event) =>
              setCompareWith(event.target.value === '' ? null : Number(event.target.value)),
          }}
        >
          <option value="">Aucune comparaison</option>
          {options}
        </Select>
      </div>
    </div>
  );
}

/** Reads the chosen file in the browser: nothing leaves it but the facts sent to simulate. */
async function readFile(file: File): Promise<{ sample: Sample | null; problem: string | null }> {
  const parsed = parseSampleFile(file.name, await file.text());
  if (!parsed.ok) return { sample: null, problem: parsed.problems.join(' ') };
  return { sample: { beneficiaries: parsed.beneficiaries, name: file.name }, problem: null };
}

function SampleChoice({
  source,
  setSource,
  fileProblem,
  onFile,
}: {
  source: SampleSource;
  setSource: (source: SampleSource) => void;
  fileProblem: string | undefined;
  onFile: (file: File | undefined) => void;
}) {
  return (
    <>
      <RadioButtons
        legend="Échantillon de bénéficiaires"
        name="simulation-echantillon"
        options={[
          {
            label: 'Échantillon de démonstration',
            hintText: `${formatCount(demoSampleSize)} personnes fictives et variées, surtout en Gironde, toujours les mêmes.`,
            nativeInputProps: { checked: source === 'demo', onChange: () => setSource('demo') },
          },
          {
            label: 'Importer un fichier',
            hintText: `CSV ou JSON, ${formatCount(maximumSampleSize)} personnes au plus.`,
            nativeInputProps: { checked: source === 'file', onChange: () => setSource('file') },
          },
        ]}
      />
      {source === 'file' && (
        <Upload
          label="Fichier de l’échantillon"
          hint="CSV : une ligne d’en-tête avec les colonnes birthDate (AAAA-MM-JJ), communeCode, householdQuotientEuros, dependentChildren, statuses (séparés par « | »). JSON : une liste de ces mêmes informations. Le fichier est lu dans votre navigateur."
          {...errorState(fileProblem)}
          nativeInputProps={{
            id: ids.file,
            accept: '.csv,.json,text/csv,application/json',
            onChange: (event) => onFile(event.target.files?.[0]),
          }}
        />
      )}
    </>
  );
}

function SimulationResults({
  answer,
  version,
  compareWith,
}: {
  answer: SimulationAnswer;
  version: number;
  compareWith: number | null;
}) {
  return (
    <div className={fr.cx('fr-mt-4w')} aria-labelledby="simulation-resultats">
      <h3 id="simulation-resultats" tabIndex={-1}>{`Résultats de la version ${version}`}</h3>
      <KeyFigures answer={answer} compareWith={compareWith} />
      <h4>Répartition des montants</h4>
      <AmountChart report={answer.report} />
      <h4>Carte par département</h4>
      <DepartementMap report={answer.report} />
    </div>
  );
}

type Result = { answer: SimulationAnswer; version: number; compareWith: number | null };

/** By default: the newest version, against the published one or else the one before. */
function defaultComparison(programme: ProgrammeView, latest: number): number | null {
  if (programme.publishedVersion !== null && programme.publishedVersion !== latest) {
    return programme.publishedVersion;
  }
  return latest > 1 ? latest - 1 : null;
}

async function sampleFor(source: SampleSource, file: File | undefined, referenceDate: string) {
  if (source === 'demo') {
    return {
      sample: { beneficiaries: demoSample(referenceDate), name: 'démonstration' },
      problem: null,
    };
  }
  if (file === undefined) return { sample: null, problem: 'Choisissez un fichier CSV ou JSON.' };
  return readFile(file);
}

function useSimulation(programme: ProgrammeView) {
  const latest = programme.versions.at(-1)?.version ?? 1;
  const [seenLatest, setSeenLatest] = useState(latest);
  const [version, setVersion] = useState(latest);
  const [compareWith, setCompareWith] = useState(() => defaultComparison(programme, latest));
  // A version saved meanwhile becomes the one to simulate.
  if (seenLatest !== latest) {
    setSeenLatest(latest);
    setVersion(latest);
    setCompareWith(defaultComparison(programme, latest));
  }
  const [referenceDate, setReferenceDate] = useState(today);
  const [source, setSource] = useState<SampleSource>('demo');
  const [file, setFile] = useState<File | undefined>();
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const [result, setResult] = useState<Result | null>(null);
  const submission = useSubmission();

  function submit(event: FormEvent): void {
    event.preventDefault();
    void submission.run(async () => {
      const read = await sampleFor(source, file, referenceDate || today());
      setFileProblem(read.problem ?? undefined);
      if (read.sample === null) return document.getElementById(ids.file)?.focus();
      const request = {
        version,
        referenceDate: referenceDate || today(),
        beneficiaries: read.sample.beneficiaries,
        ...(compareWith === null || compareWith === version
          ? {}
          : { compareWithVersion: compareWith }),
      };
      const answer = await programmesApi.simulate(programme.id, request);
      setResult({ answer, version, compareWith: request.compareWithVersion ?? null });
      window.setTimeout(() => document.getElementById('simulation-resultats')?.focus());
    });
  }
  const chooseFile = (chosen: File | undefined) => {
    setFile(chosen);
    setFileProblem(undefined);
  };
  return {
    ...submission,
    versions: { version, compareWith, setVersion, setCompareWith },
    sample: { source, setSource, fileProblem, onFile: chooseFile },
    referenceDate,
    setReferenceDate,
    result,
    submit,
  };
}

export function SimulationSection({ programme }: { programme: ProgrammeView }) {
  const simulation = useSimulation(programme);
  const { pending, result } = simulation;
  return (
    <section aria-labelledby="dispositif-simulation" className={fr.cx('fr-mb-6w')}>
      <h2 id="dispositif-simulation">Simulation</h2>
      <p>
        Avant de publier, voyez qui serait éligible et ce que coûterait une version, sur un
        échantillon de personnes.
      </p>
      <form onSubmit={simulation.submit} noValidate aria-labelledby="dispositif-simulation">
        <SubmissionError error={simulation.error} />
        <VersionSelects programme={programme} {...simulation.versions} />
        <Input
          label="Date de la demande simulée"
          className="field-narrow"
          hintText="Les âges et les dates de validité sont appréciés à cette date."
          nativeInputProps={{
            id: ids.date,
            type: 'date',
            value: simulation.referenceDate,
            onChange: (event) => simulation.setReferenceDate(event.target.value),
          }}
        />
        <SampleChoice {...simulation.sample} />
        <Button type="submit" disabled={pending} iconId="fr-icon-play-line">
          {pending ? 'Simulation en cours…' : 'Lancer la simulation'}
        </Button>
      </form>
      {pending && <p role="status">Simulation en cours…</p>}
      {result !== null && <SimulationResults {...result} />}
      {result === null && !pending && (
        <Alert
          severity="info"
          small
          className={fr.cx('fr-mt-3w')}
          description="Les résultats s’afficheront ici : bénéficiaires éligibles, coût, répartition des montants et carte par département."
        />
      )}
    </section>
  );
}
