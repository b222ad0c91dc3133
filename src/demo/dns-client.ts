// Name lookups of the plant's Windows hosts (RFC 1035 over UDP port 53): every few minutes a
// host resolves a name of plant.example at the enterprise DNS server beyond the IT router, which
// answers authoritatively, or NXDOMAIN for the names Windows looks for on its own (WPAD, ISATAP).

import { DNS_PORT, type DnsZone, writeDnsQuery, writeDnsResponse } from './dns-messages.ts';
import type { Host } from './network.ts';
import type { Behaviour } from './scheduler.ts';
import { MINUTE, type Simulation } from './simulation.ts';

/** Mean gap between lookups of one host. */
const LOOKUP_MEAN_MICROS = 4 * MINUTE;

export interface DnsDirectory {
  readonly zone: DnsZone;
  readonly server: Host;
  /** Address of each name in the zone; names not listed do not exist. */
  resolve(name: string): readonly number[];
}

export function* dnsClient(
  sim: Simulation,
  host: Host,
  directory: DnsDirectory,
  names: readonly string[],
  startAt: number,
  latencyMicros: number,
  present: () => boolean = () => true,
): Behaviour {
  const prng = sim.prng(`dns:${host.name}`);
  const server = directory.server;
  let at = startAt + Math.floor(prng.exponential(LOOKUP_MEAN_MICROS / 4));
  for (;;) {
    yield at;
    if (present()) {
      const name = prng.pick(names);
      const id = prng.nextUint32() & 0xffff;
      const port = prng.int(host.stack.ephemeralPorts[0], host.stack.ephemeralPorts[1]);
      const clientIp = host.ip;
      const queryPath = sim.network.path(host, server.ip);
      let n = writeDnsQuery(sim.sink.output.buffer, sim.sink.udpPayloadOffset(queryPath), id, name);
      sim.sink.udp(queryPath, clientIp, server.ip, port, DNS_PORT, n);
      yield sim.now + 2 * latencyMicros + prng.int(100, 900);
      const answerPath = sim.network.path(server, clientIp);
      const buffer = sim.sink.output.buffer;
      n = writeDnsResponse(
        buffer,
        sim.sink.udpPayloadOffset(answerPath),
        id,
        name,
        directory.resolve(name),
        directory.zone,
      );
      sim.sink.udp(answerPath, server.ip, clientIp, DNS_PORT, port, n);
    }
    at = sim.now + Math.max(1, Math.floor(prng.exponential(LOOKUP_MEAN_MICROS)));
  }
}
