// Shared by the golden tests (STYLE.md 7): where the public captures live and how to read the Zeek
// logs beside them. ../shared/captures sits beside the repository checkout.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CAPTURES = new URL('../../shared/captures/', import.meta.url);

/** Absolute path of a file under shared/captures, e.g. `sharedCapture('dnp3/dnp3_example.pcap')`. */
export function sharedCapture(relative: string): string {
  return fileURLToPath(new URL(relative, CAPTURES));
}

export type LogRow = Record<string, string>;

/**
 * Rows of a Zeek log (tab-separated; `#fields` names the columns). Some ICSNPP tests cut columns
 * and lost the header: pass `fields` then. Unset cells stay as Zeek prints them (`-`, `(empty)`).
 */
export function readZeekLog(relative: string, fields?: readonly string[]): LogRow[] {
  const lines = readFileSync(sharedCapture(relative), 'utf8').split('\n');
  const header = lines
    .find((l) => l.startsWith('#fields\t'))
    ?.split('\t')
    .slice(1);
  const columns = header ?? fields;
  assert.ok(columns !== undefined, `${relative} has no #fields line and no columns were given`);
  return lines
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const cells = l.split('\t');
      assert.equal(cells.length, columns.length, `${relative}: ${l}`);
      return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    });
}

/** Counts rows by the value of one column (`func`, `service`), the usual golden comparison. */
export function countBy(rows: readonly LogRow[], column: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r[column], (out.get(r[column]) ?? 0) + 1);
  return out;
}

/** The 4-tuple Zeek logs as id.orig_h, id.orig_p, id.resp_h, id.resp_p. */
export const zeekConnKey = (r: LogRow) =>
  `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']}`;
