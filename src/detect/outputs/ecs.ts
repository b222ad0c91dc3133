// Alerts as Elastic Common Schema 8.x documents, one JSON object per line (NDJSON), ready for
// Filebeat/Elastic Agent or a bulk import. Field meanings follow the ECS 8.x field reference:
// event.kind=alert (ECS "event.kind": a finding raised by a detection), threat.* for MITRE ATT&CK.

import { createWriteStream } from 'node:fs';
import { isIP } from 'node:net';
import type { Writable } from 'node:stream';
import type { Alert } from '../alert.ts';
import { ZONEWARD_VERSION } from './cef.ts';
import { LineSink } from './jsonl.ts';
import { CEF_SEVERITY } from './severity.ts';

/** The ECS release these documents follow (ecs.version). */
export const ECS_VERSION = '8.11.0';
export const THREAT_FRAMEWORK = 'MITRE ATT&CK for ICS';
/** ICS techniques live under the same path as Enterprise ones: attack.mitre.org/techniques/T0843/. */
export const ATTACK_TECHNIQUE_URL = 'https://attack.mitre.org/techniques/';

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** ECS endpoint: `ip` for addresses, `mac` in ECS's format (upper case, hyphens), else `address`. */
function endpoint(value: string | null): Record<string, string> | undefined {
  if (value === null || value === '') return undefined;
  if (isIP(value) !== 0) return { ip: value, address: value };
  if (MAC.test(value)) {
    const mac = value.replace(/:/g, '-').toUpperCase();
    return { mac, address: mac };
  }
  return { address: value };
}

function isoTime(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString();
}

/** One ECS document for an alert. Zoneward-only facts sit under `zoneward.alert` (ECS custom fields). */
export function ecsDocument(
  alert: Alert,
  options: { productVersion?: string } = {},
): Record<string, unknown> {
  const source = endpoint(alert.src);
  const destination = endpoint(alert.dst);
  const relatedIps = [alert.src, alert.dst].filter((v): v is string => v !== null && isIP(v) !== 0);
  return {
    '@timestamp': isoTime(alert.ts),
    ecs: { version: ECS_VERSION },
    message: alert.summary,
    event: {
      kind: 'alert',
      // ECS allowed values: a network monitor's finding is intrusion_detection on the network.
      category: ['intrusion_detection', 'network'],
      type: ['info'],
      severity: CEF_SEVERITY[alert.severity],
      id: alert.id,
      action: alert.category,
      start: isoTime(alert.firstSeen),
      end: isoTime(alert.lastSeen),
      module: 'zoneward',
      dataset: 'zoneward.alert',
    },
    rule: { name: alert.category, id: alert.category },
    threat: {
      framework: THREAT_FRAMEWORK,
      // ECS: threat.technique.* "should contain an array of values".
      technique: {
        id: [alert.technique],
        name: [alert.techniqueName],
        reference: [`${ATTACK_TECHNIQUE_URL}${alert.technique}/`],
      },
    },
    ...(source ? { source } : {}),
    ...(destination ? { destination } : {}),
    ...(relatedIps.length > 0 ? { related: { ip: [...new Set(relatedIps)] } } : {}),
    observer: {
      vendor: 'Zoneward',
      product: 'Zoneward',
      type: 'ids',
      version: options.productVersion ?? ZONEWARD_VERSION,
    },
    labels: { zoneward_severity: alert.severity, zoneward_state: alert.state },
    zoneward: {
      alert: {
        severity: alert.severity,
        state: alert.state,
        count: alert.count,
        assets: alert.assets,
        evidence: alert.evidence,
      },
    },
  };
}

/** ECS NDJSON to a Writable (left open on close()). */
export function ecsSink(out: Writable, name = 'ecs'): LineSink {
  return new LineSink(name, out, (alert) => JSON.stringify(ecsDocument(alert)));
}

/** ECS NDJSON appended to a file, which close() ends. */
export function ecsFileSink(path: string): LineSink {
  return new LineSink(
    `ecs:${path}`,
    createWriteStream(path, { flags: 'a' }),
    (alert) => JSON.stringify(ecsDocument(alert)),
    {
      ownsStream: true,
    },
  );
}
