// Rewrites the coverage table in docs/protocols.md from the registered dissectors (src/dissectors/
// coverage.ts). Run it with `npm run docs:coverage` after a dissector changes what it decodes.

import { readFileSync, writeFileSync } from 'node:fs';
import { renderCoverageTable, replaceCoverageTable } from '../src/dissectors/coverage.ts';
import { DISSECTORS } from '../src/dissectors/registry.ts';

const page = new URL('../docs/protocols.md', import.meta.url);
const before = readFileSync(page, 'utf8');
const after = replaceCoverageTable(before, renderCoverageTable(DISSECTORS));
if (after === before) {
  console.log('docs/protocols.md: coverage table already up to date');
} else {
  writeFileSync(page, after);
  console.log('docs/protocols.md: coverage table rewritten');
}
