import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import type { FrameHandler } from './frame.ts';
import { readCaptureFile, readCaptureStream } from './source.ts';
import { pcapFile, pcapngSection } from './testing.ts';

interface Seen {
  lt: number;
  ts: number;
  len: number;
  origLen: number;
  first: number;
}

function collector(): { seen: Seen[]; on: FrameHandler } {
  const seen: Seen[] = [];
  return {
    seen,
    on: (lt, ts, d, start, end, o) => seen.push({ lt, ts, len: end - start, origLen: o, first: d[start] }),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'zw-readers-'));
function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Feed the bytes in chunks of `size` through the stream reader. */
async function readChunked(bytes: Uint8Array, size: number) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(Buffer.from(bytes.subarray(i, i + size)));
  const c = collector();
  const r = await readCaptureStream(Readable.from(chunks), c.on, { what: 'test' });
  return { ...r, seen: c.seen };
}

const records = [
  { ts: 1700000000.000001, data: Uint8Array.from([1, 2, 3, 4, 5]) },
  { ts: 1700000001.5, data: Uint8Array.from([9, 8, 7]), origLen: 1500 },
  { ts: 1700000002.25, data: new Uint8Array(300).fill(7) },
];

describe('pcap reader', () => {
  for (const le of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${le ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} files`, async () => {
        const c = collector();
        const r = await readCaptureFile(
          file(`t-${le}-${nano}.pcap`, pcapFile(records, { le, nano, linkType: 113 })),
          c.on,
        );
        assert.equal(r.format, 'pcap');
        assert.deepEqual(r.linkTypes, [113]);
        assert.equal(r.damage, null);
        assert.deepEqual(
          c.seen.map((s) => [s.lt, s.len, s.origLen, s.first]),
          [
            [113, 5, 5, 1],
            [113, 3, 1500, 9],
            [113, 300, 300, 7],
          ],
        );
        assert.ok(Math.abs(c.seen[0].ts - 1700000000.000001) < 1e-6);
        assert.equal(c.seen[2].ts, 1700000002.25);
      });
    }
  }

  it('gives the same frames whatever the chunking', async () => {
    const bytes = pcapFile(records);
    const whole = await readChunked(bytes, bytes.length);
    for (const size of [1, 2, 3, 7, 16, 17, 23, 24, 25, 64]) {
      const r = await readChunked(bytes, size);
      assert.deepEqual(r.seen, whole.seen, `chunk size ${size}`);
    }
  });

  it('reports a truncated record with its offset and keeps what came before', async () => {
    const bytes = pcapFile(records);
    const cut = bytes.subarray(0, bytes.length - 10);
    const c = collector();
    const r = await readCaptureFile(file('trunc.pcap', cut), c.on);
    assert.equal(c.seen.length, 2);
    assert.ok(r.damage instanceof ZonewardError);
    assert.equal(r.damage.code, ErrorCodes.CAPTURE_TRUNCATED);
    // Third record starts after the 24-byte header and two records (16+5, 16+3).
    assert.equal(r.damage.offset, 24 + 21 + 19);
    assert.match(r.damage.message, /byte 64 needs 316 bytes but the file ends after 306/);
  });

  it('stops at an impossible record length and says where', async () => {
    const bytes = pcapFile(records);
    bytes.writeUInt32LE(0x7fffffff, 24 + 21 + 8);
    const c = collector();
    const r = await readCaptureFile(file('huge.pcap', bytes), c.on);
    assert.equal(c.seen.length, 1);
    assert.equal(r.damage?.code, ErrorCodes.CAPTURE_BAD_RECORD);
    assert.equal(r.damage?.offset, 45);
  });

  it('skips zero-length records with a warning', async () => {
    const c = collector();
    const r = await readCaptureFile(
      file('zero.pcap', pcapFile([{ ts: 1, data: new Uint8Array(0) }, ...records])),
      c.on,
    );
    assert.equal(c.seen.length, 3);
    assert.equal(r.warnings[0].code, 'zero-length-packet');
    assert.equal(r.warnings[0].offset, 24);
  });

  it('rejects an unsupported link type by name', async () => {
    await assert.rejects(
      readCaptureFile(file('usb.pcap', pcapFile(records, { linkType: 220 })), () => {}),
      (e: unknown) => {
        assert.ok(e instanceof ZonewardError);
        assert.equal(e.code, ErrorCodes.CAPTURE_UNSUPPORTED_LINKTYPE);
        assert.match(e.message, /USB_LINUX_MMAPPED \(220\) is not supported/);
        return true;
      },
    );
  });

  it('reads gzip-compressed captures transparently, and reports a cut gzip as damage', async () => {
    const bytes = pcapFile(records);
    const c = collector();
    const r = await readCaptureFile(file('t.pcap.gz', gzipSync(bytes)), c.on, { hash: true });
    assert.equal(r.compressed, true);
    assert.equal(c.seen.length, 3);
    assert.match(r.sha256 ?? '', /^[0-9a-f]{64}$/);
    const big = pcapFile(
      Array.from({ length: 2000 }, (_, i) => ({ ts: i, data: new Uint8Array(200).fill(i & 0xff) })),
    );
    const gz = gzipSync(big);
    const c2 = collector();
    const r2 = await readCaptureFile(file('cut.pcap.gz', gz.subarray(0, gz.length - 100)), c2.on);
    assert.ok(r2.damage !== null, 'a cut gzip stream is damage');
    assert.ok(c2.seen.length > 0 && c2.seen.length < 2000);
  });

  it('gives precise errors for empty files, non-captures and missing files', async () => {
    await assert.rejects(
      readCaptureFile(file('empty.pcap', new Uint8Array(0)), () => {}),
      {
        code: ErrorCodes.CAPTURE_EMPTY,
      },
    );
    await assert.rejects(
      readCaptureFile(file('text.pcap', Buffer.from('hello, this is text\n')), () => {}),
      (e: unknown) => {
        assert.ok(e instanceof ZonewardError);
        assert.equal(e.code, ErrorCodes.CAPTURE_NOT_A_CAPTURE);
        assert.match(e.message, /looks like a text file/);
        return true;
      },
    );
    await assert.rejects(
      readCaptureFile(join(dir, 'nope.pcap'), () => {}),
      { code: ErrorCodes.FILE_NOT_FOUND },
    );
    const head = pcapFile([]).subarray(0, 10);
    const r = await readCaptureFile(file('short.pcap', head), () => {});
    assert.equal(r.damage?.code, ErrorCodes.CAPTURE_TRUNCATED);
  });
});

describe('pcapng reader', () => {
  const pkt = (n: number, len = 60) => new Uint8Array(len).fill(n);

  it('reads several sections of both byte orders, each with interfaces of their own link type and resolution', async () => {
    const s1 = pcapngSection(
      true,
      [{ linkType: 1 }, { linkType: 113, tsresol: 9 }],
      [
        { kind: 'epb', iface: 0, units: 1_700_000_000_000_000n, data: pkt(1) },
        { kind: 'epb', iface: 1, units: 1_700_000_000_500_000_000n, data: pkt(2, 61), origLen: 100 },
        { kind: 'custom', type: 0x0bad, body: Uint8Array.from([1, 2, 3]) },
        { kind: 'isb', iface: 0, ifDrop: 7n, ifRecv: 1000n },
      ],
    );
    const s2 = pcapngSection(
      false,
      [{ linkType: 276, tsresol: 0x80 | 10 }],
      [
        { kind: 'epb', iface: 0, units: 1024n * 1_700_000_001n, data: pkt(3) },
        { kind: 'spb', data: pkt(4, 33) },
      ],
    );
    const bytes = Buffer.concat([s1, s2]);
    for (const size of [bytes.length, 1, 5, 13, 64]) {
      const r = await readChunked(bytes, size);
      assert.equal(r.format, 'pcapng');
      assert.equal(r.damage, null);
      assert.deepEqual(r.linkTypes, [1, 113, 276]);
      assert.deepEqual(
        r.seen.map((s) => [s.lt, s.len, s.origLen, s.first]),
        [
          [1, 60, 60, 1],
          [113, 61, 100, 2],
          [276, 60, 60, 3],
          [276, 33, 33, 4],
        ],
        `chunk size ${size}`,
      );
      assert.ok(Math.abs(r.seen[0].ts - 1_700_000_000) < 1e-6);
      assert.ok(Math.abs(r.seen[1].ts - 1_700_000_000.5) < 1e-6);
      assert.ok(Math.abs(r.seen[2].ts - 1_700_000_001) < 1e-6);
      assert.equal(r.drops.ifDrop, 7);
      assert.equal(r.drops.ifRecv, 1000);
    }
  });

  it('reports a truncated block with its offset', async () => {
    const bytes = pcapngSection(
      true,
      [{ linkType: 1 }],
      [
        { kind: 'epb', iface: 0, units: 1n, data: pkt(1) },
        { kind: 'epb', iface: 0, units: 2n, data: pkt(2) },
      ],
    );
    const c = collector();
    const r = await readCaptureFile(file('trunc.pcapng', bytes.subarray(0, bytes.length - 1)), c.on);
    assert.equal(c.seen.length, 1);
    assert.equal(r.damage?.code, ErrorCodes.CAPTURE_TRUNCATED);
    assert.equal(r.damage?.offset, bytes.length - 92);
  });

  it('rejects blocks whose trailing length disagrees', async () => {
    const bytes = pcapngSection(
      true,
      [{ linkType: 1 }],
      [{ kind: 'epb', iface: 0, units: 1n, data: pkt(1) }],
    );
    bytes.writeUInt32LE(999, bytes.length - 4);
    const r = await readCaptureFile(file('bad.pcapng', bytes), () => {});
    assert.equal(r.damage?.code, ErrorCodes.CAPTURE_BAD_RECORD);
  });

  it('warns about packets on undescribed interfaces', async () => {
    const bytes = pcapngSection(
      true,
      [{ linkType: 1 }],
      [{ kind: 'epb', iface: 5, units: 1n, data: pkt(1) }],
    );
    const r = await readCaptureFile(file('noif.pcapng', bytes), () => {});
    assert.equal(r.warnings[0].code, 'unknown-interface');
  });
});

describe('capture readers on random input', () => {
  it('never throw anything but a ZonewardError, whatever the bytes and chunking', async () => {
    const valid = pcapFile(records);
    const validNg = pcapngSection(
      false,
      [{ linkType: 1 }],
      [{ kind: 'epb', iface: 0, units: 5n, data: Uint8Array.from([1, 2]) }],
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(valid, validNg),
        fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat(400),
        async (base, flips, chunk, cut) => {
          const bytes = Buffer.from(base.subarray(0, Math.max(4, base.length - cut)));
          for (const [pos, val] of flips) if (pos < bytes.length) bytes[pos] = val;
          try {
            await readChunked(bytes, chunk);
          } catch (e) {
            assert.ok(e instanceof ZonewardError, `unexpected ${String(e)}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
