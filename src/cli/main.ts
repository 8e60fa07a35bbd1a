import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ORGANISATION_KINDS } from '../identity/organisations.js';
import { ConfigurationError } from '../platform/config.js';
import { runCreateUser, runGrant } from './admin-people.js';
import { PERSON_ROLES } from '../identity/roles.js';
import { runCreateOrganisation, type CreateOrganisationOptions } from './admin.js';
import { runApiDocs } from './api-docs.js';
import { runImportBeneficiaries, type ImportBeneficiariesOptions } from './import-beneficiaries.js';
import { BENCHES, runBench } from './bench.js';
import { runMigrate } from './migrate.js';
import { runSimulate, type SimulateOptions } from './simulate.js';
import { runStart } from './start.js';
import { runCampaignCrediting } from './campaign.js';
import { runVerify } from './verify.js';

/** Exit codes: 0 success, 1 the work found a problem (e.g. a ledger violation), 2 bad usage. */
export const EXIT_USAGE = 2;

export function positiveInteger(name: string, maximum: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1 || parsed > maximum) {
      throw new InvalidArgumentError(`${name} : entier attendu entre 1 et ${maximum}.`);
    }
    return parsed;
  };
}

const COMMANDER_MESSAGES: Record<string, string> = {
  'commander.unknownOption': 'option inconnue',
  'commander.unknownCommand': 'commande inconnue',
  'commander.missingArgument': 'argument manquant',
  'commander.optionMissingArgument': 'valeur manquante pour une option',
  'commander.missingMandatoryOptionValue': 'option obligatoire manquante',
  'commander.invalidArgument': 'valeur invalide',
  'commander.excessArguments': 'arguments en trop',
};

/** Commander speaks English; what it says reaches users in French. */
export function frenchUsageError(error: CommanderError): string {
  const label = COMMANDER_MESSAGES[error.code] ?? 'usage incorrect';
  if (error.code === 'commander.invalidArgument') {
    const reason = error.message.split('is invalid. ')[1];
    return `Erreur : ${label}${reason === undefined ? '' : ` — ${reason}`}`;
  }
  const named = /'([^']+)'/.exec(error.message)?.[1];
  return `Erreur : ${label}${named === undefined ? '' : ` « ${named} »`}.`;
}

const HELP_TRANSLATIONS: [RegExp, string][] = [
  [/^Usage:/gm, 'Utilisation :'],
  [/^Options:/gm, 'Options :'],
  [/^Commands:/gm, 'Commandes :'],
  [/^Arguments:/gm, 'Arguments :'],
  [/\(default: /g, '(par défaut : '],
  [/\[options\]/g, '[options]'],
  [/\[command\]/g, '[commande]'],
];

function frenchHelp(text: string): string {
  return HELP_TRANSLATIONS.reduce(
    (translated, [pattern, french]) => translated.replace(pattern, french),
    text,
  );
}

/** `flechage admin …`: bootstrapping organisations, people and roles of an install. */
function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('administration d’une installation');
  admin
    .command('create-org')
    .description(
      'enregistrer une organisation (financeur, service, commerçant, bénéficiaire, opérateur)',
    )
    .requiredOption('--kind <nature>', `nature : ${ORGANISATION_KINDS.join(', ')}`)
    .requiredOption('--name <nom>', 'nom de l’organisation')
    .option('--siren <siren>', 'SIREN (9 chiffres)')
    .option('--siret <siret>', 'SIRET (14 chiffres)')
    .option(
      '--parent <numéro>',
      'financeur dont cette organisation est un service',
      positiveInteger('--parent', Number.MAX_SAFE_INTEGER),
    )
    .option('--json', 'imprimer l’organisation créée en JSON')
    .action((options: Omit<CreateOrganisationOptions, 'json'> & { json?: boolean }) =>
      runCreateOrganisation({ ...options, json: options.json === true }),
    );
  admin
    .command('create-user')
    .description('créer le compte d’une personne (mot de passe tiré au hasard et affiché une fois)')
    .requiredOption('--email <adresse>', 'adresse électronique')
    .requiredOption('--name <nom>', 'nom affiché')
    .option('--password-stdin', 'lire le mot de passe sur l’entrée standard')
    .option('--json', 'imprimer le résultat en JSON')
    .action((options: { email: string; name: string; passwordStdin?: boolean; json?: boolean }) =>
      runCreateUser({
        ...options,
        passwordStdin: options.passwordStdin === true,
        json: options.json === true,
      }),
    );
  admin
    .command('grant')
    .description('accorder un rôle à une personne, dans une organisation')
    .requiredOption('--email <adresse>', 'adresse électronique du compte')
    .requiredOption('--role <rôle>', `rôle : ${PERSON_ROLES.join(', ')}`)
    .option(
      '--org <numéro>',
      'organisation (absente pour bénéficiaire et aidant indépendant)',
      positiveInteger('--org', Number.MAX_SAFE_INTEGER),
    )
    .option('--json', 'imprimer le résultat en JSON')
    .action((options: { email: string; role: string; org?: number; json?: boolean }) =>
      runGrant({
        email: options.email,
        role: options.role,
        json: options.json === true,
        ...(options.org === undefined ? {} : { organisation: options.org }),
      }),
    );
}

/** `flechage bench …`: figures printed by the code that produces them, ratios in one run. */
function registerBenchCommands(program: Command): void {
  const bench = program.command('bench').description('mesures de performance');
  for (const [name, measure] of Object.entries(BENCHES)) {
    bench
      .command(name)
      .description(measure.description)
      .option('--json', 'imprimer le résultat en JSON sur la dernière ligne')
      .option(
        '--seconds <secondes>',
        'durée de chaque palier',
        positiveInteger('--seconds', 60),
        measure.defaultSeconds,
      )
      .action((options: { json?: boolean; seconds: number }) =>
        runBench(measure, { json: options.json === true, secondsPerStep: options.seconds }),
      );
  }
}

function beneficiaryKind(value: string): ImportBeneficiariesOptions['kind'] {
  if (value === 'personne' || value === 'organisation') return value;
  throw new InvalidArgumentError('--kind : personne ou organisation.');
}

/** `flechage import-beneficiaires`: the web page's import steps, from a file on disk. */
function registerImportCommand(program: Command): void {
  program
    .command('import-beneficiaires')
    .description(
      'importer un fichier de bénéficiaires (CSV UTF-8 ou XLSX) : analyse, rapport, puis import avec --confirm',
    )
    .requiredOption(
      '--organisation <numéro>',
      'financeur (ou service d’un financeur)',
      positiveInteger('--organisation', Number.MAX_SAFE_INTEGER),
    )
    .requiredOption('--file <fichier>', 'fichier .csv ou .xlsx, une ligne d’en-tête')
    .option('--kind <nature>', 'personne ou organisation', beneficiaryKind, 'personne')
    .option('--confirm', 'importer les lignes valides (sinon : analyse et rapport seulement)')
    .action((options: Omit<ImportBeneficiariesOptions, 'confirm'> & { confirm?: boolean }) =>
      runImportBeneficiaries({ ...options, confirm: options.confirm === true }),
    );
}

function buildProgram(): Command {
  const program = new Command('flechage')
    .description('Fléchage : la plateforme de l’argent public fléché')
    .helpOption('-h, --help', 'afficher l’aide')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(frenchHelp(text)),
      writeErr: () => undefined,
    });
  program
    .command('start')
    .description('démarrer la plateforme (base embarquée si DATABASE_URL est absent)')
    .option('--demo', 'charger les données de démonstration')
    .action((options: { demo?: boolean }) => runStart({ demo: options.demo === true }));
  program
    .command('migrate')
    .description('appliquer les migrations de la base')
    .action(() => runMigrate());
  program
    .command('verify')
    .description('vérifier le registre : soldes, équilibre des virements, chaîne d’empreintes')
    .option('--json', 'imprimer le rapport en JSON')
    .action((options: { json?: boolean }) => runVerify({ json: options.json === true }));
  program
    .command('api-docs')
    .description('écrire docs/api.md à partir des schémas des routes')
    .action(() => runApiDocs());
  registerAdminCommands(program);
  program
    .command('simulate')
    .description('simuler une version des règles d’un dispositif sur une base (JSON par ligne)')
    .requiredOption(
      '--programme <numéro>',
      'dispositif',
      positiveInteger('--programme', Number.MAX_SAFE_INTEGER),
    )
    .requiredOption(
      '--version <numéro>',
      'version des règles',
      positiveInteger('--version', 1_000_000),
    )
    .option(
      '--compare-with <numéro>',
      'autre version à comparer',
      positiveInteger('--compare-with', 1_000_000),
    )
    .requiredOption('--date <AAAA-MM-JJ>', 'date de référence des décisions')
    .requiredOption(
      '--file <fichier>',
      'un objet JSON de données par ligne (birthDate, communeCode…)',
    )
    .option('--json', 'imprimer le rapport en JSON')
    .action((options: Omit<SimulateOptions, 'json'> & { json?: boolean }) =>
      runSimulate({ ...options, json: options.json === true }),
    );
  program
    .command('campagne')
    .description('créditer une campagne approuvée, ou reprendre son crédit interrompu')
    .requiredOption(
      '--campagne <numéro>',
      'campagne',
      positiveInteger('--campagne', Number.MAX_SAFE_INTEGER),
    )
    .action((options: { campagne: number }) =>
      runCampaignCrediting({ campaign: options.campagne }),
    );
  for (const register of [registerImportCommand, registerBenchCommands]) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      const helpShown = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(
        error.code,
      );
      if (helpShown) return 0;
      console.error(`${frenchUsageError(error)}\nVoir « flechage --help ».`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      return EXIT_USAGE;
    }
    console.error(`Erreur : ${(error as Error).message}`);
    return 1;
  }
}

const exitCode = await main(process.argv.slice(2));
if (exitCode !== 0) process.exit(exitCode);
