// The roles-to-rights table of the Modbus/TCP Security gateway (issue 6), and the shape in which
// the policy compiler emits the operations nftables cannot see (issue 5: function codes, address
// ranges). One shape for both, so a compiled policy can be handed to the gateway as it is.
//
// A role is the single UTF8String of the client certificate's role extension
// (OID 1.3.6.1.4.1.50316.802.1, Modbus/TCP Security, MB-TCP-Sec v21 section 6). A request is allowed
// when one entry for the client's role allows all of it; anything no entry allows is denied with
// Modbus exception 01 (ILLEGAL FUNCTION).

import type { Operation } from '../dissectors/operations.ts';

/** Inclusive range of Modbus data addresses (0-based PDU addresses) or values. */
export interface InclusiveRange {
  from: number;
  to: number;
}

/** A weekly time window in the gateway's local time zone; `to` may be before `from` (overnight). */
export interface TimeWindow {
  /** 0 = Sunday ... 6 = Saturday; empty means every day. */
  days: number[];
  /** `HH:MM`, 24-hour. */
  from: string;
  to: string;
}

export interface RoleRights {
  role: string;
  /** Why this entry exists (e.g. `conduit hmi-to-plc`); shown in audit lines. */
  source: string | null;
  /** The PLCs (upstream names in the gateway config) the entry applies to; empty means all. */
  targets: string[];
  /** Unit ids; empty means any. */
  units: number[];
  /** Function names (`READ_HOLDING_REGISTERS`) allowed; empty together with `classes` means any. */
  functions: string[];
  /** Operation classes allowed (read, write, diagnostic, ...). */
  classes: Operation[];
  /** Address ranges a read may touch; empty means any. */
  read: InclusiveRange[];
  /** Address ranges a write may touch; empty means any. */
  write: InclusiveRange[];
  /** Values a register write may carry; empty means any. */
  values: InclusiveRange[];
  /** When the entry is in force; empty means always. */
  windows: TimeWindow[];
}

export interface RightsTable {
  roles: RoleRights[];
}
