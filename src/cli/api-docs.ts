import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApplication, PROJECT_ROOT } from '../app.js';
import { IDENTITY_ERRORS } from '../identity/errors.js';
import { ACTIONS, ACTION_LABELS, ROLE_PERMISSIONS } from '../identity/permissions.js';
import { SIGNATURE_REFUSALS } from '../identity/request-signature.js';
import { ROLE_LABELS, type Role } from '../identity/roles.js';
import type { HttpServer } from '../platform/http.js';
import { renderApiMarkdown, type AccessLabels, type CodeTable } from '../platform/api-docs.js';
import {
  TRANSFER_RESULTS,
  TRANSFER_RESULT_MESSAGES,
  type TransferResultCode,
} from '../ledger/results.js';
import { loadConfiguration } from '../platform/config.js';
import { createPool } from '../platform/database.js';

export const API_REFERENCE_FILE = path.join(PROJECT_ROOT, 'docs', 'api.md');

function ledgerCodeTable(): CodeTable {
  return {
    title: 'Résultats d’un virement (registre), par ordre de priorité',
    rows: (Object.keys(TRANSFER_RESULTS) as TransferResultCode[]).map((code) => ({
      code,
      message: TRANSFER_RESULT_MESSAGES[code],
      note: TRANSFER_RESULTS[code].succeeded
        ? 'succès'
        : TRANSFER_RESULTS[code].retryable
          ? 'refus, peut réussir plus tard'
          : 'refus définitif',
    })),
  };
}

function identityCodeTables(): CodeTable[] {
  const roles = Object.keys(ROLE_PERMISSIONS) as Role[];
  return [
    {
      title: 'Permissions : qui peut faire quoi',
      rows: ACTIONS.map((action) => ({
        code: action,
        message: ACTION_LABELS[action],
        note: roles
          .filter((role) => ROLE_PERMISSIONS[role].includes(action))
          .map((role) => ROLE_LABELS[role])
          .join(', '),
      })),
    },
    {
      title: 'Refus de l’identité et des accès',
      rows: [
        ...Object.entries(IDENTITY_ERRORS).map(([code, known]) => ({
          code,
          message: known.message,
          note: `HTTP ${known.status}`,
        })),
        ...Object.entries(SIGNATURE_REFUSALS).map(([code, message]) => ({
          code,
          message,
          note: 'HTTP 401 (requête signée)',
        })),
      ],
    },
  ];
}

/** `public`, `connecté` (any account), or the action and the roles that hold it. */
function accessLabelsOf(server: HttpServer): AccessLabels {
  const labels: AccessLabels = new Map();
  for (const route of server.declaredRoutes()) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const label =
      route.permission === 'public'
        ? 'public'
        : route.permission === 'authenticated'
          ? 'connecté'
          : `\`${route.permission}\``;
    labels.set(`${route.method} ${path}`, label);
  }
  return labels;
}

/** The reference of a ready server: its routes, who may call them, and every code. */
export function apiReferenceOf(server: HttpServer): string {
  return renderApiMarkdown(
    server.swagger() as Parameters<typeof renderApiMarkdown>[0],
    accessLabelsOf(server),
    [ledgerCodeTable(), ...identityCodeTables()],
  );
}

/** Writes docs/api.md from the routes' schemas; no database is needed, none is contacted. */
export async function runApiDocs(): Promise<void> {
  const configuration = loadConfiguration({
    ...process.env,
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
  });
  const pool = createPool(configuration.DATABASE_URL as string, 2);
  const application = await buildApplication(configuration, pool, {
    log: () => undefined,
    web: false,
  });
  try {
    await application.server.ready();
    const markdown = apiReferenceOf(application.server);
    await writeFile(API_REFERENCE_FILE, markdown);
    console.log(
      `Référence de l’API écrite dans ${path.relative(process.cwd(), API_REFERENCE_FILE)}.`,
    );
  } finally {
    await application.close();
    await pool.end();
  }
}
