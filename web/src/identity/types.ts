// The shapes the identity API answers with, as the web app reads them.

export type Role =
  | 'administrateur_plateforme'
  | 'gestionnaire'
  | 'instructeur'
  | 'controleur_financier'
  | 'auditeur'
  | 'commercant_responsable'
  | 'caissier'
  | 'beneficiaire'
  | 'aidant';

export interface Membership {
  id: number;
  organisationId: number | null;
  organisationName: string | null;
  organisationKind: string | null;
  role: Role;
  roleLabel: string;
}

export interface SessionPerson {
  id: number;
  email: string;
  displayName: string;
  totpEnabled: boolean;
}

export interface AuthenticatedSession {
  authenticated: true;
  secondFactorPending: boolean;
  csrfToken: string;
  expiresAt: string;
  person: SessionPerson;
  memberships: Membership[];
}

export type SessionAnswer = { authenticated: false } | AuthenticatedSession;

export interface LoginAnswer {
  status: 'connecte' | 'second_facteur_requis';
  csrfToken: string;
}

export interface OidcProvider {
  id: string;
  label: string;
  kind: 'proconnect' | 'franceconnect' | 'generique';
}

export interface OpenSession {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  authenticationMethod: string;
  current: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
}

export interface PersonNotification {
  id: number;
  kind: string;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface Profile {
  personId: number;
  email: string;
  displayName: string;
  phone: string | null;
}

export interface Organisation {
  id: number;
  kind: string;
  kindLabel: string;
  name: string;
  siren: string | null;
  siret: string | null;
  parentId: number | null;
}

export interface OrganisationDetails extends Organisation {
  services: Organisation[];
}

export interface Member {
  membershipId: number;
  personId: number;
  email: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  createdAt: string;
}

export interface Invitation {
  id: number;
  email: string;
  role: Role;
  roleLabel: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  cancelledAt: string | null;
}

export interface CreatedInvitation {
  id: number;
  email: string;
  role: Role;
  expiresAt: string;
  acceptUrl: string;
}

export interface InvitationPreview {
  organisationName: string;
  role: Role;
  roleLabel: string;
  email: string;
  expiresAt: string;
}

export type ApiKeyRole = 'terminal' | 'processeur_paiement';

export interface ApiKey {
  id: number;
  keyId: string;
  label: string;
  role: ApiKeyRole;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface CreatedApiKey {
  id: number;
  keyId: string;
  label: string;
  role: ApiKeyRole;
  secret: string;
  createdAt: string;
}

export type MandateScope = 'consulter_soldes' | 'payer' | 'demander_aide';
export type MandateDuration = '1_jour' | '1_mois' | '6_mois' | '1_an';

export interface Mandate {
  id: number;
  beneficiary: { personId: number; displayName: string };
  aidant: { personId: number; displayName: string; email: string };
  scopes: MandateScope[];
  duration: MandateDuration;
  startsAt: string;
  endsAt: string;
  revokedAt: string | null;
  status: 'actif' | 'expire' | 'revoque';
}

export interface JournalEntry {
  id: number;
  occurredAt: string;
  actorType: 'personne' | 'cle_api' | 'operateur' | 'systeme';
  actorPersonId: number | null;
  actorDisplayName: string | null;
  actorApiKeyId: number | null;
  onBehalfOfPersonId: number | null;
  onBehalfOfDisplayName: string | null;
  organisationId: number | null;
  action: string;
  actionLabel: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

export interface JournalPage {
  entries: JournalEntry[];
  nextBeforeId: number | null;
}

/** Search criteria, already in the form the query string takes (empty ones left out). */
export type JournalQuery = Partial<
  Record<'personId' | 'targetType' | 'targetId' | 'from' | 'to' | 'limit' | 'beforeId', string>
>;
