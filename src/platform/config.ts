import path from 'node:path';
import { z } from 'zod';

// Validation messages reach users: zod speaks French for the whole process, and every entry
// point loads the configuration first.
z.config(z.locales.fr());

// Every limit lives here with a name, so the code, the errors and the README quote one value.
export const configurationSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL doit commencer par postgres:// ou postgresql://')
    .optional(),
  FLECHAGE_DATA_DIR: z.string().min(1).default('./data'),
  FLECHAGE_EMBEDDED_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FLECHAGE_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
  FLECHAGE_DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  FLECHAGE_LEDGER_MAX_BATCH: z.coerce.number().int().min(1).max(8_190).default(1_000),
  FLECHAGE_LEDGER_MAX_QUEUE: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  FLECHAGE_LEDGER_DEADLINE_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
  // A machine credential for the platform operator's own scripts; people log in with accounts.
  FLECHAGE_OPERATOR_TOKEN: z
    .string()
    .min(32, 'FLECHAGE_OPERATOR_TOKEN : 32 caractères au moins')
    .optional(),
  FLECHAGE_PENDING_EXPIRY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(5_000),
  // The address users reach, used for OpenID redirects and invitation links.
  FLECHAGE_PUBLIC_URL: z.url().optional(),
  // Secure cookies travel over HTTPS only; browsers also accept them on localhost.
  FLECHAGE_COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  FLECHAGE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
  FLECHAGE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  FLECHAGE_LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(1_000).default(5),
  FLECHAGE_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(30),
  FLECHAGE_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  // JSON list of OpenID Connect providers (ProConnect, FranceConnect, Keycloak…); see the README.
  FLECHAGE_OIDC_PROVIDERS: z.string().optional(),
  // Notifications: a real SMTP relay and SMS provider when set; otherwise a local mail catcher
  // and the platform's own fake SMS provider, whose messages the back-office shows.
  FLECHAGE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'FLECHAGE_SMTP_URL doit commencer par smtp:// ou smtps://')
    .optional(),
  FLECHAGE_MAIL_FROM: z
    .string()
    .min(3)
    .max(254)
    .default('Fléchage <ne-pas-repondre@flechage.localhost>'),
  FLECHAGE_SMTP_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  FLECHAGE_SMS_URL: z.url().optional(),
  FLECHAGE_SMS_TOKEN: z.string().min(16, 'FLECHAGE_SMS_TOKEN : 16 caractères au moins').optional(),
  FLECHAGE_NOTIFICATION_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
  FLECHAGE_NOTIFICATION_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  FLECHAGE_NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  // Beneficiary files (CSV, XLSX) stream in up to this size; XLSX has its own 20 MB limit.
  FLECHAGE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(50 * 1024 * 1024),
});

export type Configuration = z.infer<typeof configurationSchema> & { dataDirectory: string };

export class ConfigurationError extends Error {}

export function loadConfiguration(environment: NodeJS.ProcessEnv = process.env): Configuration {
  const parsed = configurationSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigurationError(`Configuration invalide :\n  ${problems.join('\n  ')}`);
  }
  return { ...parsed.data, dataDirectory: path.resolve(parsed.data.FLECHAGE_DATA_DIR) };
}
