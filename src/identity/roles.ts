import { FUNDER_KINDS, type OrganisationKind } from './organisations.js';

// Who a person can be within an organisation, and which organisations each role belongs to.

export const PERSON_ROLES = [
  'administrateur_plateforme',
  'gestionnaire',
  'instructeur',
  'controleur_financier',
  'auditeur',
  'commercant_responsable',
  'caissier',
  'beneficiaire',
  'aidant',
] as const;

export type PersonRole = (typeof PERSON_ROLES)[number];

/** Roles of machines (API keys): a merchant's terminal, or a payment processor. */
export const MACHINE_ROLES = ['terminal', 'processeur_paiement'] as const;

export type MachineRole = (typeof MACHINE_ROLES)[number];

/** The operator's bearer token: the platform's own scripts. */
export type OperatorRole = 'operateur';

export type Role = PersonRole | MachineRole | OperatorRole;

export const ROLE_LABELS: Record<Role, string> = {
  administrateur_plateforme: 'Administrateur de la plateforme',
  gestionnaire: 'Gestionnaire de dispositif',
  instructeur: 'Instructeur',
  controleur_financier: 'Contrôleur financier',
  auditeur: 'Auditeur',
  commercant_responsable: 'Responsable commerçant',
  caissier: 'Caissier',
  beneficiaire: 'Bénéficiaire',
  aidant: 'Aidant',
  terminal: 'Terminal de paiement',
  processeur_paiement: 'Processeur de paiement',
  operateur: 'Opérateur (jeton technique)',
};

export const FUNDER_STAFF_ROLES: readonly PersonRole[] = [
  'gestionnaire',
  'instructeur',
  'controleur_financier',
  'auditeur',
];

const FUNDER_ORGANISATION_KINDS: readonly OrganisationKind[] = [...FUNDER_KINDS, 'service'];

/** The organisation kinds a role can be held in; an empty list means no organisation at all. */
export function organisationKindsFor(role: PersonRole): readonly OrganisationKind[] {
  switch (role) {
    case 'administrateur_plateforme':
      return ['operateur'];
    case 'gestionnaire':
    case 'instructeur':
    case 'controleur_financier':
    case 'auditeur':
      return FUNDER_ORGANISATION_KINDS;
    case 'commercant_responsable':
    case 'caissier':
      return ['commercant'];
    case 'beneficiaire':
      return [];
    case 'aidant':
      return ['association', 'collectivite', 'entreprise', ...FUNDER_ORGANISATION_KINDS];
  }
}

export function machineOrganisationKindsFor(role: MachineRole): readonly OrganisationKind[] {
  return role === 'terminal' ? ['commercant'] : ['entreprise', 'operateur'];
}

export function isPersonRole(value: string): value is PersonRole {
  return (PERSON_ROLES as readonly string[]).includes(value);
}

/** Second factor is offered to those who handle funders' money and data. */
export function mayUseSecondFactor(roles: readonly PersonRole[]): boolean {
  return roles.some(
    (role) => role === 'administrateur_plateforme' || FUNDER_STAFF_ROLES.includes(role),
  );
}
