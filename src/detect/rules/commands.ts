// Engineering and state-changing commands that alert with or without a baseline (issue 4): program
// download/upload and block changes, CPU stop/start/mode change, device restart, firmware update,
// forced values, password/authentication operations, file operations. Read from requests (dir 0)
// through the shared operation vocabulary; only the function names below are protocol-specific.

import type { Severity } from '../alert.ts';
import type { BaselineIndex } from '../baseline-index.ts';
import type { CategoryName } from '../categories.ts';
import type { Raise } from '../finding.ts';
import { stringField } from '../vocabulary.ts';
import type { MessageView, Rule } from './rule.ts';

/**
 * Protocols whose `auth`/`file` operations are IT plumbing, not plant engineering (TLS handshakes,
 * SSH key exchange, HTTP, DNS, DHCP, SNMP, LLDP/CDP): never command alerts.
 */
const IT_APPS: ReadonlySet<string> = new Set([
  'cdp',
  'dhcp',
  'dns',
  'dns_tcp',
  'http',
  'lldp',
  'snmp',
  'ssh',
  'tls',
]);

/**
 * Routine session setup classified `auth` by the dissectors: every client opens a session this way,
 * so alerting on it would fire on all normal traffic. ENIP RegisterSession/UnRegisterSession
 * (CIP Vol. 2 §2-4.4), OPC UA secure channel and session services (Part 4 §5.5-5.6), S7comm-plus
 * session objects (CreateObject/DeleteObject).
 */
const ROUTINE_SESSION_FUNCS: ReadonlySet<string> = new Set([
  'REGISTER_SESSION',
  'UNREGISTER_SESSION',
  'OPEN_SECURE_CHANNEL',
  'CLOSE_SECURE_CHANNEL',
  'CREATE_SESSION',
  'ACTIVATE_SESSION',
  'CLOSE_SESSION',
  'CREATE_OBJECT',
  'DELETE_OBJECT',
  'START_DTLS',
]);

/**
 * Restarts: DNP3 COLD_RESTART/WARM_RESTART (IEEE 1815 §4.4.7), CIP Reset (Vol. 1 §5-4.3.3), BACnet
 * ReinitializeDevice (135 §16.4), IEC 104 C_RP_NA_1 reset process (101 §7.3.4.16), Modicon 884
 * reset comm link. Modbus Diagnostics 0x08 sub-function 0x01 is checked on `modbus.subfunction`.
 */
const RESTART_FUNCS: ReadonlySet<string> = new Set([
  'COLD_RESTART',
  'WARM_RESTART',
  'RESET',
  'REINITIALIZE_DEVICE',
  'C_RP_NA_1',
  'RESET_COMM_LINK_884_U84',
]);
const RESTART_SUBFUNCTIONS: ReadonlySet<string> = new Set(['RESTART_COMMUNICATIONS_OPTION']);

/**
 * Stop, start and mode changes: S7 PLC_STOP/PLC_CONTROL (P_PROGRAM), UMAS START_PLC/STOP_PLC/
 * INIT_PLC and debugging, CIP Start/Stop, DNP3 START_APPL/STOP_APPL/INITIALIZE_APPL, BACnet
 * DeviceCommunicationControl, Modbus Force Listen Only Mode, S7 userdata EXIT_HOLD/BREAKPOINT.
 * Routine operator controls (DNP3 SELECT/OPERATE, IEC 104 C_SC/C_DC) are not on this list.
 */
const MODE_CHANGE_FUNCS: ReadonlySet<string> = new Set([
  'PLC_STOP',
  'PLC_CONTROL',
  'STOP_PLC',
  'START_PLC',
  'INIT_PLC',
  'STOP',
  'START',
  'Stop',
  'Start',
  'START_APPL',
  'STOP_APPL',
  'INITIALIZE_APPL',
  'DEVICE_COMMUNICATION_CONTROL',
  'FORCE_LISTEN_ONLY_MODE',
  'EXIT_HOLD',
  'BREAKPOINT',
  'BKPT_SET',
  'BKPT_DEL',
  'STEP_IN',
  'STEP_OVER',
  'STEP_OUT',
]);

/** Forcing: CIP ENABLE_FORCES/DISABLE_FORCES, S7 FORCE_SELECTION... but not reads of forced bits. */
function isForce(func: string): boolean {
  return func.includes('FORCE') && !func.startsWith('GET_') && func !== 'FORCE_LISTEN_ONLY_MODE';
}

/** The command category of a request, or null for everything routine. */
export function commandCategory(m: MessageView): CategoryName | null {
  const op = m.op;
  const func = m.func ?? '';
  if (op === null || op === 'read' || op === 'write' || op === 'discovery' || op === 'other') {
    return op === 'write' && isForce(func) ? 'forced-values' : null;
  }
  if (IT_APPS.has(m.e.app)) return null;
  if (func.includes('FIRMWARE')) return 'firmware-update';
  if (RESTART_FUNCS.has(func)) return 'device-restart';
  if (func === 'DIAGNOSTICS' || op === 'diagnostic' || op === 'control') {
    const sub = stringField(m.e.fields, m.v.subfunctionField);
    if (sub !== null && RESTART_SUBFUNCTIONS.has(sub)) return 'device-restart';
  }
  switch (op) {
    case 'program':
      return func.includes('UPLOAD') ? 'program-upload' : 'program-download';
    case 'control':
      if (isForce(func)) return 'forced-values';
      return MODE_CHANGE_FUNCS.has(func) ? 'cpu-mode-change' : null;
    case 'auth':
      return ROUTINE_SESSION_FUNCS.has(func) ? null : 'auth-operation';
    case 'file':
      return 'file-operation';
    default:
      return null;
  }
}

/** Severities inside a declared maintenance window for the authorised source: one step is not enough. */
export const MAINTENANCE_SEVERITY: Severity = 'info';

export interface MaintenanceWindow {
  readonly source: string;
  /** Devices the source may work on; all when absent. */
  readonly targets?: readonly string[];
  readonly from: number;
  readonly to: number;
}

export function inMaintenance(
  windows: readonly MaintenanceWindow[],
  src: string,
  dst: string,
  ts: number,
): boolean {
  for (const w of windows) {
    if (w.source !== src || ts < w.from || ts > w.to) continue;
    if (w.targets === undefined || w.targets.includes(dst)) return true;
  }
  return false;
}

export class CommandRule implements Rule {
  readonly name = 'commands';

  constructor(
    private readonly windows: readonly MaintenanceWindow[],
    /** With a baseline, a command the baseline learned on this channel is normal there. */
    private readonly baseline: BaselineIndex | null = null,
  ) {}

  message(m: MessageView, raise: Raise): void {
    if (!m.isRequest || m.op === null || m.op === 'read') return;
    const cat = commandCategory(m);
    if (cat === null) return;
    const func = m.func ?? m.op;
    if (this.baseline?.knowsFunction(m.src, m.dst, m.e.app, func)) return;
    const maintenance = this.windows.length > 0 && inMaintenance(this.windows, m.src, m.dst, m.e.ts);
    raise({
      category: cat,
      src: m.src,
      dst: m.dst,
      // Inside a window the finding is a different aggregate: the same command outside it alerts
      // at full severity, never folded into a muted alert.
      key: maintenance ? `${func} (maintenance window)` : func,
      ts: m.e.ts,
      detail: `${m.e.app} ${func}${maintenance ? ' inside a declared maintenance window' : ''}`,
      fields: pickFields(m),
      severity: maintenance ? MAINTENANCE_SEVERITY : undefined,
    });
  }
}

/** The evidence fields: function, operation, and the app's fields naming what was acted on. */
export function pickFields(m: MessageView): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, v] of Object.entries(m.e.fields)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    out[k] = v;
    if (++n >= MAX_EVIDENCE_FIELDS) break;
  }
  return out;
}

/** Fields copied into one piece of evidence. */
const MAX_EVIDENCE_FIELDS = 12;
