import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Platform-wide error codes: each has one HTTP status and one French message, defined here once. */
export const PLATFORM_ERRORS = {
  not_found: { status: 404, message: 'Cette adresse n’existe pas.' },
  method_not_allowed: { status: 405, message: 'Cette méthode n’est pas acceptée à cette adresse.' },
  invalid_json: { status: 400, message: 'Le corps de la requête n’est pas un JSON valide.' },
  empty_body: {
    status: 400,
    message: 'Le corps de la requête est vide alors qu’un JSON est attendu.',
  },
  body_too_large: { status: 413, message: 'Le corps de la requête dépasse la taille autorisée.' },
  unsupported_media_type: {
    status: 415,
    message: 'Type de contenu non accepté : envoyez application/json.',
  },
  validation_failed: { status: 400, message: 'La requête ne respecte pas le format attendu.' },
  bad_request: { status: 400, message: 'Requête incorrecte.' },
  bad_url: { status: 400, message: 'L’adresse demandée est mal encodée.' },
  unauthorized: { status: 401, message: 'Authentification requise.' },
  forbidden: { status: 403, message: 'Accès refusé.' },
  operator_access_disabled: {
    status: 403,
    message: 'L’accès opérateur est désactivé : définissez FLECHAGE_OPERATOR_TOKEN pour l’ouvrir.',
  },
  overloaded: { status: 503, message: 'Service surchargé : réessayez dans un instant.' },
  service_unavailable: { status: 503, message: 'Service indisponible.' },
  internal_error: { status: 500, message: 'Erreur interne : elle a été journalisée.' },
} as const;

export type PlatformErrorCode = keyof typeof PLATFORM_ERRORS;

/** The body of every error answer, for the OpenAPI description of each route. */
export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export type ErrorBody = { code: string; message: string; details?: unknown };

/** An error a route throws on purpose: its code and message reach the client as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  static of(code: PlatformErrorCode, details?: unknown): HttpError {
    const known = PLATFORM_ERRORS[code];
    return new HttpError(known.status, code, known.message, details);
  }
}

const FASTIFY_CODES: Record<string, PlatformErrorCode> = {
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

function toErrorBody(error: FastifyError): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    const body: ErrorBody = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return { status: error.statusCode, body };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      field: `${error.validationContext ?? ''}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message,
    }));
    return {
      status: 400,
      body: {
        code: 'validation_failed',
        message: PLATFORM_ERRORS.validation_failed.message,
        details,
      },
    };
  }
  const known =
    FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? 'invalid_json' : undefined);
  if (known !== undefined) {
    return {
      status: PLATFORM_ERRORS[known].status,
      body: { code: known, message: PLATFORM_ERRORS[known].message },
    };
  }
  const status = error.statusCode ?? 500;
  const code: PlatformErrorCode = status >= 500 ? 'internal_error' : 'bad_request';
  return {
    status: status >= 500 ? 500 : status,
    body: { code, message: PLATFORM_ERRORS[code].message },
  };
}

export function sendError(
  reply: FastifyReply,
  code: PlatformErrorCode,
  details?: unknown,
): FastifyReply {
  const known = PLATFORM_ERRORS[code];
  const body: ErrorBody = { code, message: known.message };
  if (details !== undefined) body.details = details;
  return reply.status(known.status).send(body);
}

/** Errors Fastify raises before any route runs (an undecodable URL, for instance). */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: unknown,
  reply: FastifyReply,
): void {
  const { status, body } = toErrorBody(error);
  void reply.status(status).send(body);
}

/** A request too malformed for HTTP parsing still gets a French JSON answer, then the door. */
export function clientErrorHandler(_error: Error, socket: Socket): void {
  if (!socket.writable) return;
  const body = JSON.stringify({
    code: 'bad_request',
    message: PLATFORM_ERRORS.bad_request.message,
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Every error leaves as `{code, message}` in French; a stack trace never does. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send(body);
  });
}
