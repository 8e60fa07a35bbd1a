import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * A pre-handler that admits only the platform operator's bearer token. It stands in for the
 * roles of the identity domain; the comparison is constant-time so timing reveals nothing.
 */
export function requireOperator(configuredToken: string | undefined) {
  const expected = configuredToken === undefined ? undefined : digest(configuredToken);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (expected === undefined) throw HttpError.of('operator_access_disabled');
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!timingSafeEqual(digest(presented), expected)) throw HttpError.of('unauthorized');
  };
}
