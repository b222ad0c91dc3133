// Golden test on a real capture: OpenSSH 9.2p1's client against Dropbear 2022.83 on loopback
// (fixtures/record.sh). The identification lines and the client's KEXINIT are compared with what
// the client itself logged and was configured to offer (fixtures/ssh-openssh-dropbear.expected.json);
// port 42222 is not our hint, so the probe finds SSH from the bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, ConnectionSummary } from '../../pipeline/events.ts';
import { sshDissector } from './dissector.ts';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;

describe('ssh golden: OpenSSH client against Dropbear', () => {
  it('both identifications and KEXINITs, as the client logged and offered them', async () => {
    const x = JSON.parse(readFileSync(fixture('ssh-openssh-dropbear.expected.json'), 'utf8'));
    const events: AppEvent[] = [];
    const connections: ConnectionSummary[] = [];
    await decodeCaptureFile(
      fixture('ssh-openssh-dropbear.pcap'),
      { event: (e) => events.push(e), arp() {}, link() {}, connection: (c) => connections.push(c) },
      { dissectors: [sshDissector] },
    );
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    assert.deepEqual(
      connections.map((c) => c.app),
      ['ssh'],
    );
    const ids = events.filter((e) => e.fields['ssh.message'] === 'IDENTIFICATION');
    const client = ids.find((e) => e.dir === 0)!;
    const server = ids.find((e) => e.dir === 1)!;
    // The client's "Local version string".
    assert.equal(client.fields['ssh.banner'], x.client_version_string);
    const [, software, comment] = /^SSH-2\.0-(\S+) (.*)$/.exec(x.client_version_string)!;
    assert.equal(client.fields['ssh.software'], software);
    assert.equal(client.fields['ssh.comment'], comment);
    assert.equal(client.fields['ssh.device.software'], undefined);
    // The client's reading of the server: "Remote protocol version 2.0, remote software version dropbear_2022.83".
    assert.equal(server.fields['ssh.proto_version'], x.server_protocol_version);
    assert.equal(server.fields['ssh.software'], x.server_software_version);
    assert.equal(server.fields['ssh.device.software'], x.server_software_version);
    // The client's KEXINIT offers its configured lists; OpenSSH appends its two pseudo-algorithms
    // to the key exchange list (ext-info-c, RFC 8308 §2.1; kex-strict-c-v00, the Terrapin fix).
    const kex = events.find((e) => e.dir === 0 && e.fields['ssh.message'] === 'KEXINIT')!;
    assert.deepEqual(kex.fields['ssh.kex_algorithms'], [
      ...x.client_configured.kex,
      'ext-info-c',
      'kex-strict-c-v00@openssh.com',
    ]);
    assert.deepEqual(kex.fields['ssh.ciphers'], x.client_configured.ciphers);
    assert.deepEqual(
      [...(kex.fields['ssh.host_key_algorithms'] as string[])].sort(),
      [...x.client_configured.host_key].sort(),
      'the same host key algorithms (OpenSSH may reorder them by known keys)',
    );
    assert.equal(events.filter((e) => e.dir === 1 && e.fields['ssh.message'] === 'KEXINIT').length, 1);
    assert.equal(events.length, 4, 'nothing after the two KEXINITs: the session stopped');
  });
});
