// Live capture for real: a pymodbus server (Debian python3-pymodbus) in one namespace, mbpoll as
// the Modbus client in the other, and `zoneward discover --interface` capturing on the veth.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVethPair, finished, requireRootAndTools, type VethPair, waitFor } from './netns.ts';

const root = new URL('..', import.meta.url).pathname;
const zoneward = join(root, 'bin/zoneward.js');
const server = join(root, 'test/peers/modbus_server.py');

interface Flow {
  client: string;
  server: string;
  port: number;
  app: string | null;
  operations: { functions: Record<string, number>; writes: number; reads: number };
}
interface Asset {
  ip: string | null;
  role: string | null;
  protocols: string[];
}

describe('live capture on a veth pair between two namespaces', { timeout: 120_000 }, () => {
  let net: VethPair;
  let serverProc: ReturnType<VethPair['spawnIn']>;
  const dir = mkdtempSync(join(tmpdir(), 'zw-live-'));

  before(async () => {
    requireRootAndTools(['ip', 'tcpdump', 'mbpoll', '/usr/bin/python3']);
    net = createVethPair('l');
    serverProc = net.spawnIn('B', '/usr/bin/python3', [server, net.ipB, '502']);
    // The server is up once a TCP connect from A succeeds.
    await waitFor(
      () => {
        try {
          net.execIn('A', 'bash', ['-c', `exec 3<>/dev/tcp/${net.ipB}/502`]);
          return true;
        } catch {
          return false;
        }
      },
      15_000,
      'the pymodbus server',
    );
  });

  after(() => {
    serverProc?.kill('SIGKILL');
    net?.destroy();
  });

  /** Polls holding registers `reads` times and writes one register, from namespace A with mbpoll. */
  function modbusTraffic(reads: number): void {
    for (let i = 0; i < reads; i++)
      net.execIn('A', 'mbpoll', ['-m', 'tcp', '-a', '1', '-r', '1', '-c', '10', '-t', '4', '-1', net.ipB]);
    net.execIn('A', 'mbpoll', ['-m', 'tcp', '-a', '1', '-r', '5', '-t', '4', '-1', net.ipB, '--', '1234']);
  }

  async function startDiscover(db: string, extra: string[]) {
    const child = net.spawnIn(
      'A',
      process.execPath,
      [zoneward, 'discover', '--interface', net.ifA, '--db', db, '--json', ...extra],
      { cwd: root },
    );
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const done = finished(child, 60_000);
    // zoneward says "capturing on" once tcpdump has opened the interface: traffic from then on is seen.
    await waitFor(() => stderr.includes('capturing on'), 30_000, 'zoneward to start capturing');
    return { child, done };
  }

  function check(stdout: string) {
    const doc = JSON.parse(stdout) as {
      stats: { frames: number; kernelDrops: number | null; appMessages: number };
      flows: Flow[];
      assets: Asset[];
    };
    const flow = doc.flows.find((f) => f.client === net.ipA && f.server === net.ipB && f.port === 502);
    assert.ok(
      flow,
      `a flow ${net.ipA} -> ${net.ipB}:502 in ${JSON.stringify(doc.flows.map((f) => [f.client, f.server, f.port]))}`,
    );
    assert.equal(flow.app, 'modbus');
    assert.equal(flow.operations.functions.READ_HOLDING_REGISTERS, 3);
    assert.equal(flow.operations.functions.WRITE_SINGLE_REGISTER, 1);
    assert.equal(flow.operations.writes, 1);
    const plc = doc.assets.find((a) => a.ip === net.ipB);
    assert.ok(plc?.protocols.includes('modbus/server'), 'the server speaks Modbus');
    assert.equal(plc?.role, 'plc');
    assert.equal(typeof doc.stats.kernelDrops, 'number', 'the kernel drop count is reported');
    assert.equal(doc.stats.appMessages, 8, '4 requests and 4 responses');
    return doc;
  }

  it('stops by itself after --duration and stores what it saw', async () => {
    const db = join(dir, 'duration.db');
    const { done } = await startDiscover(db, ['--duration', '6']);
    modbusTraffic(3);
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /kernel dropped \d+ packets/);
    check(r.stdout);
  });

  it('stops cleanly on Ctrl-C (SIGINT) and keeps every packet captured so far', async () => {
    const db = join(dir, 'sigint.db');
    const { child, done } = await startDiscover(db, []);
    modbusTraffic(3);
    await new Promise((r) => setTimeout(r, 500));
    // `ip netns exec` passes the signal on to zoneward; a terminal would send it to the whole group.
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    check(r.stdout);
  });

  it('monitors live: a port scan from namespace A is an alert line, and the alert is stored', async () => {
    const db = join(dir, 'monitor.db');
    const child = net.spawnIn(
      'A',
      process.execPath,
      [zoneward, 'monitor', '--interface', net.ifA, '--duration', '6', '--db', db, '--no-updates'],
      { cwd: root },
    );
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const done = finished(child, 60_000);
    await waitFor(() => stderr.includes('monitoring'), 30_000, 'zoneward to start monitoring');
    // Twelve closed ports of B: each connect is refused (SYN, RST): a port scan by any measure.
    for (const port of [21, 22, 23, 25, 80, 102, 443, 2404, 4840, 8080, 20000, 44818]) {
      try {
        net.execIn('A', 'bash', ['-c', `exec 3<>/dev/tcp/${net.ipB}/${port}`]);
      } catch {
        // refused, as a scanner expects
      }
    }
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no baseline: rule-based detections only/);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { category: string; src: string; dst: string; technique: string });
    const scan = alerts.find((a) => a.category === 'port-scan');
    assert.ok(scan, `a port-scan alert in ${JSON.stringify(alerts.map((a) => a.category))}`);
    assert.equal(scan.src, net.ipA);
    assert.equal(scan.dst, net.ipB);
    const list = spawnSync(process.execPath, [zoneward, 'alerts', '--db', db, '--json'], {
      encoding: 'utf8',
    });
    assert.ok((JSON.parse(list.stdout) as { category: string }[]).some((a) => a.category === 'port-scan'));
  });

  it('says clearly when the interface does not exist', async () => {
    const child = net.spawnIn(
      'A',
      process.execPath,
      [zoneward, 'discover', '--interface', 'nosuchif0', '--duration', '2', '--db', join(dir, 'x.db')],
      {
        cwd: root,
      },
    );
    const r = await finished(child, 30_000);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ZW_LIVE_CAPTURE_FAILED.*nosuchif0/);
  });
});
