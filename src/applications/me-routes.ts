import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { personOf } from '../identity/access.js';
import { subjectPersonId } from '../identity/actor.js';
import { identityError } from '../identity/errors.js';
import { journaledRequest } from '../identity/journal.js';
import { errorResponses } from '../identity/schemas.js';
import type { TypedApp } from '../platform/http.js';
import { storableText } from '../platform/text.js';
import { compiledVersion } from '../programmes/service.js';
import { searchCommunes } from './communes.js';
import { applicationError } from './errors.js';
import { questionsOf } from './questions.js';
import {
  applicationParamsSchema,
  detailSchema,
  messageBodySchema,
  openProgrammeSchema,
  submissionSchema,
  summarySchema,
} from './schemas.js';
import { addMessage, parisToday, submitApplication, withdrawApplication } from './service.js';
import {
  findApplicationInScope,
  findOpenProgramme,
  listApplicationsOfPerson,
  listOpenProgrammes,
  OPEN_STATUSES,
  type ApplicationRecord,
} from './store.js';
import { detailOf, summaryOf } from './views.js';

// The applicant's side: a person, or an aidant acting for them under a mandate that allows
// asking for aid. The subject is always the person aided; the aidant is recorded as the one
// who submitted and wrote.

const tags = ['demandes'];

/** The applicant's own application, or the same 404 as a missing one. */
export async function ownApplication(
  pool: pg.Pool,
  request: FastifyRequest,
): Promise<ApplicationRecord> {
  const { applicationId } = request.params as { applicationId: number };
  const subject = subjectPersonId(personOf(request));
  const application = await findApplicationInScope(
    pool,
    { applicantPersonId: subject },
    applicationId,
  );
  if (application === undefined) throw identityError('resource_not_found');
  return application;
}

export function registerApplicantRoutes(app: TypedApp, pool: pg.Pool): void {
  registerOpenProgrammes(app, pool);
  registerCommuneSearch(app);
  registerSubmission(app, pool);
  registerApplicantReads(app, pool);
  registerApplicantChanges(app, pool);
}

function registerOpenProgrammes(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/me/programmes-open',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary: 'Les dispositifs ouverts aux demandes en ligne, avec les questions à remplir',
        tags,
        response: { 200: z.object({ programmes: openProgrammeSchema.array() }), ...errorResponses },
      },
    },
    async (request) => {
      const subject = subjectPersonId(personOf(request));
      const [programmes, own] = await Promise.all([
        listOpenProgrammes(pool),
        listApplicationsOfPerson(pool, subject),
      ]);
      const views = await Promise.all(
        programmes.map(async (programme) => {
          const { rules } = await compiledVersion(pool, programme.id, programme.publishedVersion);
          const open = own.find(
            (application) =>
              application.programmeId === programme.id &&
              OPEN_STATUSES.includes(application.status),
          );
          return {
            ...programme,
            questions: questionsOf(rules),
            openApplicationId: open?.id ?? null,
          };
        }),
      );
      return { programmes: views };
    },
  );
}

function registerCommuneSearch(app: TypedApp): void {
  app.get(
    '/api/me/communes',
    {
      config: { permission: 'own_aid.apply' },
      schema: {
        summary: 'Trouver sa commune par son nom (ou le début de son code INSEE)',
        tags,
        querystring: z.strictObject({ search: storableText(100) }),
        response: {
          200: z.object({
            communes: z
              .object({ code: z.string(), name: z.string(), departementCode: z.string() })
              .array(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ communes: searchCommunes(request.query.search) }),
  );
}

function registerSubmission(app: TypedApp, pool: pg.Pool): void {
  app.post(
    '/api/me/applications',
    {
      config: { permission: 'own_aid.apply' },
      schema: {
        summary: 'Demander une aide : les réponses aux questions, évaluées aussitôt et expliquées',
        description:
          'Une seule demande en cours par dispositif et par personne (409 sinon). Un aidant sous mandat « demander_aide » dépose pour la personne aidée (en-tête x-flechage-au-nom-de).',
        tags,
        body: submissionSchema,
        response: { 201: detailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      const programme = await findOpenProgramme(pool, request.body.programmeId);
      if (programme === undefined) throw applicationError('programme_not_open');
      const { rules, compiled } = await compiledVersion(
        pool,
        programme.id,
        programme.publishedVersion,
      );
      const subject = subjectPersonId(actor);
      const { applicationId } = await journaledRequest(pool, request, (client, journal) =>
        submitApplication(client, journal, {
          programme,
          rules,
          compiled,
          applicantPersonId: subject,
          submittedByPersonId: actor.personId,
          answers: request.body.answers,
          today: parisToday(),
        }),
      );
      const application = await findApplicationInScope(
        pool,
        { applicantPersonId: subject },
        applicationId,
      );
      return reply.status(201).send(await detailOf(pool, application as ApplicationRecord));
    },
  );
}

function registerApplicantReads(app: TypedApp, pool: pg.Pool): void {
  app.get(
    '/api/me/applications',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary: 'Mes demandes d’aide, de la plus récente à la plus ancienne',
        tags,
        response: {
          200: z.object({ applications: summarySchema.array() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const subject = subjectPersonId(personOf(request));
      const applications = await listApplicationsOfPerson(pool, subject);
      return { applications: applications.map(summaryOf) };
    },
  );
  app.get(
    '/api/me/applications/:applicationId',
    {
      config: { permission: 'own_aid.read' },
      schema: {
        summary:
          'Une de mes demandes : réponses, évaluation expliquée, documents, échanges, décision',
        tags,
        params: applicationParamsSchema,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => detailOf(pool, await ownApplication(pool, request)),
  );
}

function registerApplicantChanges(app: TypedApp, pool: pg.Pool): void {
  app.post(
    '/api/me/applications/:applicationId/messages',
    {
      config: { permission: 'own_aid.apply' },
      schema: {
        summary:
          'Écrire à l’instructeur ; répondre à une demande d’informations relance l’instruction',
        tags,
        params: applicationParamsSchema,
        body: messageBodySchema,
        response: { 201: detailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = personOf(request);
      const application = await ownApplication(pool, request);
      await journaledRequest(pool, request, (client, journal) =>
        addMessage(client, journal, {
          application,
          side: 'demandeur',
          personId: actor.personId,
          body: request.body.body,
        }),
      );
      return reply.status(201).send(await detailOf(pool, await ownApplication(pool, request)));
    },
  );
  app.post(
    '/api/me/applications/:applicationId/withdraw',
    {
      config: { permission: 'own_aid.apply' },
      schema: {
        summary: 'Retirer une demande en cours',
        tags,
        params: applicationParamsSchema,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = personOf(request);
      const application = await ownApplication(pool, request);
      await journaledRequest(pool, request, (client, journal) =>
        withdrawApplication(client, journal, application, actor.personId),
      );
      return detailOf(pool, await ownApplication(pool, request));
    },
  );
}
