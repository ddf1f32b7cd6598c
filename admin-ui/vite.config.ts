// The app is served by the platform at /app/; `npm run dev` proxies the API to a local platform.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const platform = process.env.PROBANT_PLATFORM ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The entry chunk (React, Mantine, router, urql, i18n, typed operations) is ~750 kB raw;
    // tests/e2e/test_app_budget.py holds what matters: ≤ 250 kB gzipped.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: Object.fromEntries(
      ['/graphql', '/widget', '/media', '/uploads', '/downloads', '/verify', '/billing', '/office-documents'].map(
        (path) => [path, platform],
      ),
    ),
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
  },
});
