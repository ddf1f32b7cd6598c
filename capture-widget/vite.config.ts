// Library build: one ES module and one classic (IIFE) script; scripts/manifest.mjs then
// renames them with a content hash and writes dist/manifest.json.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    // Library mode keeps whitespace in the ES build; the widget is consumed as-is, so minify it fully.
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'src/index.ts',
      name: 'ProbantCapture',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'probant-capture.js' : 'probant-capture.iife.js'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
