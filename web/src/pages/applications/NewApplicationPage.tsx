import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { applicantApi } from '../../applications/api.js';
import type { OpenProgramme } from '../../applications/types.js';
import { ErrorSummary, type SummarisedError } from '../../components/ErrorSummary.js';
import { SubmissionError, useSubmission } from '../../components/forms.js';
import { Loaded, useResource } from '../../components/resource.js';
import { RequireSession, useSession } from '../../identity/session.js';
import { AppLink, navigate } from '../../routing.js';
import { backOfficeHomePageTitle } from '../BackOfficeHomePage.js';
import { myApplicationsPageTitle } from '../MyApplicationsPage.js';
import { answersOf, fieldIdOf, type Draft } from './answers.js';
import { QuestionField } from './QuestionField.js';

export const newApplicationPageTitle = 'Nouvelle demande d’aide';

function ProgrammeChoice({
  programmes,
  chosen,
  choose,
}: {
  programmes: OpenProgramme[];
  chosen: number | null;
  choose: (programmeId: number) => void;
}) {
  if (programmes.length === 0) {
    return <p>Aucun dispositif n’accepte de demande en ligne pour le moment.</p>;
  }
  return (
    <RadioButtons
      legend="Quelle aide demandez-vous ?"
      name="dispositif"
      options={programmes.map((programme) => ({
        label: `${programme.name} — ${programme.funderName}`,
        hintText:
          programme.openApplicationId === null
            ? programme.description
            : `${programme.description} Une demande est déjà en cours : complétez-la plutôt.`,
        nativeInputProps: {
          value: `${programme.id}`,
          checked: chosen === programme.id,
          disabled: programme.openApplicationId !== null,
          onChange: () => choose(programme.id),
        },
      }))}
    />
  );
}

/** The server's problems, one per question, in the order of the form. */
function summarised(programme: OpenProgramme, problems: Record<string, string>): SummarisedError[] {
  return programme.questions.flatMap((question) => {
    const message = problems[question.key];
    if (message === undefined) return [];
    return [
      { key: question.key, message, fieldId: fieldIdOf(question.key), fieldLabel: question.label },
    ];
  });
}

function serverProblems(details: unknown): Record<string, string> {
  if (!Array.isArray(details)) return {};
  const problems: Record<string, string> = {};
  for (const detail of details as { field?: unknown; message?: unknown }[]) {
    if (typeof detail.field === 'string' && typeof detail.message === 'string') {
      problems[detail.field] = detail.message;
    }
  }
  return problems;
}

function QuestionsForm({ programme }: { programme: OpenProgramme }) {
  const { actingFor } = useSession();
  const [draft, setDraft] = useState<Draft>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const { pending, error, run } = useSubmission();
  const [errors, setErrors] = useState<SummarisedError[]>([]);
  const report = (found: Record<string, string>) => {
    setProblems(found);
    setErrors(summarised(programme, found));
  };

  function submit(): void {
    const checked = answersOf(programme.questions, draft);
    report(checked.problems);
    if (Object.keys(checked.problems).length > 0) return;
    void run(async () => {
      try {
        const created = await applicantApi.apply(
          programme.id,
          checked.answers,
          actingFor?.personId,
        );
        navigate(`/mes-demandes/${created.application.id}?deposee=1`);
      } catch (caught) {
        const fromServer = serverProblems((caught as { details?: unknown }).details);
        if (Object.keys(fromServer).length > 0) report(fromServer);
        throw caught;
      }
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
      <h2>{`Vos réponses — ${programme.name}`}</h2>
      <p>
        Les questions viennent des règles du dispositif : seules celles qui comptent sont posées.
      </p>
      <ErrorSummary errors={errors} />
      <SubmissionError error={errors.length > 0 ? null : error} />
      {programme.questions.map((question) => (
        <QuestionField
          key={question.key}
          question={question}
          value={draft[question.key]}
          problem={problems[question.key]}
          onBehalfOf={actingFor?.personId}
          onChange={(value) => {
            setDraft((current) => ({ ...current, [question.key]: value }));
            // A corrected answer no longer shows its error; the summary stays until sent again,
            // so that the focus stays where the person types.
            setProblems((current) => {
              const { [question.key]: _corrected, ...others } = current;
              return others;
            });
          }}
        />
      ))}
      <Button type="submit" disabled={pending}>
        Déposer ma demande
      </Button>
    </form>
  );
}

function NewApplication({ programmes }: { programmes: OpenProgramme[] }) {
  const [chosen, setChosen] = useState<number | null>(
    programmes.length === 1 && programmes[0]?.openApplicationId === null
      ? (programmes[0]?.id ?? null)
      : null,
  );
  const programme = programmes.find((candidate) => candidate.id === chosen);
  return (
    <>
      <ProgrammeChoice programmes={programmes} chosen={chosen} choose={setChosen} />
      {programme !== undefined && <QuestionsForm key={programme.id} programme={programme} />}
    </>
  );
}

function NewApplicationView() {
  const { actingFor } = useSession();
  const { resource } = useResource(
    () => applicantApi.openProgrammes(actingFor?.personId),
    `dispositifs-ouverts-${actingFor?.personId ?? 'moi'}`,
  );
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={newApplicationPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[
          { label: backOfficeHomePageTitle, linkProps: { href: '/espace' } },
          { label: myApplicationsPageTitle, linkProps: { href: '/mes-demandes' } },
        ]}
      />
      <h1>
        {actingFor === null
          ? newApplicationPageTitle
          : `${newApplicationPageTitle} pour ${actingFor.displayName}`}
      </h1>
      <Alert
        severity="info"
        small
        className={fr.cx('fr-mb-4w')}
        description="Dès le dépôt, vous voyez si vos réponses remplissent les conditions et le montant calculé ; un instructeur du financeur décide ensuite. Vous pourrez joindre vos justificatifs après le dépôt."
      />
      <Loaded resource={resource}>
        {({ programmes }) => <NewApplication programmes={programmes} />}
      </Loaded>
      <p className={fr.cx('fr-mt-4w')}>
        <AppLink href="/mes-demandes">Retour à mes demandes</AppLink>
      </p>
    </div>
  );
}

export function NewApplicationPage() {
  return <RequireSession>{() => <NewApplicationView />}</RequireSession>;
}
