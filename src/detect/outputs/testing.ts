// Test helpers: an Alert fixture and parsers that read RFC 5424 and CEF back, so tests check the
// bytes a real receiver sees.

import type { Alert } from '../alert.ts';

export function alertFixture(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a-7f3c2e',
    ts: 1_700_000_000.123456,
    severity: 'high',
    category: 'program-download',
    technique: 'T0843',
    techniqueName: 'Program Download',
    src: '192.0.2.101',
    dst: '192.0.2.10',
    assets: ['asset-ews', 'asset-plc1'],
    summary: 'S7 block download to PLC 192.0.2.10 from 192.0.2.101',
    evidence: [
      {
        ts: 1_700_000_000.123456,
        detail: 'S7 DOWNLOAD_BLOCK OB1',
        fields: { 's7.operation': 'program-download' },
      },
    ],
    firstSeen: 1_700_000_000.123456,
    lastSeen: 1_700_000_002.5,
    count: 3,
    state: 'open',
    ...overrides,
  };
}

export interface ParsedSyslog {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  hasBom: boolean;
  msg: string;
}

/** Splits an RFC 5424 message (§6) into its fields. STRUCTURED-DATA is returned raw. */
export function parseSyslog(bytes: Buffer): ParsedSyslog {
  const text = bytes.toString('latin1');
  const m = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(text);
  if (!m) throw new Error(`not RFC 5424: ${text.slice(0, 80)}`);
  let i = m[0].length;
  let sdEnd: number;
  if (text[i] === '-') sdEnd = i + 1;
  else {
    // Walk SD-ELEMENTs, honouring `\"`, `\\` and `\]` inside PARAM-VALUEs.
    let inValue = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inValue && c === '\\') j++;
      else if (c === '"') inValue = !inValue;
      else if (!inValue && c === ']' && text[j + 1] !== '[') break;
    }
    sdEnd = j + 1;
  }
  const structuredData = text.slice(i, sdEnd);
  i = sdEnd;
  let rest = bytes.subarray(i);
  if (rest[0] === 0x20) rest = rest.subarray(1);
  const hasBom = rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf;
  return {
    pri: Number(m[1]),
    version: Number(m[2]),
    timestamp: m[3],
    hostname: m[4],
    appName: m[5],
    procId: m[6],
    msgId: m[7],
    structuredData,
    hasBom,
    msg: (hasBom ? rest.subarray(3) : rest).toString('utf8'),
  };
}

export interface ParsedCef {
  header: string[];
  extension: Record<string, string>;
}

/** Reads a CEF record back (rev 25 escaping): 7 header fields split on unescaped `|`, then key=value. */
export function parseCef(text: string): ParsedCef {
  const header: string[] = [];
  let field = '';
  let i = 0;
  for (; i < text.length && header.length < 7; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) field += text[++i];
    else if (c === '|') {
      header.push(field);
      field = '';
    } else field += c;
  }
  const ext = text.slice(i);
  const extension: Record<string, string> = {};
  // Keys start after a space (or at the beginning) and end at an unescaped `=`.
  const keyStart = /(?:^| )([A-Za-z0-9_]+)=/g;
  const starts: Array<{ key: string; at: number; valueAt: number }> = [];
  for (const m of ext.matchAll(keyStart)) {
    // Skip matches whose `=` is escaped (preceded by an odd number of backslashes).
    let back = 0;
    const eq = m.index! + m[0].length - 1;
    while (ext[eq - 1 - back] === '\\') back++;
    if (back % 2 === 1) continue;
    // Skip matches inside a value whose space is preceded by nothing special: a key must follow a
    // space that is not inside an escape; values with ` key=` text are escaped (`\=`), so fine.
    starts.push({ key: m[1], at: m.index!, valueAt: m.index! + m[0].length });
  }
  starts.forEach((s, n) => {
    const end = n + 1 < starts.length ? starts[n + 1].at : ext.length;
    extension[s.key] = ext
      .slice(s.valueAt, end)
      .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  });
  return { header, extension };
}
