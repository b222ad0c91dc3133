// Scanning (issue 4): TCP/UDP port sweeps of one host and sweeps of one port across hosts, from
// the connection summaries (a SYN answered by RST is a connection too); Modbus unit-id sweeps;
// discovery sweeps (ListIdentity, Who-Is, DCP identify, S7 SZL reads) to many hosts or, with a
// baseline, from a source that never did discovery.

import type { ConnectionSummary, LinkEvent } from '../../pipeline/events.ts';
import { type BaselineIndex, channelKey } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import {
  DISCOVERY_SWEEP_MIN_HOSTS,
  DISCOVERY_WINDOW_S,
  HOST_SWEEP_MIN_HOSTS,
  MAX_SCAN_TRACKERS,
  PORT_SCAN_MIN_PORTS,
  SCAN_WINDOW_S,
  UNIT_SWEEP_MIN_UNITS,
  UNIT_SWEEP_MIN_UNKNOWN_UNITS,
  UNIT_SWEEP_WINDOW_S,
} from '../limits.ts';
import { BoundedMap, SlidingDistinct } from '../sliding-distinct.ts';
import { numberField } from '../vocabulary.ts';
import type { MessageView, Rule } from './rule.ts';

export class PortScanRule implements Rule {
  readonly name = 'port-scan';
  /** `src dst` -> ports; `src port` -> hosts. */
  private readonly ports = new BoundedMap<string, SlidingDistinct<number>>(MAX_SCAN_TRACKERS);
  private readonly hosts = new BoundedMap<string, SlidingDistinct<string>>(MAX_SCAN_TRACKERS);

  constructor(private readonly baseline: BaselineIndex | null) {}

  connection(c: ConnectionSummary, raise: Raise): void {
    const { clientIp, serverIp, serverPort, transport } = c.conn;
    // A pair the baseline knows on this port is normal traffic, not a probe.
    if (this.baseline?.hasPairPort(clientIp, serverIp, transport, serverPort)) return;
    const pk = `${clientIp} ${serverIp}`;
    let ports = this.ports.get(pk);
    if (ports === undefined) {
      ports = new SlidingDistinct(SCAN_WINDOW_S, PORT_SCAN_MIN_PORTS * 2);
      this.ports.set(pk, ports);
    }
    const np = ports.add(serverPort, c.firstTs);
    if (np >= PORT_SCAN_MIN_PORTS) {
      raise({
        category: 'port-scan',
        src: clientIp,
        dst: serverIp,
        key: transport,
        ts: c.firstTs,
        detail: `${np} ${transport} ports within ${SCAN_WINDOW_S} s, latest ${serverPort}`,
      });
    }
    const hk = `${clientIp} ${transport}/${serverPort}`;
    let hosts = this.hosts.get(hk);
    if (hosts === undefined) {
      hosts = new SlidingDistinct(SCAN_WINDOW_S, HOST_SWEEP_MIN_HOSTS * 2);
      this.hosts.set(hk, hosts);
    }
    const nh = hosts.add(serverIp, c.firstTs);
    if (nh >= HOST_SWEEP_MIN_HOSTS) {
      raise({
        category: 'host-sweep',
        src: clientIp,
        dst: null,
        key: `${transport}/${serverPort}`,
        ts: c.firstTs,
        detail: `${nh} hosts within ${SCAN_WINDOW_S} s, latest ${serverIp}`,
      });
    }
  }
}

/** Modbus unit-id sweep: one client addressing many unit ids of one server (a gateway probe). */
export class UnitSweepRule implements Rule {
  readonly name = 'unit-id-sweep';
  private readonly units = new BoundedMap<string, SlidingDistinct<number>>(MAX_SCAN_TRACKERS);
  /** Per connection, its pair's tracker: one string key per connection, none per message. */
  private readonly byConn = new WeakMap<object, SlidingDistinct<number>>();

  /** With a baseline, the unit ids a client learned to address on a server are no sweep. */
  constructor(private readonly baseline: BaselineIndex | null = null) {}

  message(m: MessageView, raise: Raise): void {
    if (!m.isRequest || m.e.app !== 'modbus') return;
    const unit = numberField(m.e.fields, m.v.unitField);
    if (unit === null) return;
    if (this.baseline?.channels.get(channelKey(m.src, m.dst, m.e.app))?.units.includes(unit)) return;
    let tracker = this.byConn.get(m.e.conn);
    if (tracker === undefined) {
      const k = `${m.src} ${m.dst}`;
      tracker = this.units.get(k);
      if (tracker === undefined) {
        tracker = new SlidingDistinct(UNIT_SWEEP_WINDOW_S, UNIT_SWEEP_MIN_UNITS * 2);
        this.units.set(k, tracker);
      }
      this.byConn.set(m.e.conn, tracker);
    }
    const n = tracker.add(unit, m.e.ts);
    // Units the baseline never saw this client address are suspect from the first few: with a
    // baseline a sweep needs fewer of them to show.
    if (n >= (this.baseline === null ? UNIT_SWEEP_MIN_UNITS : UNIT_SWEEP_MIN_UNKNOWN_UNITS)) {
      raise({
        category: 'unit-id-sweep',
        src: m.src,
        dst: m.dst,
        key: 'modbus',
        ts: m.e.ts,
        detail: `${n} unit ids within ${UNIT_SWEEP_WINDOW_S} s, latest ${unit}`,
      });
    }
  }
}

export class DiscoveryRule implements Rule {
  readonly name = 'discovery';
  private readonly targets = new BoundedMap<string, SlidingDistinct<string>>(MAX_SCAN_TRACKERS);

  constructor(private readonly baseline: BaselineIndex | null) {}

  message(m: MessageView, raise: Raise): void {
    if (!m.isRequest || m.op !== 'discovery') return;
    const what = `${m.e.app} ${m.func ?? 'discovery'}`;
    if (this.baseline !== null && !this.baseline.didDiscovery(m.src, m.dst, m.e.app)) {
      raise({
        category: 'discovery-sweep',
        src: m.src,
        dst: m.dst,
        key: what,
        ts: m.e.ts,
        detail: `${what} from a source that never asked this before`,
      });
      return;
    }
    // Identification the baseline learned on this channel (an engineering tool's routine) is no sweep.
    if (this.baseline?.knowsFunction(m.src, m.dst, m.e.app, m.func ?? '')) return;
    let t = this.targets.get(m.src);
    if (t === undefined) {
      t = new SlidingDistinct(DISCOVERY_WINDOW_S, DISCOVERY_SWEEP_MIN_HOSTS * 2);
      this.targets.set(m.src, t);
    }
    const n = t.add(m.dst, m.e.ts);
    if (n >= DISCOVERY_SWEEP_MIN_HOSTS) {
      raise({
        category: 'discovery-sweep',
        src: m.src,
        dst: null,
        key: what,
        ts: m.e.ts,
        detail: `${what} to ${n} hosts within ${DISCOVERY_WINDOW_S} s`,
      });
    }
  }

  /** PROFINET DCP Identify (IEC 61158-6-10 §4.3) is multicast: alert on a MAC the baseline lacks. */
  link(e: LinkEvent, raise: Raise): void {
    if (this.baseline === null || e.kind !== 'message') return;
    if (e.fields['profinet.operation'] !== 'discovery' || this.baseline.hasMac(e.srcMac)) return;
    const func = String(e.fields['profinet.dcp_service'] ?? 'DCP');
    raise({
      category: 'discovery-sweep',
      src: e.srcMac,
      dst: e.dstMac,
      key: `profinet ${func}`,
      ts: e.ts,
      detail: `PROFINET ${func} from a MAC not in the baseline`,
    });
  }
}
