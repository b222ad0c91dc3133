import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ascii,
  buildDatagram,
  messageType,
  option,
  serverAck,
  uint32,
  windowsRequest,
} from './fixtures/datagrams.ts';
import { dhcpFields, looksLikeDhcp, parseDhcp } from './parser.ts';
import { DhcpOption, MAX_OPTIONS, MIN_DHCP_LENGTH } from './spec.ts';

function fieldsOf(datagram: Uint8Array) {
  const result = parseDhcp(datagram);
  assert.equal(result.kind, 'ok', result.kind === 'violation' ? result.reason : 'incomplete');
  return result.kind === 'ok' ? dhcpFields(result.message) : {};
}

function reasonOf(datagram: Uint8Array): string {
  const result = parseDhcp(datagram);
  assert.equal(result.kind, 'violation');
  return result.kind === 'violation' ? result.reason : '';
}

describe('DHCP message types (RFC 2132 section 9.6)', () => {
  const rows: [number, string][] = [
    [1, 'DISCOVER'],
    [2, 'OFFER'],
    [3, 'REQUEST'],
    [4, 'DECLINE'],
    [5, 'ACK'],
    [6, 'NAK'],
    [7, 'RELEASE'],
    [8, 'INFORM'],
    [9, 'FORCERENEW'],
    [200, 'UNKNOWN-200'],
  ];
  for (const [code, name] of rows) {
    test(`type ${code} prints as ${name}`, () => {
      assert.equal(fieldsOf(buildDatagram({ options: messageType(code) }))['dhcp.msg_type'], name);
    });
  }

  test('plain BOOTP with the cookie but no option 53 has a null message type', () => {
    const fields = fieldsOf(buildDatagram({ options: [] }));
    assert.equal(fields['dhcp.msg_type'], null);
    assert.equal(fields['dhcp.op'], 'BOOTREQUEST');
  });
});

describe('DHCP fields', () => {
  test('a client REQUEST carries identity and the requested address', () => {
    assert.deepEqual(fieldsOf(windowsRequest()), {
      'dhcp.op': 'BOOTREQUEST',
      'dhcp.msg_type': 'REQUEST',
      'dhcp.operation': 'other',
      'dhcp.xid': 0xdeadbeef,
      'dhcp.client_mac': '3c:52:82:11:22:33',
      'dhcp.client_ip': null,
      'dhcp.assigned_ip': null,
      'dhcp.relay_ip': null,
      'dhcp.requested_ip': '192.0.2.50',
      'dhcp.server_id': '192.0.2.1',
      'dhcp.lease_time': null,
      'dhcp.hostname': 'OFFICE-PC7',
      'dhcp.vendor_class': 'MSFT 5.0',
      'dhcp.client_id': '013c5282112233',
      'dhcp.router': null,
    });
  });

  test('a server ACK carries the assigned address, lease and router', () => {
    const fields = fieldsOf(serverAck());
    assert.equal(fields['dhcp.op'], 'BOOTREPLY');
    assert.equal(fields['dhcp.msg_type'], 'ACK');
    assert.equal(fields['dhcp.assigned_ip'], '192.0.2.50');
    assert.equal(fields['dhcp.lease_time'], 86400);
    assert.deepEqual(fields['dhcp.router'], ['192.0.2.254']);
  });

  test('a renewing client reports ciaddr and a relayed one giaddr', () => {
    const fields = fieldsOf(
      buildDatagram({ ciaddr: '198.51.100.7', giaddr: '198.51.100.1', options: messageType(3) }),
    );
    assert.equal(fields['dhcp.client_ip'], '198.51.100.7');
    assert.equal(fields['dhcp.relay_ip'], '198.51.100.1');
  });

  test('an infinite lease is 0xffffffff seconds (RFC 2132 section 9.2)', () => {
    const datagram = buildDatagram({
      op: 2,
      options: [...messageType(5), ...option(DhcpOption.IP_ADDRESS_LEASE_TIME, uint32(0xffffffff))],
    });
    assert.equal(fieldsOf(datagram)['dhcp.lease_time'], 4294967295);
  });

  test('a non-Ethernet chaddr gives no client_mac', () => {
    const fields = fieldsOf(buildDatagram({ htype: 6, hlen: 6, options: messageType(1) }));
    assert.equal(fields['dhcp.client_mac'], null);
  });

  test('pads are skipped and unknown options walked over', () => {
    const datagram = buildDatagram({
      options: [0, 0, ...option(77, ascii('iPXE')), 0, ...messageType(1), ...option(55, [1, 3, 6])],
    });
    assert.equal(fieldsOf(datagram)['dhcp.msg_type'], 'DISCOVER');
  });

  test('a trailing NUL in the host name is dropped, control bytes and backslash are escaped', () => {
    const fields = fieldsOf(
      buildDatagram({
        options: [
          ...messageType(1),
          ...option(DhcpOption.HOST_NAME, [...ascii('plc-7'), 0]),
          ...option(DhcpOption.VENDOR_CLASS_IDENTIFIER, [...ascii('a\\b'), 0x0a, 0xfc]),
        ],
      }),
    );
    assert.equal(fields['dhcp.hostname'], 'plc-7');
    assert.equal(fields['dhcp.vendor_class'], 'a\\x5cb\\x0a\\xfc');
  });

  test('repeated instances of one option are concatenated (RFC 3396)', () => {
    const datagram = buildDatagram({
      options: [
        ...messageType(1),
        ...option(DhcpOption.HOST_NAME, ascii('line-3-')),
        ...option(DhcpOption.HOST_NAME, ascii('hmi')),
      ],
    });
    assert.equal(fieldsOf(datagram)['dhcp.hostname'], 'line-3-hmi');
  });

  test('Option Overload reads file, then sname (RFC 2131 section 4.1)', () => {
    const datagram = buildDatagram({
      options: [...messageType(1), ...option(DhcpOption.OPTION_OVERLOAD, [3])],
      file: [...option(DhcpOption.HOST_NAME, ascii('from-file')), DhcpOption.END],
      sname: [...option(DhcpOption.VENDOR_CLASS_IDENTIFIER, ascii('from-sname')), DhcpOption.END],
    });
    const fields = fieldsOf(datagram);
    assert.equal(fields['dhcp.hostname'], 'from-file');
    assert.equal(fields['dhcp.vendor_class'], 'from-sname');
  });

  test('a missing END option is tolerated', () => {
    assert.equal(fieldsOf(buildDatagram({ options: messageType(8), end: false }))['dhcp.msg_type'], 'INFORM');
  });
});

describe('malformed DHCP datagrams are violations', () => {
  const full = windowsRequest();
  const rows: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /shorter than the 240-byte/],
    ['header only, no cookie', full.subarray(0, 236), /shorter than the 240-byte/],
    ['bad op', buildDatagram({ op: 3 }), /op 3 is neither/],
    ['hlen past chaddr', buildDatagram({ hlen: 17 }), /hlen 17 exceeds/],
    ['no magic cookie', buildDatagram({ cookie: false, options: messageType(1) }), /magic cookie/],
    [
      'option cut after its code',
      buildDatagram({ options: [...messageType(1), 12], end: false }),
      /no length/,
    ],
    ['option runs past the end', buildDatagram({ options: [12, 10, 0x41], end: false }), /runs past the end/],
    ['truncated in the middle of options', full.subarray(0, MIN_DHCP_LENGTH + 5), /runs past the end/],
    ['message type of length 2', buildDatagram({ options: option(53, [1, 2]) }), /option 53 .* length 2/],
    ['requested address of length 3', buildDatagram({ options: option(50, [1, 2, 3]) }), /option 50/],
    ['server id of length 5', buildDatagram({ options: option(54, [1, 2, 3, 4, 5]) }), /option 54/],
    ['lease time of length 2', buildDatagram({ options: option(51, [1, 2]) }), /option 51/],
    ['router list of length 6', buildDatagram({ options: option(3, [1, 2, 3, 4, 5, 6]) }), /option 3/],
    ['overload value 4', buildDatagram({ options: option(52, [4]) }), /option 52/],
    [
      'overloaded file with a broken option',
      buildDatagram({ options: option(52, [1]), file: [12, 200, 0x41] }),
      /file field/,
    ],
    [
      'too many options',
      buildDatagram({ options: Array.from({ length: MAX_OPTIONS + 1 }, () => option(77, [1])).flat() }),
      /more than 256 options/,
    ],
    [
      'host name longer than the concatenation bound',
      buildDatagram({
        options: Array.from({ length: 5 }, () =>
          option(DhcpOption.HOST_NAME, new Array(250).fill(0x41)),
        ).flat(),
      }),
      /longer than 1024 bytes/,
    ],
  ];
  for (const [name, datagram, reason] of rows) {
    test(name, () => {
      assert.match(reasonOf(datagram), reason);
    });
  }

  test('every truncation of a valid message parses or is a violation, never throws', () => {
    const datagram = serverAck();
    for (let length = 0; length <= datagram.length; length += 1) {
      const result = parseDhcp(datagram.subarray(0, length));
      assert.ok(result.kind === 'ok' || result.kind === 'violation', `length ${length}`);
    }
  });
});

describe('probe check', () => {
  test('needs the header and the cookie', () => {
    assert.equal(looksLikeDhcp(windowsRequest()), true);
    assert.equal(looksLikeDhcp(buildDatagram({ cookie: false })), false);
    assert.equal(looksLikeDhcp(windowsRequest().subarray(0, 239)), false);
    assert.equal(looksLikeDhcp(buildDatagram({ op: 0 })), false);
  });
});

describe('random bytes never throw', () => {
  test('arbitrary datagrams', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const result = parseDhcp(bytes);
        looksLikeDhcp(bytes);
        return result.kind === 'ok' || result.kind === 'violation';
      }),
      { numRuns: 2000 },
    );
  });

  test('a valid header with random option bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 600 }), (options) => {
        const result = parseDhcp(buildDatagram({ options, end: false }));
        if (result.kind === 'ok') dhcpFields(result.message);
        return result.kind === 'ok' || result.kind === 'violation';
      }),
      { numRuns: 2000 },
    );
  });

  test('a valid message with one byte flipped', () => {
    const original = windowsRequest();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: original.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const bytes = original.slice();
          bytes[at] = value;
          const result = parseDhcp(bytes);
          return result.kind === 'ok' || result.kind === 'violation';
        },
      ),
      { numRuns: 2000 },
    );
  });
});
