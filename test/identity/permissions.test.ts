import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFund } from '../../src/funds/service.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT, journaled } from '../../src/identity/journal.js';
import { accepted, createPerson, grantRole } from '../../src/identity/people.js';
import { ACTIONS, type Action } from '../../src/identity/permissions.js';
import { PERSON_ROLES, type MachineRole, type PersonRole } from '../../src/identity/roles.js';
import { loggedIn, SessionClient, SignedClient, type Answer } from '../support/identity-client.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer, TEST_OPERATOR_TOKEN, type TestServer } from '../support/server.js';

// Who may do what, on the real server: for every role, one real request per action, each
// allowed one answering its success and each refused one a French 403 with nothing written.
// The expected matrix is written here by hand, from what each role is for, and not read from
// ROLE_PERMISSIONS: a change of the table must change this specification too.

type ActorName =
  | PersonRole
  | 'terminal'
  | 'operateur'
  /** The demo aidant's double, acting for a beneficiary under a `demander_aide` mandate. */
  | 'aidant_sous_mandat';

const STAFF_READ = ['organisation.read', 'member.read'] as const;
// Every person may read and correct their own name and telephone number.
const OWN_PROFILE = ['profile.read', 'profile.update'] as const;
const AID_READ = ['beneficiary.read', 'campaign.read', 'attribution.read'] as const;

const EXPECTED_ALLOWED: Record<ActorName, readonly Action[]> = {
  // Runs the platform: organisations, their people and keys, the whole journal. Not the
  // ledger: money moves through the operator's scripts (and later the business flows), never
  // by hand from a browser session, whose transfers the audit journal does not record.
  administrateur_plateforme: [
    ...OWN_PROFILE,
    'organisation.create',
    // Reads every fund and programme; does not run a funder's money.
    'fund.read',
    'programme.read',
    ...STAFF_READ,
    'service.create',
    'member.manage',
    'api_key.read',
    'api_key.manage',
    'journal.read',
    // The local mail and SMS catcher of the embedded default: the platform's own tool.
    'message.read',
  ],
  // Runs a funder: its services and its team, its funds and programmes.
  gestionnaire: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'service.create',
    'member.manage',
    'fund.read',
    'fund.manage',
    'fund.contribute',
    'programme.read',
    'programme.manage',
    ...AID_READ,
    'beneficiary.manage',
    'campaign.manage',
    'campaign.approve',
    'attribution.manage',
    'application.instruct',
  ],
  // Handles files under the programmes: the beneficiaries, their applications, their aids.
  instructeur: [
    ...OWN_PROFILE,
    'organisation.read',
    'programme.read',
    ...AID_READ,
    'beneficiary.manage',
    'attribution.manage',
    'application.instruct',
  ],
  // Follows the money: reads funds and programmes, records what contributors pay in, approves
  // campaigns and sets when a second approval is needed.
  controleur_financier: [
    ...OWN_PROFILE,
    'organisation.read',
    'fund.read',
    'fund.contribute',
    'programme.read',
    ...AID_READ,
    'campaign.approve',
    'funder_settings.manage',
  ],
  // Reads everything of the funder, changes nothing.
  auditeur: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'journal.read',
    'fund.read',
    'programme.read',
    ...AID_READ,
  ],
  // Owns a merchant: its team and the keys of its tills.
  commercant_responsable: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'member.manage',
    'api_key.read',
    'api_key.manage',
  ],
  caissier: [...OWN_PROFILE, 'organisation.read'],
  // A person on their own: their profile, the mandates they give, their aids and applications.
  beneficiaire: [
    'mandate.grant',
    'mandate.read',
    'mandate.revoke',
    'profile.read',
    'profile.update',
    'own_aid.read',
    'own_aid.apply',
    'own_contact.update',
  ],
  // Reads the mandates received and may give them back; acts for others only under one.
  aidant: [...OWN_PROFILE, 'organisation.read', 'mandate.read', 'mandate.revoke'],
  // A till: payments come with the payments domain; nothing of the identity domain.
  terminal: [],
  // The platform's own scripts: creating organisations and the ledger.
  operateur: ['organisation.create', 'ledger.read', 'ledger.write'],
  // Under a mandate, only what its scopes open, whatever the aidant's own roles.
  aidant_sous_mandat: [
    'profile.read',
    'profile.update',
    'own_aid.read',
    'own_aid.apply',
    'own_contact.update',
  ],
};

const ACTOR_NAMES = Object.keys(EXPECTED_ALLOWED) as ActorName[];

const REFUSALS = {
  action_not_allowed: 'Votre rôle ne permet pas cette action.',
  mandate_scope_missing: 'Votre mandat ne couvre pas cette action.',
  mandate_missing: 'Aucun mandat en cours ne vous permet d’agir pour cette personne.',
  authentication_required:
    'Authentification requise : connectez-vous, ou signez la requête avec une clé d’API.',
} as const;

/** What a probe needs to know of its caller: the organisation it acts in, and what fits there. */
type ProbeContext = {
  organisationId: number;
  /** The funder a service is created under: the caller's own, else the département. */
  funderId: number;
  invitableRole: PersonRole;
  machineRole: MachineRole;
  aidantEmail: string;
  ledgerAccountId: number;
  /** A fund of the département, for the probes that need one. */
  fundId: number;
  serial: number;
};

type Probe = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (context: ProbeContext) => string;
  body?: (context: ProbeContext) => unknown;
  /** The allowed answer, and its code when it is not a success. */
  success: number;
  code?: string;
};

const MISSING_MANDATE_ID = 987_654_321;

/** One request per action, needing exactly that action (checked against the declared routes). */
const PROBES: Record<Action, Probe> = {
  'organisation.create': {
    method: 'POST',
    path: () => '/api/identity/organisations',
    body: (context) => ({ kind: 'association', name: `Association sondée ${context.serial}` }),
    success: 201,
  },
  'organisation.read': { method: 'GET', path: () => '/api/identity/organisations', success: 200 },
  'service.create': {
    method: 'POST',
    path: (context) => `/api/identity/organisations/${context.funderId}/services`,
    body: (context) => ({ name: `Service sondé ${context.serial}` }),
    success: 201,
  },
  'member.read': {
    method: 'GET',
    path: (context) => `/api/identity/organisations/${context.organisationId}/members`,
    success: 200,
  },
  'member.manage': {
    method: 'POST',
    path: (context) => `/api/identity/organisations/${context.organisationId}/invitations`,
    body: (context) => ({
      email: `sonde-${context.serial}@exemple.fr`,
      role: context.invitableRole,
    }),
    success: 201,
  },
  'api_key.read': {
    method: 'GET',
    path: (context) => `/api/identity/organisations/${context.organisationId}/api-keys`,
    success: 200,
  },
  'api_key.manage': {
    method: 'POST',
    path: (context) => `/api/identity/organisations/${context.organisationId}/api-keys`,
    body: (context) => ({ label: `Clé sondée ${context.serial}`, role: context.machineRole }),
    success: 201,
  },
  'journal.read': { method: 'GET', path: () => '/api/identity/journal', success: 200 },
  'mandate.grant': {
    method: 'POST',
    path: () => '/api/identity/mandates',
    body: (context) => ({
      aidantEmail: context.aidantEmail,
      scopes: ['consulter_soldes'],
      duration: '1_jour',
      consent: true,
    }),
    success: 201,
  },
  'mandate.read': { method: 'GET', path: () => '/api/identity/mandates', success: 200 },
  // Revoking a mandate that does not exist: allowed to try, and told it is not there.
  'mandate.revoke': {
    method: 'POST',
    path: () => `/api/identity/mandates/${MISSING_MANDATE_ID}/revoke`,
    success: 404,
    code: 'resource_not_found',
  },
  'profile.read': { method: 'GET', path: () => '/api/identity/profile', success: 200 },
  'profile.update': {
    method: 'PATCH',
    path: () => '/api/identity/profile',
    body: (context) => ({ phone: `06 00 00 ${String(context.serial).padStart(2, '0')} 00` }),
    success: 200,
  },
  'fund.read': { method: 'GET', path: () => '/api/funds', success: 200 },
  'fund.manage': {
    method: 'POST',
    path: () => '/api/funds',
    body: (context) => ({
      organisationId: context.organisationId,
      name: `Fonds sondé ${context.serial}`,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      contributors: [{ organisationId: context.funderId, committedCents: 100_00 }],
      axes: [{ name: 'Axe', budgetCents: 100_00 }],
    }),
    success: 201,
  },
  // Paying in for a contributor the fund does not have: allowed to try, and told why not.
  'fund.contribute': {
    method: 'POST',
    path: (context) => `/api/funds/${context.fundId}/contributions`,
    body: (context) => ({
      contributorId: MISSING_MANDATE_ID,
      amountCents: 1,
      clientKey: `sonde-${context.serial}`,
    }),
    success: 422,
    code: 'contributor_not_found',
  },
  'programme.read': { method: 'GET', path: () => '/api/programmes', success: 200 },
  // A programme on an axis the fund does not have: allowed to try, and told why not.
  'programme.manage': {
    method: 'POST',
    path: () => '/api/programmes',
    body: (context) => ({
      fundId: context.fundId,
      axisId: MISSING_MANDATE_ID,
      name: `Dispositif sondé ${context.serial}`,
      description: '',
      templateId: 'pass-culture',
    }),
    success: 422,
    code: 'axis_not_in_fund',
  },
  'campaign.read': { method: 'GET', path: () => '/api/campaigns', success: 200 },
  // A campaign on a programme that does not exist: allowed to try, and told it is not there.
  'campaign.manage': {
    method: 'POST',
    path: () => '/api/campaigns',
    body: () => ({
      programmeId: MISSING_MANDATE_ID,
      name: 'Campagne sondée',
      population: { kind: 'all' },
    }),
    success: 404,
    code: 'resource_not_found',
  },
  'campaign.approve': {
    method: 'POST',
    path: () => `/api/campaigns/${MISSING_MANDATE_ID}/approve`,
    success: 404,
    code: 'resource_not_found',
  },
  'funder_settings.manage': {
    method: 'PUT',
    path: (context) => `/api/organisations/${context.organisationId}/funder-settings`,
    body: () => ({ fourEyesThresholdCents: 5_000_000 }),
    success: 200,
  },
  'attribution.read': {
    method: 'GET',
    path: () => `/api/attributions/${MISSING_MANDATE_ID}`,
    success: 404,
    code: 'resource_not_found',
  },
  'attribution.manage': {
    method: 'POST',
    path: () => `/api/attributions/${MISSING_MANDATE_ID}/suspend`,
    body: () => ({ reason: 'Sonde des permissions' }),
    success: 404,
    code: 'resource_not_found',
  },
  'own_aid.read': { method: 'GET', path: () => '/api/me/wallet', success: 200 },
  'message.read': { method: 'GET', path: () => '/api/messages', success: 200 },
  // Applying to a programme that does not exist: allowed to try, and told it is not open.
  'own_aid.apply': {
    method: 'POST',
    path: () => '/api/me/applications',
    body: () => ({ programmeId: MISSING_MANDATE_ID, answers: {} }),
    success: 404,
    code: 'programme_not_open',
  },
  'application.instruct': { method: 'GET', path: () => '/api/applications', success: 200 },
  'beneficiary.read': { method: 'GET', path: () => '/api/beneficiaries', success: 200 },
  'beneficiary.manage': {
    method: 'GET',
    path: () => `/api/beneficiaries/${MISSING_MANDATE_ID}/export`,
    success: 404,
    code: 'resource_not_found',
  },
  'own_contact.update': {
    method: 'PATCH',
    path: () => `/api/me/beneficiary-records/${MISSING_MANDATE_ID}`,
    body: () => ({ phone: '0600000000' }),
    success: 404,
    code: 'resource_not_found',
  },
  'ledger.read': {
    method: 'GET',
    path: (context) => `/api/ledger/accounts/${context.ledgerAccountId}`,
    success: 200,
  },
  'ledger.write': {
    method: 'POST',
    path: () => '/api/ledger/accounts',
    body: (context) => ({
      accounts: [
        {
          kind: 'contributor',
          ownerType: 'sonde',
          ownerId: `sonde-${context.serial}`,
          currency: 'EUR',
          mayGoNegative: true,
        },
      ],
    }),
    success: 201,
  },
};

type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>;

type ActorContext = Omit<ProbeContext, 'serial'>;

type MatrixActor = {
  caller: Caller;
  context: ActorContext;
  refusal: 'action_not_allowed' | 'mandate_scope_missing';
};

const PASSWORD = 'mot-de-passe-des-sondes-2026';

let server: TestServer;
let pool: pg.Pool;
let people: DemoPeople;
let serial = 0;
const actors = new Map<ActorName, MatrixActor>();

function sessionCaller(client: SessionClient, headers: Record<string, string> = {}): Caller {
  return (method, path, body) => client.call(method, path, { body, headers });
}

function signedCaller(client: SignedClient): Caller {
  return (method, path, body) => client.call(method, path, body === undefined ? {} : { body });
}

/** A person with one role, created as the operator would at the command line. */
async function createAccount(
  email: string,
  displayName: string,
  role: PersonRole,
  organisationId: number | null,
): Promise<number> {
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const personId = accepted(
      await createPerson(client, journal, { email, displayName, password: PASSWORD }),
    );
    accepted(await grantRole(client, journal, { personId, organisationId, role }));
    return personId;
  });
}

/** Everything a refused request could have written; sessions and nonces aside. */
async function writtenState(): Promise<Record<string, unknown>> {
  const result = await pool.query(
    `select (select count(*) from audit_journal) as journal,
            (select count(*) from organisations) as organisations,
            (select count(*) from memberships where ended_at is null) as memberships,
            (select count(*) from invitations where cancelled_at is null) as invitations,
            (select count(*) from api_keys where revoked_at is null) as api_keys,
            (select count(*) from mandates where revoked_at is null) as mandates,
            (select count(*) from ledger_accounts) as ledger_accounts,
            (select count(*) from ledger_transfers) as ledger_transfers,
            (select md5(string_agg(concat_ws('|', id, display_name, phone), ',' order by id))
               from persons) as persons`,
  );
  return result.rows[0] as Record<string, unknown>;
}

function probeCall(actor: MatrixActor, action: Action): Promise<Answer> {
  serial += 1;
  const context = { ...actor.context, serial };
  const probe = PROBES[action];
  return actor.caller(probe.method, probe.path(context), probe.body?.(context));
}

async function openLedgerAccount(): Promise<number> {
  const operator = new SessionClient(server.baseUrl);
  const answer = await operator.post(
    '/api/ledger/accounts',
    {
      accounts: [
        {
          kind: 'contributor',
          ownerType: 'test',
          ownerId: 'matrice',
          currency: 'EUR',
          mayGoNegative: true,
        },
      ],
    },
    { headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` } },
  );
  expect(answer.status, answer.text).toBe(201);
  return (answer.json as { id: number }[])[0]?.id as number;
}

async function terminalOfLibrairie(owner: SessionClient): Promise<SignedClient> {
  const answer = await owner.post(
    `/api/identity/organisations/${people.organisations.librairie}/api-keys`,
    { label: 'Caisse de la matrice', role: 'terminal' },
  );
  expect(answer.status, answer.text).toBe(201);
  const key = answer.json as { keyId: string; secret: string };
  return new SignedClient(server.baseUrl, { keyId: key.keyId, secret: key.secret });
}

/** A beneficiary and an aidant of their own, the first giving the second `demander_aide`. */
async function aidantUnderMandate(): Promise<Caller> {
  const beneficiaryId = await createAccount(
    'beatrice.mandante@exemple.fr',
    'Béatrice Mandante',
    'beneficiaire',
    null,
  );
  await createAccount('armand.mandataire@exemple.fr', 'Armand Mandataire', 'aidant', null);
  const beneficiary = await loggedIn(server.baseUrl, 'beatrice.mandante@exemple.fr', PASSWORD);
  const granted = await beneficiary.post('/api/identity/mandates', {
    aidantEmail: 'armand.mandataire@exemple.fr',
    scopes: ['demander_aide'],
    duration: '1_jour',
    consent: true,
  });
  expect(granted.status, granted.text).toBe(201);
  const aidant = await loggedIn(server.baseUrl, 'armand.mandataire@exemple.fr', PASSWORD);
  return sessionCaller(aidant, { 'x-flechage-au-nom-de': String(beneficiaryId) });
}

async function setUpActors(): Promise<void> {
  const { organisations, accounts } = people;
  const ledgerAccountId = await openLedgerAccount();
  const fund = await journaled(pool, OPERATOR_JOURNAL_CONTEXT, (client, journal) =>
    createFund(
      client,
      journal,
      { organisationId: organisations.departement },
      {
        name: 'Fonds sondé',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        contributors: [{ organisationId: organisations.departement, committedCents: 100 }],
        axes: [{ name: 'Axe', budgetCents: 100 }],
      },
    ),
  );
  const base = { aidantEmail: accounts.aidant.email, ledgerAccountId, fundId: fund.id };
  const departement: ActorContext = {
    ...base,
    organisationId: organisations.departement,
    funderId: organisations.departement,
    invitableRole: 'instructeur',
    machineRole: 'terminal',
  };
  const librairie: ActorContext = {
    ...departement,
    organisationId: organisations.librairie,
    invitableRole: 'caissier',
  };
  const operateur: ActorContext = {
    ...departement,
    organisationId: organisations.operateur,
    invitableRole: 'administrateur_plateforme',
    machineRole: 'processeur_paiement',
  };
  const login = async (name: keyof DemoPeople['accounts']) =>
    loggedIn(server.baseUrl, accounts[name].email, people.password);
  const person = async (
    name: keyof DemoPeople['accounts'],
    context: ActorContext = departement,
  ) => ({
    caller: sessionCaller(await login(name)),
    context,
    refusal: 'action_not_allowed' as const,
  });
  const owner = await login('commercant');
  actors.set('administrateur_plateforme', await person('admin', operateur));
  actors.set('gestionnaire', await person('gestionnaire'));
  actors.set('instructeur', await person('instructeur'));
  actors.set('controleur_financier', await person('controleur'));
  actors.set('auditeur', await person('auditeur'));
  actors.set('commercant_responsable', {
    caller: sessionCaller(owner),
    context: librairie,
    refusal: 'action_not_allowed',
  });
  actors.set('caissier', await person('caissier', librairie));
  actors.set('beneficiaire', await person('beneficiaire'));
  actors.set('aidant', await person('aidant'));
  actors.set('terminal', {
    caller: signedCaller(await terminalOfLibrairie(owner)),
    context: librairie,
    refusal: 'action_not_allowed',
  });
  actors.set('operateur', {
    caller: sessionCaller(new SessionClient(server.baseUrl), {
      authorization: `Bearer ${TEST_OPERATOR_TOKEN}`,
    }),
    context: departement,
    refusal: 'action_not_allowed',
  });
  actors.set('aidant_sous_mandat', {
    caller: await aidantUnderMandate(),
    context: departement,
    refusal: 'mandate_scope_missing',
  });
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  pool = server.database.pool;
  people = await seedPeople(pool);
  await setUpActors();
});

afterAll(async () => {
  await server?.close();
});

function routePattern(url: string): RegExp {
  return new RegExp(`^${url.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

describe('permissions : chaque route déclare une action de la table', () => {
  it('toutes les routes déclarent une action connue, public ou authenticated', () => {
    const known = new Set<string>([...ACTIONS, 'public', 'authenticated']);
    const unknown = server.application.server
      .declaredRoutes()
      .filter((route) => !known.has(route.permission))
      .map((route) => `${route.method} ${route.url} → ${String(route.permission)}`);
    expect(unknown).toEqual([]);
  });

  it('aucune action de la table n’est morte : chacune ouvre au moins une route', () => {
    const used = new Set(
      server.application.server.declaredRoutes().map((route) => route.permission),
    );
    expect(ACTIONS.filter((action) => !used.has(action))).toEqual([]);
  });

  it('la matrice attendue couvre chaque rôle de personne, le terminal et l’opérateur', () => {
    expect(ACTOR_NAMES).toEqual(expect.arrayContaining([...PERSON_ROLES, 'terminal', 'operateur']));
    for (const allowed of Object.values(EXPECTED_ALLOWED)) {
      for (const action of allowed) expect(ACTIONS).toContain(action);
    }
  });

  it.each(ACTIONS.map((action) => [action]))(
    'la sonde de %s vise une route qui exige exactement cette action',
    (action) => {
      const probe = PROBES[action];
      const path = probe.path({
        organisationId: 1,
        funderId: 1,
        invitableRole: 'instructeur',
        machineRole: 'terminal',
        aidantEmail: 'a@exemple.fr',
        ledgerAccountId: 1,
        fundId: 1,
        serial: 0,
      });
      const routes = server.application.server
        .declaredRoutes()
        .filter((route) => route.method === probe.method && routePattern(route.url).test(path));
      expect(routes.map((route) => route.permission)).toEqual([action]);
    },
  );

  it('sans session ni signature, toute route non publique répond 401 authentication_required', async () => {
    const protectedRoutes = server.application.server
      .declaredRoutes()
      .filter((route) => route.permission !== 'public');
    expect(protectedRoutes.length).toBeGreaterThan(20);
    const before = await writtenState();
    for (const route of protectedRoutes) {
      const path = route.url.replace(/:[A-Za-z]+/g, '1');
      const response = await fetch(new URL(path, server.baseUrl), { method: route.method });
      const where = `${route.method} ${route.url}`;
      expect(response.status, where).toBe(401);
      if (route.method === 'HEAD') continue;
      expect(await response.json(), where).toEqual({
        code: 'authentication_required',
        message: REFUSALS.authentication_required,
      });
    }
    expect(await writtenState()).toEqual(before);
  });
});

describe.each(ACTOR_NAMES.map((name) => [name]))('permissions de %s', (name) => {
  const expected = EXPECTED_ALLOWED[name];
  it.each(ACTIONS.map((action) => [action, expected.includes(action) ? 'permis' : 'refusé']))(
    '%s : %s',
    async (action) => {
      const actor = actors.get(name) as MatrixActor;
      const probe = PROBES[action];
      const before = await writtenState();
      const answer = await probeCall(actor, action);
      if (expected.includes(action)) {
        expect(answer.status, answer.text).toBe(probe.success);
        if (probe.code !== undefined) expect(answer.json).toMatchObject({ code: probe.code });
        return;
      }
      expect(answer.status, answer.text).toBe(403);
      expect(answer.json).toMatchObject({
        code: actor.refusal,
        message: REFUSALS[actor.refusal],
        details: { action },
      });
      expect(await writtenState()).toEqual(before);
    },
  );
});

type Profile = { personId: number; email: string; displayName: string; phone: string | null };

describe('permissions : un aidant agit au nom d’un bénéficiaire, dans les limites du mandat', () => {
  let beneficiaryId: number;
  let otherBeneficiaryId: number;
  let beneficiary: SessionClient;
  let aidant: SessionClient;
  let aidantId: number;

  beforeAll(async () => {
    beneficiaryId = await createAccount(
      'berenice@exemple.fr',
      'Bérénice Dumas',
      'beneficiaire',
      null,
    );
    otherBeneficiaryId = await createAccount(
      'octave@exemple.fr',
      'Octave Lenoir',
      'beneficiaire',
      null,
    );
    aidantId = await createAccount('adele.aidante@exemple.fr', 'Adèle Aidante', 'aidant', null);
    beneficiary = await loggedIn(server.baseUrl, 'berenice@exemple.fr', PASSWORD);
    aidant = await loggedIn(server.baseUrl, 'adele.aidante@exemple.fr', PASSWORD);
  });

  const forBeneficiary = (id: number | string = beneficiaryId) => ({
    headers: { 'x-flechage-au-nom-de': String(id) },
  });

  async function grant(scopes: string[]): Promise<number> {
    const answer = await beneficiary.post('/api/identity/mandates', {
      aidantEmail: 'adele.aidante@exemple.fr',
      scopes,
      duration: '1_jour',
      consent: true,
    });
    expect(answer.status, answer.text).toBe(201);
    return (answer.json as { id: number }).id;
  }

  async function expectMandateMissing(answer: Answer): Promise<void> {
    expect(answer.status, answer.text).toBe(403);
    expect(answer.json).toMatchObject({
      code: 'mandate_missing',
      message: REFUSALS.mandate_missing,
    });
  }

  it('sans mandat, agir au nom de quelqu’un est refusé (mandate_missing), sans rien écrire', async () => {
    const before = await writtenState();
    await expectMandateMissing(await aidant.get('/api/identity/profile', forBeneficiary()));
    await expectMandateMissing(
      await aidant.patch('/api/identity/profile', { phone: '0611111111' }, forBeneficiary()),
    );
    await expectMandateMissing(await aidant.get('/api/identity/profile', forBeneficiary('abc')));
    expect(await writtenState()).toEqual(before);
  });

  it('avec consulter_soldes : lit le profil du bénéficiaire mais ne le modifie pas', async () => {
    await grant(['consulter_soldes']);
    const read = await aidant.get('/api/identity/profile', forBeneficiary());
    expect(read.status, read.text).toBe(200);
    expect(read.json).toMatchObject({
      personId: beneficiaryId,
      email: 'berenice@exemple.fr',
      displayName: 'Bérénice Dumas',
    });
    const before = await writtenState();
    const update = await aidant.patch(
      '/api/identity/profile',
      { displayName: 'Bérénice modifiée' },
      forBeneficiary(),
    );
    expect(update.status, update.text).toBe(403);
    expect(update.json).toMatchObject({
      code: 'mandate_scope_missing',
      message: REFUSALS.mandate_scope_missing,
      details: { action: 'profile.update' },
    });
    // Under a mandate, the aidant's own rights are set aside too.
    const ownMandates = await aidant.get('/api/identity/mandates', forBeneficiary());
    expect(ownMandates.status, ownMandates.text).toBe(403);
    expect(ownMandates.json).toMatchObject({ code: 'mandate_scope_missing' });
    expect(await writtenState()).toEqual(before);
  });

  it('le mandat ne vaut que pour qui l’a donné, et que pour l’aidant désigné', async () => {
    await expectMandateMissing(
      await aidant.get('/api/identity/profile', forBeneficiary(otherBeneficiaryId)),
    );
    await expectMandateMissing(await aidant.get('/api/identity/profile', forBeneficiary(aidantId)));
    const otherAidant = await loggedIn(
      server.baseUrl,
      people.accounts.aidant.email,
      people.password,
    );
    await expectMandateMissing(await otherAidant.get('/api/identity/profile', forBeneficiary()));
    // Without the header, the aidant reads their own profile, not the beneficiary's.
    const own = await aidant.get('/api/identity/profile');
    expect(own.status, own.text).toBe(200);
    expect(own.json).toMatchObject({ personId: aidantId });
  });

  it('avec demander_aide : modifie le profil, et le journal nomme l’aidant et le bénéficiaire', async () => {
    const mandates = await beneficiary.get('/api/identity/mandates');
    for (const mandate of (mandates.json as { given: { id: number }[] }).given) {
      expect((await beneficiary.post(`/api/identity/mandates/${mandate.id}/revoke`)).status).toBe(
        204,
      );
    }
    await grant(['demander_aide']);
    const update = await aidant.patch(
      '/api/identity/profile',
      { phone: '05 56 00 00 00' },
      forBeneficiary(),
    );
    expect(update.status, update.text).toBe(200);
    expect(update.json as Profile).toMatchObject({
      personId: beneficiaryId,
      phone: '05 56 00 00 00',
    });
    const own = (await beneficiary.get('/api/identity/profile')).json as Profile;
    expect(own.phone).toBe('05 56 00 00 00');

    const admin = await loggedIn(server.baseUrl, people.accounts.admin.email, people.password);
    const journal = await admin.get(
      `/api/identity/journal?action=profile.update&targetType=person&targetId=${beneficiaryId}`,
    );
    expect(journal.status, journal.text).toBe(200);
    const entries = (journal.json as { entries: Record<string, unknown>[] }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorType: 'personne',
      actorPersonId: aidantId,
      actorDisplayName: 'Adèle Aidante',
      onBehalfOfPersonId: beneficiaryId,
      onBehalfOfDisplayName: 'Bérénice Dumas',
    });
    const rows = await pool.query(
      `select actor_person_id, on_behalf_of_person_id from audit_journal
        where action = 'profile.update' and target_id = $1`,
      [String(beneficiaryId)],
    );
    expect(rows.rows).toEqual([
      { actor_person_id: aidantId, on_behalf_of_person_id: beneficiaryId },
    ]);
  });

  it('après révocation, l’aidant ne peut plus rien au nom du bénéficiaire', async () => {
    const mandates = await beneficiary.get('/api/identity/mandates');
    const live = (mandates.json as { given: { id: number; status: string }[] }).given.filter(
      (mandate) => mandate.status === 'actif',
    );
    expect(live).toHaveLength(1);
    const revoked = await beneficiary.post(`/api/identity/mandates/${live[0]?.id}/revoke`);
    expect(revoked.status, revoked.text).toBe(204);
    const before = await writtenState();
    await expectMandateMissing(await aidant.get('/api/identity/profile', forBeneficiary()));
    await expectMandateMissing(
      await aidant.patch('/api/identity/profile', { phone: '0622222222' }, forBeneficiary()),
    );
    expect(await writtenState()).toEqual(before);
  });
});
