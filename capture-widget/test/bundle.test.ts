// The built widget stays under its size budget and never contains a file input.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = new URL('../dist/', import.meta.url);
const BUDGET_BYTES = 40 * 1024;

function built(stable: string): Buffer {
  const manifestUrl = new URL('manifest.json', DIST);
  if (!existsSync(manifestUrl)) throw new Error('dist/manifest.json is missing: run `npm run build` (or `make install`) first');
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as Record<string, string>;
  return readFileSync(new URL(manifest[stable], DIST));
}

describe('the built widget', () => {
  it('is one ES module under 40 kB gzipped', () => {
    const size = gzipSync(built('probant-capture.js'), { level: 9 }).length;
    expect(size).toBeLessThan(BUDGET_BYTES);
  });

  it('has a classic-script build under the same budget', () => {
    expect(gzipSync(built('probant-capture.iife.js'), { level: 9 }).length).toBeLessThan(BUDGET_BYTES);
  });

  it('never offers a file input', () => {
    const code = built('probant-capture.js').toString('utf8');
    expect(code).not.toMatch(/type=["']?file/i);
    expect(code).not.toMatch(/showOpenFilePicker|FileReader/);
  });
});
