// Golden test on a real capture: OpenSSL 3.0's s_server with openssl s_client and curl as clients
// on loopback (fixtures/record.sh): TLS 1.2 with a CA-issued RSA certificate, mutual TLS 1.2,
// TLS 1.3, and a refused TLS 1.3-only client. Versions, cipher suites, certificate names, serials
// and validity are compared with what those tools themselves reported
// (fixtures/tls-openssl-curl.expected.json). The ports (44431-44434) are none of ours: the probe
// finds TLS from the bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { tlsDissector } from './dissector.ts';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;

interface Cert {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
}

/** OpenSSL prints `TLSv1.2`; Zeek and we print `TLSv12`. */
const zeekVersion = (v: string) => v.replace('.', '');

/** `Nov 22 02:59:44 2026 GMT` (openssl x509 -startdate) as ISO 8601. */
const iso = (openssl: string) => new Date(openssl).toISOString().replace('.000Z', 'Z');

function checkCertificate(e: AppEvent, x: Cert): void {
  assert.equal(e.fields['tls.cert_subject'], x.subject);
  assert.equal(e.fields['tls.cert_issuer'], x.issuer);
  // openssl prints the serial in upper case; a leading zero byte (sign) would be dropped by both.
  assert.equal(e.fields['tls.cert_serial'], x.serial.toLowerCase());
  assert.equal(e.fields['tls.cert_not_before'], iso(x.notBefore));
  assert.equal(e.fields['tls.cert_not_after'], iso(x.notAfter));
  assert.equal(e.fields['tls.cert_self_signed'], x.subject === x.issuer);
}

describe('tls golden: OpenSSL s_server with s_client and curl', () => {
  it('hellos, certificates and the alert as the tools reported them', async () => {
    const expected = JSON.parse(readFileSync(fixture('tls-openssl-curl.expected.json'), 'utf8'));
    const events: AppEvent[] = [];
    await decodeCaptureFile(
      fixture('tls-openssl-curl.pcap'),
      { event: (e) => events.push(e), arp() {}, link() {}, connection() {} },
      { dissectors: [tlsDissector] },
    );
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    for (const s of expected.sessions) {
      const mine = events.filter((e) => e.conn.serverPort === s.port);
      const hello = mine.find((e) => e.fields['tls.handshake'] === 'CLIENT_HELLO');
      assert.ok(hello, `port ${s.port}: no ClientHello`);
      assert.equal(hello.dir, 0);
      assert.equal(hello.fields['tls.sni'], s.sni, `port ${s.port}`);
      if (s.curl_error !== undefined) {
        // curl: "... tlsv1 alert protocol version": the alert the server sent, in plaintext.
        const name = /alert ([a-z ]+)$/.exec(s.curl_error)![1].trim().replace(/ /g, '_').toUpperCase();
        const alert = mine.find((e) => e.fields['tls.record'] === 'ALERT')!;
        assert.equal(alert.dir, 1);
        assert.equal(alert.fields['tls.alert'], name);
        assert.equal(alert.fields['tls.alert_level'], 'FATAL');
        assert.equal(mine.length, 2);
        continue;
      }
      const server = mine.find((e) => e.fields['tls.handshake'] === 'SERVER_HELLO')!;
      assert.equal(server.dir, 1);
      assert.equal(server.fields['tls.version'], zeekVersion(s.version), `port ${s.port}`);
      assert.equal(server.fields['tls.cipher'], s.cipher, `port ${s.port}`);
      if (s.version === 'TLSv1.3') {
        // Nothing after a TLS 1.3 ServerHello is readable (RFC 8446 §2): the session stopped there.
        assert.equal(mine.at(-1), server);
        continue;
      }
      const certs = mine.filter((e) => e.fields['tls.handshake'] === 'CERTIFICATE');
      checkCertificate(certs.find((e) => e.dir === 1)!, expected.server_certificate);
      assert.equal(certs.find((e) => e.dir === 1)!.fields['tls.cert_count'], 2, 'server certificate and CA');
      assert.equal(certs.find((e) => e.dir === 1)!.fields['tls.device.name'], 'plc-7.plant.example');
      const client = certs.find((e) => e.dir === 0);
      const mutual = mine.some((e) => e.fields['tls.handshake'] === 'CERTIFICATE_REQUEST');
      assert.equal(
        client !== undefined,
        mutual,
        `port ${s.port}: a client certificate exactly when one was requested`,
      );
      if (client) {
        checkCertificate(client, expected.client_certificate);
        assert.equal(mine.at(-1)!.fields['tls.record'], 'CHANGE_CIPHER_SPEC');
      } else {
        assert.equal(mine.at(-1)!.fields['tls.handshake'], 'SERVER_HELLO_DONE');
      }
    }
  });
});
