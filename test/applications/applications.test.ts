import { createHash } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProgrammes } from '../../src/cli/demo-programmes.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT, journaled } from '../../src/identity/journal.js';
import { accepted, createPerson, grantRole } from '../../src/identity/people.js';
import type { PersonRole } from '../../src/identity/roles.js';
import { registerOrganisation } from '../../src/identity/service.js';
import { PROGRAMME_TEMPLATES } from '../../src/programmes/templates.js';
import { seedPeople } from '../support/identity-fixture.js';
import { loggedIn, type Answer, type SessionClient } from '../support/identity-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Individual applications over HTTP, on the demo fund of the Gironde and a second funder (a
// région): a person applies, attaches documents, a case worker asks for more and decides; the
// decision credits an attribution and reaches the applicant. Bad inputs change nothing.

const PASSWORD = 'mot-de-passe-des-demandeurs';
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.alloc(2_000, 0x20),
  Buffer.from('%%EOF'),
]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 0x90)]);
const FIVE_MEGABYTES = 5 * 1024 * 1024;

let server: TestServer;
let pool: pg.Pool;
let people: DemoPeople;
let camille: SessionClient;
let instructeur: SessionClient;
let aidant: SessionClient;
let programmeIds: Record<string, number>;
let funderB: { organisationId: number; instructeur: SessionClient; programmeId: number };

type Detail = {
  application: {
    id: number;
    status: string;
    statusLabel: string;
    beneficiaryId: number;
    submittedByName: string;
    applicantName: string;
    evaluatedAmountCents: number;
    answers: { key: string; text: string; value: unknown }[];
    decision: null | {
      decision: string;
      reason: string;
      amountCents: number | null;
      attributionId: number | null;
      attributionStatus: string | null;
    };
  };
  evaluation: { eligible: boolean; amountCents: number; sentences: string[] };
  documents: {
    id: number;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
  }[];
  messages: { authorSide: string; body: string; authorName: string }[];
  history: { toStatus: string; reason: string | null; personName: string | null }[];
};

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json).toMatchObject({ code, message: expect.any(String) });
}

async function createAccount(email: string, role: PersonRole, organisationId: number | null) {
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const personId = accepted(
      await createPerson(client, journal, {
        email,
        displayName: email.split('@')[0] ?? email,
        password: PASSWORD,
      }),
    );
    accepted(await grantRole(client, journal, { personId, organisationId, role }));
    return personId;
  });
}

async function newApplicant(
  localPart: string,
): Promise<{ client: SessionClient; personId: number }> {
  const email = `${localPart}@demandeurs.fr`;
  const personId = await createAccount(email, 'beneficiaire', null);
  return { client: await loggedIn(server.baseUrl, email, PASSWORD), personId };
}

/** A document as the web page sends it: the file is the body. */
async function upload(
  client: SessionClient,
  applicationId: number,
  content: Buffer,
  options: { type?: string; name?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': options.type ?? 'application/pdf',
    cookie: client.cookie ?? '',
    'x-csrf-token': client.csrfToken ?? '',
  };
  if (options.name !== null) {
    headers['x-file-name'] = encodeURIComponent(options.name ?? 'justificatif.pdf');
  }
  Object.assign(headers, options.headers);
  const response = await fetch(`${server.baseUrl}/api/me/applications/${applicationId}/documents`, {
    method: 'POST',
    headers,
    body: new Uint8Array(content),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

const BACK_TO_SCHOOL_ANSWERS = {
  familyName: 'Martin',
  givenNames: 'Camille',
  birthDate: '1988-04-02',
  communeCode: '33063',
  householdQuotientEuros: 612,
  dependentChildren: 2,
};

async function apply(
  client: SessionClient,
  programmeId: number,
  answers: Record<string, unknown>,
  headers?: Record<string, string>,
) {
  return client.post(
    '/api/me/applications',
    { programmeId, answers },
    headers === undefined ? undefined : { headers },
  );
}

async function outbox(personId: number, template: string) {
  const result = await pool.query<{
    channel: string;
    payload: Record<string, unknown>;
    event_key: string;
  }>(
    'select channel, payload, event_key from notification_outbox where person_id = $1 and template = $2 order by id',
    [personId, template],
  );
  return result.rows;
}

async function journalActions(applicationId: number): Promise<string[]> {
  const result = await pool.query<{ action: string }>(
    `select action from audit_journal where target_type = 'application' and target_id = $1 order by id`,
    [String(applicationId)],
  );
  return result.rows.map((row) => row.action);
}

async function tableCounts() {
  const result = await pool.query(
    `select (select count(*) from applications)::int as applications,
            (select count(*) from application_documents)::int as documents,
            (select count(*) from application_messages)::int as messages,
            (select count(*) from beneficiaries)::int as beneficiaries,
            (select count(*) from attributions)::int as attributions,
            (select count(*) from audit_journal)::int as journal`,
  );
  return result.rows[0] as Record<string, number>;
}

async function setUpFunderB() {
  const created = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, {
    kind: 'region',
    name: 'Région Nouvelle-Aquitaine',
  });
  if (!created.created) throw new Error(created.refusal);
  const organisationId = created.organisation.id;
  await createAccount('gestionnaire@region.fr', 'gestionnaire', organisationId);
  await createAccount('instructeur@region.fr', 'instructeur', organisationId);
  const manager = await loggedIn(server.baseUrl, 'gestionnaire@region.fr', PASSWORD);
  const fund = (
    await manager.post('/api/funds', {
      organisationId,
      name: 'Fonds régional',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      contributors: [{ organisationId, committedCents: 1_000_000_00 }],
      axes: [{ name: 'Mobilité', budgetCents: 1_000_000_00 }],
    })
  ).json as { id: number; axes: { id: number }[] };
  const programme = (
    await manager.post('/api/programmes', {
      fundId: fund.id,
      axisId: fund.axes[0]?.id,
      name: 'Chèque circuits courts de B',
      description: 'Dispositif de la région B',
      templateId: 'circuits-courts-territoire',
    })
  ).json as { id: number };
  return {
    organisationId,
    programmeId: programme.id,
    manager,
    instructeur: await loggedIn(server.baseUrl, 'instructeur@region.fr', PASSWORD),
  };
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  pool = server.database.pool;
  people = await seedPeople(pool);
  await seedDemoProgrammes(pool, server.application.ledger, people);
  const login = (name: keyof DemoPeople['accounts']) =>
    loggedIn(server.baseUrl, people.accounts[name].email, people.password);
  camille = await login('beneficiaire');
  instructeur = await login('instructeur');
  aidant = await login('aidant');
  const programmes = (await (await login('gestionnaire')).get('/api/programmes')).json as {
    id: number;
    templateId: string;
  }[];
  programmeIds = Object.fromEntries(
    programmes.map((programme) => [programme.templateId, programme.id]),
  );
  const b = await setUpFunderB();
  funderB = {
    organisationId: b.organisationId,
    instructeur: b.instructeur,
    programmeId: b.programmeId,
  };
});

afterAll(async () => {
  await server?.close();
});

describe('les dispositifs ouverts aux demandes', () => {
  it('liste les dispositifs publiés, avec leur financeur et les questions que leurs règles posent', async () => {
    const answer = await camille.get('/api/me/programmes-open');
    expect(answer.status, answer.text).toBe(200);
    const { programmes } = answer.json as {
      programmes: { id: number; funderName: string; questions: { key: string }[] }[];
    };
    expect(programmes).toHaveLength(PROGRAMME_TEMPLATES.length);
    const backToSchool = programmes.find(
      (programme) => programme.id === programmeIds['allocation-rentree-scolaire'],
    );
    expect(backToSchool?.funderName).toBe('Département de la Gironde');
    expect(backToSchool?.questions.map((question) => question.key)).toEqual([
      'familyName',
      'givenNames',
      'birthDate',
      'communeCode',
      'householdQuotientEuros',
      'dependentChildren',
    ]);
    // Funder B's programme is not published yet: it accepts no application.
    expect(programmes.some((programme) => programme.id === funderB.programmeId)).toBe(false);
  });

  it('refuse un dispositif inconnu ou non publié par la même réponse, sans rien écrire', async () => {
    const before = await tableCounts();
    expectRefusal(
      await apply(camille, 8_999_999_999, BACK_TO_SCHOOL_ANSWERS),
      404,
      'programme_not_open',
    );
    expectRefusal(
      await apply(camille, funderB.programmeId, BACK_TO_SCHOOL_ANSWERS),
      404,
      'programme_not_open',
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('refuse des réponses hors limites en nommant chaque question, sans rien écrire', async () => {
    const before = await tableCounts();
    const answer = await apply(camille, programmeIds['allocation-rentree-scolaire'] as number, {
      ...BACK_TO_SCHOOL_ANSWERS,
      householdQuotientEuros: 100_001,
      dependentChildren: -1,
      birthDate: '2999-01-01',
      communeCode: '99999',
      salaire: 3000,
    });
    expectRefusal(answer, 422, 'answers_invalid');
    const fields = (answer.json as { details: { field: string }[] }).details.map(
      (problem) => problem.field,
    );
    expect(fields.sort()).toEqual([
      'birthDate',
      'communeCode',
      'dependentChildren',
      'householdQuotientEuros',
      'salaire',
    ]);
    expectRefusal(
      await camille.post('/api/me/applications', { programmeId: 1, answers: { a: { b: 1 } } }),
      400,
      'validation_failed',
    );
    expectRefusal(
      await apply(camille, programmeIds['allocation-rentree-scolaire'] as number, {
        ...BACK_TO_SCHOOL_ANSWERS,
        familyName: '=HYPERLINK("http://x")',
      }),
      422,
      'answers_invalid',
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('un commerçant ou un agent n’a pas d’espace de demandes', async () => {
    expectRefusal(await instructeur.get('/api/me/applications'), 403, 'action_not_allowed');
    expectRefusal(
      await instructeur.post('/api/me/applications', { programmeId: 1, answers: {} }),
      403,
      'action_not_allowed',
    );
  });
});

describe('une demande, du dépôt à la décision', () => {
  let applicationId: number;
  let path: string;

  it('le dépôt évalue aussitôt et explique, et crée la fiche du bénéficiaire liée à la personne', async () => {
    const answer = await apply(
      camille,
      programmeIds['allocation-rentree-scolaire'] as number,
      BACK_TO_SCHOOL_ANSWERS,
    );
    expect(answer.status, answer.text).toBe(201);
    const detail = answer.json as Detail;
    applicationId = detail.application.id;
    path = `/api/me/applications/${applicationId}`;
    expect(detail.application.status).toBe('submitted');
    expect(detail.evaluation).toMatchObject({ eligible: true, amountCents: 2 * 100_00 });
    expect(detail.evaluation.sentences.join(' ')).toMatch(/quotient familial/);
    expect(detail.application.answers.find((row) => row.key === 'communeCode')?.text).toBe(
      'Bordeaux (33063)',
    );
    const record = await pool.query(
      'select person_id, family_name, commune_code, household, email from beneficiaries where id = $1',
      [detail.application.beneficiaryId],
    );
    expect(record.rows[0]).toMatchObject({
      person_id: people.accounts.beneficiaire.personId,
      family_name: 'Martin',
      commune_code: '33063',
      household: { householdQuotientEuros: 612, dependentChildren: 2 },
      email: people.accounts.beneficiaire.email,
    });
    expect(await journalActions(applicationId)).toEqual(['application.submit']);
  });

  it('une seule demande en cours par dispositif et par personne', async () => {
    expectRefusal(
      await apply(
        camille,
        programmeIds['allocation-rentree-scolaire'] as number,
        BACK_TO_SCHOOL_ANSWERS,
      ),
      409,
      'application_already_open',
    );
    const open = (await camille.get('/api/me/programmes-open')).json as {
      programmes: { id: number; openApplicationId: number | null }[];
    };
    expect(
      open.programmes.find(
        (programme) => programme.id === programmeIds['allocation-rentree-scolaire'],
      )?.openApplicationId,
    ).toBe(applicationId);
  });

  it('joint un PDF, avec son empreinte SHA-256', async () => {
    const answer = await upload(camille, applicationId, PDF, {
      name: 'Attestation CAF été 2026.pdf',
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json).toMatchObject({
      fileName: 'Attestation CAF été 2026.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
  });

  it('refuse un fichier trop gros, un exécutable renommé en PDF, un type non accepté, un fichier vide ou sans nom', async () => {
    const before = await tableCounts();
    const oversized = Buffer.concat([PDF, Buffer.alloc(FIVE_MEGABYTES)]);
    expectRefusal(await upload(camille, applicationId, oversized), 413, 'document_too_large');
    expectRefusal(
      await upload(camille, applicationId, EXE, { name: 'facture.pdf' }),
      422,
      'document_content_mismatch',
    );
    expectRefusal(
      await upload(camille, applicationId, PDF, { type: 'image/png' }),
      422,
      'document_content_mismatch',
    );
    expectRefusal(
      await upload(camille, applicationId, EXE, {
        type: 'application/x-msdownload',
        name: 'virus.exe',
      }),
      415,
      'document_type_not_accepted',
    );
    expectRefusal(
      await upload(camille, applicationId, Buffer.from('{"a":1}'), { type: 'application/json' }),
      415,
      'document_type_not_accepted',
    );
    expectRefusal(await upload(camille, applicationId, Buffer.alloc(0)), 400, 'document_empty');
    expectRefusal(
      await upload(camille, applicationId, PDF, { name: null }),
      400,
      'file_name_invalid',
    );
    expectRefusal(
      await upload(camille, applicationId, PDF, { headers: { 'x-file-name': '%E0%A4%A' } }),
      400,
      'file_name_invalid',
    );
    expectRefusal(
      await upload(camille, applicationId, PDF, { headers: { 'x-csrf-token': 'faux' } }),
      403,
      'csrf_token_invalid',
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('un nom de fichier avec un chemin ne garde que son dernier segment', async () => {
    const answer = await upload(camille, applicationId, PNG, {
      type: 'image/png',
      name: '../../etc/passwd.png',
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json).toMatchObject({ fileName: 'passwd.png', mediaType: 'image/png' });
  });

  it('l’instructeur voit la demande, l’évaluation expliquée, et télécharge le document tel quel', async () => {
    const list = (
      await instructeur.get(
        `/api/applications?organisationId=${people.organisations.departement}&status=submitted`,
      )
    ).json as {
      applications: { id: number; applicantName: string }[];
      total: number;
    };
    expect(list.applications.map((row) => row.id)).toContain(applicationId);
    const detail = (await instructeur.get(`/api/applications/${applicationId}`)).json as Detail;
    expect(detail.evaluation.eligible).toBe(true);
    expect(detail.documents).toHaveLength(2);
    const pdf = detail.documents[0] as Detail['documents'][0];
    const download = await fetch(
      `${server.baseUrl}/api/applications/${applicationId}/documents/${pdf.id}`,
      {
        headers: { cookie: instructeur.cookie ?? '' },
      },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Attestation CAF _t_ 2026.pdf"; filename\*=UTF-8''Attestation%20CAF%20%C3%A9t%C3%A9%202026.pdf$/,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    expectRefusal(
      await instructeur.get(`/api/applications/${applicationId}/documents/8999999999`),
      404,
      'resource_not_found',
    );
  });

  it('l’instructeur demande des informations : la demande attend, le demandeur est prévenu', async () => {
    const answer = await instructeur.post(
      `/api/applications/${applicationId}/request-information`,
      {
        message: 'Merci de joindre l’attestation de quotient familial de moins de trois mois.',
      },
    );
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as Detail).application.status).toBe('information_requested');
    const notices = await outbox(
      people.accounts.beneficiaire.personId,
      'application_information_requested',
    );
    expect(notices.map((notice) => notice.channel).sort()).toEqual(['email', 'in_app']);
    expect(notices[0]?.payload).toMatchObject({
      programmeName: 'Allocation de rentrée scolaire départementale',
    });
  });

  it('le demandeur répond : un texte en forme d’injection est gardé tel quel, et l’instruction reprend', async () => {
    const body =
      "Voici l'attestation'); drop table applications; -- <script>alert('x')</script> ${process.env}";
    const answer = await camille.post(`${path}/messages`, { body });
    expect(answer.status, answer.text).toBe(201);
    const detail = answer.json as Detail;
    expect(detail.application.status).toBe('submitted');
    expect(detail.messages.map((message) => [message.authorSide, message.body])).toEqual([
      [
        'instruction',
        'Merci de joindre l’attestation de quotient familial de moins de trois mois.',
      ],
      ['demandeur', body],
    ]);
    const stored = await pool.query(
      'select body from application_messages where author_side = $1',
      ['demandeur'],
    );
    expect(stored.rows.map((row) => row.body)).toContain(body);
    expectRefusal(
      await camille.post(`${path}/messages`, { body: '   ' }),
      400,
      'validation_failed',
    );
    expectRefusal(
      await camille.post(`${path}/messages`, { body: 'x'.repeat(4_001) }),
      400,
      'validation_failed',
    );
  });

  it('le montant accordé ne dépasse jamais l’évaluation, et un refus n’a pas de montant', async () => {
    const decide = (body: Record<string, unknown>) =>
      instructeur.post(`/api/applications/${applicationId}/decide`, body);
    expectRefusal(
      await decide({ decision: 'accepted', reason: 'Dossier complet.', amountCents: 200_01 }),
      422,
      'decision_amount_invalid',
    );
    expectRefusal(
      await decide({ decision: 'accepted', reason: 'Dossier complet.', amountCents: 0 }),
      400,
      'validation_failed',
    );
    expectRefusal(
      await decide({ decision: 'refused', reason: 'Non.', amountCents: 100 }),
      422,
      'decision_amount_invalid',
    );
    expectRefusal(await decide({ decision: 'accepted', reason: '' }), 400, 'validation_failed');
    expectRefusal(
      await decide({ decision: 'peut-être', reason: 'Hmm.' }),
      400,
      'validation_failed',
    );
  });

  it('l’acceptation crédite l’attribution depuis la réserve et prévient le demandeur, motif compris', async () => {
    const answer = await instructeur.post(`/api/applications/${applicationId}/decide`, {
      decision: 'accepted',
      reason: 'Attestation reçue, deux enfants scolarisés.',
    });
    expect(answer.status, answer.text).toBe(200);
    const detail = answer.json as Detail & { attribution: { id: number; status: string } };
    expect(detail.attribution.status).toBe('credited');
    expect(detail.application.decision).toMatchObject({
      decision: 'accepted',
      amountCents: 200_00,
      attributionId: detail.attribution.id,
      attributionStatus: 'credited',
    });
    const attribution = await pool.query(
      'select status, amount_cents::int as amount, application_id, beneficiary_id, rule_version from attributions where id = $1',
      [detail.attribution.id],
    );
    expect(attribution.rows[0]).toMatchObject({
      status: 'credited',
      amount: 200_00,
      application_id: applicationId,
      beneficiary_id: detail.application.beneficiaryId,
      rule_version: 1,
    });
    const notices = await outbox(people.accounts.beneficiaire.personId, 'application_decided');
    expect(notices[0]?.payload).toMatchObject({
      decision: 'accepted',
      amountCents: 200_00,
      reason: 'Attestation reçue, deux enfants scolarisés.',
    });
    expect((await server.application.ledger.verify()).violations).toEqual([]);
  });

  it('le demandeur voit la décision, son motif, l’explication et l’historique', async () => {
    const detail = (await camille.get(path)).json as Detail;
    expect(detail.application.status).toBe('accepted');
    expect(detail.application.decision?.reason).toBe('Attestation reçue, deux enfants scolarisés.');
    expect(detail.evaluation.sentences.length).toBeGreaterThan(2);
    expect(detail.history.map((event) => event.toStatus)).toEqual([
      'submitted',
      'information_requested',
      'submitted',
      'accepted',
    ]);
    expect(detail.history.at(-1)).toMatchObject({
      personName: 'Inès Instructrice',
      reason: 'Attestation reçue, deux enfants scolarisés.',
    });
    expect(await journalActions(applicationId)).toEqual([
      'application.submit',
      'application.document_add',
      'application.document_add',
      'application.request_information',
      'application.message',
      'application.accept',
    ]);
  });

  it('une demande décidée ne change plus', async () => {
    const before = await tableCounts();
    expectRefusal(
      await instructeur.post(`/api/applications/${applicationId}/decide`, {
        decision: 'refused',
        reason: 'Finalement non.',
      }),
      409,
      'application_closed',
    );
    expectRefusal(
      await instructeur.post(`/api/applications/${applicationId}/request-information`, {
        message: 'Encore ?',
      }),
      409,
      'application_closed',
    );
    expectRefusal(
      await camille.post(`${path}/messages`, { body: 'Merci !' }),
      409,
      'application_closed',
    );
    expectRefusal(await camille.post(`${path}/withdraw`), 409, 'application_closed');
    expectRefusal(await upload(camille, applicationId, PDF), 409, 'application_closed');
    expect(await tableCounts()).toEqual(before);
  });
});

describe('les limites et les autres issues', () => {
  it('une nouvelle demande acceptée alors qu’une aide du dispositif est en cours n’attribue rien', async () => {
    const programmeId = programmeIds['allocation-rentree-scolaire'] as number;
    const again = await apply(camille, programmeId, BACK_TO_SCHOOL_ANSWERS);
    expect(again.status, again.text).toBe(201);
    const applicationId = (again.json as Detail).application.id;
    const before = await tableCounts();
    const decide = (body: Record<string, unknown>) =>
      instructeur.post(`/api/applications/${applicationId}/decide`, body);
    expectRefusal(
      await decide({ decision: 'accepted', reason: 'Doublon ?' }),
      409,
      'already_attributed',
    );
    expect(await tableCounts()).toEqual(before);
    const refused = await decide({ decision: 'refused', reason: 'Aide déjà versée cette année.' });
    expect(refused.status, refused.text).toBe(200);
  });

  it('des dépôts simultanés d’une même personne : une seule demande, une seule fiche', async () => {
    const { client, personId } = await newApplicant('simultane');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        apply(
          client,
          programmeIds['allocation-rentree-scolaire'] as number,
          BACK_TO_SCHOOL_ANSWERS,
        ),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const records = await pool.query(
      'select count(*)::int as count from beneficiaries where person_id = $1',
      [personId],
    );
    expect(records.rows[0]?.count).toBe(1);
  });

  it('dix documents au plus par demande', async () => {
    const { client } = await newApplicant('dix-documents');
    const created = (
      await apply(client, programmeIds['allocation-rentree-scolaire'] as number, {
        ...BACK_TO_SCHOOL_ANSWERS,
        familyName: 'Dix',
      })
    ).json as Detail;
    for (let index = 0; index < 10; index += 1) {
      const answer = await upload(client, created.application.id, PNG, {
        type: 'image/png',
        name: `page-${index}.png`,
      });
      expect(answer.status, answer.text).toBe(201);
    }
    expectRefusal(
      await upload(client, created.application.id, PNG, { type: 'image/png' }),
      409,
      'document_limit_reached',
    );
  });

  it('une évaluation non éligible se refuse avec un motif ; accepter exige alors un montant', async () => {
    const { client, personId } = await newApplicant('non-eligible');
    const created = (
      await apply(client, programmeIds['allocation-rentree-scolaire'] as number, {
        ...BACK_TO_SCHOOL_ANSWERS,
        householdQuotientEuros: 1_500,
      })
    ).json as Detail;
    expect(created.evaluation).toMatchObject({ eligible: false, amountCents: 0 });
    const decide = (body: Record<string, unknown>) =>
      instructeur.post(`/api/applications/${created.application.id}/decide`, body);
    expectRefusal(
      await decide({ decision: 'accepted', reason: 'Situation particulière.' }),
      422,
      'decision_amount_missing',
    );
    expectRefusal(
      await decide({
        decision: 'accepted',
        reason: 'Situation particulière.',
        amountCents: 10_000_001,
      }),
      422,
      'decision_amount_invalid',
    );
    const refused = await decide({
      decision: 'refused',
      reason: 'Quotient familial au-dessus de 1 000 €.',
    });
    expect(refused.status, refused.text).toBe(200);
    expect((refused.json as Detail & { attribution: unknown }).attribution).toBeNull();
    expect((await outbox(personId, 'application_decided'))[0]?.payload).toMatchObject({
      decision: 'refused',
      amountCents: null,
      reason: 'Quotient familial au-dessus de 1 000 €.',
    });
    const attributions = await pool.query(
      'select count(*)::int as count from attributions where application_id = $1',
      [created.application.id],
    );
    expect(attributions.rows[0]?.count).toBe(0);
  });

  it('accepter une évaluation non éligible, avec un montant explicite, est la décision de l’instructeur', async () => {
    const { client } = await newApplicant('cas-particulier');
    const created = (
      await apply(client, programmeIds['allocation-rentree-scolaire'] as number, {
        ...BACK_TO_SCHOOL_ANSWERS,
        dependentChildren: 0,
      })
    ).json as Detail;
    expect(created.evaluation.eligible).toBe(false);
    const answer = await instructeur.post(`/api/applications/${created.application.id}/decide`, {
      decision: 'accepted',
      reason: 'Enfant accueilli en urgence, pas encore déclaré.',
      amountCents: 150_00,
    });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as Detail).application.decision).toMatchObject({
      amountCents: 150_00,
      attributionStatus: 'credited',
    });
  });

  it('le demandeur peut retirer sa demande, puis en déposer une nouvelle', async () => {
    const { client } = await newApplicant('retrait');
    const created = (
      await apply(
        client,
        programmeIds['allocation-rentree-scolaire'] as number,
        BACK_TO_SCHOOL_ANSWERS,
      )
    ).json as Detail;
    const withdrawn = await client.post(`/api/me/applications/${created.application.id}/withdraw`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect((withdrawn.json as Detail).application.status).toBe('withdrawn');
    const again = await apply(
      client,
      programmeIds['allocation-rentree-scolaire'] as number,
      BACK_TO_SCHOOL_ANSWERS,
    );
    expect(again.status, again.text).toBe(201);
    expect((again.json as Detail).application.beneficiaryId).toBe(
      created.application.beneficiaryId,
    );
  });

  it('les réponses aux attributs propres au dispositif sont vérifiées et restituées', async () => {
    const { client } = await newApplicant('senior');
    const programmeId = programmeIds['adaptation-logement-seniors'] as number;
    const answers = {
      familyName: 'Leroy',
      givenNames: 'Jeanne',
      birthDate: '1950-03-02',
      communeCode: '33063',
      householdQuotientEuros: 850,
      declaredExpenseCents: 840_000,
      'custom.perte_autonomie': false,
      'custom.occupation': 'propriétaire occupant',
    };
    expectRefusal(
      await apply(client, programmeId, { ...answers, 'custom.occupation': 'châtelain' }),
      422,
      'answers_invalid',
    );
    const created = await apply(client, programmeId, answers);
    expect(created.status, created.text).toBe(201);
    const detail = created.json as Detail;
    expect(detail.evaluation).toMatchObject({ eligible: true, amountCents: 5_880_00 });
    expect(detail.application.answers.map((row) => row.text)).toEqual([
      'Leroy',
      'Jeanne',
      '2 mars 1950',
      'Bordeaux (33063)',
      '850',
      '8\u202f400,00\u00a0€',
      'non',
      'propriétaire occupant',
    ]);
  });
});

describe('un aidant sous mandat', () => {
  it('dépose pour la personne aidée avec le mandat « demander_aide », et seulement avec lui', async () => {
    const grant = (scopes: string[]) =>
      camille.post('/api/identity/mandates', {
        aidantEmail: people.accounts.aidant.email,
        scopes,
        duration: '1_mois',
        consent: true,
      });
    const consult = (await grant(['consulter_soldes'])).json as { id: number };
    const forCamille = { 'x-flechage-au-nom-de': String(people.accounts.beneficiaire.personId) };
    const answers = {
      familyName: 'Martin',
      givenNames: 'Camille',
      birthDate: '1988-04-02',
      communeCode: '69123',
      householdQuotientEuros: 430,
      dependentChildren: 1,
      statuses: ['beneficiaire_rsa'],
    };
    const programmeId = programmeIds['aide-urgence-communale'] as number;
    expectRefusal(
      await apply(aidant, programmeId, answers, forCamille),
      403,
      'mandate_scope_missing',
    );
    expect((await aidant.get('/api/me/applications', { headers: forCamille })).status).toBe(200);
    await camille.post(`/api/identity/mandates/${consult.id}/revoke`);
    expect((await grant(['demander_aide'])).status).toBe(201);
    const created = await apply(aidant, programmeId, answers, forCamille);
    expect(created.status, created.text).toBe(201);
    const detail = created.json as Detail;
    expect(detail.application).toMatchObject({
      applicantName: 'Camille Martin',
      submittedByName: 'Amina Aidante',
    });
    expect(detail.evaluation).toMatchObject({ eligible: true, amountCents: 200_00 });
    const stored = await pool.query(
      'select applicant_person_id, submitted_by_person_id from applications where id = $1',
      [detail.application.id],
    );
    expect(stored.rows[0]).toEqual({
      applicant_person_id: people.accounts.beneficiaire.personId,
      submitted_by_person_id: people.accounts.aidant.personId,
    });
    const journal = await pool.query(
      `select actor_person_id, on_behalf_of_person_id from audit_journal where action = 'application.submit' and target_id = $1`,
      [String(detail.application.id)],
    );
    expect(journal.rows[0]).toEqual({
      actor_person_id: people.accounts.aidant.personId,
      on_behalf_of_person_id: people.accounts.beneficiaire.personId,
    });
    const pdf = await upload(aidant, detail.application.id, PDF, { headers: forCamille });
    expect(pdf.status, pdf.text).toBe(201);
    // Camille sees what was done in her name; the aidant alone sees nothing of his own.
    expect(
      (
        (await camille.get('/api/me/applications')).json as { applications: { id: number }[] }
      ).applications.map((row) => row.id),
    ).toContain(detail.application.id);
    expectRefusal(
      await aidant.get(`/api/me/applications/${detail.application.id}`),
      403,
      'action_not_allowed',
    );
  });
});

describe('l’isolement des financeurs', () => {
  let applicationA: number;
  let documentA: number;

  beforeAll(async () => {
    const { client } = await newApplicant('isolement');
    const created = (
      await apply(
        client,
        programmeIds['allocation-rentree-scolaire'] as number,
        BACK_TO_SCHOOL_ANSWERS,
      )
    ).json as Detail;
    applicationA = created.application.id;
    documentA = ((await upload(client, applicationA, PDF)).json as { id: number }).id;
  });

  it('l’instructeur d’un autre financeur ne voit pas la demande : 404 comme pour un id inexistant', async () => {
    const before = await tableCounts();
    const b = funderB.instructeur;
    for (const id of [applicationA, 8_999_999_999]) {
      expectRefusal(await b.get(`/api/applications/${id}`), 404, 'resource_not_found');
      expectRefusal(
        await b.get(`/api/applications/${id}/documents/${documentA}`),
        404,
        'resource_not_found',
      );
      expectRefusal(
        await b.post(`/api/applications/${id}/request-information`, { message: 'Bonjour' }),
        404,
        'resource_not_found',
      );
      expectRefusal(
        await b.post(`/api/applications/${id}/decide`, { decision: 'refused', reason: 'Non' }),
        404,
        'resource_not_found',
      );
    }
    const list = (await b.get('/api/applications')).json as {
      applications: unknown[];
      total: number;
    };
    expect(list).toEqual({ applications: [], total: 0 });
    expectRefusal(
      await b.get(`/api/applications?organisationId=${people.organisations.departement}`),
      404,
      'resource_not_found',
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('un demandeur ne voit pas la demande d’un autre', async () => {
    expectRefusal(
      await camille.get(`/api/me/applications/${applicationA}`),
      404,
      'resource_not_found',
    );
    expectRefusal(await upload(camille, applicationA, PDF), 404, 'resource_not_found');
    expectRefusal(
      await camille.post(`/api/me/applications/${applicationA}/withdraw`),
      404,
      'resource_not_found',
    );
    expectRefusal(
      await camille.get(`/api/applications/${applicationA}`),
      403,
      'action_not_allowed',
    );
  });
});

describe('la description OpenAPI', () => {
  it('décrit chaque route des demandes', async () => {
    const answer = await fetch(`${server.baseUrl}/api/openapi.json`);
    const document = (await answer.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(
      Object.keys(document.paths)
        .filter((path) => /applications|programmes-open|communes/.test(path))
        .sort(),
    ).toEqual([
      '/api/applications',
      '/api/applications/{applicationId}',
      '/api/applications/{applicationId}/decide',
      '/api/applications/{applicationId}/documents/{documentId}',
      '/api/applications/{applicationId}/request-information',
      '/api/me/applications',
      '/api/me/applications/{applicationId}',
      '/api/me/applications/{applicationId}/documents',
      '/api/me/applications/{applicationId}/messages',
      '/api/me/applications/{applicationId}/withdraw',
      '/api/me/communes',
      '/api/me/programmes-open',
    ]);
  });
});
