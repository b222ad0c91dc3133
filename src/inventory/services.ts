// What the inventory knows about application protocols and service ports: which are industrial
// (and how to name them in a sentence), and which are ordinary IT services. A connection is known
// by the dissector that recognised it; otherwise, for a few IT services no dissector covers, by the
// IANA well-known port (`tcp/443` is `tls`); otherwise by `transport/port`.

/** Industrial protocols by dissector name (DESIGN.md "Names"), with the label used in evidence. */
export const INDUSTRIAL_PROTOCOLS: Readonly<Record<string, string>> = {
  bacnet: 'BACnet/IP',
  cip: 'CIP',
  dnp3: 'DNP3',
  enip: 'EtherNet/IP',
  iec104: 'IEC 60870-5-104',
  modbus: 'Modbus/TCP',
  opcua: 'OPC UA',
  profinet: 'PROFINET',
  profinet_cm: 'PROFINET IO (DCE/RPC)',
  s7comm: 'S7comm',
};

/**
 * What an IT service does for the question "does this host talk to the IT side":
 *   data: carries business data or sessions (web, files, databases, remote desktop, shells);
 *   infrastructure: keeps a host running (name resolution, directory, logon);
 *   neutral: used by plant devices as much as by office ones (time, management), no evidence.
 */
export type ItServiceKind = 'data' | 'infrastructure' | 'neutral';

export interface ItService {
  readonly label: string;
  readonly kind: ItServiceKind;
}

/** IT services by protocol name: the dissector's, or the one WELL_KNOWN_PORTS gives. */
const IT_SERVICES: Readonly<Record<string, ItService>> = {
  dns: { label: 'DNS', kind: 'infrastructure' },
  http: { label: 'HTTP', kind: 'data' },
  imaps: { label: 'IMAPS', kind: 'data' },
  kerberos: { label: 'Kerberos', kind: 'infrastructure' },
  ldap: { label: 'LDAP', kind: 'infrastructure' },
  ldaps: { label: 'LDAPS', kind: 'infrastructure' },
  llmnr: { label: 'LLMNR', kind: 'infrastructure' },
  mssql: { label: 'Microsoft SQL Server', kind: 'data' },
  mysql: { label: 'MySQL', kind: 'data' },
  netbios: { label: 'NetBIOS', kind: 'infrastructure' },
  ntp: { label: 'NTP', kind: 'neutral' },
  oracle: { label: 'Oracle Database', kind: 'data' },
  pi: { label: 'PI Data Archive', kind: 'data' },
  postgresql: { label: 'PostgreSQL', kind: 'data' },
  rdp: { label: 'RDP', kind: 'data' },
  smb: { label: 'SMB', kind: 'data' },
  smtp: { label: 'SMTP', kind: 'data' },
  snmp: { label: 'SNMP', kind: 'neutral' },
  ssh: { label: 'SSH', kind: 'data' },
  syslog: { label: 'syslog', kind: 'neutral' },
  telnet: { label: 'Telnet', kind: 'data' },
  tls: { label: 'HTTPS', kind: 'data' },
  vnc: { label: 'VNC', kind: 'data' },
};

/**
 * Protocol names of well-known ports (IANA Service Name and Transport Protocol Port Number
 * Registry) for IT services no dissector covers yet. Industrial ports are deliberately absent:
 * only a dissector that parsed the bytes may call a connection Modbus or S7comm.
 */
const WELL_KNOWN_PORTS: Readonly<Record<string, string>> = {
  'tcp/22': 'ssh',
  'tcp/23': 'telnet',
  'tcp/25': 'smtp',
  'tcp/53': 'dns',
  'udp/53': 'dns',
  'tcp/80': 'http',
  'tcp/88': 'kerberos',
  'udp/88': 'kerberos',
  'udp/123': 'ntp',
  'udp/137': 'netbios',
  'udp/138': 'netbios',
  'tcp/139': 'smb',
  'udp/161': 'snmp',
  'tcp/389': 'ldap',
  'tcp/443': 'tls',
  'tcp/445': 'smb',
  'udp/514': 'syslog',
  'tcp/587': 'smtp',
  'tcp/636': 'ldaps',
  'tcp/993': 'imaps',
  'tcp/1433': 'mssql',
  'tcp/1521': 'oracle',
  'tcp/3306': 'mysql',
  'tcp/3389': 'rdp',
  'tcp/5432': 'postgresql',
  'tcp/5450': 'pi',
  'udp/5355': 'llmnr',
  'tcp/5900': 'vnc',
  'tcp/8080': 'http',
};

/** Key of a connection's service: the pinned app, else the well-known port's name, else `transport/port`. */
export function serviceKey(app: string | null, transport: string, port: number): string {
  if (app !== null) return app;
  const byPort = `${transport}/${port}`;
  return Object.hasOwn(WELL_KNOWN_PORTS, byPort) ? WELL_KNOWN_PORTS[byPort] : byPort;
}

/** True for keys that name a protocol, false for bare `transport/port` keys. */
export function isNamedService(service: string): boolean {
  return !service.includes('/');
}

export function industrialLabel(service: string): string | undefined {
  return Object.hasOwn(INDUSTRIAL_PROTOCOLS, service) ? INDUSTRIAL_PROTOCOLS[service] : undefined;
}

export function itService(service: string): ItService | undefined {
  return Object.hasOwn(IT_SERVICES, service) ? IT_SERVICES[service] : undefined;
}
