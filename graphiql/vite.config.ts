// The API explorer: the platform answers a browser's GET /graphql with dist/index.html and
// serves the bundle (GraphiQL, React, the Monaco editor and its workers) under /graphiql/.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/graphiql/',
  plugins: [react()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The Monaco editor alone is several MB; it is loaded only by people opening the explorer.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      // GraphiQL's "use no memo" directives are for the React compiler, not for the bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
