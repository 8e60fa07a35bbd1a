import type { Role } from './roles.js';

// The one table of who may do what. Every route names one of these actions (or `public`, or
// `authenticated` for a person's own account); a route that names none stops the server.

export const ACTIONS = [
  'organisation.create',
  'organisation.read',
  'service.create',
  'member.read',
  'member.manage',
  'api_key.read',
  'api_key.manage',
  'journal.read',
  'mandate.grant',
  'mandate.read',
  'mandate.revoke',
  'profile.read',
  'profile.update',
  'ledger.read',
  'ledger.write',
  'fund.read',
  'fund.manage',
  'fund.contribute',
  'programme.read',
  'programme.manage',
  'beneficiary.read',
  'beneficiary.manage',
  'campaign.read',
  'campaign.manage',
  'campaign.approve',
  'funder_settings.manage',
  'attribution.read',
  'attribution.manage',
  'application.instruct',
  'own_aid.read',
  'own_aid.apply',
  'own_contact.update',
  'message.read',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What a route declares: an action, or one of the two rules that need no action. */
export type RoutePermission = Action | 'public' | 'authenticated';

export const ACTION_LABELS: Record<Action, string> = {
  'organisation.create': 'Créer une organisation',
  'organisation.read': 'Consulter son organisation',
  'service.create': 'Créer un service',
  'member.read': 'Consulter les membres',
  'member.manage': 'Inviter ou retirer des membres',
  'api_key.read': 'Consulter les clés d’API',
  'api_key.manage': 'Créer, renouveler ou révoquer des clés d’API',
  'journal.read': 'Consulter le journal d’audit',
  'mandate.grant': 'Donner un mandat à un aidant',
  'mandate.read': 'Consulter ses mandats',
  'mandate.revoke': 'Révoquer un mandat',
  'profile.read': 'Consulter son profil',
  'profile.update': 'Modifier son profil',
  'ledger.read': 'Consulter le registre',
  'ledger.write': 'Écrire au registre',
  'fund.read': 'Consulter les fonds',
  'fund.manage': 'Créer un fonds, affecter son argent aux axes',
  'fund.contribute': 'Enregistrer les versements des contributeurs',
  'programme.read': 'Consulter les dispositifs et simuler',
  'programme.manage': 'Créer un dispositif, modifier et publier ses règles, lui réserver un budget',
  'beneficiary.read': 'Consulter les bénéficiaires et les imports',
  'beneficiary.manage':
    'Importer, corriger, exporter (droit d’accès) et effacer les données des bénéficiaires',
  'campaign.read': 'Consulter les campagnes d’attribution',
  'campaign.manage': 'Préparer, simuler, lancer ou annuler une campagne d’attribution',
  'campaign.approve': 'Approuver une campagne d’attribution',
  'funder_settings.manage': 'Fixer le seuil au-delà duquel une campagne demande deux approbations',
  'attribution.read': 'Consulter les attributions et leurs enveloppes',
  'attribution.manage': 'Suspendre, rétablir ou révoquer une attribution',
  'application.instruct': 'Instruire les demandes d’aide et décider',
  'own_aid.read': 'Consulter ses aides, ses enveloppes et ses demandes',
  'own_aid.apply': 'Demander une aide et compléter sa demande',
  'own_contact.update': 'Corriger ses coordonnées chez les financeurs',
  'message.read': 'Consulter les messages reçus par le collecteur local (courriels, SMS)',
};

const STAFF_READ: Action[] = ['organisation.read', 'member.read'];
/** Reading funds and programmes, and recording what contributors pay in. */
const FUND_WORK: Action[] = ['fund.read', 'fund.contribute', 'programme.read'];
/** Every person's own account: their name and telephone number. */
const OWN_PROFILE: Action[] = ['profile.read', 'profile.update'];
/** Reading who is aided and with what: the funder's staff who follow the files. */
const AID_READ: Action[] = ['beneficiary.read', 'campaign.read', 'attribution.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  administrateur_plateforme: [
    ...OWN_PROFILE,
    'organisation.create',
    ...STAFF_READ,
    'service.create',
    'member.manage',
    'api_key.read',
    'api_key.manage',
    'journal.read',
    'fund.read',
    'programme.read',
    'message.read',
  ],
  gestionnaire: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'service.create',
    'member.manage',
    ...FUND_WORK,
    'fund.manage',
    'programme.manage',
    ...AID_READ,
    'beneficiary.manage',
    'campaign.manage',
    'campaign.approve',
    'attribution.manage',
    'application.instruct',
  ],
  instructeur: [
    ...OWN_PROFILE,
    'organisation.read',
    'programme.read',
    ...AID_READ,
    'beneficiary.manage',
    'attribution.manage',
    'application.instruct',
  ],
  // Guards the money: approves campaigns, and sets the threshold of the second approval.
  controleur_financier: [
    ...OWN_PROFILE,
    'organisation.read',
    ...FUND_WORK,
    ...AID_READ,
    'campaign.approve',
    'funder_settings.manage',
  ],
  // Read-only, everything of its organisation, including the journal.
  auditeur: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'journal.read',
    'fund.read',
    'programme.read',
    ...AID_READ,
  ],
  commercant_responsable: [
    ...OWN_PROFILE,
    ...STAFF_READ,
    'member.manage',
    'api_key.read',
    'api_key.manage',
  ],
  caissier: [...OWN_PROFILE, 'organisation.read'],
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
  aidant: [...OWN_PROFILE, 'organisation.read', 'mandate.read', 'mandate.revoke'],
  terminal: [],
  processeur_paiement: [],
  // Money moves through the domains' services, each journaled; the raw ledger API is for the
  // operator's own scripts only, never for a person's session.
  operateur: ['organisation.create', 'ledger.read', 'ledger.write'],
};

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_PERMISSIONS[role].includes(action);
}

export function isRoutePermission(value: unknown): value is RoutePermission {
  return (
    value === 'public' ||
    value === 'authenticated' ||
    (typeof value === 'string' && (ACTIONS as readonly string[]).includes(value))
  );
}

/** What a beneficiary can let an aidant do, and which actions each scope opens. */
export const MANDATE_SCOPES = ['consulter_soldes', 'payer', 'demander_aide'] as const;

export type MandateScope = (typeof MANDATE_SCOPES)[number];

export const MANDATE_SCOPE_LABELS: Record<MandateScope, string> = {
  consulter_soldes: 'Consulter mes soldes et mon profil',
  payer: 'Payer en mon nom',
  demander_aide: 'Demander des aides et compléter mon profil en mon nom',
};

export const MANDATE_SCOPE_ACTIONS: Record<MandateScope, readonly Action[]> = {
  consulter_soldes: ['profile.read', 'own_aid.read'],
  // Payment actions arrive with the payments domain; the scope is recorded already.
  payer: [],
  demander_aide: [
    'profile.read',
    'profile.update',
    'own_aid.read',
    'own_aid.apply',
    'own_contact.update',
  ],
};

export function scopesAllow(scopes: readonly MandateScope[], action: Action): boolean {
  return scopes.some((scope) => MANDATE_SCOPE_ACTIONS[scope].includes(action));
}
