// ARP spoofing and address conflicts (RFC 826; RFC 5227 §2.1.1 conflict detection): a frame whose
// ARP sender MAC is not its Ethernet source, and an IP claimed by two MACs within a window.

import type { ArpEvent } from '../../pipeline/events.ts';
import type { BaselineIndex } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import { ARP_CONFLICT_WINDOW_S, MAX_ARP_ADDRESSES } from '../limits.ts';
import { BoundedMap } from '../sliding-distinct.ts';
import type { Rule } from './rule.ts';

/** RFC 5227 probes carry sender IP 0.0.0.0: they claim nothing. */
const UNSPECIFIED = '0.0.0.0';

export class ArpRule implements Rule {
  readonly name = 'arp';
  private readonly claims = new BoundedMap<string, { mac: string; ts: number }>(MAX_ARP_ADDRESSES);

  /** With a baseline, an address claimed by another MAC than the one it was learned with is spoofing. */
  constructor(private readonly baseline: BaselineIndex | null = null) {}

  arp(e: ArpEvent, raise: Raise): void {
    if (e.senderIp === UNSPECIFIED) return;
    const learnedMac = this.baseline?.assetsByIp.get(e.senderIp)?.mac?.toLowerCase() ?? null;
    if (learnedMac !== null && learnedMac !== e.senderMac.toLowerCase()) {
      raise({
        category: 'arp-spoofing',
        src: e.senderMac,
        dst: e.senderIp,
        key: e.senderIp,
        ts: e.ts,
        detail: `ARP ${e.op} says ${e.senderIp} is at ${e.senderMac}; the baseline knows it at ${learnedMac}`,
      });
    }
    if (e.senderMac !== e.frameSrcMac) {
      raise({
        category: 'arp-spoofing',
        src: e.frameSrcMac,
        dst: null,
        key: e.senderIp,
        ts: e.ts,
        detail: `ARP ${e.op} from ${e.frameSrcMac} says ${e.senderIp} is at ${e.senderMac}`,
      });
    }
    const prev = this.claims.get(e.senderIp);
    if (prev !== undefined && prev.mac !== e.senderMac && e.ts - prev.ts <= ARP_CONFLICT_WINDOW_S) {
      raise({
        category: 'ip-conflict',
        src: e.senderMac,
        dst: null,
        key: e.senderIp,
        ts: e.ts,
        detail: `${e.senderIp} claimed by ${prev.mac} and then by ${e.senderMac} ${(e.ts - prev.ts).toFixed(1)} s later`,
      });
    }
    if (prev === undefined || prev.mac !== e.senderMac)
      this.claims.set(e.senderIp, { mac: e.senderMac, ts: e.ts });
    else prev.ts = e.ts;
  }
}
