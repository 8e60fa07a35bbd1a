import { ORGANISATION_KIND_LABELS, ORGANISATION_REFUSALS } from '../identity/organisations.js';
import { OPERATOR_JOURNAL_CONTEXT } from '../identity/journal.js';
import { registerOrganisation } from '../identity/service.js';
import { loadConfiguration } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { migrate } from '../platform/migrations.js';

export type CreateOrganisationOptions = {
  kind: string;
  name: string;
  siren?: string;
  siret?: string;
  parent?: number;
  json: boolean;
};

/** Exit code of a refused request: the operator's input, not the platform, is at fault. */
const EXIT_REFUSED = 2;

/** `flechage admin create-org`: how an operator registers the first organisations of an install. */
export async function runCreateOrganisation(options: CreateOrganisationOptions): Promise<void> {
  const configuration = loadConfiguration();
  const log = options.json ? () => undefined : (message: string) => console.error(message);
  const database = await openDatabase(configuration, log);
  try {
    await migrate(database.pool, log);
    const result = await registerOrganisation(database.pool, OPERATOR_JOURNAL_CONTEXT, {
      kind: options.kind,
      name: options.name,
      ...(options.siren === undefined ? {} : { siren: options.siren }),
      ...(options.siret === undefined ? {} : { siret: options.siret }),
      ...(options.parent === undefined ? {} : { parentId: options.parent }),
    });
    if (!result.created) {
      const message = ORGANISATION_REFUSALS[result.refusal];
      console.error(
        options.json
          ? JSON.stringify({ code: result.refusal, message })
          : `Refusé (${result.refusal}) : ${message}`,
      );
      process.exitCode = EXIT_REFUSED;
      return;
    }
    const { organisation } = result;
    if (options.json) {
      console.log(JSON.stringify(organisation));
      return;
    }
    const identifiers = organisation.siret ?? organisation.siren ?? 'sans SIREN';
    console.log(
      `Organisation créée : n° ${organisation.id}, « ${organisation.name} » ` +
        `(${ORGANISATION_KIND_LABELS[organisation.kind]}, ${identifiers}).`,
    );
  } finally {
    await database.close();
  }
}
