import type pg from 'pg';
import { OPERATOR_JOURNAL_CONTEXT, journaled } from '../identity/journal.js';
import type { OrganisationKind } from '../identity/organisations.js';
import { accepted, createPerson, grantRole } from '../identity/people.js';
import { findPersonByEmail } from '../identity/people-store.js';
import type { PersonRole } from '../identity/roles.js';
import { createOrganisation } from '../identity/service.js';

// One account per role, in three organisations, so that each space can be tried at once.
// The same people serve the browser tests. Running it twice changes nothing.

export const DEMO_PASSWORD = 'flechage-demo-2026';

const DEMO_ORGANISATIONS = {
  operateur: { kind: 'operateur', name: 'Opérateur Fléchage' },
  departement: { kind: 'departement', name: 'Département de la Gironde', siret: '22330001300016' },
  librairie: { kind: 'commercant', name: 'Librairie du centre' },
} as const satisfies Record<string, { kind: OrganisationKind; name: string; siret?: string }>;

type DemoOrganisation = keyof typeof DEMO_ORGANISATIONS;

export const DEMO_ACCOUNTS = {
  admin: ['admin', 'Alice Administratrice', 'administrateur_plateforme', 'operateur'],
  gestionnaire: ['gestionnaire', 'Gaspard Gestionnaire', 'gestionnaire', 'departement'],
  instructeur: ['instructeur', 'Inès Instructrice', 'instructeur', 'departement'],
  controleur: ['controleur', 'Charles Contrôleur', 'controleur_financier', 'departement'],
  auditeur: ['auditeur', 'Aude Auditrice', 'auditeur', 'departement'],
  commercant: ['commercant', 'Marc Libraire', 'commercant_responsable', 'librairie'],
  caissier: ['caissier', 'Claire Caissière', 'caissier', 'librairie'],
  beneficiaire: ['camille', 'Camille Martin', 'beneficiaire', null],
  aidant: ['aidant', 'Amina Aidante', 'aidant', null],
} as const satisfies Record<string, [string, string, PersonRole, DemoOrganisation | null]>;

export type DemoAccountName = keyof typeof DEMO_ACCOUNTS;

export type DemoAccount = { email: string; personId: number; organisationId: number | null };

export type DemoPeople = {
  password: string;
  organisations: Record<DemoOrganisation, number>;
  accounts: Record<DemoAccountName, DemoAccount>;
};

export function demoEmail(localPart: string): string {
  return `${localPart}@demo.flechage.fr`;
}

async function seedOrganisations(
  client: pg.PoolClient,
  journal: Parameters<typeof createOrganisation>[1],
) {
  const names = Object.keys(DEMO_ORGANISATIONS) as DemoOrganisation[];
  const ids = {} as Record<DemoOrganisation, number>;
  for (const name of names) {
    const created = await createOrganisation(client, journal, DEMO_ORGANISATIONS[name]);
    if (!created.created)
      throw new Error(`Organisation de démonstration refusée : ${created.refusal}`);
    ids[name] = created.organisation.id;
  }
  return ids;
}

/** Creates the demo organisations and accounts, or answers undefined if they already exist. */
export async function seedDemoPeople(pool: pg.Pool): Promise<DemoPeople | undefined> {
  if ((await findPersonByEmail(pool, demoEmail('admin'))) !== undefined) return undefined;
  return journaled(pool, OPERATOR_JOURNAL_CONTEXT, async (client, journal) => {
    const organisations = await seedOrganisations(client, journal);
    const accounts = {} as Record<DemoAccountName, DemoAccount>;
    for (const name of Object.keys(DEMO_ACCOUNTS) as DemoAccountName[]) {
      const [localPart, displayName, role, organisation] = DEMO_ACCOUNTS[name];
      const email = demoEmail(localPart);
      const personId = accepted(
        await createPerson(client, journal, { email, displayName, password: DEMO_PASSWORD }),
      );
      const organisationId = organisation === null ? null : organisations[organisation];
      accepted(await grantRole(client, journal, { personId, organisationId, role }));
      accounts[name] = { email, personId, organisationId };
    }
    return { password: DEMO_PASSWORD, organisations, accounts };
  });
}
