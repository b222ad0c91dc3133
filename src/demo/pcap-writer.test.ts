import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type CaptureFrame, LINKTYPE_ETHERNET } from './capture-output.ts';
import { PcapWriter, writePcap } from './pcap-writer.ts';
import { writePcapng } from './pcapng-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneward-pcap-'));

/** An ARP request frame for 192.0.2.x: small, and something every reader decodes. */
function arpFrame(i: number): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from('ffffffffffff0080f4000001' + '0806' + '0001080006040001', 'hex').copy(f, 0);
  Buffer.from('0080f4000001c0000201000000000000', 'hex').copy(f, 22);
  f[41] = i & 0xff; // target 192.0.2.i
  Buffer.from([192, 0, 2]).copy(f, 38);
  return f;
}

function tcpdump(path: string, ...args: string[]): string[] {
  return execFileSync('tcpdump', ['-r', path, '-nn', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .filter((l) => l.length > 0);
}

describe('pcap writer', () => {
  it('writes the classic header: little-endian magic, v2.4, snap length, LINKTYPE_ETHERNET', async () => {
    const path = join(dir, 'header.pcap');
    await writePcap(path, [{ ts: 1, data: arpFrame(1) }]);
    const b = readFileSync(path);
    assert.equal(b.subarray(0, 4).toString('hex'), 'd4c3b2a1');
    assert.equal(b.readUInt16LE(4), 2);
    assert.equal(b.readUInt16LE(6), 4);
    assert.equal(b.readUInt32LE(16), 65535);
    assert.equal(b.readUInt32LE(20), LINKTYPE_ETHERNET);
    assert.equal(b.length, 24 + 16 + 60);
  });

  it('keeps microsecond timestamps and is read back by tcpdump', async () => {
    const path = join(dir, 'ts.pcap');
    const frames: CaptureFrame[] = [1, 2, 3].map((i) => ({
      ts: 1772431200 + i / 1000 + 0.000007,
      data: arpFrame(i),
    }));
    await writePcap(path, frames);
    const lines = tcpdump(path, '-tt');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^1772431200\.001007 ARP, Request who-has 192\.0\.2\.1 tell 192\.0\.2\.1/);
    assert.match(lines[2], /^1772431200\.003007 /);
  });

  it('cuts frames at the snap length and records the original length', async () => {
    const path = join(dir, 'snap.pcap');
    await writePcap(path, [{ ts: 0, data: Buffer.concat([arpFrame(1), Buffer.alloc(100)]) }], {
      snapLength: 64,
    });
    const b = readFileSync(path);
    assert.equal(b.readUInt32LE(24 + 8), 64);
    assert.equal(b.readUInt32LE(24 + 12), 160);
  });

  it('streams more frames than one buffer holds, in order', async () => {
    const path = join(dir, 'many.pcap');
    const writer = await PcapWriter.create(path, { bufferBytes: 70_000, snapLength: 1514 });
    for (let i = 0; i < 5_000; i++) await writer.writeFrame({ ts: 1000 + i, data: arpFrame(i) });
    await writer.close();
    assert.equal(readFileSync(path).length, 24 + 5_000 * 76);
    const lines = tcpdump(path, '-tt');
    assert.equal(lines.length, 5_000);
    assert.match(lines[4_999], /^5999\.000000 /);
  });
});

describe('pcapng writer', () => {
  it('writes SHB, IDB with nanosecond if_tsresol, and EPBs that tcpdump reads', async () => {
    const path = join(dir, 'a.pcapng');
    await writePcapng(path, [
      { ts: 0, tsNanos: 1772431200123456789n, data: arpFrame(1) },
      { ts: 1772431201.5, data: arpFrame(2) },
    ]);
    const b = readFileSync(path);
    assert.equal(b.readUInt32LE(0), 0x0a0d0d0a);
    assert.equal(b.readUInt32LE(8), 0x1a2b3c4d);
    const lines = tcpdump(path, '-tt', '--time-stamp-precision=nano');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^1772431200\.123456789 ARP, Request who-has 192\.0\.2\.1 /);
    assert.match(lines[1], /^1772431201\.500000000 ARP, Request who-has 192\.0\.2\.2 /);
  });

  it('pads odd-length frames to 32 bits and keeps block lengths consistent', async () => {
    const path = join(dir, 'odd.pcapng');
    await writePcapng(path, [{ ts: 5, data: Buffer.concat([arpFrame(3), Buffer.from([1, 2, 3])]) }]);
    const b = readFileSync(path);
    let p = 0;
    const blocks: number[] = [];
    while (p < b.length) {
      const type = b.readUInt32LE(p);
      const length = b.readUInt32LE(p + 4);
      assert.equal(length % 4, 0);
      assert.equal(b.readUInt32LE(p + length - 4), length, 'trailing block length');
      blocks.push(type);
      p += length;
    }
    assert.deepEqual(blocks, [0x0a0d0d0a, 1, 6]);
    assert.equal(tcpdump(path).length, 1);
  });
});
