// The demo plant: a small process plant across the Purdue levels, with documentation addresses
// only (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and MAC addresses under the real
// IEEE OUIs of each vendor (plant.test.ts checks every one against oui-data). `demoPlant(seed)`
// is the ground truth that tests compare the inventory with.
//
//   L1   control 192.0.2.0/24: 12 PLCs, RTUs and a serial gateway of 8 vendors (Modbus/TCP servers)
//   L2   control 192.0.2.0/24: SCADA server, two HMIs, engineering workstation
//   L3   site operations 198.51.100.0/25: historian;           core switch (gateway of all plant subnets)
//   L3.5 OT DMZ 198.51.100.128/25: historian mirror, jump host
//   L4   plant office 203.0.113.128/26 (DHCP via the core's relay): PC, laptop, printer
//   L4   enterprise 203.0.113.0/25 beyond the IT router: DNS, DHCP, users; seen with the router's MAC

import type { PurdueLevel, Role } from '../inventory/types.ts';
import { formatIpv4, formatMac, parseIpv4 } from './addresses.ts';
import {
  CISCO_STACK,
  embeddedStack,
  LINUX_STACK,
  type StackProfile,
  type Subnet,
  WINDOWS_STACK,
} from './network.ts';
import { Prng } from './prng.ts';

/** Capture start: Monday 2 March 2026, 06:00:00 UTC, the start of the early shift. */
export const DEMO_EPOCH_MICROS = Date.UTC(2026, 2, 2, 6, 0, 0) * 1000;
export const DNS_DOMAIN = 'plant.example';

export const SUBNETS = {
  control: {
    name: 'control',
    network: parseIpv4('192.0.2.0'),
    prefixLength: 24,
    gateway: parseIpv4('192.0.2.1'),
  },
  siteOperations: {
    name: 'site-operations',
    network: parseIpv4('198.51.100.0'),
    prefixLength: 25,
    gateway: parseIpv4('198.51.100.1'),
  },
  otDmz: {
    name: 'ot-dmz',
    network: parseIpv4('198.51.100.128'),
    prefixLength: 25,
    gateway: parseIpv4('198.51.100.129'),
  },
  office: {
    name: 'office',
    network: parseIpv4('203.0.113.128'),
    prefixLength: 26,
    gateway: parseIpv4('203.0.113.129'),
  },
  transit: {
    name: 'transit',
    network: parseIpv4('203.0.113.252'),
    prefixLength: 30,
    gateway: parseIpv4('203.0.113.253'),
  },
  enterprise: { name: 'enterprise', network: parseIpv4('203.0.113.0'), prefixLength: 25, gateway: 0 },
} as const satisfies Record<string, Subnet>;

export type SubnetName = keyof typeof SUBNETS;

/** Everything the generator needs to know about one device. */
export interface DeviceSpec {
  readonly name: string;
  readonly role: Role;
  readonly purdueLevel: PurdueLevel;
  readonly vendor: string;
  readonly model: string;
  readonly firmware: string | null;
  readonly description: string;
  readonly subnet: SubnetName;
  /** Static address; for DHCP clients the address of their first lease. */
  readonly ip: number;
  /** Further addresses: the core's other interfaces, or a DHCP client's later lease. */
  readonly moreIps: readonly number[];
  readonly mac: Uint8Array;
  /** The IEEE registry's organisation name for the MAC's OUI, as oui-data has it. */
  readonly ouiOrganization: string;
  readonly stack: StackProfile;
  readonly dhcp: boolean;
  readonly beyondRouter: boolean;
  /** Protocols and side, sorted: `modbus/server`, `dns/client`. */
  readonly protocols: readonly string[];
  /** Devices behind this one's address (a serial gateway's slaves, a BACnet router's MS/TP devices). */
  readonly behind: readonly DeviceBehind[];
  /** What it says about itself beyond Modbus identification, null when nothing. */
  readonly reports: ReportedIdentity | null;
}

/**
 * What a device says about itself over the protocols it speaks (SZL, ListIdentity, DNP3 device
 * attributes, BACnet device object, CDP, I&M0...), as the inventory should show it.
 */
export interface ReportedIdentity {
  readonly vendor: string;
  readonly model: string | null;
  readonly firmware: string | null;
  readonly serial: string | null;
  readonly name: string | null;
}

/** A device reached through a gateway, named by its address behind it. */
export interface DeviceBehind {
  /** As the inventory labels it: `unit 1` (Modbus unit id), `net 5 mac 0a` (BACnet network and MAC). */
  readonly unit: string;
  readonly vendor: string;
  readonly model: string;
  /** What the device reports about itself over the network, null when it reports nothing. */
  readonly reported: {
    readonly vendor: string;
    readonly model: string;
    readonly firmware: string;
    readonly serial: string | null;
    readonly name: string | null;
  } | null;
}

/** A fixed MAC under `oui`: the low three bytes come from the device name, not the seed. */
function macFor(oui: string, name: string): Uint8Array {
  const r = Prng.derive(0x0a11ce, `mac:${name}`).nextUint32();
  const hex = oui.replaceAll(':', '');
  return Uint8Array.from([
    Number.parseInt(hex.slice(0, 2), 16),
    Number.parseInt(hex.slice(2, 4), 16),
    Number.parseInt(hex.slice(4, 6), 16),
    (r >>> 16) & 0xff,
    (r >>> 8) & 0xff,
    r & 0xff,
  ]);
}

interface DeviceRow {
  name: string;
  role: Role;
  level: PurdueLevel;
  vendor: string;
  model: string;
  firmware: string | null;
  description: string;
  subnet: SubnetName;
  ip: string;
  moreIps?: string[];
  oui: string;
  ouiOrganization: string;
  stack: StackProfile;
  protocols: string[];
  dhcp?: boolean;
  behind?: DeviceBehind[];
  reports?: ReportedIdentity;
}

const MODBUS_SERVER = ['modbus/server'];
const WINDOWS_CLIENT = ['dns/client'];

/** The plant's devices. Addresses of DHCP clients are placeholders replaced per seed. */
const DEVICE_ROWS: readonly DeviceRow[] = [
  // Network
  {
    name: 'core-sw-1',
    role: 'network-device',
    level: 'L3',
    vendor: 'Cisco',
    model: 'Catalyst 9300-24T',
    firmware: 'IOS XE 17.9.4a',
    description: 'plant core switch: gateway of every plant subnet, DHCP relay for the office',
    subnet: 'control',
    ip: '192.0.2.1',
    moreIps: ['198.51.100.1', '198.51.100.129', '203.0.113.129', '203.0.113.253'],
    oui: '00:23:AC',
    ouiOrganization: 'Cisco Systems, Inc',
    stack: CISCO_STACK,
    protocols: ['cdp/sender', 'dhcp/relay', 'lldp/sender', 'snmp/server'],
    reports: {
      vendor: 'Cisco',
      model: 'cisco C9300-24T',
      firmware: '17.9.4a',
      serial: null,
      name: 'core-sw-1',
    },
  },
  {
    name: 'it-router-1',
    role: 'network-device',
    level: 'L4',
    vendor: 'Cisco',
    model: 'ISR 4331',
    firmware: 'IOS XE 17.6.5',
    description: 'enterprise router: every frame from beyond it carries its MAC',
    subnet: 'transit',
    ip: '203.0.113.254',
    oui: '00:1B:54',
    ouiOrganization: 'Cisco Systems, Inc',
    stack: CISCO_STACK,
    protocols: ['cdp/sender'],
    reports: {
      vendor: 'Cisco',
      model: 'cisco ISR4331/K9',
      firmware: '17.06.05',
      serial: null,
      name: 'it-router-1',
    },
  },
  // L1: controllers
  {
    name: 'plc-boiler-1',
    role: 'plc',
    level: 'L1',
    vendor: 'Schneider Electric',
    model: 'Modicon M340 BMX P34 2020',
    firmware: '3.20',
    description: 'boiler 1 controller',
    subnet: 'control',
    ip: '192.0.2.11',
    oui: '00:80:F4',
    ouiOrganization: 'TELEMECANIQUE ELECTRIQUE',
    stack: embeddedStack(64, 2048, 50_000),
    protocols: MODBUS_SERVER,
  },
  {
    name: 'plc-boiler-2',
    role: 'plc',
    level: 'L1',
    vendor: 'Schneider Electric',
    model: 'Modicon M580 BME P58 2040',
    firmware: '4.10',
    description: 'boiler 2 controller',
    subnet: 'control',
    ip: '192.0.2.12',
    oui: '00:00:54',
    ouiOrganization: 'Schneider Electric',
    stack: embeddedStack(64, 4096, 50_000),
    protocols: MODBUS_SERVER,
  },
  {
    name: 'plc-filler',
    role: 'plc',
    level: 'L1',
    vendor: 'Siemens',
    model: 'SIMATIC S7-1200 CPU 1214C DC/DC/DC (6ES7 214-1AG40-0XB0)',
    firmware: 'V4.6',
    description: 'bottle filler, Modbus/TCP through the MB_SERVER block (no FC 8, no FC 43)',
    subnet: 'control',
    ip: '192.0.2.21',
    oui: '00:1B:1B',
    ouiOrganization: 'Siemens AG,',
    stack: embeddedStack(30, 8192, 10_000),
    protocols: ['modbus/server', 's7comm/server'],
    reports: {
      vendor: 'Siemens',
      model: '6ES7 214-1AG40-0XB0',
      firmware: 'V4.5.2',
      serial: 'S V-K7M839282019',
      name: 'plc-filler',
    },
  },
  {
    name: 'plc-palletizer',
    role: 'plc',
    level: 'L1',
    vendor: 'Siemens',
    model: 'SIMATIC S7-1500 CPU 1511-1 PN (6ES7 511-1AK02-0AB0)',
    firmware: 'V2.9',
    description: 'palletizer, Modbus/TCP through the MB_SERVER block (no FC 8, no FC 43)',
    subnet: 'control',
    ip: '192.0.2.22',
    oui: '00:0E:8C',
    ouiOrganization: 'Siemens AG',
    stack: embeddedStack(30, 8192, 10_000),
    protocols: [
      'lldp/sender',
      'modbus/server',
      'opcua/server',
      'profinet/sender',
      'profinet_cm/client',
      'profinet_cm/server',
      's7comm/server',
    ],
    reports: {
      vendor: 'Siemens',
      model: '6ES7 511-1AK02-0AB0',
      firmware: 'V2.9.4',
      serial: 'S V-P1J493022020',
      name: 'plc-palletizer',
    },
  },
  {
    name: 'plc-conveyor',
    role: 'plc',
    level: 'L1',
    vendor: 'Rockwell Automation',
    model: 'Micro850 2080-LC50-24QWB',
    firmware: '21.011',
    description: 'conveyor controller; power-cycles once during the run',
    subnet: 'control',
    ip: '192.0.2.31',
    oui: '00:1D:9C',
    ouiOrganization: 'Rockwell Automation',
    stack: embeddedStack(64, 4096, 20_000),
    protocols: ['enip/server', 'modbus/server'],
    reports: {
      vendor: 'Rockwell Automation/Allen-Bradley',
      model: '2080-LC50-24QWB',
      firmware: '12.11',
      serial: '0x4a7b2c19',
      name: null,
    },
  },
  {
    name: 'plc-mixer',
    role: 'plc',
    level: 'L1',
    vendor: 'Phoenix Contact',
    model: 'PLCnext AXC F 2152',
    firmware: '2024.0.3',
    description: 'mixer controller (PLCnext, Linux inside)',
    subnet: 'control',
    ip: '192.0.2.41',
    oui: '00:A0:45',
    ouiOrganization: 'Phoenix Contact GmbH & Co. KG',
    stack: LINUX_STACK,
    protocols: MODBUS_SERVER,
  },
  {
    name: 'plc-packaging',
    role: 'plc',
    level: 'L1',
    vendor: 'WAGO',
    model: 'PFC200 750-8212',
    firmware: '04.02.13(24)',
    description: 'packaging line controller (embedded Linux)',
    subnet: 'control',
    ip: '192.0.2.51',
    oui: '00:30:DE',
    ouiOrganization: 'WAGO Kontakttechnik GmbH',
    stack: LINUX_STACK,
    protocols: MODBUS_SERVER,
  },
  {
    name: 'rtu-tank-farm',
    role: 'plc',
    level: 'L1',
    vendor: 'WAGO',
    model: '750-352 Modbus TCP fieldbus coupler',
    firmware: '01.10.08(10)',
    description: 'tank farm remote I/O',
    subnet: 'control',
    ip: '192.0.2.52',
    oui: '00:30:DE',
    ouiOrganization: 'WAGO Kontakttechnik GmbH',
    stack: embeddedStack(64, 5840, 100_000),
    protocols: MODBUS_SERVER,
  },
  {
    name: 'rtu-pump-station',
    role: 'plc',
    level: 'L1',
    vendor: 'Moxa',
    model: 'ioLogik E1242',
    firmware: '3.2',
    description: 'pump station remote I/O',
    subnet: 'control',
    ip: '192.0.2.61',
    oui: '00:90:E8',
    ouiOrganization: 'MOXA TECHNOLOGIES CORP., LTD.',
    stack: embeddedStack(64, 8192, 50_000),
    protocols: MODBUS_SERVER,
  },
  {
    name: 'gw-power-meters',
    role: 'plc',
    level: 'L1',
    vendor: 'Moxa',
    model: 'MGate MB3170',
    firmware: '4.3',
    description: 'Modbus TCP to RTU gateway for two PowerLogic PM5340 meters (unit ids 1 and 2)',
    subnet: 'control',
    ip: '192.0.2.62',
    oui: '00:90:E8',
    ouiOrganization: 'MOXA TECHNOLOGIES CORP., LTD.',
    stack: embeddedStack(64, 8192, 0),
    protocols: MODBUS_SERVER,
    behind: [
      { unit: 'unit 1', vendor: 'Schneider Electric', model: 'PowerLogic PM5340', reported: null },
      { unit: 'unit 2', vendor: 'Schneider Electric', model: 'PowerLogic PM5340', reported: null },
    ],
  },
  {
    name: 'plc-utilities',
    role: 'plc',
    level: 'L1',
    vendor: 'ABB',
    model: 'AC500 PM573-ETH',
    firmware: '2.8.4',
    description: 'utilities controller (compressed air, cooling water)',
    subnet: 'control',
    ip: '192.0.2.71',
    oui: '00:24:59',
    ouiOrganization: 'ABB Automation products GmbH',
    stack: embeddedStack(64, 8192, 50_000),
    protocols: MODBUS_SERVER,
  },
  {
    name: 'rtu-substation',
    role: 'plc',
    level: 'L1',
    vendor: 'Advantech',
    model: 'ADAM-6052',
    firmware: 'A1.07',
    description: 'substation breaker status remote I/O (no FC 43)',
    subnet: 'control',
    ip: '192.0.2.81',
    oui: '00:D0:C9',
    ouiOrganization: 'ADVANTECH CO., LTD.',
    stack: embeddedStack(64, 4096, 50_000),
    protocols: MODBUS_SERVER,
  },
  // L1: the other control protocols (issue 3): DNP3, IEC 104, BACnet/IP, PROFINET IO
  {
    name: 'rtu-feeder-sel',
    role: 'plc',
    level: 'L1',
    vendor: 'Schweitzer Engineering Laboratories',
    model: 'SEL-3530 RTAC',
    firmware: 'R148-V2-Z012012-D20231110',
    description: 'feeder automation controller: DNP3 outstation 1024 polled by SCADA',
    subnet: 'control',
    ip: '192.0.2.82',
    oui: '00:30:A7',
    ouiOrganization: 'SCHWEITZER ENGINEERING',
    stack: embeddedStack(64, 8192, 20_000),
    protocols: ['dnp3/server'],
    reports: {
      vendor: 'Schweitzer Engineering Laboratories, Inc.',
      model: 'SEL-3530 RTAC',
      firmware: 'R148-V2-Z012012-D20231110',
      serial: '1191930452',
      name: 'FEEDER-RTAC-01',
    },
  },
  {
    name: 'rtu-grid-104',
    role: 'plc',
    level: 'L1',
    vendor: 'ABB',
    model: 'RTU560 560CMU05',
    firmware: '13.2.1',
    description: 'grid connection RTU: IEC 60870-5-104 outstation, common address 7',
    subnet: 'control',
    ip: '192.0.2.83',
    oui: '00:24:59',
    ouiOrganization: 'ABB Automation products GmbH',
    stack: embeddedStack(64, 5840, 40_000),
    protocols: ['iec104/server'],
  },
  {
    name: 'bms-ahu-1',
    role: 'plc',
    level: 'L1',
    vendor: 'Delta Controls',
    model: 'eBCON',
    firmware: '3.40.1',
    description: 'air handling unit controller: BACnet/IP device 1001',
    subnet: 'control',
    ip: '192.0.2.91',
    oui: '00:40:AE',
    ouiOrganization: 'DELTA CONTROLS, INC.',
    stack: embeddedStack(64, 4096, 0),
    protocols: ['bacnet/client', 'bacnet/server'],
    reports: {
      vendor: 'Delta Controls',
      model: 'eBCON',
      firmware: '3.40.1',
      serial: 'DC-0413-88213',
      name: 'AHU-1 Controller',
    },
  },
  {
    name: 'bms-router-1',
    role: 'plc',
    level: 'L1',
    vendor: 'Contemporary Controls',
    model: 'BASrouterSX',
    firmware: '4.3.2',
    description: 'BACnet/IP to MS/TP router: devices 2101 (JCI FEC) and 3001 (Siemens PXC) on network 5',
    subnet: 'control',
    ip: '192.0.2.92',
    oui: '00:50:DB',
    ouiOrganization: 'CONTEMPORARY CONTROL',
    stack: embeddedStack(64, 4096, 0),
    protocols: ['bacnet/client', 'bacnet/server'],
    behind: [
      {
        unit: 'net 5 mac 0a',
        vendor: 'Johnson Controls',
        model: 'MS-FEC2611-0',
        reported: {
          vendor: 'Johnson Controls Inc.',
          model: 'MS-FEC2611-0',
          firmware: '10.1.0.1200',
          serial: 'JC19384C2',
          name: 'VAV-2-17',
        },
      },
      {
        unit: 'net 5 mac 0b',
        vendor: 'Siemens',
        model: 'PXC36-E.D',
        reported: {
          vendor: 'Siemens Schweiz AG (Formerly: Landis & Staefa Division Europe)',
          model: 'PXC36-E.D',
          firmware: 'V3.5.2',
          serial: 'S1N47-2231',
          name: 'CHILLER-PLANT-PXC',
        },
      },
    ],
  },
  {
    name: 'io-palletizer',
    role: 'plc',
    level: 'L1',
    vendor: 'Siemens',
    model: 'ET 200SP IM 155-6 PN ST (6ES7 155-6AU01-0BN0)',
    firmware: 'V4.2.1',
    description: 'distributed I/O of plc-palletizer: PROFINET IO device',
    subnet: 'control',
    ip: '192.0.2.23',
    oui: '00:1B:1B',
    ouiOrganization: 'Siemens AG,',
    stack: embeddedStack(64, 2048, 0),
    protocols: ['lldp/sender', 'profinet/sender', 'profinet_cm/client', 'profinet_cm/server'],
    reports: {
      vendor: 'Siemens',
      model: '6ES7 155-6AU01-0BN0',
      firmware: 'V4.2.1',
      serial: 'S C-J4UB20417735',
      name: 'io-palletizer',
    },
  },
  // L2: supervisory
  {
    name: 'scada-1',
    role: 'hmi',
    level: 'L2',
    vendor: 'Dell',
    model: 'PowerEdge R650',
    firmware: null,
    description: 'SCADA server (Windows Server 2019) polling every controller',
    subnet: 'control',
    ip: '192.0.2.100',
    oui: 'D4:BE:D9',
    ouiOrganization: 'Dell Inc.',
    stack: WINDOWS_STACK,
    protocols: [
      'bacnet/client',
      'dnp3/client',
      'dns/client',
      'enip/client',
      'iec104/client',
      'modbus/client',
      's7comm/client',
    ],
  },
  {
    name: 'hmi-1',
    role: 'hmi',
    level: 'L2',
    vendor: 'Dell',
    model: 'OptiPlex 7090',
    firmware: null,
    description: 'operator HMI of line 1 (boilers, filling, palletizing, conveyor, mixer)',
    subnet: 'control',
    ip: '192.0.2.101',
    oui: 'F8:BC:12',
    ouiOrganization: 'Dell Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dns/client', 'modbus/client'],
  },
  {
    name: 'hmi-2',
    role: 'hmi',
    level: 'L2',
    vendor: 'HP',
    model: 'EliteDesk 800 G6',
    firmware: null,
    description: 'operator HMI of line 2 (packaging, tank farm, pumps, power, utilities, substation)',
    subnet: 'control',
    ip: '192.0.2.102',
    oui: '30:24:A9',
    ouiOrganization: 'HP Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dns/client', 'modbus/client'],
  },
  {
    name: 'ews-1',
    role: 'engineering-workstation',
    level: 'L2',
    vendor: 'Dell',
    model: 'Precision 3581',
    firmware: null,
    description:
      'engineering workstation: identifies, diagnoses and commissions controllers; RDP target of the jump host',
    subnet: 'control',
    ip: '192.0.2.110',
    oui: 'A4:BA:DB',
    ouiOrganization: 'Dell Inc.',
    stack: WINDOWS_STACK,
    protocols: [
      'dns/client',
      'modbus/client',
      'profinet/sender',
      'profinet_cm/client',
      'rdp/server',
      's7comm/client',
    ],
  },
  // L3 and L3.5
  {
    name: 'historian-1',
    role: 'historian',
    level: 'L3',
    vendor: 'HPE',
    model: 'ProLiant DL380 Gen10',
    firmware: null,
    description:
      'process historian (Windows Server 2019): polls key controllers, replicates to the DMZ mirror',
    subnet: 'siteOperations',
    ip: '198.51.100.10',
    oui: '9C:8E:99',
    ouiOrganization: 'Hewlett Packard',
    stack: WINDOWS_STACK,
    protocols: ['dns/client', 'modbus/client', 'opcua/client', 'tls/client'],
  },
  {
    name: 'dmz-hist-1',
    role: 'historian',
    level: 'L3.5',
    vendor: 'VMware',
    model: 'VMware Virtual Platform',
    firmware: null,
    description:
      'historian mirror in the OT DMZ (Debian 12 VM): receives replication, serves enterprise users',
    subnet: 'otDmz',
    ip: '198.51.100.140',
    oui: '00:50:56',
    ouiOrganization: 'VMware, Inc.',
    stack: LINUX_STACK,
    protocols: ['ssh/server', 'tls/server'],
  },
  {
    name: 'jump-1',
    role: 'it-host',
    level: 'L3.5',
    vendor: 'VMware',
    model: 'VMware Virtual Platform',
    firmware: null,
    description: 'remote access jump host in the OT DMZ (Windows Server 2022 VM)',
    subnet: 'otDmz',
    ip: '198.51.100.141',
    oui: '00:50:56',
    ouiOrganization: 'VMware, Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dns/client', 'rdp/client', 'rdp/server'],
  },
  // L4: plant office behind the core's DHCP relay
  {
    name: 'office-pc-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'Dell',
    model: 'OptiPlex 5000',
    firmware: null,
    description: 'shift office PC (Windows 11), DHCP',
    subnet: 'office',
    ip: '0.0.0.0',
    oui: '5C:F9:DD',
    ouiOrganization: 'Dell Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dhcp/client', 'netbios/client', ...WINDOWS_CLIENT],
    dhcp: true,
  },
  {
    name: 'office-laptop-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'Intel',
    model: 'laptop (Intel Ethernet)',
    firmware: null,
    description: 'maintenance laptop (Windows 11), DHCP; leaves and returns, and gets a new address',
    subnet: 'office',
    ip: '0.0.0.0',
    oui: '00:1E:67',
    ouiOrganization: 'Intel Corporate',
    stack: WINDOWS_STACK,
    protocols: ['dhcp/client', ...WINDOWS_CLIENT],
    dhcp: true,
  },
  {
    name: 'office-printer-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'Brother',
    model: 'HL-L6400DW',
    firmware: null,
    description: 'office printer, DHCP',
    subnet: 'office',
    ip: '0.0.0.0',
    oui: '3C:2A:F4',
    ouiOrganization: 'Brother Industries, LTD.',
    stack: embeddedStack(64, 8760, 200_000),
    protocols: ['dhcp/client', 'dns/client'],
    dhcp: true,
    // It announces itself by mDNS (Bonjour printing TXT keys usb_MFG and usb_MDL).
    reports: { vendor: 'Brother', model: 'HL-L6400DW series', firmware: null, serial: null, name: null },
  },
  // L4: enterprise, beyond the IT router
  {
    name: 'dns-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'VMware',
    model: 'VMware Virtual Platform',
    firmware: null,
    description: 'enterprise DNS server (Windows Server 2022, authoritative for plant.example)',
    subnet: 'enterprise',
    ip: '203.0.113.10',
    oui: '00:50:56',
    ouiOrganization: 'VMware, Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dns/server'],
  },
  {
    name: 'dhcp-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'VMware',
    model: 'VMware Virtual Platform',
    firmware: null,
    description: 'enterprise DHCP server (Windows Server 2022), serves the plant office through the relay',
    subnet: 'enterprise',
    ip: '203.0.113.11',
    oui: '00:50:56',
    ouiOrganization: 'VMware, Inc.',
    stack: WINDOWS_STACK,
    protocols: ['dhcp/server'],
  },
  {
    name: 'corp-eng-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'Dell',
    model: 'Latitude 7440',
    firmware: null,
    description: 'enterprise process engineer (Windows 11): reads dashboards on the DMZ mirror over HTTPS',
    subnet: 'enterprise',
    ip: '203.0.113.21',
    oui: 'B8:CA:3A',
    ouiOrganization: 'Dell Inc.',
    stack: WINDOWS_STACK,
    protocols: ['tls/client'],
  },
  {
    name: 'corp-admin-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'Dell',
    model: 'XPS 13 (Ubuntu)',
    firmware: null,
    description: 'enterprise Linux administrator: SSH to the DMZ mirror',
    subnet: 'enterprise',
    ip: '203.0.113.22',
    oui: 'F4:EE:08',
    ouiOrganization: 'Dell Inc.',
    stack: LINUX_STACK,
    protocols: ['snmp/client', 'ssh/client'],
  },
  {
    name: 'vendor-vpn-1',
    role: 'it-host',
    level: 'L4',
    vendor: 'HP',
    model: 'ZBook Firefly 14',
    firmware: null,
    description: "a machine builder's technician on the remote access VPN: RDP to the jump host",
    subnet: 'enterprise',
    ip: '203.0.113.23',
    oui: 'DC:4A:3E',
    ouiOrganization: 'Hewlett Packard',
    stack: WINDOWS_STACK,
    protocols: ['rdp/client'],
  },
];

/** The office DHCP scope (RFC 2131 §4.3.1: the server picks from its pool). */
export const OFFICE_POOL = { first: parseIpv4('203.0.113.150'), size: 40 } as const;
export const DHCP_LEASE_SECONDS = 8 * 24 * 3600;

/** The plant as the generator uses it. */
export interface PlantModel {
  readonly seed: number;
  readonly devices: readonly DeviceSpec[];
  device(name: string): DeviceSpec;
}

/** Pool addresses for the DHCP clients: first leases, and the laptop's second one. */
function officeLeases(seed: number): Map<string, number[]> {
  const prng = Prng.derive(seed, 'dhcp-pool');
  const taken = new Set<number>();
  const draw = (): number => {
    for (;;) {
      const ip = OFFICE_POOL.first + prng.int(0, OFFICE_POOL.size - 1);
      if (!taken.has(ip)) {
        taken.add(ip);
        return ip;
      }
    }
  };
  return new Map([
    ['office-pc-1', [draw()]],
    ['office-laptop-1', [draw(), draw()]],
    ['office-printer-1', [draw()]],
  ]);
}

export function buildPlant(seed: number): PlantModel {
  const leases = officeLeases(seed);
  const devices = DEVICE_ROWS.map((row): DeviceSpec => {
    const lease = leases.get(row.name);
    const ip = lease ? lease[0] : parseIpv4(row.ip);
    const moreIps = lease ? lease.slice(1) : (row.moreIps ?? []).map(parseIpv4);
    return {
      name: row.name,
      role: row.role,
      purdueLevel: row.level,
      vendor: row.vendor,
      model: row.model,
      firmware: row.firmware,
      description: row.description,
      subnet: row.subnet,
      ip,
      moreIps,
      mac: macFor(row.oui, row.name),
      ouiOrganization: row.ouiOrganization,
      stack: row.stack,
      dhcp: row.dhcp ?? false,
      beyondRouter: row.subnet === 'enterprise',
      protocols: [...row.protocols].sort(),
      behind: row.behind ?? [],
      reports: row.reports ?? null,
    };
  });
  const byName = new Map(devices.map((d) => [d.name, d]));
  return {
    seed,
    devices,
    device(name: string): DeviceSpec {
      const d = byName.get(name);
      if (!d) throw new Error(`no device named ${name} in the demo plant`);
      return d;
    },
  };
}

// ---- the public description (ground truth for tests elsewhere) ----

/** What Modbus tells about a device: unit ids served and the FC 43/14 identification, if any. */
export interface DemoModbusServer {
  readonly units: readonly number[];
  readonly identification: {
    readonly vendorName: string;
    readonly productCode: string;
    readonly revision: string;
    readonly productName: string | null;
    readonly modelName: string | null;
  } | null;
}

export interface DemoDevice {
  readonly name: string;
  readonly role: Role;
  readonly purdueLevel: PurdueLevel;
  readonly vendor: string;
  readonly model: string;
  readonly firmware: string | null;
  readonly description: string;
  /** Address at the start of the capture (DHCP clients: their first lease). */
  readonly ip: string;
  /** Every address the device uses, first one first: the core's interfaces, or successive leases. */
  readonly ips: readonly string[];
  /** The device's own MAC address. */
  readonly mac: string;
  /** The source MAC its frames carry at the sensor: its own, or the IT router's when beyond it. */
  readonly macSeen: string;
  readonly ouiOrganization: string;
  readonly subnet: string;
  readonly os: StackProfile['os'];
  readonly dhcp: boolean;
  /** Seen only through the IT router (its frames carry the router's MAC). */
  readonly beyondRouter: boolean;
  readonly protocols: readonly string[];
  readonly modbus: DemoModbusServer | null;
  readonly behind: readonly DeviceBehind[];
  readonly reports: ReportedIdentity | null;
}

export interface DemoSubnet {
  readonly name: string;
  readonly cidr: string;
  readonly gateway: string | null;
}

export interface DemoPlant {
  readonly seed: number;
  /** First packet's time, seconds since the Unix epoch. */
  readonly epoch: number;
  readonly domain: string;
  readonly subnets: readonly DemoSubnet[];
  readonly devices: readonly DemoDevice[];
}

export function describeSubnets(): DemoSubnet[] {
  return Object.values(SUBNETS).map((s) => ({
    name: s.name,
    cidr: `${formatIpv4(s.network)}/${s.prefixLength}`,
    gateway: s.gateway ? formatIpv4(s.gateway) : null,
  }));
}

export function describeDevice(
  plant: PlantModel,
  spec: DeviceSpec,
  modbus: DemoModbusServer | null,
): DemoDevice {
  const router = plant.device('it-router-1');
  return {
    name: spec.name,
    role: spec.role,
    purdueLevel: spec.purdueLevel,
    vendor: spec.vendor,
    model: spec.model,
    firmware: spec.firmware,
    description: spec.description,
    ip: formatIpv4(spec.ip),
    ips: [spec.ip, ...spec.moreIps].map(formatIpv4),
    mac: formatMac(spec.mac),
    macSeen: formatMac(spec.beyondRouter ? router.mac : spec.mac),
    ouiOrganization: spec.ouiOrganization,
    subnet: SUBNETS[spec.subnet].name,
    os: spec.stack.os,
    dhcp: spec.dhcp,
    beyondRouter: spec.beyondRouter,
    protocols: spec.protocols,
    modbus,
    behind: spec.behind,
    reports: spec.reports,
  };
}
