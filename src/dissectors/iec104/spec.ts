// IEC 60870-5-104 code tables: APCI formats and U-format functions, ASDU type identifications,
// causes of transmission, the size of each type's information element set, and what each type
// means in Zoneward's operation vocabulary. Names are the standard's mnemonics (M_SP_NA_1,
// C_SC_NA_1) as Wireshark and the Zeek IEC 104 analyzers print them; causes of transmission are
// the standard's abbreviations in upper case (ACT, ACTCON, INROGEN). Unknown codes print
// `UNKNOWN-<n>` (DESIGN.md "Names"). The lookup arrays at the bottom are built once at load, so
// the per-message path indexes an array and never builds a string.
//
// Sources: IEC 60870-5-104:2006 §5 (APCI, the I/S/U formats and the U functions), §9 (the ASDU
// types 104 allows, and its fixed field sizes); IEC 60870-5-101:2003 §7.2.1 (type identification,
// Table 8 onwards), §7.2.3 (cause of transmission), §7.3 (information element sets, one subclause
// per type); IEC 60870-5-4 §6 (the information elements themselves: SIQ, DIQ, NVA, CP56Time2a...);
// IEC 62351-5 / IEC 60870-5-7 for the security types 41 and 81-95.

import type { Operation } from '../operations.ts';

export type { Operation };

/** First octet of every APDU (104 §5: "START 68H"). */
export const START_BYTE = 0x68;

/** APCI formats, told apart by the two low bits of control octet 1 (104 §5, Figures 6-8). */
export const APCI_FORMATS = { I: 'I', S: 'S', U: 'U' } as const;
export type ApciFormat = keyof typeof APCI_FORMATS;

/**
 * U-format functions: control octet 1 with exactly one of the six function bits set and the two
 * format bits (11) (104 §5.3, Figure 8). Octets 2-4 are zero.
 */
export const U_FUNCTIONS = {
  STARTDT_ACT: 0x07,
  STARTDT_CON: 0x0b,
  STOPDT_ACT: 0x13,
  STOPDT_CON: 0x23,
  TESTFR_ACT: 0x43,
  TESTFR_CON: 0x83,
} as const;
export type UFunction = keyof typeof U_FUNCTIONS;

/**
 * What the U functions are in the operation vocabulary. TESTFR is a keep-alive (diagnostic).
 * STARTDT/STOPDT switch the transfer of I-format data on or off for this connection only (104
 * §5.3); every client, including a read-only HMI, must send STARTDT before it receives anything,
 * so classing it `control` would force read-only conduits to allow `control`. It is `other`.
 */
export const U_FUNCTION_OPERATION: Readonly<Record<UFunction, Operation>> = {
  STARTDT_ACT: 'other',
  STARTDT_CON: 'other',
  STOPDT_ACT: 'other',
  STOPDT_CON: 'other',
  TESTFR_ACT: 'diagnostic',
  TESTFR_CON: 'diagnostic',
};

/** Variable element sets: the size depends on the content (file segments, security messages). */
export const VARIABLE = -1;

/**
 * How a command type carries its value (101 §7.3.2, 104 §9.3): which decoder reads the first
 * information object's element set. `none` carries nothing worth a field.
 */
export type ValueKind =
  | 'none'
  | 'sco' // single command: SCS bit 0, QU bits 2-6, S/E bit 7 (101 §7.2.6.15)
  | 'dco' // double command: DCS bits 0-1, QU, S/E (§7.2.6.16)
  | 'rco' // regulating step command: RCS bits 0-1, QU, S/E (§7.2.6.17)
  | 'nva_qos' // normalised value (int16 / 2^15) then QOS: QL bits 0-6, S/E bit 7 (§7.2.6.6, §7.2.6.39)
  | 'sva_qos' // scaled value (int16) then QOS
  | 'float_qos' // IEEE 754 single then QOS (§7.2.6.8)
  | 'bsi' // bitstring of 32 bits (§7.2.6.13)
  | 'nva_qpm' // normalised value then QPM (parameter of measured value, §7.2.6.24)
  | 'sva_qpm'
  | 'float_qpm'
  | 'qualifier' // a single qualifier octet: QOI, QCC, QRP, COI, QPA
  | 'tsc'; // test sequence counter, 16 bits (§7.2.6.52)

interface TypeInfo {
  readonly code: number;
  /** Octets of one information element set after the information object address. */
  readonly size: number;
  readonly operation: Operation;
  readonly value: ValueKind;
}

const t = (code: number, size: number, operation: Operation, value: ValueKind = 'none'): TypeInfo => ({
  code,
  size,
  operation,
  value,
});

/**
 * Type identifications (101 §7.2.1.1 Table 8; 104 §9 lists the ones 104 allows; the security
 * types come from IEC 62351-5). Sizes are the information element set per object (101 §7.3);
 * CP24Time2a is 3 octets, CP56Time2a 7, CP16Time2a 2.
 *
 * Operations: monitoring types report process data (`read`); single, double and regulating step
 * commands act on equipment (`control`); set points, bitstring commands and parameter loading
 * change values (`write`); interrogation, counter interrogation and the read command ask for data
 * (`read`); clock synchronisation, test and delay acquisition are `diagnostic`; reset process
 * restarts the application (`control`); file transfer is `file`; the authentication and key
 * management types of IEC 62351-5 are `auth`.
 */
export const TYPE_IDS = {
  // Process information in monitor direction (101 §7.3.1)
  M_SP_NA_1: t(1, 1, 'read'), // single-point information: SIQ
  M_SP_TA_1: t(2, 4, 'read'), // SIQ + CP24Time2a (101 only)
  M_DP_NA_1: t(3, 1, 'read'), // double-point information: DIQ
  M_DP_TA_1: t(4, 4, 'read'),
  M_ST_NA_1: t(5, 2, 'read'), // step position: VTI + QDS
  M_ST_TA_1: t(6, 5, 'read'),
  M_BO_NA_1: t(7, 5, 'read'), // bitstring of 32 bits: BSI + QDS
  M_BO_TA_1: t(8, 8, 'read'),
  M_ME_NA_1: t(9, 3, 'read'), // measured value, normalised: NVA + QDS
  M_ME_TA_1: t(10, 6, 'read'),
  M_ME_NB_1: t(11, 3, 'read'), // measured value, scaled: SVA + QDS
  M_ME_TB_1: t(12, 6, 'read'),
  M_ME_NC_1: t(13, 5, 'read'), // measured value, short float: IEEE STD 754 + QDS
  M_ME_TC_1: t(14, 8, 'read'),
  M_IT_NA_1: t(15, 5, 'read'), // integrated totals: BCR
  M_IT_TA_1: t(16, 8, 'read'),
  M_EP_TA_1: t(17, 6, 'read'), // event of protection equipment: SEP + CP16Time2a + CP24Time2a
  M_EP_TB_1: t(18, 7, 'read'), // packed start events: SPE + QDP + CP16 + CP24
  M_EP_TC_1: t(19, 7, 'read'), // packed output circuit information: OCI + QDP + CP16 + CP24
  M_PS_NA_1: t(20, 5, 'read'), // packed single-point with status change detection: SCD + QDS
  M_ME_ND_1: t(21, 2, 'read'), // measured value, normalised, no quality descriptor: NVA
  M_SP_TB_1: t(30, 8, 'read'), // the CP56Time2a variants (104 §9: types 30-40)
  M_DP_TB_1: t(31, 8, 'read'),
  M_ST_TB_1: t(32, 9, 'read'),
  M_BO_TB_1: t(33, 12, 'read'),
  M_ME_TD_1: t(34, 10, 'read'),
  M_ME_TE_1: t(35, 10, 'read'),
  M_ME_TF_1: t(36, 12, 'read'),
  M_IT_TB_1: t(37, 12, 'read'),
  M_EP_TD_1: t(38, 10, 'read'), // SEP + CP16 + CP56
  M_EP_TE_1: t(39, 11, 'read'),
  M_EP_TF_1: t(40, 11, 'read'),
  S_IT_TC_1: t(41, VARIABLE, 'read'), // integrated totals of security statistics (IEC 62351-5); recognised only
  // Process information in control direction (101 §7.3.2, 104 §9)
  C_SC_NA_1: t(45, 1, 'control', 'sco'),
  C_DC_NA_1: t(46, 1, 'control', 'dco'),
  C_RC_NA_1: t(47, 1, 'control', 'rco'),
  C_SE_NA_1: t(48, 3, 'write', 'nva_qos'),
  C_SE_NB_1: t(49, 3, 'write', 'sva_qos'),
  C_SE_NC_1: t(50, 5, 'write', 'float_qos'),
  C_BO_NA_1: t(51, 4, 'write', 'bsi'),
  C_SC_TA_1: t(58, 8, 'control', 'sco'), // the same with CP56Time2a (104 §8.x, types 58-64)
  C_DC_TA_1: t(59, 8, 'control', 'dco'),
  C_RC_TA_1: t(60, 8, 'control', 'rco'),
  C_SE_TA_1: t(61, 10, 'write', 'nva_qos'),
  C_SE_TB_1: t(62, 10, 'write', 'sva_qos'),
  C_SE_TC_1: t(63, 12, 'write', 'float_qos'),
  C_BO_TA_1: t(64, 11, 'write', 'bsi'),
  // System information in monitor direction (101 §7.3.3): the station reports its own restart.
  M_EI_NA_1: t(70, 1, 'diagnostic', 'qualifier'), // end of initialisation: COI
  // Security (IEC 62351-5 §8, IEC 60870-5-7): variable length, recognised only.
  S_CH_NA_1: t(81, VARIABLE, 'auth'),
  S_RP_NA_1: t(82, VARIABLE, 'auth'),
  S_AR_NA_1: t(83, VARIABLE, 'auth'),
  S_KR_NA_1: t(84, VARIABLE, 'auth'),
  S_KS_NA_1: t(85, VARIABLE, 'auth'),
  S_KC_NA_1: t(86, VARIABLE, 'auth'),
  S_ER_NA_1: t(87, VARIABLE, 'auth'),
  S_UC_NA_1: t(88, VARIABLE, 'auth'),
  S_US_NA_1: t(90, VARIABLE, 'auth'),
  S_UQ_NA_1: t(91, VARIABLE, 'auth'),
  S_UR_NA_1: t(92, VARIABLE, 'auth'),
  S_UK_NA_1: t(93, VARIABLE, 'auth'),
  S_UA_NA_1: t(94, VARIABLE, 'auth'),
  S_UF_NA_1: t(95, VARIABLE, 'auth'),
  // System information in control direction (101 §7.3.4)
  C_IC_NA_1: t(100, 1, 'read', 'qualifier'), // interrogation: QOI
  C_CI_NA_1: t(101, 1, 'read', 'qualifier'), // counter interrogation: QCC
  C_RD_NA_1: t(102, 0, 'read'), // read: the address alone
  C_CS_NA_1: t(103, 7, 'diagnostic'), // clock synchronisation: CP56Time2a
  C_TS_NA_1: t(104, 2, 'diagnostic', 'tsc'), // test: FBP (101 only; 104 §9 uses type 107)
  C_RP_NA_1: t(105, 1, 'control', 'qualifier'), // reset process: QRP
  C_CD_NA_1: t(106, 2, 'diagnostic'), // delay acquisition: CP16Time2a (101 only)
  C_TS_TA_1: t(107, 9, 'diagnostic', 'tsc'), // test with time tag: TSC + CP56Time2a
  // Parameters in control direction (101 §7.3.5)
  P_ME_NA_1: t(110, 3, 'write', 'nva_qpm'),
  P_ME_NB_1: t(111, 3, 'write', 'sva_qpm'),
  P_ME_NC_1: t(112, 5, 'write', 'float_qpm'),
  P_AC_NA_1: t(113, 1, 'write', 'qualifier'), // parameter activation: QPA
  // File transfer (101 §7.3.6, 104 §9)
  F_FR_NA_1: t(120, 6, 'file'), // file ready: NOF + LOF + FRQ
  F_SR_NA_1: t(121, 7, 'file'), // section ready: NOF + NOS + LOF + SRQ
  F_SC_NA_1: t(122, 4, 'file'), // call/select: NOF + NOS + SCQ
  F_LS_NA_1: t(123, 5, 'file'), // last section/segment: NOF + NOS + LSQ + CHS
  F_AF_NA_1: t(124, 4, 'file'), // ack file/section: NOF + NOS + AFQ
  F_SG_NA_1: t(125, VARIABLE, 'file'), // segment: NOF + NOS + LOS + LOS octets
  F_DR_TA_1: t(126, 13, 'file'), // directory: NOF + LOF + SOF + CP56Time2a
  F_SC_NB_1: t(127, 16, 'file'), // query log: NOF + CP56Time2a start + CP56Time2a stop
} as const satisfies Record<string, TypeInfo>;
export type TypeIdName = keyof typeof TYPE_IDS;

/** F_SG_NA_1 segment: name of file (2), name of section (1), length of segment (1), then the segment (101 §7.3.6.6). */
export const F_SG_FIXED_OCTETS = 4;

/** Causes of transmission, the 6-bit cause field (101 §7.2.3, Table 14; 14-16 from IEC 62351-5). */
export const CAUSES = {
  PER_CYC: 1, // periodic, cyclic
  BACK: 2, // background scan
  SPONT: 3, // spontaneous
  INIT: 4, // initialised
  REQ: 5, // request or requested
  ACT: 6, // activation
  ACTCON: 7, // activation confirmation
  DEACT: 8, // deactivation
  DEACTCON: 9, // deactivation confirmation
  ACTTERM: 10, // activation termination
  RETREM: 11, // return information caused by a remote command
  RETLOC: 12, // return information caused by a local command
  FILE: 13, // file transfer
  AUTH: 14, // authentication
  SESKEY: 15, // maintenance of the authentication session key
  USRKEY: 16, // maintenance of the user role and update key
  INROGEN: 20, // interrogated by station interrogation
  INRO1: 21,
  INRO2: 22,
  INRO3: 23,
  INRO4: 24,
  INRO5: 25,
  INRO6: 26,
  INRO7: 27,
  INRO8: 28,
  INRO9: 29,
  INRO10: 30,
  INRO11: 31,
  INRO12: 32,
  INRO13: 33,
  INRO14: 34,
  INRO15: 35,
  INRO16: 36,
  REQCOGEN: 37, // requested by general counter request
  REQCO1: 38,
  REQCO2: 39,
  REQCO3: 40,
  REQCO4: 41,
  UNKNOWN_TYPE: 44, // unknown type identification
  UNKNOWN_CAUSE: 45, // unknown cause of transmission
  UNKNOWN_ASDU_ADDRESS: 46, // unknown common address of ASDU
  UNKNOWN_OBJECT_ADDRESS: 47, // unknown information object address
} as const;

/** Cause of transmission octet: bit 8 T (test), bit 7 P/N (negative confirm), bits 1-6 the cause (101 §7.2.3). */
export const COT_TEST_BIT = 0x80;
export const COT_NEGATIVE_BIT = 0x40;
export const COT_CAUSE_MASK = 0x3f;
/** Variable structure qualifier: bit 8 SQ (one address, consecutive objects), bits 1-7 the number of objects (101 §7.2.2). */
export const VSQ_SQ_BIT = 0x80;
export const VSQ_COUNT_MASK = 0x7f;
/** S/E bit of SCO, DCO, RCO and QOS: 1 select, 0 execute (101 §7.2.6.15-17, §7.2.6.39). */
export const SELECT_BIT = 0x80;

// --- lookup arrays, built once ---------------------------------------------------------------

function unknownNames(size: number): string[] {
  return Array.from({ length: size }, (_, i) => `UNKNOWN-${i}`);
}

/** Type name by type identification octet; `UNKNOWN-<n>` where the standard defines none. */
export const TYPE_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(256);
  for (const [name, info] of Object.entries(TYPE_IDS)) out[info.code] = name;
  return out;
})();

/** Element set size by type; VARIABLE for variable sets, and for unknown types (nothing to check). */
export const ELEMENT_SIZE_BY_CODE: Int8Array = (() => {
  const out = new Int8Array(256).fill(VARIABLE);
  for (const info of Object.values(TYPE_IDS)) out[info.code] = info.size;
  return out;
})();

/** True for the types the standard defines. */
export const KNOWN_TYPE_BY_CODE: readonly boolean[] = (() => {
  const out = new Array<boolean>(256).fill(false);
  for (const info of Object.values(TYPE_IDS)) out[info.code] = true;
  return out;
})();

/** Operation by type; unknown and private types (128-255) are `other`. */
export const OPERATION_BY_CODE: readonly Operation[] = (() => {
  const out = new Array<Operation>(256).fill('other');
  for (const info of Object.values(TYPE_IDS)) out[info.code] = info.operation;
  return out;
})();

/** How each type's value is read; `none` for unknown types. */
export const VALUE_KIND_BY_CODE: readonly ValueKind[] = (() => {
  const out = new Array<ValueKind>(256).fill('none');
  for (const info of Object.values(TYPE_IDS)) out[info.code] = info.value;
  return out;
})();

/** Cause name by the 6-bit cause; `UNKNOWN-<n>` for 0 (not used) and the reserved values. */
export const CAUSE_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(64);
  for (const [name, code] of Object.entries(CAUSES)) out[code] = name;
  return out;
})();

/** U function name by control octet 1; null where the octet is not a valid U function. */
export const U_FUNCTION_BY_OCTET: readonly (UFunction | null)[] = (() => {
  const out = new Array<UFunction | null>(256).fill(null);
  for (const [name, octet] of Object.entries(U_FUNCTIONS)) out[octet] = name as UFunction;
  return out;
})();
