import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import { probeTls, tlsDissector } from './dissector.ts';
import { parseClientHello } from './parser.ts';
import { ALERTS, MAX_HANDSHAKE_MESSAGE } from './spec.ts';
import {
  alert,
  applicationData,
  certificate,
  clientHello,
  deviceCertificate,
  handshake,
  handshakeRecords,
  record,
  serverHelloMessage,
  tls12ClientFinish,
  tls12ServerFlight,
  tls13ServerFlight,
} from './testing.ts';
import { summarizeCertificate } from './x509.ts';

const PLC_CERT = deviceCertificate('axcf2152-mixer', 'Phoenix Contact');
const CA = [
  ['C', 'DE'],
  ['O', 'Example Plant GmbH'],
  ['CN', 'Example Plant Issuing CA 1'],
] as const;
const HMI_CERT = certificate({
  subject: [
    ['C', 'DE'],
    ['O', 'Example Plant GmbH'],
    ['OU', 'Line 2, Filling'],
    ['CN', 'hmi-2.plant.example'],
  ],
  issuer: CA,
  serial: '00e3a1b2c3d4e5f60718',
  notBefore: '2025-11-03T00:00:00Z',
  notAfter: '2027-11-03T23:59:59Z',
  dnsNames: ['hmi-2.plant.example'],
});
const CA_CERT = certificate({
  subject: CA,
  serial: '01',
  notBefore: '2024-01-01T00:00:00Z',
  notAfter: '2054-01-01T00:00:00Z',
});

function handshakes(ctx: RecordingContext): unknown[] {
  return ctx.events.map((e) =>
    e.kind === 'violation'
      ? ['violation', e.reason]
      : [e.dir, e.fields['tls.handshake'] ?? e.fields['tls.record']],
  );
}

describe('tls: handshakes', () => {
  const fullTls12: Transmission[] = [
    [0, 1, clientHello({ sni: 'axcf2152-mixer.plant.example', alpn: ['http/1.1'] })],
    [1, 2, tls12ServerFlight({ chain: [PLC_CERT], fragment: 200 })],
    [0, 3, tls12ClientFinish()],
    [1, 4, applicationData(300)],
  ];

  it('TLS 1.2: hello fields, the certificate, and a stop after ServerHelloDone', () => {
    const ctx = replay(tlsDissector, fullTls12);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
      [1, 'CERTIFICATE'],
      [1, 'SERVER_KEY_EXCHANGE'],
      [1, 'SERVER_HELLO_DONE'],
    ]);
    assert.equal(ctx.ignoredRest, true);
    const [hello, serverHello, cert] = ctx.messages();
    assert.equal(hello['tls.version'], 'TLSv12');
    assert.equal(hello['tls.sni'], 'axcf2152-mixer.plant.example');
    assert.deepEqual(hello['tls.alpn'], ['http/1.1']);
    assert.equal(hello['tls.cipher_count'], 13);
    assert.equal(hello['tls.operation'], 'auth');
    assert.equal(serverHello['tls.cipher'], 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    assert.equal(serverHello['tls.version'], 'TLSv12');
    // Values from node:crypto's own reading of the same DER, not from our builder's inputs.
    const x = new X509Certificate(Buffer.from(PLC_CERT));
    assert.equal(cert['tls.cert_subject'], x.subject.split('\n').reverse().join(','));
    assert.equal(cert['tls.cert_issuer'], x.issuer.split('\n').reverse().join(','));
    assert.equal(cert['tls.cert_serial'], x.serialNumber.toLowerCase());
    assert.equal(new Date(cert['tls.cert_not_before'] as string).getTime(), new Date(x.validFrom).getTime());
    assert.equal(new Date(cert['tls.cert_not_after'] as string).getTime(), new Date(x.validTo).getTime());
    assert.equal(cert['tls.cert_self_signed'], true);
    assert.equal(cert['tls.cert_count'], 1);
    assert.equal(cert['tls.device.name'], 'axcf2152-mixer');
    assert.equal(cert['tls.device.vendor'], undefined, 'O is not taken for the vendor (README "Identity")');
  });

  it('decodes the same events whatever the chunk and record sizes', () => {
    const expected = handshakes(replay(tlsDissector, fullTls12));
    for (const fragment of [1, 2, 3, 5, 64, 1000]) {
      const tx: Transmission[] = [
        fullTls12[0],
        [1, 2, tls12ServerFlight({ chain: [HMI_CERT, CA_CERT], fragment })],
      ];
      const whole = handshakes(replay(tlsDissector, tx));
      assert.deepEqual(whole, expected, `fragment ${fragment}`);
      for (const chunk of [1, 2, 4, 5, 6, 7, 13, 100]) {
        assert.deepEqual(
          handshakes(replay(tlsDissector, tx, chunk)),
          expected,
          `fragment ${fragment}, chunk ${chunk}`,
        );
      }
    }
  });

  it('a certificate from a CA: issuer differs, count is the chain, names escaped per RFC 4514', () => {
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'hmi-2.plant.example' })],
      [1, 2, tls12ServerFlight({ chain: [HMI_CERT, CA_CERT] })],
    ]);
    const cert = ctx.messages()[2];
    assert.equal(
      cert['tls.cert_subject'],
      'CN=hmi-2.plant.example,OU=Line 2\\, Filling,O=Example Plant GmbH,C=DE',
    );
    assert.equal(cert['tls.cert_issuer'], 'CN=Example Plant Issuing CA 1,O=Example Plant GmbH,C=DE');
    assert.equal(cert['tls.cert_serial'], 'e3a1b2c3d4e5f60718');
    assert.equal(cert['tls.cert_self_signed'], false);
    assert.equal(cert['tls.cert_count'], 2);
    assert.equal(cert['tls.device.name'], 'hmi-2.plant.example');
    const ca = summarizeCertificate(CA_CERT, 0, CA_CERT.length)!;
    assert.equal(ca.notAfter, '2054-01-01T00:00:00Z', 'GeneralizedTime after 2049');
    assert.equal(
      new Date(ca.notAfter!).getTime(),
      new Date(new X509Certificate(Buffer.from(CA_CERT)).validTo).getTime(),
    );
  });

  it('a wildcard or an address as CN names no device', () => {
    for (const cn of ['*.plant.example', '192.0.2.51']) {
      const c = certificate({
        subject: [['CN', cn]],
        serial: '02',
        notBefore: '2025-01-01T00:00:00Z',
        notAfter: '2026-01-01T00:00:00Z',
      });
      const ctx = replay(tlsDissector, [[1, 1, tls12ServerFlight({ chain: [c] })]]);
      assert.equal(ctx.messages()[1]['tls.cert_subject'], `CN=${cn}`);
      assert.equal(ctx.messages()[1]['tls.device.name'], undefined);
    }
  });

  it('mutual TLS: reading goes on to the client certificate, then stops at its ChangeCipherSpec', () => {
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'opcua.plant.example' })],
      [1, 2, tls12ServerFlight({ chain: [PLC_CERT], requestCertificate: true })],
      [0, 3, tls12ClientFinish([HMI_CERT])],
    ]);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
      [1, 'CERTIFICATE'],
      [1, 'SERVER_KEY_EXCHANGE'],
      [1, 'CERTIFICATE_REQUEST'],
      [1, 'SERVER_HELLO_DONE'],
      [0, 'CERTIFICATE'],
      [0, 'CLIENT_KEY_EXCHANGE'],
      [0, 'CERTIFICATE_VERIFY'],
      [0, 'CHANGE_CIPHER_SPEC'],
    ]);
    assert.equal(ctx.messages()[6]['tls.device.name'], 'hmi-2.plant.example', 'the client names itself');
    assert.equal(ctx.ignoredRest, true);
  });

  it('TLS 1.3: stops after the ServerHello; GREASE is ignored', () => {
    const ctx = replay(tlsDissector, [
      [
        0,
        1,
        clientHello({
          sni: 'dmz-hist-1.plant.example',
          alpn: ['h2', 'http/1.1'],
          versions: [0x0304, 0x0303],
          ciphers: [0x1301, 0x1302, 0x1303, 0xc02b],
          grease: true,
        }),
      ],
      [1, 2, tls13ServerFlight(0x1302, 'h2')],
      [0, 3, applicationData(100)],
    ]);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
    ]);
    const [hello, server] = ctx.messages();
    assert.equal(hello['tls.version'], 'TLSv13');
    assert.equal(hello['tls.cipher_count'], 4);
    assert.equal(server['tls.version'], 'TLSv13');
    assert.equal(server['tls.cipher'], 'TLS_AES_256_GCM_SHA384');
    assert.deepEqual(server['tls.alpn'], ['h2']);
    assert.equal(ctx.ignoredRest, true);
  });

  it('HelloRetryRequest keeps reading for the second ClientHello', () => {
    const second = clientHello({ sni: 'a.plant.example', versions: [0x0304] });
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'a.plant.example', versions: [0x0304] })],
      [1, 2, handshakeRecords([serverHelloMessage({ version: 0x0304, cipher: 0x1301, helloRetry: true })])],
      [0, 3, concat(record(20, Uint8Array.of(1)), second)],
      [1, 4, tls13ServerFlight()],
    ]);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'HELLO_RETRY_REQUEST'],
      [0, 'CHANGE_CIPHER_SPEC'],
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
    ]);
    assert.equal(ctx.ignoredRest, true);
  });

  it('a TLS 1.2 client seen without its server: handshake records after its CCS are not parsed', () => {
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'one-sided.plant.example' })],
      [0, 2, tls12ClientFinish()],
    ]);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [0, 'CLIENT_KEY_EXCHANGE'],
      [0, 'CHANGE_CIPHER_SPEC'],
    ]);
    assert.equal(ctx.violations().length, 0, 'the encrypted Finished is not read as a handshake message');
  });

  it('resumption: ServerHello then ChangeCipherSpec, and the session stops', () => {
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'x.plant.example' })],
      [
        1,
        2,
        concat(
          handshakeRecords([serverHelloMessage({ version: 0x0303, cipher: 0xc02f })]),
          record(20, Uint8Array.of(1)),
          record(22, new Uint8Array(40)),
        ),
      ],
    ]);
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
      [1, 'CHANGE_CIPHER_SPEC'],
    ]);
  });

  it('a plaintext fatal alert is an error event and ends the session', () => {
    const ctx = replay(tlsDissector, [
      [0, 1, clientHello({ sni: 'legacy-plc.plant.example', ciphers: [0x1301] })],
      [1, 2, alert(2, ALERTS.HANDSHAKE_FAILURE)],
    ]);
    const a = ctx.messages()[1];
    assert.equal(a['tls.record'], 'ALERT');
    assert.equal(a['tls.alert'], 'HANDSHAKE_FAILURE');
    assert.equal(a['tls.alert_level'], 'FATAL');
    assert.equal(tlsDissector.errorField, 'tls.alert');
    assert.equal(ctx.ignoredRest, true);
  });
});

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('tls: violations', () => {
  it(`a handshake message over ${MAX_HANDSHAKE_MESSAGE} bytes is a violation, skipped without losing the framing`, () => {
    const huge = handshake(11, new Uint8Array(MAX_HANDSHAKE_MESSAGE + 10));
    const ctx = replay(
      tlsDissector,
      [
        [0, 1, clientHello({ sni: 'x' })],
        [
          1,
          2,
          concat(
            handshakeRecords([
              serverHelloMessage({ version: 0x0303, cipher: 0x009c }),
              huge,
              handshake(14, new Uint8Array(0)),
            ]),
          ),
        ],
      ],
      1000,
    );
    assert.deepEqual(handshakes(ctx), [
      [0, 'CLIENT_HELLO'],
      [1, 'SERVER_HELLO'],
      [
        'violation',
        `handshake message of ${MAX_HANDSHAKE_MESSAGE + 10} bytes exceeds the ${MAX_HANDSHAKE_MESSAGE}-byte limit`,
      ],
      [1, 'SERVER_HELLO_DONE'],
    ]);
  });

  it('a bad record header or a malformed hello is a violation; a gap resynchronises', () => {
    const ctx = new RecordingContext();
    const s = tlsDissector.createSession(ctx);
    s.data(0, 1, Uint8Array.of(0x16, 0x03, 0x01, 0xff, 0xff)); // longer than any record
    s.data(0, 2, clientHello({ sni: 'after-resync' }));
    const broken = clientHello({ sni: 'b' });
    broken[5 + 4 + 34] = 40; // session id length 40 (> 32)
    s.data(0, 3, broken);
    s.gap(1, 4, 100);
    s.data(1, 5, Uint8Array.of(1, 2, 3));
    s.data(1, 6, handshakeRecords([serverHelloMessage({ version: 0x0303, cipher: 0xc030 })]));
    assert.deepEqual(handshakes(ctx), [
      ['violation', 'record of 65535 bytes exceeds the 18432-byte maximum (RFC 5246 §6.2.3)'],
      [0, 'CLIENT_HELLO'],
      ['violation', 'CLIENT_HELLO: session id of 40 bytes (at most 32)'],
      [1, 'SERVER_HELLO'],
    ]);
    assert.equal(ctx.messages()[0]['tls.sni'], 'after-resync');
  });

  it('a certificate that is not DER is a violation', () => {
    const ctx = replay(tlsDissector, [
      [1, 1, tls12ServerFlight({ chain: [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)] })],
    ]);
    assert.deepEqual(handshakes(ctx).slice(0, 3), [
      [1, 'SERVER_HELLO'],
      ['violation', 'CERTIFICATE: the first certificate is not well-formed DER X.509'],
      [1, 'SERVER_KEY_EXCHANGE'],
    ]);
  });
});

describe('tls: probe', () => {
  const hello = clientHello({ sni: 'x' });
  const server = handshakeRecords([serverHelloMessage({ version: 0x0303, cipher: 0xc02f })]);
  it('yes on a ClientHello from the client and a ServerHello from the server', () => {
    assert.equal(probeTls(0, hello), 'yes');
    assert.equal(probeTls(1, server), 'yes');
    assert.equal(probeTls(0, server), 'no');
    assert.equal(probeTls(1, hello), 'no');
  });
  it('maybe on every prefix shorter than the checks, no on other protocols', () => {
    for (let n = 0; n < 11; n++) assert.equal(probeTls(0, hello.subarray(0, n)), 'maybe', `prefix ${n}`);
    const text = (s: string) => new TextEncoder().encode(s);
    assert.equal(probeTls(0, text('GET / HTTP/1.1\r\n')), 'no');
    assert.equal(probeTls(0, Uint8Array.of(0x80, 0x2e, 0x01, 0x03, 0x01)), 'no', 'SSLv2-compatible hello');
    assert.equal(probeTls(0, Uint8Array.of(0x03, 0x00, 0x00, 0x13, 0x0e)), 'no', 'RDP TPKT');
    assert.equal(probeTls(0, Uint8Array.of(0x16, 0x03, 0x05, 0x00, 0x10)), 'no');
  });
});

describe('tls: hostile input', () => {
  it('the hello parser, the certificate reader and sessions never throw', () => {
    const seeds = [
      clientHello({ sni: 'a', alpn: ['h2'], versions: [0x0304] }),
      tls12ServerFlight({ chain: [HMI_CERT] }),
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }),
          fc
            .tuple(
              fc.constantFrom(...seeds),
              fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
            )
            .map(([seed, edits]) => {
              const b = Uint8Array.from(seed);
              for (const [at, v] of edits) b[at % b.length] = v;
              return b;
            }),
        ),
        fc.integer({ min: 1, max: 64 }),
        (bytes, chunk) => {
          probeTls(0, bytes);
          parseClientHello(bytes, 0, bytes.length);
          summarizeCertificate(bytes, 0, bytes.length);
          replay(
            tlsDissector,
            [
              [0, 0, bytes],
              [1, 0, bytes],
            ],
            chunk,
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('mutated certificates: the reader stays inside the DER and agrees with node:crypto when both accept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        (edits) => {
          const b = Uint8Array.from(HMI_CERT);
          for (const [at, v] of edits) b[at % b.length] = v;
          const ours = summarizeCertificate(b, 0, b.length);
          if (ours === null) return;
          let theirs: X509Certificate | null = null;
          try {
            theirs = new X509Certificate(Buffer.from(b));
          } catch {
            return;
          }
          if (!/[\\,+"<>;#]/.test(theirs.subject) && !theirs.subject.includes('\\')) {
            assert.equal(ours.serial, theirs.serialNumber.toLowerCase().replace(/^(00)+(?=.)/, ''));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
