// Gives each built file a content-hashed name and writes dist/manifest.json
// (stable name → hashed name), so the platform can serve the hashed files as immutable.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const stable = ['probant-capture.js', 'probant-capture.iife.js'];
const manifest = {};
for (const name of stable) {
  const path = join(dist, name);
  if (!existsSync(path)) throw new Error(`missing build output ${path}`);
  const bytes = readFileSync(path);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const hashed = name.replace(/\.js$/, '').replace('probant-capture', `probant-capture.${hash}`) + '.js';
  renameSync(path, join(dist, hashed));
  manifest[name] = hashed;
}
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(manifest);
