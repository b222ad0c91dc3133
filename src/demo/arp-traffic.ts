// ARP background (RFC 826): hosts refresh the neighbours they talk to, as their neighbour caches
// expire (Windows and Linux re-confirm an entry every few tens of seconds, mostly by a unicast
// request to the cached MAC, RFC 1122 §2.3.2.1; small controllers broadcast every few minutes),
// and announce their own address with a gratuitous request after boot or a new lease (RFC 5227 §2.3).

import { MAC_BROADCAST, MAC_ZERO } from './addresses.ts';
import { ARP_OPERATION } from './frames.ts';
import type { Host } from './network.ts';
import type { Behaviour } from './scheduler.ts';
import type { Simulation } from './simulation.ts';

/** Seconds between refreshes: PCs re-confirm often, embedded stacks rarely. */
function refreshMicros(host: Host): number {
  return host.stack.os === 'embedded' ? 300_000_000 : 45_000_000;
}

/**
 * `host` keeps `targetIp` (answered by `responder`, which owns the address or is the gateway)
 * in its cache from `startAt` on. `present` says whether the host is on the network at all.
 */
export function* arpRefresh(
  sim: Simulation,
  host: Host,
  responder: Host,
  targetIp: number,
  startAt: number,
  present: () => boolean = () => true,
): Behaviour {
  const prng = sim.prng(`arp:${host.name}>${responder.name}:${targetIp}`);
  const period = refreshMicros(host);
  let at = startAt + Math.floor(prng.float() * period);
  for (;;) {
    yield at;
    if (present() && !sim.isDown(host, sim.now)) {
      const broadcast = host.stack.os === 'embedded' || prng.chance(0.25);
      sim.sink.arp(
        broadcast ? MAC_BROADCAST : responder.mac,
        host.mac,
        ARP_OPERATION.REQUEST,
        host.mac,
        host.ip,
        MAC_ZERO,
        targetIp,
      );
      if (!sim.isDown(responder, sim.now)) {
        yield sim.now + prng.int(150, 3_000);
        sim.sink.arp(
          host.mac,
          responder.mac,
          ARP_OPERATION.REPLY,
          responder.mac,
          targetIp,
          host.mac,
          host.ip,
        );
      }
    }
    at = Math.max(sim.now + 1, at + Math.round(prng.jitter(period, 0.5)));
  }
}

/** A gratuitous ARP request announcing `host`'s current address (RFC 5227 §2.3, RFC 5944 §4.6). */
export function sendGratuitousArp(sim: Simulation, host: Host): void {
  sim.sink.arp(MAC_BROADCAST, host.mac, ARP_OPERATION.REQUEST, host.mac, host.ip, MAC_ZERO, host.ip);
}
