import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import * as core from './core/index.js';
import * as all from './index.js';
import * as node from './io/index.js';

// dist/src/ → the project root
const library = readFileSync(
  join(fileURLToPath(import.meta.url), '..', '..', '..', 'docs', 'library.md'),
  'utf8',
);

/** The names in the first column of docs/library.md's table between `<!-- api:NAME -->` markers. */
function documented(section: string): string[] {
  const start = library.indexOf(`<!-- api:${section} -->`);
  const end = library.indexOf(`<!-- /api:${section} -->`);
  assert.ok(start >= 0 && end > start, `docs/library.md has the api:${section} markers`);
  return [...library.slice(start, end).matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]).sort();
}

test('strokecut/core exports exactly what docs/library.md documents', () => {
  assert.deepEqual(Object.keys(core).sort(), documented('core'));
});

test('strokecut/node exports exactly what docs/library.md documents', () => {
  assert.deepEqual(Object.keys(node).sort(), documented('node'));
});

test('strokecut is the two together, and test oracles are not in it', () => {
  assert.deepEqual(Object.keys(all).sort(), [...documented('core'), ...documented('node')].sort());
  for (const oracle of ['kmeansPlain', 'classifyPixelsPlain']) assert.equal(oracle in all, false, oracle);
});
