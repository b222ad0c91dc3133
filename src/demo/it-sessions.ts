// The TCP sessions that cross the plant's boundaries, besides Modbus: the historian replicating to
// its DMZ mirror over HTTPS (L3 -> L3.5), enterprise users reading dashboards on that mirror
// (L4 -> L3.5), an administrator's SSH session to it, and a vendor's remote support session, RDP
// to the jump host and from there RDP to the engineering workstation (L4 -> L3.5 -> L2).
// Payloads are TLS 1.3, RDP and SSH openings with encrypted-looking records after them.

import type { Host } from './network.ts';
import type { Behaviour } from './scheduler.ts';
import {
  rdpConnectionConfirm,
  rdpConnectionRequest,
  sshEncrypted,
  sshKexInit,
  sshVersion,
  tlsApplicationData,
  tlsClientFinished,
  tlsClientHello,
  tlsServerFlight,
} from './session-payloads.ts';
import { MILLISECOND, MINUTE, SECOND, type Simulation } from './simulation.ts';
import { TcpDialogue } from './tcp-dialogue.ts';

export const HTTPS_PORT = 443;
export const SSH_PORT = 22;
export const RDP_PORT = 3389;
/** The historian pushes its new values to the DMZ mirror about once a minute. */
const REPLICATION_PERIOD_MICROS = MINUTE;
const DASHBOARD_SESSION_MEAN_MICROS = 5 * MINUTE;

/** TLS 1.3 handshake from `at`: ClientHello, the server's flight, the client's Finished. */
function* tlsHandshake(sim: Simulation, d: TcpDialogue, serverName: string, at: number): Behaviour {
  const prng = sim.prng(`tls:${d.client.name}>${d.server.name}:${at}`);
  yield* d.send(0, tlsClientHello(prng, serverName), at);
  yield* d.send(
    1,
    tlsServerFlight(prng, prng.int(1800, 3600)),
    sim.now + 2 * d.latencyMicros + prng.int(300, 1500),
  );
  yield* d.send(0, tlsClientFinished(prng), sim.now + 2 * d.latencyMicros + prng.int(200, 800));
}

export function* historianReplication(
  sim: Simulation,
  historian: Host,
  mirror: Host,
  latencyMicros: number,
): Behaviour {
  const prng = sim.prng('replication');
  let at = sim.now + prng.int(5 * SECOND, 30 * SECOND);
  for (;;) {
    const d = new TcpDialogue(sim, historian, mirror, HTTPS_PORT, prng, latencyMicros);
    yield* d.connect(at);
    yield* tlsHandshake(sim, d, `${mirror.name}.plant.example`, sim.now + prng.int(100, 400));
    yield* d.send(0, tlsApplicationData(prng, prng.int(6_000, 40_000)), sim.now + prng.int(200, 900));
    yield* d.send(1, tlsApplicationData(prng, prng.int(300, 700)), sim.now + prng.int(2, 15) * MILLISECOND);
    yield* d.close(0, sim.now + prng.int(5, 60) * MILLISECOND);
    at = Math.max(sim.now + SECOND, at + Math.round(prng.jitter(REPLICATION_PERIOD_MICROS, 0.05)));
  }
}

export function* dashboardUser(sim: Simulation, user: Host, mirror: Host, latencyMicros: number): Behaviour {
  const prng = sim.prng(`dashboards:${user.name}`);
  let at = sim.now + prng.int(20 * SECOND, 120 * SECOND);
  for (;;) {
    const d = new TcpDialogue(sim, user, mirror, HTTPS_PORT, prng, latencyMicros);
    yield* d.connect(at);
    yield* tlsHandshake(sim, d, `${mirror.name}.plant.example`, sim.now + prng.int(100, 400));
    const pages = prng.int(1, 3);
    for (let i = 0; i < pages; i++) {
      const think = i === 0 ? prng.int(1, 5) * MILLISECOND : prng.int(2, 20) * SECOND;
      yield* d.send(0, tlsApplicationData(prng, prng.int(400, 900)), sim.now + think);
      yield* d.send(
        1,
        tlsApplicationData(prng, prng.int(8_000, 120_000)),
        sim.now + prng.int(5, 60) * MILLISECOND,
      );
    }
    yield* d.close(0, sim.now + prng.int(5, 30) * SECOND);
    at = sim.now + Math.max(SECOND, Math.floor(prng.exponential(DASHBOARD_SESSION_MEAN_MICROS)));
  }
}

/** An administrator's SSH session: version exchange, key exchange, then typing and output. */
export function* adminSsh(sim: Simulation, admin: Host, server: Host, latencyMicros: number): Behaviour {
  const prng = sim.prng('ssh');
  const d = new TcpDialogue(sim, admin, server, SSH_PORT, prng, latencyMicros);
  yield* d.connect(sim.now + SECOND);
  sim.record('ssh-session', admin.name, `SSH to ${server.name}`);
  const rtt = (): number => sim.now + 2 * latencyMicros + prng.int(200, 2_000);
  yield* d.send(1, sshVersion('OpenSSH_9.2p1 Debian-2+deb12u3'), rtt());
  yield* d.send(0, sshVersion('OpenSSH_9.6p1 Ubuntu-3ubuntu13.5'), sim.now + prng.int(100, 400));
  yield* d.send(0, sshKexInit(prng), sim.now + prng.int(100, 400));
  yield* d.send(1, sshKexInit(prng), rtt());
  yield* d.send(0, sshEncrypted(prng, 48), sim.now + prng.int(100, 400)); // KEX_ECDH_INIT (x25519)
  yield* d.send(1, sshEncrypted(prng, 564), rtt()); // KEX_ECDH_REPLY, NEWKEYS
  for (const [client, server] of [
    [16, 0], // NEWKEYS
    [68, 68], // SERVICE_REQUEST ssh-userauth / SERVICE_ACCEPT
    [420, 36], // publickey authentication / USERAUTH_SUCCESS
    [112, 796], // channel open, pty, shell / confirmations and the banner
  ] as const) {
    yield* d.send(0, sshEncrypted(prng, client), rtt());
    if (server > 0) yield* d.send(1, sshEncrypted(prng, server), rtt());
  }
  const keystrokes = prng.int(60, 140);
  for (let i = 0; i < keystrokes; i++) {
    yield* d.send(0, sshEncrypted(prng, 36), sim.now + prng.int(80, 450) * MILLISECOND);
    yield* d.send(1, sshEncrypted(prng, prng.chance(0.1) ? prng.int(300, 6_000) : 36), rtt());
  }
  yield* d.send(0, sshEncrypted(prng, 52), sim.now + prng.int(200, 900) * MILLISECOND); // exit
  yield* d.close(1, rtt());
}

/** An RDP session: X.224 negotiation, TLS, then screen updates one way and input the other. */
export function* rdpSession(
  sim: Simulation,
  client: Host,
  server: Host,
  user: string,
  durationMicros: number,
  latencyMicros: number,
): Behaviour {
  const prng = sim.prng(`rdp:${client.name}>${server.name}`);
  const d = new TcpDialogue(sim, client, server, RDP_PORT, prng, latencyMicros);
  yield* d.connect(sim.now + prng.int(200, 2_000) * MILLISECOND);
  sim.record('remote-access', client.name, `RDP to ${server.name} as ${user}`);
  const rtt = (): number => sim.now + 2 * latencyMicros + prng.int(300, 3_000);
  yield* d.send(0, rdpConnectionRequest(user), sim.now + prng.int(100, 400));
  yield* d.send(1, rdpConnectionConfirm(), rtt());
  yield* tlsHandshake(sim, d, server.name, rtt());
  for (const [up, down] of [
    [420, 260], // CredSSP negotiate / challenge
    [1_900, 90], // CredSSP authenticate / public key echo
    [510, 1_200], // MCS connect initial / response
    [2_400, 9_000], // capabilities, licensing, first screen
  ] as const) {
    yield* d.send(0, tlsApplicationData(prng, up), rtt());
    yield* d.send(1, tlsApplicationData(prng, down), rtt());
  }
  const end = sim.now + durationMicros;
  while (sim.now < end) {
    if (prng.chance(0.3))
      yield* d.send(
        0,
        tlsApplicationData(prng, prng.int(40, 120)),
        sim.now + prng.int(30, 250) * MILLISECOND,
      );
    yield* d.send(
      1,
      tlsApplicationData(prng, prng.int(150, 9_000)),
      sim.now + prng.int(40, 160) * MILLISECOND,
    );
  }
  yield* d.close(0, sim.now + prng.int(100, 600) * MILLISECOND);
}
