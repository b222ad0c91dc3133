// The two tables a newcomer edits to add an engine or a migration: each is sorted, names are
// unique, and every file in its folder is listed (nothing registered by accident or forgotten).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { ENGINES } from './engines/registry.ts';
import { MIGRATIONS } from './migrations/registry.ts';

/** Files in a folder that are neither tests nor the folder's own plumbing. */
function descriptorFiles(folder: string, plumbing: string[]): string[] {
  return readdirSync(new URL(folder, import.meta.url))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !plumbing.includes(name))
    .sort();
}

test('engines are listed once each, sorted by name, one per file', () => {
  const names = ENGINES.map((engine) => engine.name);
  assert.deepEqual(names, [...new Set(names)].sort());
  assert.deepEqual(
    descriptorFiles('./engines/', ['registry.ts', 'types.ts']),
    names.map((name) => `${name}.ts`),
  );
});

test('migrations are listed once each in name order, each named after its file', () => {
  const names = MIGRATIONS.map((migration) => migration.name);
  assert.deepEqual(names, [...new Set(names)].sort());
  for (const name of names) assert.match(name, /^\d{4}_[a-z0-9_]+$/);
  assert.deepEqual(
    descriptorFiles('./migrations/', ['registry.ts', 'types.ts']),
    names.map((name) => `${name}.ts`),
  );
});
