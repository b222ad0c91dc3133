// The Syslog Protocol, RFC 5424 §6:
//   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
//   HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
// MSG is UTF-8 and starts with the BOM (§6.4). Header fields are PRINTUSASCII (33-126) with the
// lengths of §6, or NILVALUE `-`.

import type { Alert } from '../alert.ts';
import { SYSLOG_SEVERITY } from './severity.ts';

export const SYSLOG_VERSION = 1;
export const NILVALUE = '-';
/** RFC 5424 §6.4: a MSG in UTF-8 starts with the Unicode byte order mark. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** RFC 5424 §6 field lengths. */
export const MAX_HOSTNAME_CHARS = 255;
export const MAX_APP_NAME_CHARS = 48;
export const MAX_PROCID_CHARS = 128;
export const MAX_MSGID_CHARS = 32;

export const APP_NAME = 'zoneward';

/** RFC 5424 §6.2.1 Table 1 facilities, by their usual names. */
export const FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  audit: 13,
  alert: 14,
  clock: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type FacilityName = keyof typeof FACILITIES;
export const DEFAULT_FACILITY: FacilityName = 'local4';

/**
 * SD-ID for the alert element. RFC 5424 §7.2.2: private SD-IDs are `name@<IANA private enterprise
 * number>`. 32473 is the PEN reserved for documentation (RFC 5612); replace it if Zoneward
 * registers its own.
 */
export const ALERT_SD_ID = 'zoneward@32473';

export interface SyslogHeaderOptions {
  readonly facility: FacilityName;
  readonly hostname: string;
  readonly procId: string;
  /** Include `[zoneward@32473 id="..." count=".."]`; otherwise STRUCTURED-DATA is `-`. */
  readonly structuredData: boolean;
}

/** PRINTUSASCII only, at most `max` characters, NILVALUE when nothing is left (RFC 5424 §6). */
export function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? NILVALUE : clean;
}

/** RFC 5424 §6.2.3 TIMESTAMP: RFC 3339 in UTC with microseconds (TIME-SECFRAC, at most 6 digits). */
export function rfc3339Micros(epochSeconds: number): string {
  const micros = Math.round(epochSeconds * 1e6);
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(micros - millis * 1000).padStart(3, '0')}Z`;
}

/** RFC 5424 §6.3.3 PARAM-VALUE escaping: `"`, `\` and `]` take a backslash. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** PRI (§6.2.1) = facility × 8 + severity. */
export function priority(facility: FacilityName, alert: Alert): number {
  return FACILITIES[facility] * 8 + SYSLOG_SEVERITY[alert.severity];
}

/**
 * The bytes before MSG: HEADER SP STRUCTURED-DATA SP. TIMESTAMP is the alert's lastSeen (capture
 * time of the latest occurrence), so a replayed capture lands at the right place in a SIEM.
 */
export function syslogHeader(alert: Alert, options: SyslogHeaderOptions): string {
  const sd = options.structuredData
    ? `[${ALERT_SD_ID} id="${escapeParamValue(alert.id)}" count="${alert.count}"]`
    : NILVALUE;
  return [
    `<${priority(options.facility, alert)}>${SYSLOG_VERSION}`,
    rfc3339Micros(alert.lastSeen),
    headerField(options.hostname, MAX_HOSTNAME_CHARS),
    APP_NAME,
    headerField(options.procId, MAX_PROCID_CHARS),
    headerField(alert.category, MAX_MSGID_CHARS),
    sd,
  ].join(' ');
}

/** A complete SYSLOG-MSG: header, SP, BOM, MSG in UTF-8. */
export function syslogMessage(alert: Alert, options: SyslogHeaderOptions, msg: string): Buffer {
  return Buffer.concat([
    Buffer.from(`${syslogHeader(alert, options)} `, 'ascii'),
    UTF8_BOM,
    Buffer.from(msg, 'utf8'),
  ]);
}
