import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_REFERENCE_FILE, apiReferenceOf } from '../../src/cli/api-docs.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ web: false });
});

afterAll(async () => {
  await server.close();
});

it('la référence docs/api.md est celle que génèrent les schémas (npm run docs:api)', () => {
  expect(readFileSync(API_REFERENCE_FILE, 'utf8')).toBe(apiReferenceOf(server.application.server));
});
