// The demo plant's SSH session (src/demo/session-payloads.ts, it-sessions.ts adminSsh) decoded: the
// payloads the demo builds, and a demo capture through the real pipeline, checked against the
// identification lines an independent pcap reader finds in the same file.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTestPcap, type TestPacket } from '../../demo/capture-test-reader.ts';
import { writeDemoCapture } from '../../demo/generate.ts';
import { Prng } from '../../demo/prng.ts';
import { sshEncrypted, sshKexInit, sshVersion } from '../../demo/session-payloads.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { replay } from '../testing.ts';
import { sshDissector } from './dissector.ts';

describe('ssh: the demo plant payloads', () => {
  it('both versions and KEXINITs, then the session stops', () => {
    const prng = new Prng(9);
    const ctx = replay(sshDissector, [
      [1, 1, sshVersion('OpenSSH_9.2p1 Debian-2+deb12u3')],
      [0, 2, sshVersion('OpenSSH_9.6p1 Ubuntu-3ubuntu13.5')],
      [0, 3, sshKexInit(prng)],
      [1, 4, sshKexInit(prng)],
      [0, 5, sshEncrypted(prng, 48)],
    ]);
    assert.equal(ctx.violations().length, 0);
    assert.deepEqual(
      ctx.messages().map((f) => [f['ssh.message'], f['ssh.software'] ?? f['ssh.kex_algorithms']]),
      [
        ['IDENTIFICATION', 'OpenSSH_9.2p1'],
        ['IDENTIFICATION', 'OpenSSH_9.6p1'],
        [
          'KEXINIT',
          [
            'curve25519-sha256',
            'curve25519-sha256@libssh.org',
            'ecdh-sha2-nistp256',
            'diffie-hellman-group16-sha512',
          ],
        ],
        [
          'KEXINIT',
          [
            'curve25519-sha256',
            'curve25519-sha256@libssh.org',
            'ecdh-sha2-nistp256',
            'diffie-hellman-group16-sha512',
          ],
        ],
      ],
    );
    assert.equal(ctx.messages()[0]['ssh.device.software'], 'OpenSSH_9.2p1 Debian-2+deb12u3');
    assert.equal(ctx.ignoredRest, true);
  });
});

describe('ssh: a demo capture through the pipeline', () => {
  let dir = '';
  let packets: TestPacket[];
  const events: AppEvent[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zoneward-ssh-'));
    const out = join(dir, 'plant.pcap');
    await writeDemoCapture({ out, packets: 30_000, seed: 13 });
    packets = readTestPcap(out);
    await decodeCaptureFile(
      out,
      { event: (e) => events.push(e), arp() {}, link() {}, connection() {} },
      { dissectors: [sshDissector] },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the administrator session: each side banner as on the wire, then KEXINIT', () => {
    const ssh = packets.filter((p) => p.tcp && (p.tcp.srcPort === 22 || p.tcp.dstPort === 22));
    const lines = ssh
      .filter((p) => p.tcp!.payload.subarray(0, 4).toString() === 'SSH-')
      .map((p) => [p.tcp!.srcPort === 22 ? 1 : 0, p.tcp!.payload.toString('latin1').trimEnd()]);
    const kexinits = ssh.filter((p) => {
      const b = p.tcp!.payload;
      return b.length > 6 && b[5] === 20 && b.readUInt32BE(0) + 4 === b.length;
    });
    assert.ok(lines.length >= 2, 'the demo has an SSH session, both banners in the capture');
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    const ids = events.filter((e) => e.fields['ssh.message'] === 'IDENTIFICATION');
    assert.deepEqual(
      ids.map((e) => [e.dir, e.fields['ssh.banner']]),
      lines,
    );
    assert.equal(events.filter((e) => e.fields['ssh.message'] === 'KEXINIT').length, kexinits.length);
    const server = ids.find((e) => e.dir === 1)!;
    assert.equal(server.conn.serverPort, 22);
    assert.equal(
      server.fields['ssh.device.software'],
      (lines.find(([d]) => d === 1)![1] as string).slice('SSH-2.0-'.length),
    );
  });
});
