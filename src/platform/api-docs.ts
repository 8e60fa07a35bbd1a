// Renders the OpenAPI document as the Markdown reference kept in docs/api.md, so the reference
// in the repository is generated from the zod schemas and a test proves it is current.

type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
};

type OpenApiDocument = {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
};

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** A table of codes a domain adds to the reference (its refusal reasons, for instance). */
export type CodeTable = { title: string; rows: { code: string; message: string; note: string }[] };

/** Who may call a route, as the reference prints it; keyed by `GET /api/x/{id}`. */
export type AccessLabels = Map<string, string>;

export function renderApiMarkdown(
  document: OpenApiDocument,
  accessLabels: AccessLabels,
  codeTables: CodeTable[] = [],
): string {
  const lines = [
    `# ${document.info.title} — référence (${document.info.version})`,
    '',
    'Généré à partir des schémas zod par `npm run docs:api` ; ne pas modifier à la main.',
    'Le document OpenAPI complet est servi sur `/api/openapi.json`, et navigable sur `/api/docs`.',
    'Toute erreur répond `{code, message}` avec un message en français.',
    '',
    '| méthode | chemin | résumé | accès | réponses |',
    '|---|---|---|---|---|',
  ];
  const paths = Object.keys(document.paths ?? {}).sort();
  for (const path of paths) {
    const operations = document.paths?.[path] ?? {};
    for (const method of METHOD_ORDER.filter((candidate) => operations[candidate] !== undefined)) {
      const operation = operations[method] as Operation;
      const access = accessLabels.get(`${method.toUpperCase()} ${path}`) ?? 'public';
      const responses = Object.keys(operation.responses ?? {})
        .sort()
        .join(', ');
      lines.push(
        `| ${method.toUpperCase()} | \`${path}\` | ${operation.summary ?? ''} | ${access} | ${responses} |`,
      );
    }
  }
  for (const table of codeTables) {
    lines.push('', `## ${table.title}`, '', '| code | message | remarque |', '|---|---|---|');
    for (const row of table.rows) lines.push(`| \`${row.code}\` | ${row.message} | ${row.note} |`);
  }
  return `${lines.join('\n')}\n`;
}
