import type pg from 'pg';
import type { Configuration } from '../platform/config.js';
import type { HttpServer } from '../platform/http.js';
import { accountRoutes } from './account-routes.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { externalLoginCompleter } from './external-login.js';
import { journalRoutes } from './journal-routes.js';
import type { LoginSettings } from './login.js';
import { mandateRoutes } from './mandate-routes.js';
import { parseOidcProviders } from './oidc.js';
import { oidcRoutes } from './oidc-routes.js';
import { organisationRoutes } from './organisation-routes.js';
import type { SessionSettings } from './sessions.js';

// The identity domain's HTTP surface, registered by the composition root.

export function sessionSettingsOf(configuration: Configuration): SessionSettings {
  return {
    idleMinutes: configuration.FLECHAGE_SESSION_IDLE_MINUTES,
    maxHours: configuration.FLECHAGE_SESSION_MAX_HOURS,
    secureCookie: configuration.FLECHAGE_COOKIE_SECURE,
  };
}

export function loginSettingsOf(configuration: Configuration): LoginSettings {
  return {
    maxFailuresPerEmail: configuration.FLECHAGE_LOGIN_MAX_FAILURES_PER_EMAIL,
    maxFailuresPerAddress: configuration.FLECHAGE_LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowMinutes: configuration.FLECHAGE_LOGIN_WINDOW_MINUTES,
  };
}

export async function registerIdentityRoutes(
  server: HttpServer,
  configuration: Configuration,
  pool: pg.Pool,
): Promise<void> {
  const sessions = sessionSettingsOf(configuration);
  await server.register(accountRoutes, { pool, sessions, login: loginSettingsOf(configuration) });
  await server.register(organisationRoutes, { pool, publicUrl: configuration.FLECHAGE_PUBLIC_URL });
  await server.register(apiKeyRoutes, { pool });
  await server.register(mandateRoutes, { pool });
  await server.register(journalRoutes, { pool });
  const providers = parseOidcProviders(configuration.FLECHAGE_OIDC_PROVIDERS);
  await server.register(oidcRoutes, {
    pool,
    providers,
    publicUrl:
      configuration.FLECHAGE_PUBLIC_URL ?? `http://${configuration.HOST}:${configuration.PORT}`,
    completeLogin: externalLoginCompleter(pool, providers, sessions),
  });
}
