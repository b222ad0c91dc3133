import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { replay } from '../testing.ts';
import type { Fields } from '../types.ts';
import {
  dnsDissector,
  dnsTcpDissector,
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_VIOLATIONS_BEFORE_ABANDON,
  probeDnsDatagram,
  probeDnsStream,
} from './dissector.ts';
import { dnsFields, formatIpv6, parseDns } from './parser.ts';
import { MAX_NAME_LENGTH, MAX_POINTER_HOPS, MAX_RECORDS } from './spec.ts';
import {
  dnsOverTcp,
  dnsQuery,
  dnsResponse,
  mdnsHostAnnouncement,
  mdnsPrinterResponse,
  mdnsQuery,
  mdnsResponse,
  nbnsNameQuery,
  nbnsNodeStatusQuery,
  nbnsNodeStatusResponse,
  nbnsPositiveResponse,
  nbnsRegistration,
  netbiosName,
} from './testing.ts';

function fields(bytes: Uint8Array): Fields {
  const r = parseDns(bytes);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : 'incomplete');
  if (r.kind !== 'ok') throw new Error('unreachable');
  return dnsFields(r.message);
}

function reason(bytes: Uint8Array): string {
  const r = parseDns(bytes);
  assert.equal(r.kind, 'violation');
  return r.kind === 'violation' ? r.reason : '';
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** A query for www.example.com A as dig 9.18 sends it (EDNS OPT with a cookie), written out by hand. */
const DIG_QUERY = hex(`
  a1b2 0120 0001 0000 0000 0001
  03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
  00 0029 04d0 00000000 000c 000a 0008 0123456789abcdef`);

const PRINTER = {
  instance: 'Brother HL-L6400DW series',
  host: 'BRN3C2AF4A1B2C3',
  ipv4: '203.0.113.140',
  make: 'Brother',
  model: 'HL-L6400DW series',
};

describe('dns parser: valid messages', () => {
  const rows: { name: string; bytes: Uint8Array; expect: Record<string, Fields[string] | undefined> }[] = [
    {
      name: 'a stub resolver query with EDNS (hand-written bytes)',
      bytes: DIG_QUERY,
      expect: {
        'dns.kind': 'dns',
        'dns.id': 0xa1b2,
        'dns.opcode': 'QUERY',
        'dns.qr': false,
        'dns.flags': ['RD', 'AD'],
        'dns.rcode': null,
        'dns.query': 'www.example.com',
        'dns.qtype': 'A',
        'dns.operation': 'other',
      },
    },
    {
      name: 'a recursive answer with compressed A, AAAA, CNAME, MX, SRV, TXT',
      bytes: dnsResponse(7, 'hmi-1.plant.example', 'ANY', [
        { name: 'hmi-1.plant.example', type: 'A', data: '192.0.2.21' },
        { name: 'hmi-1.plant.example', type: 'AAAA', data: '2001:db8:0:1::21' },
        { name: 'www.plant.example', type: 'CNAME', data: 'hmi-1.plant.example' },
        { name: 'plant.example', type: 'MX', data: [10, 'mail.plant.example'] },
        { name: '_modbus._tcp.plant.example', type: 'SRV', data: [0, 5, 502, 'hmi-1.plant.example'] },
        { name: 'hmi-1.plant.example', type: 'TXT', data: ['v=1', 'site=north'] },
      ]),
      expect: {
        'dns.rcode': 'NOERROR',
        'dns.error': null,
        'dns.qtype': 'ANY',
        'dns.ancount': 6,
        'dns.answers': [
          'A hmi-1.plant.example 192.0.2.21',
          'AAAA hmi-1.plant.example 2001:db8:0:1::21',
          'CNAME www.plant.example hmi-1.plant.example',
          'MX plant.example 10 mail.plant.example',
          'SRV _modbus._tcp.plant.example 0 5 502 hmi-1.plant.example',
          'TXT hmi-1.plant.example "v=1" "site=north"',
        ],
      },
    },
    {
      name: 'NXDOMAIN with the SOA in authority',
      bytes: dnsResponse(9, 'wpad.plant.example', 'A', [], {
        rcode: 3,
        authoritative: true,
        authority: [
          {
            name: 'plant.example',
            type: 'SOA',
            data: ['dns-1.plant.example', 'hostmaster.plant.example', 2026030201, 900, 600, 86400, 3600],
          },
        ],
      }),
      expect: {
        'dns.rcode': 'NXDOMAIN',
        'dns.error': 'NXDOMAIN',
        'dns.flags': ['AA', 'RD', 'RA'],
        'dns.ancount': 0,
        'dns.answers': [],
      },
    },
    {
      name: 'a dynamic update is a write',
      bytes: (() => {
        const b = dnsQuery(11, 'plant.example', 'SOA');
        b[2] = 5 << 3; // opcode UPDATE, RD clear
        return b;
      })(),
      expect: { 'dns.opcode': 'UPDATE', 'dns.operation': 'write' },
    },
    {
      name: 'an mDNS browse is discovery',
      bytes: mdnsQuery('_ipp._tcp.local', 'PTR', true),
      expect: {
        'dns.kind': 'mdns',
        'dns.id': 0,
        'dns.query': '_ipp._tcp.local',
        'dns.operation': 'discovery',
      },
    },
    {
      name: 'an mDNS host lookup is resolution',
      bytes: mdnsQuery('plc-7.local', 'A'),
      expect: { 'dns.kind': 'mdns', 'dns.qtype': 'A', 'dns.operation': 'other' },
    },
    {
      name: 'a Mac announces its host name and model',
      bytes: mdnsHostAnnouncement({
        host: 'ews-mac-1',
        friendlyName: 'Engineering Mac',
        ipv4: '192.0.2.60',
        ipv6: 'fe80::1c2b:3aff:fe4d:5e6f',
        model: 'MacBookPro18,3',
      }),
      expect: {
        'dns.kind': 'mdns',
        'dns.qr': true,
        'dns.operation': 'discovery',
        'dns.answers': [
          'A ews-mac-1.local 192.0.2.60',
          'AAAA ews-mac-1.local fe80::1c2b:3aff:fe4d:5e6f',
          'TXT Engineering Mac._device-info._tcp.local "model=MacBookPro18,3" "osxvers=23"',
        ],
        'dns.device.name': 'ews-mac-1',
        'dns.device.ip': '192.0.2.60',
        'dns.device.model': 'MacBookPro18,3',
      },
    },
    {
      name: 'a printer answers a browse with make and model',
      bytes: mdnsPrinterResponse(PRINTER),
      expect: {
        'dns.kind': 'mdns',
        'dns.query': '_ipp._tcp.local',
        'dns.qtype': 'PTR',
        'dns.answers': ['PTR _ipp._tcp.local Brother HL-L6400DW series._ipp._tcp.local'],
        'dns.device.name': 'BRN3C2AF4A1B2C3',
        'dns.device.ip': '203.0.113.140',
        'dns.device.vendor': 'Brother',
        'dns.device.model': 'HL-L6400DW series',
        'dns.device.product': 'Brother HL-L6400DW series',
      },
    },
    {
      name: 'an NBNS broadcast name query',
      bytes: nbnsNameQuery(0x8a01, 'HISTORIAN-1'),
      expect: {
        'dns.kind': 'nbns',
        'dns.flags': ['RD', 'B'],
        'dns.query': 'HISTORIAN-1<00>',
        'dns.qtype': 'NB',
        'dns.operation': 'other',
      },
    },
    {
      name: 'an NBNS registration names the sender',
      bytes: nbnsRegistration(0x8a02, 'EWS-1', 0x00, '192.0.2.30'),
      expect: {
        'dns.kind': 'nbns',
        'dns.opcode': 'REGISTRATION',
        'dns.operation': 'discovery',
        'dns.query': 'EWS-1<00>',
        'dns.device.name': 'EWS-1',
        'dns.device.ip': '192.0.2.30',
      },
    },
    {
      name: 'a workgroup registration names nobody',
      bytes: nbnsRegistration(0x8a03, 'PLANT', 0x00, '192.0.2.30', true),
      expect: { 'dns.query': 'PLANT<00>', 'dns.device.name': undefined },
    },
    {
      name: 'an NBNS refresh (opcode 8) names the sender too',
      bytes: nbnsRegistration(0x8a04, 'SCADA-1', 0x20, '192.0.2.20', false, 8),
      expect: { 'dns.opcode': 'REFRESH', 'dns.query': 'SCADA-1<20>', 'dns.device.name': 'SCADA-1' },
    },
    {
      name: 'a positive name query response',
      bytes: nbnsPositiveResponse(0x8a01, 'HISTORIAN-1', 0x00, '198.51.100.10'),
      expect: {
        'dns.qr': true,
        'dns.query': 'HISTORIAN-1<00>',
        'dns.answers': ['NB HISTORIAN-1<00> 198.51.100.10'],
        'dns.device.name': 'HISTORIAN-1',
        'dns.device.ip': '198.51.100.10',
      },
    },
    {
      name: 'a node status query',
      bytes: nbnsNodeStatusQuery(0x0042),
      expect: {
        'dns.kind': 'nbns',
        'dns.query': '*<00>',
        'dns.qtype': 'NBSTAT',
        'dns.operation': 'discovery',
      },
    },
    {
      name: 'a node status response lists names and the MAC',
      bytes: nbnsNodeStatusResponse(0x0042, {
        names: [
          { name: 'EWS-1', suffix: 0x00 },
          { name: 'PLANT', suffix: 0x00, group: true },
          { name: 'EWS-1', suffix: 0x20 },
        ],
        mac: '00:1a:2b:3c:4d:5e',
      }),
      expect: {
        'dns.nb_names': ['EWS-1<00>', 'PLANT<00> GROUP', 'EWS-1<20>'],
        'dns.nb_mac': '00:1a:2b:3c:4d:5e',
        'dns.device.name': 'EWS-1',
        'dns.device.ip': undefined,
      },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const f = fields(row.bytes);
      for (const [k, v] of Object.entries(row.expect)) assert.deepEqual(f[k], v, k);
      assert.equal(probeDnsDatagram(0, row.bytes), 'yes');
    });
  }

  it('a unicast DNS answer names no device, even for a .local name', () => {
    const f = fields(
      dnsResponse(3, 'plc-7.local', 'A', [{ name: 'plc-7.local', type: 'A', data: '192.0.2.7' }]),
    );
    assert.equal(f['dns.kind'], 'dns');
    assert.equal(f['dns.device.name'], undefined);
  });

  it('decodes NetBIOS scope ids and non-ASCII DNS-SD instance names', () => {
    const scoped = nbnsNameQuery(1, 'PLC-7');
    assert.equal(netbiosName('PLC-7', 0).length, 32);
    assert.equal(fields(scoped)['dns.query'], 'PLC-7<00>');
    const utf8 = mdnsResponse([{ name: 'Drucker Büro._ipp._tcp.local', type: 'TXT', data: ['ty=X'] }]);
    assert.equal((fields(utf8)['dns.answers'] as string[])[0], 'TXT Drucker Büro._ipp._tcp.local "ty=X"');
  });

  it('prints IPv6 addresses in RFC 5952 form', () => {
    const v6 = (s: string) => formatIpv6(Uint8Array.from(Buffer.from(s.replace(/:/g, ''), 'hex')), 0);
    assert.equal(v6('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(v6('2001:0db8:0000:0001:0000:0000:0000:0001'), '2001:db8:0:1::1');
    assert.equal(v6('0000:0000:0000:0000:0000:0000:0000:0000'), '::');
    assert.equal(v6('2001:0db8:0001:0000:0001:0001:0001:0001'), '2001:db8:1:0:1:1:1:1');
    assert.equal(v6('fe80:0000:0000:0000:0000:0000:0000:0000'), 'fe80::');
  });
});

describe('dns parser: malformed messages are violations', () => {
  const base = dnsResponse(5, 'plc-7.plant.example', 'A', [
    { name: 'plc-7.plant.example', type: 'A', data: '192.0.2.7' },
  ]);

  it('every truncation of a valid message is a violation, never a throw', () => {
    for (const msg of [
      base,
      DIG_QUERY,
      mdnsPrinterResponse(PRINTER),
      nbnsRegistration(1, 'EWS-1', 0, '192.0.2.30'),
    ]) {
      for (let n = 0; n < msg.length; n++) {
        const r = parseDns(msg.subarray(0, n));
        assert.equal(r.kind, 'violation', `cut at ${n} of ${msg.length}`);
      }
    }
  });

  it('refuses a pointer loop, a forward pointer and a self pointer', () => {
    // Question name = pointer to itself (offset 12).
    const self = hex('0001 0100 0001 0000 0000 0000 c00c 0001 0001');
    assert.match(reason(self), /not to an earlier name \(loop\)/);
    // Label "a" then a pointer back to that same label: a loop that a prior-only check would miss.
    const loop = hex('0001 0100 0001 0000 0000 0000 0161 c00c 0001 0001');
    assert.match(reason(loop), /loop/);
    // Pointer forward, past itself.
    const forward = hex('0001 0100 0001 0000 0000 0000 c010 0001 0001 0000');
    assert.match(reason(forward), /loop/);
  });

  it(`refuses names over ${MAX_NAME_LENGTH} bytes and chains over ${MAX_POINTER_HOPS} pointers`, () => {
    const labels = Array.from({ length: 5 }, () => `3f${'61'.repeat(63)}`).join('');
    assert.match(reason(hex(`0001 0100 0001 0000 0000 0000 ${labels}00 0001 0001`)), /longer than 255/);
    // Question 1 is "a"; each next question is "b" plus a pointer to the one before, so question
    // k follows k-1 pointers, every one of them backwards and legal.
    const questions = MAX_POINTER_HOPS + 2;
    const parts = ['0161 00 0001 0001'];
    let previous = 12;
    for (let i = 1; i < questions; i++) {
      parts.push(`0162 c0${previous.toString(16).padStart(2, '0')} 0001 0001`);
      previous = 12 + 7 + (i - 1) * 8;
    }
    const chain = hex(
      `0001 0100 ${questions.toString(16).padStart(4, '0')} 0000 0000 0000 ${parts.join(' ')}`,
    );
    assert.match(
      reason(chain),
      new RegExp(`question ${questions}: .*more than ${MAX_POINTER_HOPS} compression pointers`),
    );
    const legal = hex(
      `0001 0100 ${(questions - 1).toString(16).padStart(4, '0')} 0000 0000 0000 ${parts.slice(0, -1).join(' ')}`,
    );
    assert.equal(parseDns(legal).kind, 'ok');
  });

  it('refuses extended label types, bad RDATA lengths and too many records', () => {
    assert.match(reason(hex('0001 0100 0001 0000 0000 0000 4161 00 0001 0001')), /label type 0x40/);
    const badA = Uint8Array.from(base);
    badA[badA.length - 5] = 5; // rdlength 4 -> 5, now overruns
    assert.match(reason(badA), /runs past the end/);
    const shortA = hex('0001 8100 0000 0001 0000 0000 00 0001 0001 00000000 0003 c00002');
    assert.match(reason(shortA), /an IPv4 address has 4/);
    const many = hex(`0001 0100 ${(MAX_RECORDS + 1).toString(16).padStart(4, '0')} 0000 0000 0000`);
    assert.match(reason(many), /more than the 256 walked/);
    assert.match(reason(new Uint8Array(11)), /shorter than the 12-byte header/);
  });

  it('the probe says no to what is not DNS-format', () => {
    assert.equal(probeDnsDatagram(0, new Uint8Array(0)), 'no');
    assert.equal(probeDnsDatagram(0, new Uint8Array(12)), 'no'); // no records at all
    assert.equal(probeDnsDatagram(0, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), 'no');
    const padded = new Uint8Array(DIG_QUERY.length + 3);
    padded.set(DIG_QUERY);
    assert.equal(
      probeDnsDatagram(0, padded),
      'no',
      'trailing bytes: the session tolerates them, the probe does not',
    );
    assert.equal(parseDns(padded).kind, 'ok');
  });
});

describe('dns over UDP: session', () => {
  it('one event per datagram, violations carry the id, garbage is abandoned', () => {
    const ctx = replay(dnsDissector, [
      [0, 1, dnsQuery(0x4242, 'scada-1.plant.example')],
      [
        1,
        1.001,
        dnsResponse(0x4242, 'scada-1.plant.example', 'A', [
          { name: 'scada-1.plant.example', type: 'A', data: '192.0.2.20' },
        ]),
      ],
      [0, 2, hex('4243 0100 0001 0000 0000 0000 c00c 0001 0001')],
    ]);
    assert.deepEqual(
      ctx.messages().map((f) => [f['dns.id'], f['dns.qr'], f['dns.answers']]),
      [
        [0x4242, false, []],
        [0x4242, true, ['A scada-1.plant.example 192.0.2.20']],
      ],
    );
    assert.equal(ctx.violations().length, 1);
    assert.equal(ctx.violations()[0].fields['dns.id'], 0x4243);

    const junk = Array.from(
      { length: MAX_VIOLATIONS_BEFORE_ABANDON + 2 },
      (_, i) => [0, i, new Uint8Array(5)] as const,
    );
    const bad = replay(dnsDissector, junk);
    assert.equal(bad.violations().length, MAX_VIOLATIONS_BEFORE_ABANDON);
    assert.equal(bad.abandoned.length, 1);
  });
});

describe('dns over TCP: framing', () => {
  const query = dnsOverTcp(dnsQuery(0x1111, 'historian-1.plant.example', 'AAAA'));
  const answer = dnsOverTcp(
    dnsResponse(0x1111, 'historian-1.plant.example', 'AAAA', [
      { name: 'historian-1.plant.example', type: 'AAAA', data: '2001:db8:100::10' },
    ]),
  );
  const second = dnsOverTcp(dnsQuery(0x1112, 'pi.plant.example'));

  it('decodes the same messages whatever the chunk size, several per chunk', () => {
    const both = new Uint8Array(query.length + second.length);
    both.set(query);
    both.set(second, query.length);
    const expected = [
      [0, 0x1111, 'historian-1.plant.example'],
      [1, 0x1111, 'historian-1.plant.example'],
      [0, 0x1112, 'pi.plant.example'],
    ];
    for (let chunk = 1; chunk <= both.length; chunk++) {
      const ctx = replay(
        dnsTcpDissector,
        [
          [0, 1, query],
          [1, 2, answer],
          [0, 3, second],
        ],
        chunk,
      );
      assert.deepEqual(
        ctx.events.map((e) => [e.dir, e.fields['dns.id'], e.fields['dns.query']]),
        expected,
        `chunk ${chunk}`,
      );
      const merged = replay(dnsTcpDissector, [[0, 1, both]], chunk);
      assert.deepEqual(
        merged.messages().map((f) => f['dns.id']),
        [0x1111, 0x1112],
        `merged, chunk ${chunk}`,
      );
    }
  });

  it('probes: yes on a whole query, maybe on a partial one, no on other bytes', () => {
    assert.equal(probeDnsStream(0, query), 'yes');
    assert.equal(probeDnsStream(1, answer), 'yes');
    assert.equal(probeDnsStream(1, query), 'no', 'a query from the server side');
    assert.equal(probeDnsStream(0, query.subarray(0, 10)), 'maybe');
    assert.equal(probeDnsStream(0, query.subarray(0, 20)), 'maybe');
    assert.equal(probeDnsStream(0, new TextEncoder().encode('SSH-2.0-OpenSSH_9.6\r\n')), 'no');
    assert.equal(probeDnsStream(0, Uint8Array.of(0, 3)), 'no');
  });

  it('resynchronises after a gap, and a bad message inside good framing is one violation', () => {
    const events: Fields[] = [];
    const violations: string[] = [];
    const s = dnsTcpDissector.createSession({
      message: (_d, _t, f) => events.push(f),
      violation: (_d, _t, r) => violations.push(r),
      abandon: () => {},
      ignoreRest: () => {},
    });
    s.data(0, 1, query.subarray(0, 9));
    s.gap(0, 1, 100);
    s.data(0, 2, Uint8Array.of(0x13, 0x37, 0x00)); // the tail of something lost
    s.data(0, 3, second);
    const broken = dnsOverTcp(hex('2222 0100 0001 0000 0000 0000 c00c 0001 0001'));
    s.data(0, 4, broken);
    s.data(0, 5, query);
    assert.deepEqual(
      events.map((f) => f['dns.id']),
      [0x1112, 0x1111],
    );
    assert.equal(violations.length, 1);
    assert.match(violations[0], /loop/);
  });

  it(`abandons after ${MAX_CONSECUTIVE_VIOLATIONS} bad messages in a row`, () => {
    const bad = dnsOverTcp(new Uint8Array(4));
    const ctx = replay(
      dnsTcpDissector,
      Array.from({ length: MAX_CONSECUTIVE_VIOLATIONS + 3 }, (_, i) => [0, i, bad] as const),
    );
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    assert.equal(ctx.abandoned.length, 1);
  });
});

describe('dns: hostile input', () => {
  it('parser, probes and sessions never throw on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        parseDns(bytes);
        probeDnsDatagram(0, bytes);
        probeDnsStream(1, bytes);
        replay(dnsDissector, [[0, 0, bytes]]);
        replay(
          dnsTcpDissector,
          [
            [0, 0, bytes],
            [1, 0, bytes],
          ],
          chunk,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated real messages never throw and stay bounded', () => {
    const seeds = [
      DIG_QUERY,
      mdnsPrinterResponse(PRINTER),
      nbnsNodeStatusResponse(1, { names: [{ name: 'A', suffix: 0 }], mac: '00:00:00:00:00:01' }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (seed, edits) => {
          const b = Uint8Array.from(seed);
          for (const [at, v] of edits) b[at % b.length] = v;
          const r = parseDns(b);
          if (r.kind === 'ok') dnsFields(r.message);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
