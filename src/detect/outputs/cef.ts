// ArcSight Common Event Format (CEF), "Implementing ArcSight CEF" revision 25:
//   CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
// Header fields escape `|` and `\`; extension values escape `\`, `=` and encode newlines as `\n`/`\r`.
// One alert becomes one CEF record; syslog.ts carries it as the MSG of an RFC 5424 message.

import { isIP } from 'node:net';
import type { Alert } from '../alert.ts';
import { CEF_SEVERITY } from './severity.ts';

export const CEF_VERSION = 0;
export const CEF_DEVICE_VENDOR = 'Zoneward';
export const CEF_DEVICE_PRODUCT = 'Zoneward';
/** The product version shown when the caller names none (kept in step with package.json). */
export const ZONEWARD_VERSION = '0.1.0';

/** CEF rev 25 field lengths: Name 512, Device Event Class ID 1023, msg 1023, cs<n> 4000, externalId 40. */
export const CEF_MAX_NAME_CHARS = 512;
export const CEF_MAX_SIGNATURE_CHARS = 1023;
export const CEF_MAX_MSG_CHARS = 1023;
export const CEF_MAX_CUSTOM_STRING_CHARS = 4000;
export const CEF_MAX_EXTERNAL_ID_CHARS = 40;

/** Header escaping (CEF rev 25, "Character Encoding"): `\` and `|`. A header cannot hold a line
 * break, so CR/LF become a space: the header stays one line, the full text is in `msg`. */
export function escapeCefHeader(value: string): string {
  return value.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\|]/g, (c) => `\\${c}`);
}

/** Extension value escaping (CEF rev 25): `\` and `=` are escaped; line breaks are sent as `\n`/`\r`. */
export function escapeCefExtension(value: string): string {
  return value.replace(/[\\=\r\n]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/**
 * CEF extension keys for an endpoint. `src`/`dst` are IPv4 only in CEF; IPv6 goes to the
 * custom IPv6 fields `c6a2` (source) and `c6a3` (destination); MACs to `smac`/`dmac`. Anything else
 * (a host name) to `shost`/`dhost`.
 */
function endpoint(side: 's' | 'd', value: string | null): Array<[string, string]> {
  if (value === null || value === '') return [];
  if (isIP(value) === 4) return [[side === 's' ? 'src' : 'dst', value]];
  if (isIP(value) === 6) return [[side === 's' ? 'c6a2' : 'c6a3', value]];
  if (MAC.test(value)) return [[`${side}mac`, value.replace(/-/g, ':').toLowerCase()]];
  return [[`${side}host`, value]];
}

export interface CefOptions {
  /** Device Version in the header; ZONEWARD_VERSION when not given. */
  readonly productVersion?: string;
}

/** The extension as ordered key/value pairs (exported for tests and for other carriers). */
export function cefExtensionPairs(alert: Alert): Array<[string, string]> {
  return [
    // rt/start/end: milliseconds since the epoch, one of rev 25's accepted time formats.
    ['rt', String(Math.round(alert.lastSeen * 1000))],
    ['start', String(Math.round(alert.firstSeen * 1000))],
    ['end', String(Math.round(alert.lastSeen * 1000))],
    ['cnt', String(alert.count)],
    ['cat', alert.category],
    ['externalId', alert.id.slice(0, CEF_MAX_EXTERNAL_ID_CHARS)],
    ...endpoint('s', alert.src),
    ...endpoint('d', alert.dst),
    ['cs1Label', 'MITRE ATT&CK for ICS technique'],
    ['cs1', alert.technique.slice(0, CEF_MAX_CUSTOM_STRING_CHARS)],
    ['cs2Label', 'MITRE ATT&CK for ICS technique name'],
    ['cs2', alert.techniqueName.slice(0, CEF_MAX_CUSTOM_STRING_CHARS)],
    ['cs3Label', 'Alert state'],
    ['cs3', alert.state],
    ['msg', alert.summary.slice(0, CEF_MAX_MSG_CHARS)],
  ];
}

/** One CEF record for an alert. Signature id = category, Name = summary. */
export function formatCef(alert: Alert, options: CefOptions = {}): string {
  const header = [
    `CEF:${CEF_VERSION}`,
    escapeCefHeader(CEF_DEVICE_VENDOR),
    escapeCefHeader(CEF_DEVICE_PRODUCT),
    escapeCefHeader(options.productVersion ?? ZONEWARD_VERSION),
    escapeCefHeader(alert.category.slice(0, CEF_MAX_SIGNATURE_CHARS)),
    escapeCefHeader(alert.summary.slice(0, CEF_MAX_NAME_CHARS)),
    String(CEF_SEVERITY[alert.severity]),
  ].join('|');
  const extension = cefExtensionPairs(alert)
    .map(([key, value]) => `${key}=${escapeCefExtension(value)}`)
    .join(' ');
  return `${header}|${extension}`;
}
