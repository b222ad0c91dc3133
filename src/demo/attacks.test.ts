import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import type { AppEvent, ArpEvent, LinkEvent } from '../pipeline/events.ts';
import { ATTACK_KINDS, ATTACKER, type AttackEpisode, CLEAN_FRACTION } from './attacks.ts';
import { readTestPcap, type TestPacket } from './capture-test-reader.ts';
import { type DemoSummary, writeDemoCapture } from './generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneward-attacks-'));
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const PACKETS = 60_000;
const SEED = 7;
/** Hashes of the 20,000-packet seed-7 captures written before attack episodes existed. */
const CLEAN_PCAP_SHA256 = 'ed4eaaae0900b364e3f3c79f59ea01a3a6bd5ee362310acd066ea893805f1aa0';
const CLEAN_PCAPNG_SHA256 = 'c0989f3a724eff4a91923d0a7f6c9da5138b4b5e23667e4578d2dcd3c5e3ae6f';

describe('demo capture without --attacks', () => {
  it('is byte-identical to the capture before attack episodes existed (pcap and pcapng)', async () => {
    for (const [format, hash] of [
      ['pcap', CLEAN_PCAP_SHA256],
      ['pcapng', CLEAN_PCAPNG_SHA256],
    ] as const) {
      const out = join(dir, `clean.${format}`);
      const summary = await writeDemoCapture({ out, packets: 20_000, seed: SEED, format });
      assert.equal(sha256(out), hash, format);
      assert.deepEqual(summary.episodes, []);
      assert.equal(
        readTestPcap(join(dir, 'clean.pcap')).some((p) => p.ip?.src === ATTACKER.ip),
        false,
      );
    }
  });
});

describe('demo capture with --attacks', () => {
  const out = join(dir, 'attacks.pcap');
  let summary: DemoSummary;
  let packets: TestPacket[];
  const events: AppEvent[] = [];
  const arps: ArpEvent[] = [];
  const links: LinkEvent[] = [];
  before(async () => {
    summary = await writeDemoCapture({ out, packets: PACKETS, seed: SEED, attacks: true });
    packets = readTestPcap(out);
    await decodeCaptureFile(out, {
      event: (e) => events.push(e),
      arp: (e) => arps.push(e),
      link: (e) => links.push(e),
      connection: () => undefined,
    });
  });

  const episode = (kind: string): AttackEpisode => {
    const found = summary.episodes.find((e) => e.kind === kind);
    assert.ok(found, `no ${kind} episode`);
    return found;
  };
  const within = (e: AttackEpisode, ts: number): boolean => ts >= e.start - 1e-6 && ts <= e.end + 1e-6;
  const messages = (e: AttackEpisode, app: string, operation?: string): AppEvent[] =>
    events.filter(
      (m) =>
        m.app === app &&
        m.kind === 'message' &&
        within(e, m.ts) &&
        [m.conn.clientIp, m.conn.serverIp].includes(e.source) &&
        (operation === undefined || m.fields[`${app}.operation`] === operation),
    );

  it('carries every kind of episode, with ids, techniques and the ground-truth fields', () => {
    const kinds = new Set(summary.episodes.map((e) => e.kind));
    for (const kind of ATTACK_KINDS) assert.ok(kinds.has(kind), `missing ${kind}`);
    summary.episodes.forEach((e, i) => {
      assert.equal(e.id, `A${String(i + 1).padStart(2, '0')}`);
      assert.match(e.technique, /^T08\d\d$/);
      assert.ok(e.end >= e.start);
      assert.match(e.source, /^\d+\.\d+\.\d+\.\d+$/);
      assert.match(e.target, /^\d+\.\d+\.\d+\.\d+$/);
    });
  });

  it('starts no episode in the clean first part', () => {
    const cleanEnd = packets[Math.floor(PACKETS * CLEAN_FRACTION) - 1].tsMicros / 1e6;
    for (const e of summary.episodes) assert.ok(e.start >= cleanEnd, `${e.id} ${e.kind} at ${e.start}`);
    assert.equal(
      packets.slice(0, Math.floor(PACKETS * CLEAN_FRACTION)).some((p) => p.srcMac === ATTACKER.mac),
      false,
    );
  });

  it('has a packet at the start and at the end of every episode that sends any', () => {
    const times = new Set(packets.map((p) => p.tsMicros));
    for (const e of summary.episodes) {
      if (e.kind === 'device-silent') continue;
      assert.ok(times.has(Math.round(e.start * 1e6)), `${e.id} ${e.kind} start`);
      assert.ok(times.has(Math.round(e.end * 1e6)), `${e.id} ${e.kind} end`);
    }
  });

  it('decodes the malicious messages within each episode', () => {
    assert.ok(messages(episode('program-download'), 's7comm', 'program').length >= 2);
    assert.ok(messages(episode('program-upload'), 's7comm', 'program').length >= 2);
    assert.ok(messages(episode('auth'), 's7comm', 'auth').length >= 4);
    const szl = episode('szl-enumeration');
    assert.ok(
      messages(szl, 's7comm', 'discovery').length + messages(szl, 's7comm', 'diagnostic').length >= 12,
    );
    assert.ok(messages(episode('cpu-stop'), 'modbus', 'control').length >= 1);
    assert.ok(messages(episode('file-operation'), 'dnp3', 'file').length >= 1);
    assert.ok(messages(episode('discovery-sweep'), 'enip', 'discovery').length >= 1);
    assert.ok(messages(episode('discovery-sweep'), 'bacnet', 'discovery').length >= 1);
    const sweep = episode('discovery-sweep');
    assert.ok(links.some((l) => l.app === 'profinet' && l.srcMac === ATTACKER.mac && within(sweep, l.ts)));
    const restarts = summary.episodes.filter((e) => e.kind === 'device-restart');
    assert.ok(restarts.length >= 2);
    assert.ok(messages(restarts[0], 'enip', 'control').length >= 1);
    const units = new Set(
      messages(episode('modbus-unit-sweep'), 'modbus').map((m) => m.fields['modbus.unit']),
    );
    assert.ok(units.size >= 10, `units seen: ${[...units]}`);
    for (const kind of ['write-out-of-range', 'unusual-writer']) {
      const writes = messages(episode(kind), 'modbus', 'write').filter((m) => m.dir === 0);
      assert.equal(writes.length, 1, kind);
      assert.equal(writes[0].conn.serverIp, episode(kind).target);
    }
    assert.ok(messages(episode('new-pair'), 'modbus', 'read').length >= 2);
    assert.ok(
      messages(episode('malformed'), 'modbus').length +
        events.filter((m) => m.kind === 'violation' && within(episode('malformed'), m.ts)).length >=
        1,
    );
  });

  it('puts the link-layer and transport episodes on the wire', () => {
    const spoof = episode('arp-spoof');
    const poisoned = arps.filter(
      (a) => within(spoof, a.ts) && a.senderMac === ATTACKER.mac && a.senderIp !== ATTACKER.ip,
    );
    assert.ok(poisoned.length >= 8);
    const conflict = episode('ip-conflict');
    assert.ok(
      arps.some(
        (a) => within(conflict, a.ts) && a.senderMac === ATTACKER.mac && a.senderIp === conflict.target,
      ),
    );
    const inEpisode = (e: AttackEpisode) =>
      packets.filter((p) => p.ip?.src === e.source && p.ip.dst === e.target && within(e, p.tsMicros / 1e6));
    const scan = episode('port-scan');
    const ports = new Set(inEpisode(scan).map((p) => p.tcp?.dstPort));
    assert.ok(ports.size >= 10);
    assert.ok(scan.end - scan.start >= 30, 'a slow scan');
    assert.ok(inEpisode(episode('flood')).length >= 400);
    const silent = episode('device-silent');
    assert.ok(silent.end - silent.start >= 40);
    assert.equal(
      packets.some(
        (p) =>
          p.ip?.src === silent.target && within(silent, p.tsMicros / 1e6) && p.tsMicros / 1e6 < silent.end,
      ),
      false,
    );
    const drift = episode('cadence-drift');
    const polls = events.filter(
      (m) =>
        m.app === 'modbus' &&
        m.dir === 0 &&
        m.conn.clientIp === drift.source &&
        m.conn.serverIp === drift.target,
    );
    const gaps = (list: AppEvent[]) => list.slice(1).map((m, i) => m.ts - list[i].ts);
    const beforeDrift = gaps(polls.filter((m) => m.ts < drift.start));
    const during = gaps(polls.filter((m) => within(drift, m.ts)));
    assert.ok(beforeDrift.length >= 3 && during.length >= 10);
    assert.ok(Math.min(...beforeDrift) > 9 && Math.max(...during) < 1.5);
    const newAsset = episode('new-asset');
    const first = packets.find((p) => p.srcMac === ATTACKER.mac);
    assert.equal(first?.tsMicros, Math.round(newAsset.start * 1e6));
  });

  it('is deterministic: same seed, same bytes and episodes', async () => {
    const again = join(dir, 'attacks-again.pcap');
    const second = await writeDemoCapture({ out: again, packets: PACKETS, seed: SEED, attacks: true });
    assert.equal(sha256(again), sha256(out));
    assert.deepEqual(second.episodes, summary.episodes);
  });
});
