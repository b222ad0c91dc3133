// The detection categories (issue 4, "Detections"): one row per kind of finding, with its default
// severity, its MITRE ATT&CK for ICS technique (https://attack.mitre.org/techniques/ics/, v15) and
// the plain sentence an alert prints. Rules raise findings by category name; nothing else in
// src/detect knows a technique id.

import type { Severity } from './alert.ts';

export interface Category {
  readonly name: string;
  readonly severity: Severity;
  /** ATT&CK for ICS technique id and name. */
  readonly technique: string;
  readonly techniqueName: string;
  /**
   * Plain-words template; `{src}`, `{dst}`, `{key}` and `{detail}` are filled from the finding.
   * Written for a plant engineer, not for an analyst.
   */
  readonly explain: string;
}

const c = (
  name: string,
  severity: Severity,
  technique: string,
  techniqueName: string,
  explain: string,
): Category => ({ name, severity, technique, techniqueName, explain });

/** Sorted by name. */
export const CATEGORIES = [
  c(
    'arp-spoofing',
    'high',
    'T0830',
    'Adversary-in-the-Middle',
    '{src} sent ARP claiming {key} with a sender address that is not its own ({detail}): traffic may be redirected through it',
  ),
  c(
    'auth-operation',
    'medium',
    'T0859',
    'Valid Accounts',
    '{src} ran a password or access operation on {dst}: {detail}',
  ),
  c(
    'cadence-drift',
    'medium',
    'T0855',
    'Unauthorized Command Message',
    'The polling of {dst} by {src} ({key}) no longer keeps its learned rhythm: {detail}',
  ),
  c(
    'cpu-mode-change',
    'high',
    'T0858',
    'Change Operating Mode',
    '{src} changed the operating state of {dst} (stop, start or mode change): {detail}',
  ),
  c(
    'device-replaced',
    'high',
    'T0848',
    'Rogue Master',
    '{dst} now reports a different {key} than the baseline: {detail}; the device may have been swapped',
  ),
  c('device-restart', 'high', 'T0816', 'Device Restart/Shutdown', '{src} told {dst} to restart: {detail}'),
  c(
    'discovery-sweep',
    'medium',
    'T0888',
    'Remote System Information Discovery',
    '{src} asked devices to identify themselves ({key}): {detail}',
  ),
  c(
    'file-operation',
    'low',
    'T0867',
    'Lateral Tool Transfer',
    '{src} ran a file or block operation on {dst}: {detail}',
  ),
  c(
    'firmware-changed',
    'high',
    'T0839',
    'Module Firmware',
    '{dst} now reports firmware different from the baseline: {detail}',
  ),
  c(
    'firmware-update',
    'critical',
    'T0839',
    'Module Firmware',
    '{src} sent a firmware update to {dst}: {detail}',
  ),
  c(
    'flood',
    'high',
    'T0814',
    'Denial of Service',
    '{src} is sending messages to {dst} far faster than normal: {detail}',
  ),
  c(
    'forced-values',
    'high',
    'T0835',
    'Manipulate I/O Image',
    '{src} forced or released I/O values on {dst}: {detail}',
  ),
  c(
    'host-sweep',
    'medium',
    'T0846',
    'Remote System Discovery',
    '{src} contacted port {key} on many hosts in a short time: {detail}',
  ),
  c(
    'ip-conflict',
    'medium',
    'T0830',
    'Adversary-in-the-Middle',
    'Two devices claim the address {key}: {detail}',
  ),
  c('missing-traffic', 'high', 'T0814', 'Denial of Service', '{src} stopped polling {dst} ({key}): {detail}'),
  c(
    'new-asset',
    'medium',
    'T0848',
    'Rogue Master',
    'A device not in the baseline is sending: {key} ({detail})',
  ),
  c(
    'new-function',
    'medium',
    'T0855',
    'Unauthorized Command Message',
    '{src} used a function on {dst} it never used before: {key} ({detail})',
  ),
  c(
    'new-operation',
    'high',
    'T0855',
    'Unauthorized Command Message',
    '{src} did something to {dst} it never did before: {key} ({detail})',
  ),
  c('new-pair', 'medium', 'T0886', 'Remote Services', '{src} talked to {dst} for the first time: {detail}'),
  c(
    'new-protocol',
    'medium',
    'T0869',
    'Standard Application Layer Protocol',
    '{src} talked to {dst} over a protocol or port never seen between them: {key}',
  ),
  c(
    'new-writer',
    'high',
    'T0855',
    'Unauthorized Command Message',
    '{src} wrote to {dst} but was never seen writing before: {detail}',
  ),
  c(
    'port-scan',
    'medium',
    'T0846',
    'Remote System Discovery',
    '{src} tried many ports of {dst} in a short time: {detail}',
  ),
  c(
    'program-download',
    'high',
    'T0843',
    'Program Download',
    '{src} changed the program of {dst} (download or block change): {detail}',
  ),
  c('program-upload', 'medium', 'T0845', 'Program Upload', '{src} read the program out of {dst}: {detail}'),
  c(
    'protocol-violation',
    'medium',
    'T0866',
    'Exploitation of Remote Services',
    'Malformed {key} traffic between {src} and {dst}: {detail}',
  ),
  c(
    'unit-id-sweep',
    'medium',
    'T0846',
    'Remote System Discovery',
    '{src} addressed many unit ids on {dst} in a short time: {detail}',
  ),
  c(
    'write-address-out-of-range',
    'high',
    'T0836',
    'Modify Parameter',
    '{src} wrote to {dst} outside the addresses it normally writes: {detail}',
  ),
  c(
    'write-value-out-of-range',
    'high',
    'T0836',
    'Modify Parameter',
    '{src} wrote a value to {dst} outside the learned range: {detail}',
  ),
] as const satisfies readonly Category[];

export type CategoryName = (typeof CATEGORIES)[number]['name'];

const BY_NAME: ReadonlyMap<string, Category> = new Map(CATEGORIES.map((x) => [x.name, x]));

export function category(name: CategoryName): Category {
  const found = BY_NAME.get(name);
  if (found === undefined) throw new Error(`unknown detection category ${name}`);
  return found;
}

/** The summary sentence of a finding (the template's placeholders filled in). */
export function explain(
  cat: Category,
  f: { src: string | null; dst: string | null; key: string; detail: string },
): string {
  return cat.explain
    .replaceAll('{src}', f.src ?? 'an unknown source')
    .replaceAll('{dst}', f.dst ?? 'the network')
    .replaceAll('{key}', f.key)
    .replaceAll('{detail}', f.detail);
}
