import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { describe, it } from 'node:test';
import { escapeCefExtension, escapeCefHeader, formatCef } from './cef.ts';
import { rfc3339Micros } from './rfc5424.ts';
import { encodeSyslogAlert, SyslogTcpSink, SyslogUdpSink, truncateUtf8 } from './syslog.ts';
import { alertFixture, parseCef, parseSyslog } from './testing.ts';

const HOSTILE_SUMMARIES = [
  ['plain', 'S7 block download to PLC 192.0.2.10'],
  ['pipes', 'a|b||c|'],
  ['backslashes', 'C:\\plc\\ob1\\'],
  ['equals', 'setpoint=9000 limit==100'],
  ['newlines', 'line one\nline two\r\nline three\r'],
  ['everything', '\\|=\n\\\\==||\r key=value msg=x'],
  ['unicode', 'Druck überschritten — 9000 hPa ✓'],
  ['trailing backslash', 'ends with \\'],
] as const;

async function udpReceiver(): Promise<{ socket: dgram.Socket; port: number; next: () => Promise<Buffer> }> {
  const socket = dgram.createSocket('udp4');
  const waiting: Array<(b: Buffer) => void> = [];
  const got: Buffer[] = [];
  socket.on('message', (msg) => {
    const w = waiting.shift();
    if (w) w(msg);
    else got.push(msg);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const next = () => {
    const b = got.shift();
    return b ? Promise.resolve(b) : new Promise<Buffer>((r) => waiting.push(r));
  };
  return { socket, port: socket.address().port, next };
}

/** Reads octet-counted frames (RFC 6587 §3.4.1) from a byte stream, checking each MSG-LEN. */
function octetFrames(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    const lenText = data.subarray(i, sp).toString('ascii');
    assert.match(lenText, /^[1-9]\d*$/, 'MSG-LEN is NONZERO-DIGIT *DIGIT');
    const len = Number(lenText);
    assert.ok(sp + 1 + len <= data.length, 'frame is complete');
    frames.push(data.subarray(sp + 1, sp + 1 + len));
    i = sp + 1 + len;
  }
  return frames;
}

describe('RFC 5424 + CEF encoding', () => {
  it('writes the header fields, SD-ELEMENT and BOM', () => {
    const bytes = encodeSyslogAlert(alertFixture(), {
      transport: 'udp',
      host: '127.0.0.1',
      port: 1,
      hostname: 'sensor-1',
      procId: '4242',
      facility: 'local4',
    });
    const head =
      '<163>1 2023-11-14T22:13:22.500000Z sensor-1 zoneward 4242 program-download [zoneward@32473 id="a-7f3c2e" count="3"] ';
    assert.equal(bytes.subarray(0, head.length).toString('ascii'), head); // 20*8+3 = 163 (local4.err)
    const parsed = parseSyslog(bytes);
    assert.equal(parsed.hasBom, true);
    assert.equal(
      parsed.msg,
      'CEF:0|Zoneward|Zoneward|0.1.0|program-download|S7 block download to PLC 192.0.2.10 from 192.0.2.101|8|' +
        'rt=1700000002500 start=1700000000123 end=1700000002500 cnt=3 cat=program-download externalId=a-7f3c2e ' +
        'src=192.0.2.101 dst=192.0.2.10 cs1Label=MITRE ATT&CK for ICS technique cs1=T0843 ' +
        'cs2Label=MITRE ATT&CK for ICS technique name cs2=Program Download cs3Label=Alert state cs3=open ' +
        'msg=S7 block download to PLC 192.0.2.10 from 192.0.2.101',
    );
  });

  it('maps severities to PRI and CEF severity, and nil structured data', () => {
    const rows = [
      ['info', 166, '1'],
      ['low', 165, '3'],
      ['medium', 164, '5'],
      ['high', 163, '8'],
      ['critical', 162, '10'],
    ] as const;
    for (const [severity, pri, cef] of rows) {
      const p = parseSyslog(
        encodeSyslogAlert(alertFixture({ severity }), {
          transport: 'udp',
          host: 'x',
          port: 1,
          facility: 'local4',
          structuredData: false,
        }),
      );
      assert.equal(p.pri, pri, severity);
      assert.equal(p.structuredData, '-');
      assert.equal(parseCef(p.msg).header[6], cef, severity);
    }
  });

  it('escapes SD PARAM-VALUE and sanitises header fields', () => {
    const p = parseSyslog(
      encodeSyslogAlert(alertFixture({ id: 'x"]\\y', category: 'new asset with spaces' }), {
        transport: 'udp',
        host: 'x',
        port: 1,
        hostname: 'bad host\n',
        procId: '',
      }),
    );
    assert.equal(p.structuredData, '[zoneward@32473 id="x\\"\\]\\\\y" count="3"]');
    assert.equal(p.hostname, 'badhost');
    assert.equal(p.procId, '-');
    assert.equal(p.msgId, 'newassetwithspaces');
  });

  it('formats RFC 3339 timestamps with microseconds', () => {
    assert.equal(rfc3339Micros(0), '1970-01-01T00:00:00.000000Z');
    assert.equal(rfc3339Micros(1_700_000_000.999_999_8), '2023-11-14T22:13:21.000000Z');
    assert.equal(rfc3339Micros(1_700_000_000.000_001), '2023-11-14T22:13:20.000001Z');
  });

  for (const [label, summary] of HOSTILE_SUMMARIES) {
    it(`CEF round trip: ${label}`, () => {
      const cef = formatCef(alertFixture({ summary, category: `cat|${label}=\\` }));
      assert.equal(cef.includes('\n'), false, 'one line');
      assert.equal(cef.includes('\r'), false, 'one line');
      const parsed = parseCef(cef);
      assert.equal(parsed.header.length, 7);
      assert.deepEqual(parsed.header.slice(0, 4), ['CEF:0', 'Zoneward', 'Zoneward', '0.1.0']);
      assert.equal(parsed.header[4], `cat|${label}=\\`);
      assert.equal(
        parsed.header[5],
        summary.replace(/\r\n|[\r\n]/g, ' '),
        'header: line breaks become spaces',
      );
      assert.equal(parsed.extension.msg, summary, 'extension keeps the text exactly');
      assert.equal(parsed.extension.cs1, 'T0843');
      assert.equal(parsed.extension.cnt, '3');
    });
  }

  it('escapes header and extension differently', () => {
    assert.equal(escapeCefHeader('a|b\\c=d\ne'), 'a\\|b\\\\c=d e');
    assert.equal(escapeCefExtension('a|b\\c=d\ne\rf'), 'a|b\\\\c\\=d\\ne\\rf');
  });

  it('puts MAC and IPv6 endpoints in their CEF keys', () => {
    const { extension } = parseCef(formatCef(alertFixture({ src: '00-1B-1B-AA-BB-CC', dst: '2001:db8::1' })));
    assert.equal(extension.smac, '00:1b:1b:aa:bb:cc');
    assert.equal(extension.c6a3, '2001:db8::1');
    assert.equal(extension.src, undefined);
    const none = parseCef(formatCef(alertFixture({ src: null, dst: null }))).extension;
    assert.equal(none.src, undefined);
    assert.equal(none.dst, undefined);
  });

  it('truncates at a UTF-8 boundary and never leaves a lone escape backslash', () => {
    const b = Buffer.from('ab✓cd', 'utf8'); // ✓ is 3 bytes at offsets 2..4
    assert.equal(truncateUtf8(b, 3).toString('utf8'), 'ab');
    assert.equal(truncateUtf8(b, 5).toString('utf8'), 'ab✓');
    assert.equal(truncateUtf8(Buffer.from('ab\\=cd'), 3).toString(), 'ab');
    assert.equal(truncateUtf8(Buffer.from('ab\\\\cd'), 4).toString(), 'ab\\\\');
  });
});

describe('syslog over UDP (RFC 5426)', () => {
  it('sends one message per datagram with exact bytes', async () => {
    const rx = await udpReceiver();
    const options = {
      transport: 'udp',
      host: '127.0.0.1',
      port: rx.port,
      hostname: 'h',
      procId: '1',
    } as const;
    const sink = new SyslogUdpSink(options);
    try {
      for (const [, summary] of HOSTILE_SUMMARIES) {
        const alert = alertFixture({ summary });
        await sink.send(alert);
        const got = await rx.next();
        assert.deepEqual(got, encodeSyslogAlert(alert, options));
        const p = parseSyslog(got);
        assert.equal(p.appName, 'zoneward');
        assert.equal(p.version, 1);
        assert.equal(parseCef(p.msg).extension.msg, summary);
      }
      assert.equal(sink.counters().sent, HOSTILE_SUMMARIES.length);
    } finally {
      await sink.close();
      rx.socket.close();
    }
  });

  it('truncates to the named maximum and counts it', async () => {
    const rx = await udpReceiver();
    const sink = new SyslogUdpSink({
      transport: 'udp',
      host: '127.0.0.1',
      port: rx.port,
      maxMessageOctets: 480,
    });
    try {
      await sink.send(alertFixture({ summary: 'x'.repeat(2000) }));
      const got = await rx.next();
      assert.equal(got.length, 480);
      assert.equal(parseSyslog(got).appName, 'zoneward');
      assert.equal(sink.counters().truncated, 1);
    } finally {
      await sink.close();
      rx.socket.close();
    }
  });
});

describe('syslog over TCP (RFC 6587 octet counting)', () => {
  it('frames each message with its octet count and reconnects after the server drops it', async () => {
    const chunks: Buffer[][] = [];
    const sockets: net.Socket[] = [];
    let connections = 0;
    const server = net.createServer((socket) => {
      const mine: Buffer[] = [];
      chunks.push(mine);
      sockets.push(socket);
      connections++;
      socket.on('data', (d) => mine.push(d));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const options = {
      transport: 'tcp',
      host: '127.0.0.1',
      port,
      hostname: 'h',
      procId: '1',
      reconnectBaseMs: 10,
    } as const;
    const sink = new SyslogTcpSink(options);
    try {
      const alerts = HOSTILE_SUMMARIES.map(([, summary]) => alertFixture({ summary }));
      for (const a of alerts) await sink.send(a);
      await waitFor(() => chunks.length > 0 && completeFrames(Buffer.concat(chunks[0])) === alerts.length);
      const frames = octetFrames(Buffer.concat(chunks[0]));
      frames.forEach((f, n) => {
        assert.deepEqual(f, encodeSyslogAlert(alerts[n], options));
        assert.equal(parseCef(parseSyslog(f).msg).extension.msg, HOSTILE_SUMMARIES[n][1]);
      });
      // Drop the connection from the server side; the sink reconnects and keeps sending.
      for (const s of sockets) s.destroy();
      await waitFor(() => connections === 1 && sink.counters().sent === alerts.length);
      await sleepMs(30);
      await sink.send(alertFixture({ summary: 'after reconnect' }));
      await waitFor(() => connections === 2 && Buffer.concat(chunks[1] ?? []).length > 0);
      await waitFor(() => completeFrames(Buffer.concat(chunks[1])) === 1);
      assert.equal(
        parseCef(parseSyslog(octetFrames(Buffer.concat(chunks[1]))[0]).msg).extension.msg,
        'after reconnect',
      );
    } finally {
      await sink.close(500);
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('bounds its queue while the receiver is down and counts the overflow', async () => {
    const port = await closedPort();
    const problems: string[] = [];
    const sink = new SyslogTcpSink({
      transport: 'tcp',
      host: '127.0.0.1',
      port,
      queueLimit: 3,
      reconnectBaseMs: 5,
      onProblem: (r) => problems.push(r),
    });
    for (let n = 0; n < 5; n++) await sink.send(alertFixture());
    assert.deepEqual(sink.counters(), { sent: 0, failed: 0, dropped: 2, truncated: 0 });
    await waitFor(() => problems.length > 0);
    assert.match(problems[0], /ECONNREFUSED/);
    await sink.close(50);
    assert.equal(sink.counters().dropped, 5, 'queued alerts left at the deadline are dropped');
  });
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Frames fully received so far (no assertion: the data may still be arriving). */
function completeFrames(data: Buffer): number {
  let i = 0;
  let n = 0;
  for (;;) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) return n;
    const end = sp + 1 + Number(data.subarray(i, sp).toString('ascii'));
    if (end > data.length) return n;
    n++;
    i = end;
  }
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleepMs(5);
  }
}
