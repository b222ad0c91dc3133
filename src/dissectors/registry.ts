// Every dissector, listed once, sorted by name (STYLE.md 2). No registration by import side effect:
// to add a protocol, add its folder and one line here; registry.test.ts checks the rest.

import { bacnetDissector } from './bacnet/dissector.ts';
import { cdpDissector } from './cdp/dissector.ts';
import { dhcpDissector } from './dhcp/dissector.ts';
import { dnp3Dissector, dnp3UdpDissector } from './dnp3/dissector.ts';
import { dnsDissector, dnsTcpDissector } from './dns/dissector.ts';
import { enipDissector, enipIoDissector, enipUdpDissector } from './enip/dissector.ts';
import { httpDissector } from './http/dissector.ts';
import { iec104Dissector } from './iec104/dissector.ts';
import { lldpDissector } from './lldp/dissector.ts';
import { modbusDissector } from './modbus/dissector.ts';
import { opcuaDissector } from './opcua/dissector.ts';
import { profinetCmDissector, profinetDissector } from './profinet/dissector.ts';
import { s7commDissector, s7commPlusDissector } from './s7comm/dissector.ts';
import { snmpDissector } from './snmp/dissector.ts';
import { sshDissector } from './ssh/dissector.ts';
import { tlsDissector } from './tls/dissector.ts';
import type { AnyDissector } from './types.ts';

export const DISSECTORS: readonly AnyDissector[] = [
  bacnetDissector,
  cdpDissector,
  dhcpDissector,
  dnp3Dissector,
  dnp3UdpDissector,
  dnsDissector,
  dnsTcpDissector,
  enipDissector,
  enipUdpDissector,
  enipIoDissector,
  httpDissector,
  iec104Dissector,
  lldpDissector,
  modbusDissector,
  opcuaDissector,
  profinetDissector,
  profinetCmDissector,
  s7commDissector,
  s7commPlusDissector,
  snmpDissector,
  sshDissector,
  tlsDissector,
];
