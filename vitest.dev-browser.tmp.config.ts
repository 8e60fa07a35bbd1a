import path from 'node:path';
import { defineConfig } from 'vitest/config';
export default defineConfig({
  resolve: {
    alias: [{ find: /^\.\.\/support\/server\.js$/, replacement: path.resolve('test/browser/dev-server.tmp.ts') }],
  },
  test: { include: ['test/browser/**/*.test.ts'] },
});
