// The baseline document (baseline/types.ts) indexed for per-event lookups: sets and maps built once
// when monitoring starts, so a rule asks "is this normal?" with one or two hash lookups.

import type { BaselineAsset, BaselineChannel, BaselineDocument } from '../baseline/types.ts';

export function channelKey(client: string, server: string, app: string): string {
  return `${client} ${server} ${app}`;
}

export class BaselineIndex {
  readonly assetsByIp = new Map<string, BaselineAsset>();
  private readonly macs = new Set<string>();
  private readonly pairs = new Set<string>();
  private readonly pairPorts = new Set<string>();
  private readonly pairApps = new Set<string>();
  readonly channels = new Map<string, BaselineChannel>();
  /** Clients seen writing (any server). */
  private readonly writers = new Set<string>();
  /** Request rate per channel (requests / learned seconds). */
  readonly rates = new Map<string, number>();

  constructor(readonly doc: BaselineDocument) {
    for (const a of doc.assets) {
      if (a.ip !== null) this.assetsByIp.set(a.ip, a);
      if (a.mac !== null) this.macs.add(a.mac.toLowerCase());
    }
    for (const p of doc.pairs) {
      this.pairs.add(`${p.client} ${p.server}`);
      this.pairPorts.add(`${p.client} ${p.server} ${p.transport}/${p.port}`);
      if (p.app !== null) this.pairApps.add(channelKey(p.client, p.server, p.app));
    }
    const learnedS = Math.max(1, doc.learned.lastTs - doc.learned.firstTs);
    for (const ch of doc.channels) {
      const k = channelKey(ch.client, ch.server, ch.app);
      this.channels.set(k, ch);
      this.pairApps.add(k);
      if ((ch.operations.write ?? 0) > 0) this.writers.add(ch.client);
      let requests = 0;
      for (const n of Object.values(ch.functions)) requests += n;
      // The average over the learning time, or the busiest second when the baseline kept it (a
      // cyclic exchange at 50/s in a capture with a long pause averages to almost nothing).
      this.rates.set(k, Math.max(requests / learnedS, ch.peakPerS ?? 0));
    }
  }

  hasIp(ip: string): boolean {
    return this.assetsByIp.has(ip);
  }
  hasMac(mac: string): boolean {
    return this.macs.has(mac.toLowerCase());
  }
  hasPair(client: string, server: string): boolean {
    return this.pairs.has(`${client} ${server}`);
  }
  hasPairPort(client: string, server: string, transport: string, port: number): boolean {
    return this.pairPorts.has(`${client} ${server} ${transport}/${port}`);
  }
  hasPairApp(client: string, server: string, app: string): boolean {
    return this.pairApps.has(channelKey(client, server, app));
  }
  /** The baseline saw this client request this function of this server over this app. */
  knowsFunction(client: string, server: string, app: string, func: string): boolean {
    const ch = this.channels.get(channelKey(client, server, app));
    return ch !== undefined && (ch.functions[func] ?? 0) > 0;
  }

  isWriter(client: string): boolean {
    return this.writers.has(client);
  }
  didDiscovery(client: string, server: string, app: string): boolean {
    const ch = this.channels.get(channelKey(client, server, app));
    if (ch !== undefined && (ch.operations.discovery ?? 0) > 0) return true;
    // Broadcast discovery (Who-Is, ListIdentity) is learned against the broadcast address: any
    // channel of this client and app with discovery counts.
    for (const c of this.channels.values())
      if (c.client === client && c.app === app && (c.operations.discovery ?? 0) > 0) return true;
    return false;
  }
}
