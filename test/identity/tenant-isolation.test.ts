import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME_TEMPLATES } from '../../src/programmes/templates.js';
import type { DemoPeople } from '../../src/cli/demo-people.js';
import { OPERATOR_JOURNAL_CONTEXT, journaled } from '../../src/identity/journal.js';
import { accepted, createPerson, grantRole } from '../../src/identity/people.js';
import type { PersonRole } from '../../src/identity/roles.js';
import { registerOrganisation } from '../../src/identity/service.js';
import { loggedIn, SessionClient, SignedClient, type Answer } from '../support/identity-client.js';
import { seedPeople } from '../support/identity-fixture.js';
import { startTestServer, TEST_OPERATOR_TOKEN, type TestServer } from '../support/server.js';

// Cross-tenant tests: funder A (the demo département, its merchant the librairie) against
// funder B (a région with its service, staff, invitation, merchant, key, beneficiary and
// mandate). On every route that takes an id, A's people get for B's objects exactly the answer
// they get for an id that never existed: a 404 that reveals nothing, or the 403 of a role that
// may not do this anywhere. Nothing is written, and B's objects keep working.

const PASSWORD = 'mot-de-passe-du-financeur-b';
/** An id that no table of this database reaches. */
const GHOST = 8_999_999_999;
const NOT_FOUND = {
  code: 'resource_not_found',
  message: 'Introuvable : cet objet n’existe pas ou n’est pas dans votre périmètre.',
};
const NOT_ALLOWED_MESSAGE = 'Votre rôle ne permet pas cette action.';

/** Funder A's side: the département's staff, the librairie's owner and till, two persons. */
type TenantActor =
  'gestionnaire' | 'auditeur' | 'commercant' | 'terminal' | 'beneficiaire' | 'aidant';

type TenantB = {
  region: number;
  service: number;
  merchant: number;
  gestionnairePersonId: number;
  auditeurMembership: number;
  invitationId: number;
  invitationToken: string;
  apiKeyId: number;
  apiKey: { keyId: string; secret: string };
  beneficiaryPersonId: number;
  mandateId: number;
  sessionId: number;
  fund: number;
  programme: number;
  campaign: number;
  attribution: number;
  application: number;
  document: number;
  beneficiary: number;
  beneficiaryImport: number;
};

type Outcome = 403 | 404;

type CrossTenantCase = {
  /** The declared route, `METHOD url`. */
  route: string;
  label: string;
  /** B's object, reached from the caller's own organisation `own` where the route needs one. */
  path: (b: TenantB, own: number) => string;
  /** The same request on ids that never existed. */
  ghost: (own: number) => string;
  body?: unknown;
  /** 404: the role may do this somewhere, B's object is out of sight. 403: never, anywhere. */
  expected: { gestionnaire: Outcome; auditeur: Outcome } & Partial<Record<TenantActor, Outcome>>;
};

const ORGANISATION = '/api/identity/organisations/:organisationId';
const organisation = (id: number) => `/api/identity/organisations/${id}`;
const seenByOrganisationReaders = {
  gestionnaire: 404,
  auditeur: 404,
  commercant: 404,
  terminal: 403,
} as const;
const seenByMemberManagers = {
  gestionnaire: 404,
  auditeur: 403,
  commercant: 404,
  terminal: 403,
} as const;
const seenByKeyHolders = {
  gestionnaire: 403,
  auditeur: 403,
  commercant: 404,
  terminal: 403,
} as const;

// A fund's and a programme's readers and managers: the auditor reads but does not manage;
// merchants and tills have neither action.
const seenByFundReaders = {
  gestionnaire: 404,
  auditeur: 404,
  commercant: 403,
  terminal: 403,
} as const;
const seenByFundManagers = {
  gestionnaire: 404,
  auditeur: 403,
  commercant: 403,
  terminal: 403,
} as const;

const CASES: CrossTenantCase[] = [
  {
    route: `GET ${ORGANISATION}`,
    label: 'lire le financeur B',
    path: (b) => organisation(b.region),
    ghost: () => organisation(GHOST),
    expected: seenByOrganisationReaders,
  },
  {
    route: `GET ${ORGANISATION}`,
    label: 'lire un service de B',
    path: (b) => organisation(b.service),
    ghost: () => organisation(GHOST),
    expected: seenByOrganisationReaders,
  },
  {
    route: `GET ${ORGANISATION}`,
    label: 'lire le commerçant B',
    path: (b) => organisation(b.merchant),
    ghost: () => organisation(GHOST),
    expected: seenByOrganisationReaders,
  },
  {
    route: `GET ${ORGANISATION}/members`,
    label: 'lister les membres de B',
    path: (b) => `${organisation(b.region)}/members`,
    ghost: () => `${organisation(GHOST)}/members`,
    expected: seenByOrganisationReaders,
  },
  {
    route: `GET ${ORGANISATION}/members`,
    label: 'lister les membres du commerçant B',
    path: (b) => `${organisation(b.merchant)}/members`,
    ghost: () => `${organisation(GHOST)}/members`,
    expected: seenByOrganisationReaders,
  },
  {
    route: `DELETE ${ORGANISATION}/members/:membershipId`,
    label: 'retirer l’auditeur de B, chez B',
    path: (b) => `${organisation(b.region)}/members/${b.auditeurMembership}`,
    ghost: () => `${organisation(GHOST)}/members/${GHOST}`,
    expected: seenByMemberManagers,
  },
  {
    route: `DELETE ${ORGANISATION}/members/:membershipId`,
    label: 'retirer l’auditeur de B en passant par sa propre organisation',
    path: (b, own) => `${organisation(own)}/members/${b.auditeurMembership}`,
    ghost: (own) => `${organisation(own)}/members/${GHOST}`,
    expected: seenByMemberManagers,
  },
  {
    route: `GET ${ORGANISATION}/invitations`,
    label: 'lister les invitations de B',
    path: (b) => `${organisation(b.region)}/invitations`,
    ghost: () => `${organisation(GHOST)}/invitations`,
    // Reading the invitations is reading the team: auditors too.
    expected: seenByOrganisationReaders,
  },
  {
    route: `POST ${ORGANISATION}/invitations`,
    label: 'inviter quelqu’un chez B',
    path: (b) => `${organisation(b.region)}/invitations`,
    ghost: () => `${organisation(GHOST)}/invitations`,
    body: { email: 'intrus@exemple.fr', role: 'instructeur' },
    expected: seenByMemberManagers,
  },
  {
    route: `DELETE ${ORGANISATION}/invitations/:invitationId`,
    label: 'annuler l’invitation de B, chez B',
    path: (b) => `${organisation(b.region)}/invitations/${b.invitationId}`,
    ghost: () => `${organisation(GHOST)}/invitations/${GHOST}`,
    expected: seenByMemberManagers,
  },
  {
    route: `DELETE ${ORGANISATION}/invitations/:invitationId`,
    label: 'annuler l’invitation de B en passant par sa propre organisation',
    path: (b, own) => `${organisation(own)}/invitations/${b.invitationId}`,
    ghost: (own) => `${organisation(own)}/invitations/${GHOST}`,
    expected: seenByMemberManagers,
  },
  {
    route: `POST ${ORGANISATION}/services`,
    label: 'créer un service sous B',
    path: (b) => `${organisation(b.region)}/services`,
    ghost: () => `${organisation(GHOST)}/services`,
    body: { name: 'Service intrus' },
    expected: { gestionnaire: 404, auditeur: 403, commercant: 403, terminal: 403 },
  },
  {
    route: `GET ${ORGANISATION}/api-keys`,
    label: 'lister les clés du commerçant B',
    path: (b) => `${organisation(b.merchant)}/api-keys`,
    ghost: () => `${organisation(GHOST)}/api-keys`,
    expected: seenByKeyHolders,
  },
  {
    route: `POST ${ORGANISATION}/api-keys`,
    label: 'créer une clé chez le commerçant B',
    path: (b) => `${organisation(b.merchant)}/api-keys`,
    ghost: () => `${organisation(GHOST)}/api-keys`,
    body: { label: 'Clé intruse', role: 'terminal' },
    expected: seenByKeyHolders,
  },
  {
    route: `POST ${ORGANISATION}/api-keys/:apiKeyId/rotate`,
    label: 'renouveler la clé de B, chez B',
    path: (b) => `${organisation(b.merchant)}/api-keys/${b.apiKeyId}/rotate`,
    ghost: () => `${organisation(GHOST)}/api-keys/${GHOST}/rotate`,
    expected: seenByKeyHolders,
  },
  {
    route: `POST ${ORGANISATION}/api-keys/:apiKeyId/rotate`,
    label: 'renouveler la clé de B en passant par sa propre organisation',
    path: (b, own) => `${organisation(own)}/api-keys/${b.apiKeyId}/rotate`,
    ghost: (own) => `${organisation(own)}/api-keys/${GHOST}/rotate`,
    expected: seenByKeyHolders,
  },
  {
    route: `POST ${ORGANISATION}/api-keys/:apiKeyId/revoke`,
    label: 'révoquer la clé de B, chez B',
    path: (b) => `${organisation(b.merchant)}/api-keys/${b.apiKeyId}/revoke`,
    ghost: () => `${organisation(GHOST)}/api-keys/${GHOST}/revoke`,
    expected: seenByKeyHolders,
  },
  {
    route: `POST ${ORGANISATION}/api-keys/:apiKeyId/revoke`,
    label: 'révoquer la clé de B en passant par sa propre organisation',
    path: (b, own) => `${organisation(own)}/api-keys/${b.apiKeyId}/revoke`,
    ghost: (own) => `${organisation(own)}/api-keys/${GHOST}/revoke`,
    expected: seenByKeyHolders,
  },
  {
    route: 'POST /api/identity/mandates/:mandateId/revoke',
    label: 'révoquer le mandat d’un bénéficiaire de B',
    path: (b) => `/api/identity/mandates/${b.mandateId}/revoke`,
    ghost: () => `/api/identity/mandates/${GHOST}/revoke`,
    expected: {
      gestionnaire: 403,
      auditeur: 403,
      commercant: 403,
      terminal: 403,
      beneficiaire: 404,
      aidant: 404,
    },
  },
  {
    route: 'DELETE /api/identity/sessions/:sessionId',
    label: 'fermer la session du gestionnaire de B',
    path: (b) => `/api/identity/sessions/${b.sessionId}`,
    ghost: () => `/api/identity/sessions/${GHOST}`,
    expected: {
      gestionnaire: 404,
      auditeur: 404,
      commercant: 404,
      terminal: 403,
      beneficiaire: 404,
      aidant: 404,
    },
  },
  {
    route: 'GET /api/funds/:fundId',
    label: 'lire le fonds de B',
    path: (b) => `/api/funds/${b.fund}`,
    ghost: () => `/api/funds/${GHOST}`,
    expected: seenByFundReaders,
  },
  {
    route: 'POST /api/funds/:fundId/contributions',
    label: 'enregistrer un versement au fonds de B',
    path: (b) => `/api/funds/${b.fund}/contributions`,
    ghost: () => `/api/funds/${GHOST}/contributions`,
    body: { contributorId: 1, amountCents: 1, clientKey: 'intrus' },
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/funds/:fundId/allocations',
    label: 'affecter l’argent du fonds de B',
    path: (b) => `/api/funds/${b.fund}/allocations`,
    ghost: () => `/api/funds/${GHOST}/allocations`,
    body: { axisId: 1, amountCents: 1, clientKey: 'intrus' },
    expected: seenByFundManagers,
  },
  {
    route: 'GET /api/programmes/:programmeId',
    label: 'lire le dispositif de B',
    path: (b) => `/api/programmes/${b.programme}`,
    ghost: () => `/api/programmes/${GHOST}`,
    expected: seenByFundReaders,
  },
  {
    route: 'GET /api/programmes/:programmeId/versions/:version',
    label: 'lire les règles du dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/versions/1`,
    ghost: () => `/api/programmes/${GHOST}/versions/1`,
    expected: seenByFundReaders,
  },
  {
    route: 'POST /api/programmes/:programmeId/versions',
    label: 'réécrire les règles du dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/versions`,
    ghost: () => `/api/programmes/${GHOST}/versions`,
    body: { rules: { intrus: true } },
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/programmes/:programmeId/publish',
    label: 'publier une version du dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/publish`,
    ghost: () => `/api/programmes/${GHOST}/publish`,
    body: { version: 1 },
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/programmes/:programmeId/budget',
    label: 'réserver du budget pour le dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/budget`,
    ghost: () => `/api/programmes/${GHOST}/budget`,
    body: { amountCents: 1, clientKey: 'intrus' },
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/programmes/:programmeId/explain',
    label: 'faire expliquer une décision par le dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/explain`,
    ghost: () => `/api/programmes/${GHOST}/explain`,
    body: { referenceDate: '2026-09-01', facts: {} },
    expected: seenByFundReaders,
  },
  {
    route: 'POST /api/programmes/:programmeId/usage-check',
    label: 'vérifier un paiement avec le dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/usage-check`,
    ghost: () => `/api/programmes/${GHOST}/usage-check`,
    body: {
      envelope: {
        creditedAt: '2026-09-01T10:00:00+02:00',
        balanceCents: 100,
        spentTodayCents: 0,
        spentThisWeekCents: 0,
        spentThisMonthCents: 0,
        spentLifetimeCents: 0,
        spentByGroupCents: {},
      },
      payment: {
        amountCents: 10,
        at: '2026-09-02T10:00:00+02:00',
        merchant: {
          id: 'm1',
          mcc: '5942',
          naf: null,
          communeCode: null,
          latitude: null,
          longitude: null,
        },
      },
    },
    expected: seenByFundReaders,
  },
  {
    route: 'POST /api/programmes/:programmeId/simulations',
    label: 'simuler le dispositif de B',
    path: (b) => `/api/programmes/${b.programme}/simulations`,
    ghost: () => `/api/programmes/${GHOST}/simulations`,
    body: { version: 1, referenceDate: '2026-09-01', beneficiaries: [{ facts: {} }] },
    expected: seenByFundReaders,
  },
  // Not a path parameter, but an id all the same.
  {
    route: 'GET /api/identity/journal',
    label: 'chercher dans le journal de B',
    path: (b) => `/api/identity/journal?organisationId=${b.region}`,
    ghost: () => `/api/identity/journal?organisationId=${GHOST}`,
    expected: { gestionnaire: 403, auditeur: 404, commercant: 403, terminal: 403 },
  },
  {
    route: 'GET /api/campaigns/:campaignId',
    label: 'lire une campagne de B',
    path: (b) => `/api/campaigns/${b.campaign}`,
    ghost: () => `/api/campaigns/${GHOST}`,
    expected: seenByFundReaders,
  },
  {
    route: 'GET /api/campaigns/:campaignId/attributions',
    label: 'lister les attributions d’une campagne de B',
    path: (b) => `/api/campaigns/${b.campaign}/attributions`,
    ghost: () => `/api/campaigns/${GHOST}/attributions`,
    expected: seenByFundReaders,
  },
  {
    route: 'POST /api/campaigns/:campaignId/approve',
    label: 'approuver une campagne de B',
    path: (b) => `/api/campaigns/${b.campaign}/approve`,
    ghost: () => `/api/campaigns/${GHOST}/approve`,
    body: {},
    expected: { gestionnaire: 404, auditeur: 403, commercant: 403, terminal: 403 },
  },
  {
    route: 'POST /api/campaigns/:campaignId/cancel',
    label: 'annuler une campagne de B',
    path: (b) => `/api/campaigns/${b.campaign}/cancel`,
    ghost: () => `/api/campaigns/${GHOST}/cancel`,
    body: { reason: 'Tentative de A' },
    expected: seenByFundManagers,
  },
  {
    route: 'GET /api/attributions/:attributionId',
    label: 'lire une attribution de B',
    path: (b) => `/api/attributions/${b.attribution}`,
    ghost: () => `/api/attributions/${GHOST}`,
    expected: seenByFundReaders,
  },
  ...(['suspend', 'reinstate', 'revoke'] as const).map((change): CrossTenantCase => ({
    route: `POST /api/attributions/:attributionId/${change}`,
    label: `${change} une attribution de B`,
    path: (b) => `/api/attributions/${b.attribution}/${change}`,
    ghost: () => `/api/attributions/${GHOST}/${change}`,
    body: { reason: 'Tentative de A' },
    expected: seenByFundManagers,
  })),
  {
    route: 'POST /api/attributions/:attributionId/credit',
    label: 'créditer une attribution de B',
    path: (b) => `/api/attributions/${b.attribution}/credit`,
    ghost: () => `/api/attributions/${GHOST}/credit`,
    body: {},
    expected: seenByFundManagers,
  },
  {
    route: 'GET /api/organisations/:organisationId/funder-settings',
    label: 'lire le seuil de double approbation de B',
    path: (b) => `/api/organisations/${b.region}/funder-settings`,
    ghost: () => `/api/organisations/${GHOST}/funder-settings`,
    expected: seenByFundReaders,
  },
  {
    route: 'PUT /api/organisations/:organisationId/funder-settings',
    label: 'changer le seuil de double approbation de B',
    path: (b) => `/api/organisations/${b.region}/funder-settings`,
    ghost: () => `/api/organisations/${GHOST}/funder-settings`,
    body: { fourEyesThresholdCents: 0 },
    expected: { gestionnaire: 403, auditeur: 403, commercant: 403, terminal: 403 },
  },
  {
    route: 'GET /api/me/wallet/envelopes/:attributionId',
    label: 'lire l’enveloppe d’un bénéficiaire de B',
    path: (b) => `/api/me/wallet/envelopes/${b.attribution}`,
    ghost: () => `/api/me/wallet/envelopes/${GHOST}`,
    expected: { gestionnaire: 403, auditeur: 403, beneficiaire: 404, aidant: 403 },
  },
  ...(['GET ', 'POST /documents', 'POST /messages', 'POST /withdraw'] as const).map(
    (variant): CrossTenantCase => {
      const [method, suffix] = variant.split(' ') as [string, string];
      return {
        route: `${method} /api/me/applications/:applicationId${suffix}`,
        label: `${method} ${suffix || 'lecture'} sur la demande d’un bénéficiaire de B`,
        path: (b) => `/api/me/applications/${b.application}${suffix}`,
        ghost: () => `/api/me/applications/${GHOST}${suffix}`,
        ...(method === 'POST' ? { body: { body: 'Tentative de A' } } : {}),
        expected: { gestionnaire: 403, auditeur: 403, beneficiaire: 404, aidant: 403 },
      };
    },
  ),
  {
    route: 'GET /api/applications/:applicationId',
    label: 'instruire une demande faite chez B',
    path: (b) => `/api/applications/${b.application}`,
    ghost: () => `/api/applications/${GHOST}`,
    expected: seenByFundManagers,
  },
  {
    route: 'GET /api/applications/:applicationId/documents/:documentId',
    label: 'télécharger une pièce d’une demande faite chez B',
    path: (b) => `/api/applications/${b.application}/documents/${b.document}`,
    ghost: () => `/api/applications/${GHOST}/documents/${GHOST}`,
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/applications/:applicationId/request-information',
    label: 'demander des informations sur une demande faite chez B',
    path: (b) => `/api/applications/${b.application}/request-information`,
    ghost: () => `/api/applications/${GHOST}/request-information`,
    body: { message: 'Tentative de A' },
    expected: seenByFundManagers,
  },
  {
    route: 'POST /api/applications/:applicationId/decide',
    label: 'décider d’une demande faite chez B',
    path: (b) => `/api/applications/${b.application}/decide`,
    ghost: () => `/api/applications/${GHOST}/decide`,
    body: { decision: 'refused', reason: 'Tentative de A' },
    expected: seenByFundManagers,
  },
  ...(
    [
      ['GET', '', undefined, seenByFundReaders],
      ['PATCH', '', { phone: '0600000000' }, seenByFundManagers],
      ['GET', '/export', undefined, seenByFundManagers],
      ['POST', '/erase', { reason: 'Tentative de A' }, seenByFundManagers],
    ] as const
  ).map(([method, suffix, body, expected]): CrossTenantCase => ({
    route: `${method} /api/beneficiaries/:beneficiaryId${suffix}`,
    label: `${method} ${suffix || 'fiche'} d’un bénéficiaire de B`,
    path: (b) => `/api/beneficiaries/${b.beneficiary}${suffix}`,
    ghost: () => `/api/beneficiaries/${GHOST}${suffix}`,
    ...(body === undefined ? {} : { body }),
    expected,
  })),
  {
    route: 'PATCH /api/me/beneficiary-records/:beneficiaryId',
    label: 'corriger les coordonnées d’un bénéficiaire de B comme si c’étaient les siennes',
    path: (b) => `/api/me/beneficiary-records/${b.beneficiary}`,
    ghost: () => `/api/me/beneficiary-records/${GHOST}`,
    body: { phone: '0600000000' },
    expected: { gestionnaire: 403, auditeur: 403, beneficiaire: 404, aidant: 403 },
  },
  ...(
    [
      ['GET', '', undefined, seenByFundReaders],
      ['GET', '/problems', undefined, seenByFundReaders],
      ['POST', '/mapping', { mapping: { familyName: 0 }, kind: 'personne' }, seenByFundManagers],
      ['POST', '/confirm', {}, seenByFundManagers],
      ['POST', '/abandon', {}, seenByFundManagers],
    ] as const
  ).map(([method, suffix, body, expected]): CrossTenantCase => ({
    route: `${method} /api/beneficiaries/imports/:importId${suffix}`,
    label: `${method} ${suffix || 'lecture'} d’un import de B`,
    path: (b) => `/api/beneficiaries/imports/${b.beneficiaryImport}${suffix}`,
    ghost: () => `/api/beneficiaries/imports/${GHOST}${suffix}`,
    ...(body === undefined ? {} : { body }),
    expected,
  })),
];

/** Routes with an id that are not a funder's objects, each with why. */
const EXCLUDED: Record<string, string> = {
  'GET /api/identity/invitations/:token':
    'un jeton secret de 256 bits transmis à l’invité, pas un identifiant qu’on énumère',
  'HEAD /api/identity/invitations/:token': 'idem : jeton secret de l’invitation',
  'POST /api/identity/invitations/:token/accept': 'idem : jeton secret de l’invitation',
  'GET /api/identity/oidc/:providerId/start':
    'les fournisseurs d’identité viennent de la configuration, ils n’appartiennent à personne',
  'HEAD /api/identity/oidc/:providerId/start': 'idem : fournisseur d’identité',
  'GET /api/identity/oidc/:providerId/callback': 'idem : fournisseur d’identité',
  'HEAD /api/identity/oidc/:providerId/callback': 'idem : fournisseur d’identité',
  'GET /api/ledger/accounts/:accountId':
    'réservé à l’opérateur de la plateforme : 403 à toute personne de A, vérifié plus bas',
  'HEAD /api/ledger/accounts/:accountId': 'idem : registre réservé à l’opérateur',
  'GET /api/messages/:messageId':
    'collecteur local de la plateforme, lu par l’administrateur seul : 403 à toute personne de A',
  'HEAD /api/messages/:messageId': 'idem : collecteur local de la plateforme',
};

type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>;

let server: TestServer;
let pool: pg.Pool;
let people: DemoPeople;
let b: TenantB;
let ledgerAccountId: number;
const callers = new Map<TenantActor, Caller>();
const sessions = new Map<TenantActor, SessionClient>();
const ownOrganisation = new Map<TenantActor, number>();
let gestionnaireB: SessionClient;
let auditeurB: SessionClient;
let commercantB: SessionClient;
let beneficiaireB: SessionClient;

function sessionCaller(client: SessionClient): Caller {
  return (method, path, body) => client.call(method, path, { body });
}

/** A person with one role, created as the operator would at the command line. */
async function createAccount(
  email: string,
  role: PersonRole,
  organisationId: number | null,
): Promise<{ personId: number; membershipId: number }> {
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const personId = accepted(
      await createPerson(client, journal, {
        email,
        displayName: email.split('@')[0] ?? email,
        password: PASSWORD,
      }),
    );
    const membershipId = accepted(
      await grantRole(client, journal, { personId, organisationId, role }),
    );
    return { personId, membershipId };
  });
}

async function newOrganisation(kind: 'region' | 'commercant', name: string): Promise<number> {
  const created = await registerOrganisation(pool, OPERATOR_JOURNAL_CONTEXT, { kind, name });
  if (!created.created) throw new Error(created.refusal);
  return created.organisation.id;
}

/** Everything a refused request could have written; sessions and nonces aside. */
async function writtenState(): Promise<Record<string, unknown>> {
  const result = await pool.query(
    `select (select count(*) from audit_journal) as journal,
            (select count(*) from organisations) as organisations,
            (select count(*) from memberships where ended_at is null) as memberships,
            (select count(*) from invitations where cancelled_at is null) as invitations,
            (select count(*) from api_keys where revoked_at is null and expires_at is null) as api_keys,
            (select count(*) from mandates where revoked_at is null) as mandates,
            (select count(*) from sessions where revoked_at is null) as sessions`,
  );
  return result.rows[0] as Record<string, unknown>;
}

async function created<T>(answer: Promise<Answer>, status = 201): Promise<T> {
  const settled = await answer;
  expect(settled.status, settled.text).toBe(status);
  return settled.json as T;
}

async function setUpFunderB(): Promise<TenantB> {
  const region = await newOrganisation('region', 'Région Nouvelle-Aquitaine');
  const merchant = await newOrganisation('commercant', 'Épicerie de la région');
  const gestionnaire = await createAccount('gestionnaire@region.fr', 'gestionnaire', region);
  const auditeur = await createAccount('auditeur@region.fr', 'auditeur', region);
  await createAccount('commercant@region.fr', 'commercant_responsable', merchant);
  const beneficiary = await createAccount('beneficiaire@region.fr', 'beneficiaire', null);
  await createAccount('aidant@region.fr', 'aidant', null);
  gestionnaireB = await loggedIn(server.baseUrl, 'gestionnaire@region.fr', PASSWORD);
  auditeurB = await loggedIn(server.baseUrl, 'auditeur@region.fr', PASSWORD);
  commercantB = await loggedIn(server.baseUrl, 'commercant@region.fr', PASSWORD);
  beneficiaireB = await loggedIn(server.baseUrl, 'beneficiaire@region.fr', PASSWORD);
  const service = await created<{ id: number }>(
    gestionnaireB.post(`${organisation(region)}/services`, { name: 'Service des solidarités' }),
  );
  const invitation = await created<{ id: number; acceptUrl: string }>(
    gestionnaireB.post(`${organisation(region)}/invitations`, {
      email: 'recrue@region.fr',
      role: 'instructeur',
    }),
  );
  const key = await created<{ id: number; keyId: string; secret: string }>(
    commercantB.post(`${organisation(merchant)}/api-keys`, { label: 'Caisse B', role: 'terminal' }),
  );
  const mandate = await created<{ id: number }>(
    beneficiaireB.post('/api/identity/mandates', {
      aidantEmail: 'aidant@region.fr',
      scopes: ['consulter_soldes'],
      duration: '1_mois',
      consent: true,
    }),
  );
  const sessions = await created<{ id: number; current: boolean }[]>(
    gestionnaireB.get('/api/identity/sessions'),
    200,
  );
  const fund = await created<{ id: number; axes: { id: number }[] }>(
    gestionnaireB.post('/api/funds', {
      organisationId: region,
      name: 'Fonds régional',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      contributors: [{ organisationId: region, committedCents: 1_000_000_00 }],
      axes: [{ name: 'Mobilité', budgetCents: 1_000_000_00 }],
    }),
  );
  const programme = await created<{ id: number }>(
    gestionnaireB.post('/api/programmes', {
      fundId: fund.id,
      axisId: fund.axes[0]?.id,
      name: 'Aide au permis de B',
      description: 'Dispositif de la région B',
      templateId: PROGRAMME_TEMPLATES[0]?.id,
    }),
  );
  const aid = await setUpAidOfB(region, fund);
  return {
    ...aid,
    fund: fund.id,
    programme: programme.id,
    region,
    service: service.id,
    merchant,
    gestionnairePersonId: gestionnaire.personId,
    auditeurMembership: auditeur.membershipId,
    invitationId: invitation.id,
    invitationToken: invitation.acceptUrl.split('/').pop() as string,
    apiKeyId: key.id,
    apiKey: { keyId: key.keyId, secret: key.secret },
    beneficiaryPersonId: beneficiary.personId,
    mandateId: mandate.id,
    sessionId: sessions.find((session) => session.current)?.id as number,
  };
}

type AidOfB = Pick<
  TenantB,
  'campaign' | 'attribution' | 'application' | 'document' | 'beneficiary' | 'beneficiaryImport'
>;

/** A funded programme of B, one beneficiary of B, and the campaign that credited them. */
async function setUpAidOfB(
  region: number,
  fund: { id: number; axes: { id: number }[] },
): Promise<AidOfB> {
  const fundView = await created<{ contributors: { id: number }[] }>(
    gestionnaireB.get(`/api/funds/${fund.id}`),
    200,
  );
  await created(
    gestionnaireB.post(`/api/funds/${fund.id}/contributions`, {
      contributorId: fundView.contributors[0]?.id,
      amountCents: 1_000_00,
      clientKey: 'versement-b',
    }),
    200,
  );
  await created(
    gestionnaireB.post(`/api/funds/${fund.id}/allocations`, {
      axisId: fund.axes[0]?.id,
      amountCents: 1_000_00,
      clientKey: 'affectation-b',
    }),
    200,
  );
  const programme = await created<{ id: number }>(
    gestionnaireB.post('/api/programmes', {
      fundId: fund.id,
      axisId: fund.axes[0]?.id,
      name: 'Aide fixe de B',
      description: '',
      rules: {
        eligibility: { type: 'all', conditions: [] },
        amount: { type: 'fixed', amountCents: 10_00, rounding: 'down' },
        usage: {},
        stacking: { priority: 10 },
      },
    }),
  );
  await created(gestionnaireB.post(`/api/programmes/${programme.id}/publish`, { version: 1 }), 200);
  const application = await applicationOfB(programme.id);
  await created(
    gestionnaireB.post(`/api/programmes/${programme.id}/budget`, {
      amountCents: 100_00,
      clientKey: 'reserve-b',
    }),
    200,
  );
  const beneficiary = await pool.query<{ id: number }>(
    `insert into beneficiaries (organisation_id, kind, family_name, given_names, birth_date)
     values ($1, 'personne', 'Bénéficiaire', 'De B', '1990-05-05') returning id`,
    [region],
  );
  const beneficiaryImport = await importOfB(region);
  const campaign = await created<{ id: number }>(
    gestionnaireB.post('/api/campaigns', {
      programmeId: programme.id,
      name: 'Campagne de B',
      population: { kind: 'all' },
    }),
    202,
  );
  await waitForCampaign(campaign.id, 'simulated');
  await created(gestionnaireB.post(`/api/campaigns/${campaign.id}/approve`), 200);
  await waitForCampaign(campaign.id, 'completed');
  const page = await created<{ attributions: { id: number }[] }>(
    gestionnaireB.get(`/api/campaigns/${campaign.id}/attributions`),
    200,
  );
  return {
    campaign: campaign.id,
    attribution: page.attributions[0]?.id as number,
    ...application,
    beneficiary: beneficiary.rows[0]?.id as number,
    beneficiaryImport,
  };
}

/** A file of B uploaded and waiting for its columns. */
async function importOfB(region: number): Promise<number> {
  const upload = await fetch(
    `${server.baseUrl}/api/beneficiaries/imports?organisationId=${region}&fileName=b.csv`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        cookie: gestionnaireB.cookie ?? '',
        'x-csrf-token': gestionnaireB.csrfToken ?? '',
      },
      body: 'Nom;Prénom;Date de naissance\nDurand;Lou;05/05/1990\n',
    },
  );
  expect(upload.status, await upload.clone().text()).toBe(201);
  return ((await upload.json()) as { import: { id: number } }).import.id;
}

/** B's beneficiary applies to B's programme and attaches a PDF. */
async function applicationOfB(
  programmeId: number,
): Promise<{ application: number; document: number }> {
  const application = await created<{ application: { id: number } }>(
    beneficiaireB.post('/api/me/applications', {
      programmeId,
      answers: {
        familyName: 'Durand',
        givenNames: 'Lou',
        birthDate: '1990-05-05',
        communeCode: '33063',
      },
    }),
  );
  const upload = await fetch(
    `${server.baseUrl}/api/me/applications/${application.application.id}/documents`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/pdf',
        'x-file-name': 'justificatif.pdf',
        cookie: beneficiaireB.cookie ?? '',
        'x-csrf-token': beneficiaireB.csrfToken ?? '',
      },
      body: Buffer.from('%PDF-1.7\n%justificatif de B\n'),
    },
  );
  expect(upload.status, await upload.clone().text()).toBe(201);
  const document = (await upload.json()) as { id: number };
  return { application: application.application.id, document: document.id };
}

async function waitForCampaign(campaignId: number, status: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const answer = await gestionnaireB.get(`/api/campaigns/${campaignId}`);
    if ((answer.json as { status: string }).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`la campagne de B n’atteint pas le statut ${status}`);
}

async function setUpFunderA(): Promise<void> {
  const { accounts, organisations } = people;
  const login = (name: keyof DemoPeople['accounts']) =>
    loggedIn(server.baseUrl, accounts[name].email, people.password);
  const owner = await login('commercant');
  const key = await created<{ keyId: string; secret: string }>(
    owner.post(`${organisation(organisations.librairie)}/api-keys`, {
      label: 'Caisse A',
      role: 'terminal',
    }),
  );
  const terminal = new SignedClient(server.baseUrl, key);
  sessions.set('commercant', owner);
  for (const [actor, account] of [
    ['gestionnaire', 'gestionnaire'],
    ['auditeur', 'auditeur'],
    ['beneficiaire', 'beneficiaire'],
    ['aidant', 'aidant'],
  ] as const) {
    sessions.set(actor, await login(account));
  }
  for (const [actor, client] of sessions) callers.set(actor, sessionCaller(client));
  callers.set('terminal', (method, path, body) =>
    terminal.call(method, path, body === undefined ? {} : { body }),
  );
  for (const actor of ['gestionnaire', 'auditeur', 'beneficiaire', 'aidant'] as const) {
    ownOrganisation.set(actor, organisations.departement);
  }
  ownOrganisation.set('commercant', organisations.librairie);
  ownOrganisation.set('terminal', organisations.librairie);
}

async function openLedgerAccount(): Promise<number> {
  const operator = new SessionClient(server.baseUrl);
  const accounts = await created<{ id: number }[]>(
    operator.post(
      '/api/ledger/accounts',
      {
        accounts: [
          {
            kind: 'contributor',
            ownerType: 'region',
            ownerId: 'b',
            currency: 'EUR',
            mayGoNegative: true,
          },
        ],
      },
      { headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` } },
    ),
  );
  return accounts[0]?.id as number;
}

beforeAll(async () => {
  server = await startTestServer({ web: false });
  pool = server.database.pool;
  people = await seedPeople(pool);
  b = await setUpFunderB();
  await setUpFunderA();
  ledgerAccountId = await openLedgerAccount();
});

afterAll(async () => {
  await server?.close();
});

const call = (actor: TenantActor, method: string, path: string, body?: unknown) =>
  (callers.get(actor) as Caller)(method, path, body);

describe('isolation des financeurs : chaque route à identifiant a son cas', () => {
  const routesWithId = () =>
    server.application.server
      .declaredRoutes()
      .filter((route) => route.url.includes('/:'))
      .map((route) => `${route.method} ${route.url}`);

  it('toute route qui prend un identifiant a un cas inter-financeurs, ou une exclusion motivée', () => {
    const covered = new Set(CASES.map((testCase) => testCase.route));
    const missing = routesWithId().filter((route) => {
      if (covered.has(route) || route in EXCLUDED) return false;
      // A HEAD route answers as its GET: each GET case is also sent as HEAD below.
      return !(route.startsWith('HEAD ') && covered.has(route.replace(/^HEAD /, 'GET ')));
    });
    expect(missing).toEqual([]);
  });

  it('aucun cas ni exclusion ne vise une route qui n’existe plus', () => {
    const declared = new Set(
      server.application.server.declaredRoutes().map((route) => `${route.method} ${route.url}`),
    );
    const stale = [...CASES.map((testCase) => testCase.route), ...Object.keys(EXCLUDED)].filter(
      (route) => !declared.has(route),
    );
    expect(stale).toEqual([]);
    for (const reason of Object.values(EXCLUDED)) expect(reason.length).toBeGreaterThan(10);
  });
});

const PAIRS = CASES.flatMap((testCase) =>
  (Object.entries(testCase.expected) as [TenantActor, Outcome][]).map(
    ([actor, outcome]) => [testCase.label, actor, outcome, testCase] as const,
  ),
);

describe('isolation des financeurs : A sur les objets de B, comme sur un objet inexistant', () => {
  it.each(PAIRS)('%s — %s de A : %s', async (_label, actor, outcome, testCase) => {
    const method = testCase.route.split(' ')[0] as string;
    const own = ownOrganisation.get(actor) as number;
    const before = await writtenState();
    const onB = await call(actor, method, testCase.path(b, own), testCase.body);
    const onGhost = await call(actor, method, testCase.ghost(own), testCase.body);
    expect(onB.status, onB.text).toBe(outcome);
    expect(onGhost.status, onGhost.text).toBe(outcome);
    expect(onB.json).toEqual(onGhost.json);
    if (outcome === 404) {
      expect(onB.json).toEqual(NOT_FOUND);
    } else {
      expect(onB.json).toMatchObject({ code: 'action_not_allowed', message: NOT_ALLOWED_MESSAGE });
    }
    if (method === 'GET') {
      expect((await call(actor, 'HEAD', testCase.path(b, own))).status).toBe(outcome);
      expect((await call(actor, 'HEAD', testCase.ghost(own))).status).toBe(outcome);
    }
    expect(await writtenState()).toEqual(before);
  });

  it('le registre, exclu du tableau, refuse 403 aux personnes de A, que le compte existe ou non', async () => {
    for (const actor of ['gestionnaire', 'auditeur', 'commercant', 'beneficiaire'] as const) {
      const existing = await call(actor, 'GET', `/api/ledger/accounts/${ledgerAccountId}`);
      const ghost = await call(actor, 'GET', `/api/ledger/accounts/${GHOST}`);
      expect(existing.status, `${actor} : ${existing.text}`).toBe(403);
      expect(existing.json).toEqual(ghost.json);
    }
  });

  it('après tout cela, les objets de B sont intacts et fonctionnent', async () => {
    const keyB = new SignedClient(server.baseUrl, b.apiKey);
    const me = await keyB.call('GET', '/api/identity/me');
    expect(me.status, me.text).toBe(200);
    expect(me.json).toMatchObject({ actorType: 'cle_api', organisationIds: [b.merchant] });
    const key = await pool.query(
      'select revoked_at, expires_at, replaced_by_id from api_keys where id = $1',
      [b.apiKeyId],
    );
    expect(key.rows).toEqual([{ revoked_at: null, expires_at: null, replaced_by_id: null }]);
    const members = await gestionnaireB.get(`${organisation(b.region)}/members`);
    expect(
      (members.json as { membershipId: number }[]).map((member) => member.membershipId),
    ).toContain(b.auditeurMembership);
    const invitation = await new SessionClient(server.baseUrl).get(
      `/api/identity/invitations/${b.invitationToken}`,
    );
    expect(invitation.status, invitation.text).toBe(200);
    const mandates = await beneficiaireB.get('/api/identity/mandates');
    expect((mandates.json as { given: { id: number; status: string }[] }).given).toEqual([
      expect.objectContaining({ id: b.mandateId, status: 'actif' }),
    ]);
    expect((await gestionnaireB.get('/api/identity/me')).status).toBe(200);
    const region = await gestionnaireB.get(organisation(b.region));
    expect((region.json as { services: { id: number }[] }).services.map((s) => s.id)).toEqual([
      b.service,
    ]);
  });
});

type JournalEntry = { organisationId: number | null; actorPersonId: number | null; action: string };

async function journalOf(client: Caller, query = ''): Promise<JournalEntry[]> {
  const answer = await client('GET', `/api/identity/journal?limit=200${query}`);
  expect(answer.status, answer.text).toBe(200);
  const page = answer.json as { entries: JournalEntry[]; nextBeforeId: number | null };
  expect(page.nextBeforeId).toBeNull();
  return page.entries;
}

describe('isolation des financeurs : les listes ne montrent que son propre périmètre', () => {
  const organisationIdsOf = async (actor: TenantActor) => {
    const answer = await call(actor, 'GET', '/api/identity/organisations');
    expect(answer.status, answer.text).toBe(200);
    return (answer.json as { id: number }[]).map((organisation) => organisation.id);
  };

  it('GET /organisations : le personnel de A voit A, le commerçant A sa boutique, rien de B', async () => {
    expect(await organisationIdsOf('gestionnaire')).toEqual([people.organisations.departement]);
    expect(await organisationIdsOf('auditeur')).toEqual([people.organisations.departement]);
    expect(await organisationIdsOf('commercant')).toEqual([people.organisations.librairie]);
    expect(await organisationIdsOf('aidant')).toEqual([]);
    const ofB = await gestionnaireB.get('/api/identity/organisations');
    expect((ofB.json as { id: number }[]).map((organisation) => organisation.id).sort()).toEqual(
      [b.region, b.service].sort(),
    );
  });

  it('GET /journal : l’auditeur de A ne voit ni les entrées de B ni les gestes des gens de B', async () => {
    const bOrganisations = [b.region, b.service, b.merchant];
    const entries = await journalOf(callers.get('auditeur') as Caller);
    expect(entries.length).toBeGreaterThan(0);
    const outside = entries.filter(
      (entry) =>
        entry.organisationId !== null && entry.organisationId !== people.organisations.departement,
    );
    expect(outside).toEqual([]);
    expect(entries.filter((entry) => entry.actorPersonId === b.gestionnairePersonId)).toEqual([]);
    expect(
      await journalOf(callers.get('auditeur') as Caller, `&personId=${b.gestionnairePersonId}`),
    ).toEqual([]);
    // The entries exist: B's own auditor sees them.
    const ofB = await journalOf(sessionCaller(auditeurB));
    expect(
      ofB.some(
        (entry) => entry.organisationId === b.region && entry.action === 'invitation.create',
      ),
    ).toBe(true);
    expect(
      ofB.every(
        (entry) => entry.organisationId === null || bOrganisations.includes(entry.organisationId),
      ),
    ).toBe(true);
  });

  it('membres, clés, sessions et mandats : chacun ne voit que les siens', async () => {
    const members = await call(
      'gestionnaire',
      'GET',
      `${organisation(people.organisations.departement)}/members`,
    );
    const memberPeople = (members.json as { personId: number }[]).map((member) => member.personId);
    expect(memberPeople).not.toContain(b.gestionnairePersonId);
    const keys = await call(
      'commercant',
      'GET',
      `${organisation(people.organisations.librairie)}/api-keys`,
    );
    expect((keys.json as { id: number }[]).map((key) => key.id)).not.toContain(b.apiKeyId);
    const sessions = await call('gestionnaire', 'GET', '/api/identity/sessions');
    expect((sessions.json as { id: number }[]).map((session) => session.id)).not.toContain(
      b.sessionId,
    );
    for (const actor of ['beneficiaire', 'aidant'] as const) {
      const mandates = await call(actor, 'GET', '/api/identity/mandates');
      const { given, received } = mandates.json as {
        given: { id: number }[];
        received: { id: number }[];
      };
      expect([...given, ...received].map((mandate) => mandate.id)).not.toContain(b.mandateId);
    }
  });

  it('le bénéficiaire de A ne lit pas le profil de celui de B, l’aidant de A n’agit pas pour lui', async () => {
    const profile = await call('beneficiaire', 'GET', '/api/identity/profile');
    expect(profile.json).toMatchObject({ personId: people.accounts.beneficiaire.personId });
    const acting = await (sessions.get('aidant') as SessionClient).get('/api/identity/profile', {
      headers: { 'x-flechage-au-nom-de': String(b.beneficiaryPersonId) },
    });
    expect(acting.status, acting.text).toBe(403);
    expect(acting.json).toMatchObject({ code: 'mandate_missing' });
  });
});

describe('isolation des financeurs : un agent qui travaille pour A et pour B', () => {
  it('l’auditeur de A ne lit pas, par lui, le journal de B', async () => {
    const shared = await createAccount(
      'agent.partage@exemple.fr',
      'instructeur',
      people.organisations.departement,
    );
    await journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) =>
      accepted(
        await grantRole(client, journal, {
          personId: shared.personId,
          organisationId: b.region,
          role: 'gestionnaire',
        }),
      ),
    );
    const agent = await loggedIn(server.baseUrl, 'agent.partage@exemple.fr', PASSWORD);
    await created(
      agent.post(`${organisation(b.region)}/invitations`, {
        email: 'confidentiel@region.fr',
        role: 'auditeur',
      }),
    );
    const bOrganisations = [b.region, b.service, b.merchant];
    const auditor = callers.get('auditeur') as Caller;
    for (const query of ['', `&personId=${shared.personId}`]) {
      const leaked = (await journalOf(auditor, query)).filter(
        (entry) => entry.organisationId !== null && bOrganisations.includes(entry.organisationId),
      );
      expect(leaked, `journal${query}`).toEqual([]);
    }
  });
});
