import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  // The DSFR assets are bundled from node_modules through the CSS imports, so nothing needs
  // copying into a public folder before the build.
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The DSFR icon stylesheet references about a thousand small SVG files: inlining them would
    // multiply the size of the stylesheet every page downloads, whereas as separate files the
    // browser only fetches the few icons a page actually shows.
    assetsInlineLimit: (filePath) => (filePath.endsWith('.svg') ? false : undefined),
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      treeshake: {
        // Each pictogram module only builds a component, but through a call that Rollup cannot
        // prove pure: without this hint, importing one from the index bundles the hundred.
        moduleSideEffects: (moduleId) => !moduleId.includes('/@codegouvfr/react-dsfr/picto/'),
      },
    },
  },
});
