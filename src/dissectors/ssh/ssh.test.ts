import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import { probeSsh, sshDissector } from './dissector.ts';
import { parseIdentification } from './parser.ts';
import { MAX_IDENTIFICATION_LENGTH, MAX_PACKET_LENGTH } from './spec.ts';
import {
  BANNERS,
  bannerWithPreamble,
  encrypted,
  identification,
  kexInit,
  LEGACY_KEXINIT,
  OPENSSH_KEXINIT,
} from './testing.ts';

const text = (s: string) => new TextEncoder().encode(s);

function summary(ctx: RecordingContext): unknown[] {
  return ctx.events.map((e) =>
    e.kind === 'violation' ? ['violation', e.dir, e.reason] : [e.dir, e.fields['ssh.message']],
  );
}

describe('ssh: identification lines', () => {
  const rows: [string, string, string, string | null][] = [
    [BANNERS.OPENSSH_DEBIAN, '2.0', 'OpenSSH_9.2p1', 'Debian-2+deb12u3'],
    [BANNERS.OPENSSH_UBUNTU, '2.0', 'OpenSSH_9.6p1', 'Ubuntu-3ubuntu13.5'],
    [BANNERS.DROPBEAR, '2.0', 'dropbear_2022.83', null],
    [BANNERS.CISCO, '2.0', 'Cisco-1.25', null],
    [BANNERS.LEGACY_199, '1.99', 'OpenSSH_5.3', null],
    ['SSH-2.0-OpenSSH_for_Windows_8.1 ', '2.0', 'OpenSSH_for_Windows_8.1', null],
    ['SSH-2.0-WeOnlyDo 2.4.3 (build 12)', '2.0', 'WeOnlyDo', '2.4.3 (build 12)'],
  ];
  for (const [banner, proto, software, comment] of rows) {
    it(banner, () => {
      const b = text(banner);
      const id = parseIdentification(b, 0, b.length);
      assert.deepEqual(id, { banner, protoVersion: proto, software, comment });
    });
  }
  it('malformed lines', () => {
    for (const [line, reason] of [
      ['SSH-2.0', 'identification has no protocol version and software version'],
      ['SSH--OpenSSH', 'identification has no protocol version and software version'],
      ['SSH-2.0- comment', 'identification has an empty software version'],
      ['SSX-2.0-x', 'identification does not start with SSH-'],
    ] as const) {
      assert.equal(parseIdentification(text(line), 0, line.length), reason);
    }
  });
});

describe('ssh: sessions', () => {
  const opening: Transmission[] = [
    [1, 1, identification(BANNERS.OPENSSH_DEBIAN)],
    [0, 1.1, identification(BANNERS.OPENSSH_UBUNTU)],
    [0, 1.2, kexInit(OPENSSH_KEXINIT, 3)],
    [1, 1.3, kexInit(OPENSSH_KEXINIT, 4)],
    [0, 1.4, encrypted(48)],
    [1, 1.5, encrypted(564)],
  ];

  it('both identifications and KEXINITs, then the session stops', () => {
    const ctx = replay(sshDissector, opening);
    assert.deepEqual(summary(ctx), [
      [1, 'IDENTIFICATION'],
      [0, 'IDENTIFICATION'],
      [0, 'KEXINIT'],
      [1, 'KEXINIT'],
    ]);
    assert.equal(ctx.ignoredRest, true);
    const [server, client, kex] = ctx.messages();
    assert.deepEqual(server, {
      'ssh.message': 'IDENTIFICATION',
      'ssh.operation': 'auth',
      'ssh.banner': BANNERS.OPENSSH_DEBIAN,
      'ssh.proto_version': '2.0',
      'ssh.software': 'OpenSSH_9.2p1',
      'ssh.comment': 'Debian-2+deb12u3',
      'ssh.device.software': 'OpenSSH_9.2p1 Debian-2+deb12u3',
      'ssh.device.description': 'Debian-2+deb12u3',
    });
    assert.equal(client['ssh.device.software'], undefined, 'a client banner is not the identity of a device');
    assert.deepEqual(kex['ssh.kex_algorithms'], OPENSSH_KEXINIT.kex);
    assert.deepEqual(kex['ssh.host_key_algorithms'], OPENSSH_KEXINIT.hostKey);
    assert.deepEqual(kex['ssh.ciphers'], OPENSSH_KEXINIT.ciphers);
    assert.equal(kex['ssh.first_kex_follows'], false);
  });

  it('the same events in chunks of every size, and with line and packet in one chunk', () => {
    const expected = summary(replay(sshDissector, opening));
    for (let chunk = 1; chunk <= 80; chunk++)
      assert.deepEqual(summary(replay(sshDissector, opening, chunk)), expected, `chunk ${chunk}`);
    const merged = replay(sshDissector, [
      [1, 1, Uint8Array.from([...identification(BANNERS.DROPBEAR), ...kexInit(LEGACY_KEXINIT)])],
      [
        0,
        2,
        Uint8Array.from([...identification(BANNERS.PUTTY), ...kexInit(OPENSSH_KEXINIT), ...encrypted(100)]),
      ],
    ]);
    assert.deepEqual(summary(merged), [
      [1, 'IDENTIFICATION'],
      [1, 'KEXINIT'],
      [0, 'IDENTIFICATION'],
      [0, 'KEXINIT'],
    ]);
    assert.deepEqual(merged.messages()[1]['ssh.host_key_algorithms'], ['ssh-rsa', 'ssh-dss']);
  });

  it('lines before the server identification are skipped (RFC 4253 §4.2)', () => {
    const ctx = replay(
      sshDissector,
      [[1, 1, bannerWithPreamble(['Authorized access only!', '', 'Plant network'], BANNERS.DROPBEAR)]],
      5,
    );
    assert.deepEqual(summary(ctx), [[1, 'IDENTIFICATION']]);
    assert.equal(ctx.messages()[0]['ssh.device.software'], 'dropbear_2022.83');
    assert.equal(ctx.messages()[0]['ssh.device.description'], undefined);
  });

  it('SSH 1.5 stops after the identification; 1.99 goes on', () => {
    const v15 = replay(sshDissector, [
      [1, 1, identification('SSH-1.5-1.2.27')],
      [1, 2, encrypted(40)],
    ]);
    assert.deepEqual(summary(v15), [[1, 'IDENTIFICATION']]);
    const v199 = replay(sshDissector, [
      [1, 1, identification(BANNERS.LEGACY_199)],
      [1, 2, kexInit(LEGACY_KEXINIT)],
    ]);
    assert.deepEqual(summary(v199), [
      [1, 'IDENTIFICATION'],
      [1, 'KEXINIT'],
    ]);
  });

  it('violations: a line too long, a client preamble, a bad packet length, a broken KEXINIT', () => {
    const long = replay(sshDissector, [[1, 1, text(`SSH-2.0-${'x'.repeat(300)}\r\n`)]], 50);
    assert.deepEqual(summary(long), [
      ['violation', 1, `identification line longer than ${MAX_IDENTIFICATION_LENGTH} bytes (RFC 4253 §4.2)`],
    ]);
    const exact = `SSH-2.0-${'y'.repeat(MAX_IDENTIFICATION_LENGTH - 10)}`;
    assert.equal(exact.length + 2, MAX_IDENTIFICATION_LENGTH);
    assert.deepEqual(summary(replay(sshDissector, [[1, 1, identification(exact)]], 9)), [
      [1, 'IDENTIFICATION'],
    ]);
    const client = replay(sshDissector, [[0, 1, text('hello\r\nSSH-2.0-x\r\n')]]);
    assert.deepEqual(summary(client), [
      ['violation', 0, 'the client sent a line that is not an SSH identification'],
    ]);
    const big = replay(sshDissector, [
      [1, 1, identification(BANNERS.DROPBEAR)],
      [1, 2, Uint8Array.of(0, 1, 0, 0, 0)],
    ]);
    assert.deepEqual(summary(big)[1], [
      'violation',
      1,
      `first binary packet length 65536 is outside 6-${MAX_PACKET_LENGTH} (RFC 4253 §6.1)`,
    ]);
    const broken = kexInit(OPENSSH_KEXINIT);
    broken[4 + 1 + 1 + 16] = 0x7f; // first name-list length now huge
    const bad = replay(sshDissector, [
      [1, 1, identification(BANNERS.DROPBEAR)],
      [1, 2, broken],
    ]);
    assert.deepEqual(summary(bad)[1], ['violation', 1, 'KEXINIT name-list 1 runs past the payload']);
  });

  it('a gap ends reading in that direction', () => {
    const ctx = new RecordingContext();
    const s = sshDissector.createSession(ctx);
    s.data(1, 1, identification(BANNERS.OPENSSH_DEBIAN));
    s.gap(1, 2, 100);
    s.data(1, 3, kexInit());
    s.data(0, 4, identification(BANNERS.PUTTY));
    s.data(0, 5, kexInit());
    assert.deepEqual(summary(ctx), [
      [1, 'IDENTIFICATION'],
      [0, 'IDENTIFICATION'],
      [0, 'KEXINIT'],
    ]);
    assert.equal(ctx.ignoredRest, true);
  });
});

describe('ssh: probe', () => {
  const rows: [string, 0 | 1, string, string][] = [
    ['client identification', 0, 'SSH-2.0-PuTTY', 'yes'],
    ['server identification', 1, 'SSH-2.0-OpenSSH', 'yes'],
    ['a prefix', 0, 'SS', 'maybe'],
    ['server preamble, then identification', 1, 'Welcome\r\nSSH-2.0-x\r\n', 'yes'],
    ['server preamble still coming', 1, 'Welcome to the pla', 'maybe'],
    ['client text', 0, 'Welcome\r\n', 'no'],
    ['HTTP', 0, 'GET / HTTP/1.1\r\n', 'no'],
    ['binary from the server', 1, '\x16\x03\x03\x00\x10', 'no'],
  ];
  for (const [name, dir, bytes, verdict] of rows)
    it(`${name}: ${verdict}`, () => assert.equal(probeSsh(dir, text(bytes)), verdict));
});

describe('ssh: hostile input', () => {
  it('probes and sessions never throw', () => {
    const seed = Uint8Array.from([...identification(BANNERS.OPENSSH_DEBIAN), ...kexInit()]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((edits) => {
            const b = Uint8Array.from(seed);
            for (const [at, v] of edits) b[at % b.length] = v;
            return b;
          }),
        ),
        fc.integer({ min: 1, max: 64 }),
        (bytes, chunk) => {
          probeSsh(0, bytes);
          probeSsh(1, bytes);
          replay(
            sshDissector,
            [
              [1, 0, bytes],
              [0, 0, bytes],
            ],
            chunk,
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});
