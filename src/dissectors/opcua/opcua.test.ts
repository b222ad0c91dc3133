// Table-driven tests of the OPC UA Binary parser and session (STYLE.md 8): valid rows per message
// and service, malformed rows, the same conversation fed in chunks of every size, multi-chunk
// messages, gaps, oversized chunks, secured channels, the probe, and random input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Fields, FieldValue } from '../types.ts';
import {
  MAX_CONSECUTIVE_VIOLATIONS,
  OpcuaSession,
  opcuaDissector,
  probeOpcua,
  RESYNC_REPORT_BYTES,
} from './dissector.ts';
import {
  DECODE_WINDOW,
  MAX_CHUNK_SIZE,
  MAX_LISTED,
  MAX_NESTING_DEPTH,
  MAX_URL_LENGTH,
  MIN_BUFFER_SIZE,
  parseChunk,
} from './parser.ts';
import { SERVICES } from './spec.ts';
import {
  abortChunk,
  acknowledge,
  activateSessionRequest,
  browseRequest,
  buildInfoReadResponse,
  type ChannelInput,
  CONFORMANCE_SAMPLES,
  callRequest,
  chunk,
  ciphertext,
  closeSecureChannel,
  conversation,
  createSessionRequest,
  createSessionResponse,
  errorMessage,
  findServersResponse,
  getEndpointsRequest,
  getEndpointsResponse,
  hello,
  msg,
  openSecureChannelRequest,
  openSecureChannelResponse,
  PLC_BUILD_INFO,
  PLC_SERVER,
  plcEndpoints,
  readRequest,
  readResponse,
  reverseHello,
  SCADA_CLIENT,
  SESSION_ID_TEXT,
  securedConversation,
  serviceFault,
  simpleRequest,
  simpleResponse,
  UaWriter,
  writeRequest,
  writeResponse,
} from './testing.ts';

const ch = (sequenceNumber: number, requestId: number): ChannelInput => ({
  channelId: 7,
  tokenId: 1,
  sequenceNumber,
  requestId,
});

function parsed(bytes: Uint8Array): Fields {
  const r = parseChunk(bytes, 0, bytes.length);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  assert.equal(r.consumed, bytes.length);
  return r.message;
}

function violation(bytes: Uint8Array): string {
  const r = parseChunk(bytes, 0, bytes.length);
  assert.equal(r.kind, 'violation', `expected a violation, got ${JSON.stringify(r)}`);
  assert.ok(r.kind === 'violation');
  return r.reason;
}

/** Expected values; `undefined` says the field must be absent. */
type Expect = Record<string, FieldValue | undefined>;

/** Asserts that every key of `expected` has that value in `actual`. */
function has(actual: Fields, expected: Expect): void {
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(actual[k], v, k);
}

const toTransmissions = (pairs: [0 | 1, Uint8Array][]): Transmission[] => pairs.map(([d, b], i) => [d, i, b]);

/** Replays a pair list on a fresh session, with the chunk size given (whole when omitted). */
function run(pairs: [0 | 1, Uint8Array][], chunkSize?: number) {
  return replay(opcuaDissector, toTransmissions(pairs), chunkSize);
}

describe('parseChunk: UA Connection Protocol (Part 6 §7.1.2)', () => {
  const rows: { name: string; bytes: Uint8Array; expect: Expect }[] = [
    {
      name: 'Hello',
      bytes: hello('opc.tcp://plc1:4840', {
        receiveBufferSize: 65536,
        sendBufferSize: 65536,
        maxChunkCount: 64,
      }),
      expect: {
        'opcua.msg_type': 'HEL',
        'opcua.chunk': 'F',
        'opcua.operation': 'other',
        'opcua.protocol_version': 0,
        'opcua.receive_buffer_size': 65536,
        'opcua.send_buffer_size': 65536,
        'opcua.max_message_size': 0,
        'opcua.max_chunk_count': 64,
        'opcua.endpoint_url': 'opc.tcp://plc1:4840',
      },
    },
    {
      name: 'Acknowledge',
      bytes: acknowledge({ receiveBufferSize: 8192, sendBufferSize: 16384 }),
      expect: { 'opcua.msg_type': 'ACK', 'opcua.receive_buffer_size': 8192, 'opcua.send_buffer_size': 16384 },
    },
    {
      name: 'Error',
      bytes: errorMessage(0x807e0000, 'unknown message type'),
      expect: {
        'opcua.msg_type': 'ERR',
        'opcua.status_code': 0x807e0000,
        'opcua.status': 'BAD_TCP_MESSAGE_TYPE_INVALID',
        'opcua.error': 'BAD_TCP_MESSAGE_TYPE_INVALID',
        'opcua.reason': 'unknown message type',
      },
    },
    {
      name: 'Error with an unknown status and a null reason',
      bytes: errorMessage(0x80ff0000, null),
      expect: { 'opcua.status': `UNKNOWN-${0x80ff0000}`, 'opcua.reason': null },
    },
    {
      name: 'ReverseHello',
      bytes: reverseHello('urn:plc1:server', 'opc.tcp://plc1:4840'),
      expect: {
        'opcua.msg_type': 'RHE',
        'opcua.server_uri': 'urn:plc1:server',
        'opcua.endpoint_url': 'opc.tcp://plc1:4840',
      },
    },
  ];
  for (const row of rows) it(row.name, () => has(parsed(row.bytes), row.expect));
});

describe('parseChunk: secure conversation (Part 6 §6.7)', () => {
  it('OpenSecureChannel request with policy None: channel, policy, request type and mode', () => {
    has(parsed(openSecureChannelRequest({ requestType: 1, mode: 1, channelId: 5 })), {
      'opcua.msg_type': 'OPN',
      'opcua.secure_channel_id': 5,
      'opcua.security_policy': 'None',
      'opcua.security_policy_deprecated': false,
      'opcua.sender_certificate_length': null,
      'opcua.receiver_thumbprint': null,
      'opcua.encrypted': false,
      'opcua.type_id': 446,
      'opcua.type_name': 'OpenSecureChannelRequest',
      'opcua.service': 'OPEN_SECURE_CHANNEL',
      'opcua.operation': 'auth',
      'opcua.request_type': 'RENEW',
      'opcua.security_mode': 'NONE',
      'opcua.requested_lifetime': 600000,
    });
  });
  it('OpenSecureChannel response: token and lifetime', () => {
    has(parsed(openSecureChannelResponse({ channelId: 12, tokenId: 3 })), {
      'opcua.secure_channel_id': 12,
      'opcua.token_id': 3,
      'opcua.type_name': 'OpenSecureChannelResponse',
      'opcua.status': 'GOOD',
      'opcua.error': null,
      'opcua.revised_lifetime': 600000,
    });
  });
  it('OpenSecureChannel with Basic256Sha256: certificate and thumbprint, body encrypted', () => {
    const thumb = ciphertext(20, 1);
    const f = parsed(
      openSecureChannelRequest({
        policy: 'Basic256Sha256',
        senderCertificate: new Uint8Array(900),
        thumbprint: thumb,
      }),
    );
    has(f, {
      'opcua.security_policy': 'Basic256Sha256',
      'opcua.security_policy_uri': 'http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256',
      'opcua.sender_certificate_length': 900,
      'opcua.receiver_thumbprint': Buffer.from(thumb).toString('hex'),
      'opcua.encrypted': true,
      'opcua.service': 'OPEN_SECURE_CHANNEL',
    });
    assert.equal(f['opcua.type_name'], undefined);
  });
  it('flags the deprecated policies (Basic128Rsa15, Basic256)', () => {
    for (const policy of ['Basic128Rsa15', 'Basic256']) {
      has(parsed(openSecureChannelRequest({ policy })), {
        'opcua.security_policy': policy,
        'opcua.security_policy_deprecated': true,
      });
    }
  });
  it('a policy URI outside Part 7 keeps its text', () => {
    const w = new UaWriter()
      .u32(0)
      .string('urn:vendor:policy#X')
      .bytes(null)
      .bytes(null)
      .raw(ciphertext(64, 3));
    has(parsed(chunk('OPN', w.done())), { 'opcua.security_policy': 'urn:vendor:policy#X' });
  });
  it('CloseSecureChannel', () => {
    has(parsed(closeSecureChannel(ch(9, 9))), {
      'opcua.msg_type': 'CLO',
      'opcua.service': 'CLOSE_SECURE_CHANNEL',
      'opcua.type_name': 'CloseSecureChannelRequest',
      'opcua.operation': 'auth',
      'opcua.sequence_number': 9,
    });
  });
});

describe('parseChunk: services (Part 4)', () => {
  const url = 'opc.tcp://10.20.1.10:4840';
  const rows: { name: string; bytes: Uint8Array; expect: Expect }[] = [
    {
      name: 'GetEndpoints request',
      bytes: msg(ch(2, 2), getEndpointsRequest(1, url)),
      expect: {
        'opcua.type_id': 428,
        'opcua.type_name': 'GetEndpointsRequest',
        'opcua.service': 'GET_ENDPOINTS',
        'opcua.operation': 'discovery',
        'opcua.response': false,
        'opcua.request_handle': 1,
        'opcua.endpoint_url': url,
        'opcua.sequence_number': 2,
        'opcua.request_id': 2,
        'opcua.secure_channel_id': 7,
        'opcua.token_id': 1,
      },
    },
    {
      name: 'GetEndpoints response: endpoints and the server description as device identity',
      bytes: msg(ch(2, 2), getEndpointsResponse(1, plcEndpoints(url))),
      expect: {
        'opcua.type_name': 'GetEndpointsResponse',
        'opcua.response': true,
        'opcua.status': 'GOOD',
        'opcua.endpoint_count': 3,
        'opcua.endpoint_security_policies': ['None', 'Basic256Sha256', 'Basic256Sha256'],
        'opcua.endpoint_security_modes': ['NONE', 'SIGN', 'SIGN_AND_ENCRYPT'],
        'opcua.endpoint_security_levels': [0, 50, 100],
        'opcua.user_token_types': ['ANONYMOUS', 'USERNAME', 'CERTIFICATE'],
        'opcua.application_uri': PLC_SERVER.applicationUri,
        'opcua.application_type': 'SERVER',
        'opcua.device.name': PLC_SERVER.applicationName,
        'opcua.device.product': undefined,
        'opcua.device.description': PLC_SERVER.applicationUri,
      },
    },
    {
      name: 'FindServers response: other servers are listed, not taken as the sender identity',
      bytes: msg(ch(2, 2), findServersResponse(1, [PLC_SERVER, { ...PLC_SERVER, applicationUri: 'urn:b' }])),
      expect: {
        'opcua.service': 'FIND_SERVERS',
        'opcua.server_count': 2,
        'opcua.server_uris': [PLC_SERVER.applicationUri, 'urn:b'],
        'opcua.device.name': undefined,
      },
    },
    {
      name: 'CreateSession request: the client describes itself',
      bytes: msg(ch(3, 3), createSessionRequest(2, SCADA_CLIENT, url)),
      expect: {
        'opcua.service': 'CREATE_SESSION',
        'opcua.operation': 'auth',
        'opcua.application_type': 'CLIENT',
        // A client's application name names its software, not the device: it only describes.
        'opcua.device.name': undefined,
        'opcua.device.product': undefined,
        'opcua.device.description': `${SCADA_CLIENT.applicationName} (${SCADA_CLIENT.applicationUri})`,
        'opcua.endpoint_url': url,
        'opcua.session_name': 'Session1',
        'opcua.client_nonce_length': 32,
        'opcua.requested_session_timeout': 1200000,
        'opcua.max_response_message_size': 0x7fffffff,
      },
    },
    {
      name: 'CreateSession response: session id (GUID text, Part 6 §5.1.3) and server endpoints',
      bytes: msg(ch(3, 3), createSessionResponse(2, plcEndpoints(url))),
      expect: {
        'opcua.session_id': SESSION_ID_TEXT,
        'opcua.revised_session_timeout': 1200000,
        'opcua.server_nonce_length': 32,
        'opcua.endpoint_count': 3,
        'opcua.device.name': PLC_SERVER.applicationName,
        'opcua.max_request_message_size': 0,
      },
    },
    {
      name: 'ActivateSession with a user name and a cleartext password',
      bytes: msg(ch(4, 4), activateSessionRequest(3, { kind: 'username', user: 'operator', password: 'pw' })),
      expect: {
        'opcua.identity_token': 'USERNAME',
        'opcua.user_name': 'operator',
        'opcua.cleartext_password': true,
        'opcua.identity_policy_id': 'username_basic256sha256',
      },
    },
    {
      name: 'ActivateSession with an encrypted password',
      bytes: msg(
        ch(4, 4),
        activateSessionRequest(3, {
          kind: 'username',
          user: 'operator',
          password: 'x'.repeat(64),
          encryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep',
        }),
      ),
      expect: { 'opcua.identity_token': 'USERNAME', 'opcua.cleartext_password': false },
    },
    {
      name: 'ActivateSession anonymous',
      bytes: msg(ch(4, 4), activateSessionRequest(3, { kind: 'anonymous' })),
      expect: { 'opcua.identity_token': 'ANONYMOUS', 'opcua.user_name': undefined },
    },
    {
      name: 'ActivateSession with a certificate',
      bytes: msg(
        ch(4, 4),
        activateSessionRequest(3, { kind: 'certificate', certificate: new Uint8Array(700) }),
      ),
      expect: { 'opcua.identity_token': 'CERTIFICATE', 'opcua.user_certificate_length': 700 },
    },
    {
      name: 'ActivateSession with no token (Part 4 §5.6.3.2: anonymous)',
      bytes: msg(ch(4, 4), activateSessionRequest(3, { kind: 'none' })),
      expect: { 'opcua.identity_token': 'ANONYMOUS' },
    },
    {
      name: 'Read request: node ids and attributes',
      bytes: msg(
        ch(5, 5),
        readRequest(4, [
          { ns: 2, s: 'Line1.Speed' },
          { ns: 0, id: 2258 },
        ]),
      ),
      expect: {
        'opcua.service': 'READ',
        'opcua.operation': 'read',
        'opcua.node_count': 2,
        'opcua.nodes': ['ns=2;s=Line1.Speed', 'i=2258'],
        'opcua.attributes': ['VALUE', 'VALUE'],
        'opcua.timestamps_to_return': 'SOURCE',
        'opcua.max_age': 0,
      },
    },
    {
      name: 'Write request and response',
      bytes: msg(ch(6, 6), writeRequest(5, [{ node: { ns: 1, s: 'the.answer' }, value: { double: 42 } }])),
      expect: { 'opcua.service': 'WRITE', 'opcua.operation': 'write', 'opcua.nodes': ['ns=1;s=the.answer'] },
    },
    {
      name: 'Write response with a rejected write',
      bytes: msg(ch(6, 6), writeResponse(5, [0, 0x803b0000])),
      expect: { 'opcua.results': ['GOOD', 'BAD_NOT_WRITABLE'], 'opcua.error': null },
    },
    {
      name: 'Call request: object and method (control, see spec.ts)',
      bytes: msg(
        ch(7, 7),
        callRequest(6, { ns: 3, id: 5001 }, { ns: 3, id: 5002 }, [{ string: 'x' }, { double: 1 }]),
      ),
      expect: {
        'opcua.service': 'CALL',
        'opcua.operation': 'control',
        'opcua.nodes': ['ns=3;i=5001'],
        'opcua.methods': ['ns=3;i=5002'],
      },
    },
    {
      name: 'Browse request',
      bytes: msg(ch(8, 8), browseRequest(7, [{ ns: 0, id: 85 }])),
      expect: { 'opcua.service': 'BROWSE', 'opcua.operation': 'read', 'opcua.nodes': ['i=85'] },
    },
    {
      name: 'a service with only its header decoded (Publish), request handle kept',
      bytes: msg(ch(9, 9), simpleRequest(SERVICES.Publish.request, 44)),
      expect: { 'opcua.service': 'PUBLISH', 'opcua.type_name': 'PublishRequest', 'opcua.request_handle': 44 },
    },
    {
      name: 'a Bad service result is the error field',
      bytes: msg(ch(9, 9), simpleResponse(SERVICES.Publish.response, 44, 0x80790000)),
      expect: {
        'opcua.status': 'BAD_NO_SUBSCRIPTION',
        'opcua.error': 'BAD_NO_SUBSCRIPTION',
        'opcua.status_code': 0x80790000,
      },
    },
    {
      name: 'an Uncertain result is not an error',
      bytes: msg(ch(9, 9), simpleResponse(SERVICES.Publish.response, 44, 0x40000000)),
      expect: { 'opcua.status': 'UNCERTAIN', 'opcua.error': null },
    },
    {
      name: 'ServiceFault alone names no service',
      bytes: msg(ch(9, 9), serviceFault(44, 0x800b0000)),
      expect: {
        'opcua.type_name': 'ServiceFault',
        'opcua.service': 'SERVICE_FAULT',
        'opcua.error': 'BAD_SERVICE_UNSUPPORTED',
      },
    },
    {
      name: 'an unknown service type id',
      bytes: msg(ch(9, 9), new UaWriter().numericNodeId(9999).raw(new Uint8Array(20)).done()),
      expect: { 'opcua.service': 'UNKNOWN-9999', 'opcua.type_id': 9999, 'opcua.operation': 'other' },
    },
  ];
  for (const row of rows) it(row.name, () => has(parsed(row.bytes), row.expect));

  it('lists at most MAX_LISTED nodes but counts them all', () => {
    const nodes = Array.from({ length: MAX_LISTED + 5 }, (_, i) => ({ ns: 2, id: 1000 + i }));
    const f = parsed(msg(ch(5, 5), readRequest(4, nodes)));
    assert.equal(f['opcua.node_count'], MAX_LISTED + 5);
    assert.equal((f['opcua.nodes'] as string[]).length, MAX_LISTED);
  });
});

describe('parseChunk: malformed rows', () => {
  const valid = msg(ch(2, 2), getEndpointsRequest(1, 'opc.tcp://x:4840'));
  const rows: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
    {
      name: 'unknown message type',
      bytes: chunk('XYZ', new Uint8Array(20)),
      reason: /no OPC UA message header/,
    },
    {
      name: 'chunk type C on a Hello',
      bytes: Uint8Array.from([
        ...hello('opc.tcp://x').subarray(0, 3),
        0x43,
        ...hello('opc.tcp://x').subarray(4),
      ]),
      reason: /chunk type 0x43/,
    },
    {
      name: 'bad chunk type on a MSG',
      bytes: Uint8Array.from([...valid.subarray(0, 3), 0x58, ...valid.subarray(4)]),
      reason: /chunk type 0x58/,
    },
    {
      name: 'size below the fixed fields',
      bytes: sized(chunk('ACK', new Uint8Array(20)), 20),
      reason: /shorter than its fixed/,
    },
    {
      name: 'size beyond MAX_CHUNK_SIZE',
      bytes: sized(valid, MAX_CHUNK_SIZE + 1),
      reason: /exceeds MAX_CHUNK_SIZE/,
    },
    {
      name: 'Hello with a receive buffer below 8192 (§7.1.2.3)',
      bytes: hello('opc.tcp://x', { receiveBufferSize: MIN_BUFFER_SIZE - 1 }),
      reason: /buffer size below/,
    },
    {
      name: 'Hello with an endpoint URL over 4096 bytes',
      bytes: hello(`opc.tcp://${'a'.repeat(MAX_URL_LENGTH)}`),
      reason: /exceeds 4096/,
    },
    {
      name: 'Hello whose URL runs past the chunk',
      bytes: chunk('HEL', new UaWriter().u32(0).u32(65535).u32(65535).u32(0).u32(0).i32(100).done()),
      reason: /shorter than its fields/,
    },
    {
      name: 'a string with a negative length other than -1',
      bytes: chunk('RHE', new UaWriter().i32(-5).i32(-1).done()),
      reason: /negative length/,
    },
    {
      name: 'a service body cut short (GetEndpoints without its URL)',
      bytes: msg(ch(2, 2), getEndpointsRequest(1, 'opc.tcp://x:4840').subarray(0, 30)),
      reason: /shorter than its fields/,
    },
    {
      name: 'a NodeId with an unknown encoding',
      bytes: msg(ch(2, 2), Uint8Array.from([0x07, 0, 0, 0])),
      reason: /unknown NodeId encoding/,
    },
    {
      name: 'a type id outside namespace 0',
      bytes: msg(ch(2, 2), new UaWriter().numericNodeId(631, 2).raw(new Uint8Array(30)).done()),
      reason: /namespace-0/,
    },
    {
      name: `DiagnosticInfo nested deeper than ${MAX_NESTING_DEPTH}`,
      bytes: msg(ch(2, 2), nestedDiagnostics(MAX_NESTING_DEPTH + 5)),
      reason: /nested deeper/,
    },
    {
      name: 'an identity token longer than its declared length',
      bytes: msg(ch(4, 4), shortenedToken()),
      reason: /identity token is shorter than its fields/,
    },
  ];
  for (const row of rows) it(row.name, () => assert.match(violation(row.bytes), row.reason));

  it('a partial header that cannot become one is rejected at once', () => {
    assert.equal(parseChunk(Uint8Array.from([0x4d, 0x58]), 0, 2).kind, 'violation');
    assert.deepEqual(parseChunk(Uint8Array.from([0x4d, 0x53]), 0, 2), { kind: 'incomplete', needed: 6 });
  });
  it('an incomplete chunk asks for the rest', () => {
    assert.deepEqual(parseChunk(valid, 0, valid.length - 3), { kind: 'incomplete', needed: 3 });
  });
});

/** The chunk with its size field rewritten. */
function sized(bytes: Uint8Array, size: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(4, size, true);
  return out;
}

/** A response body whose ServiceDiagnostics nest `depth` inner DiagnosticInfos. */
function nestedDiagnostics(depth: number): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Read.response).dateTime(0).u32(1).u32(0);
  for (let i = 0; i < depth; i++) w.u8(0x40);
  w.u8(0);
  return w.i32(-1).extensionObject(0, null).i32(0).i32(-1).done();
}

/** An ActivateSession whose UserNameIdentityToken declares fewer bytes than its fields take. */
function shortenedToken(): Uint8Array {
  const full = activateSessionRequest(3, { kind: 'username', user: 'operator', password: 'pw' });
  // Find the token's ExtensionObject: type id 324 (four-byte NodeId 01 00 44 01), encoding 01, length.
  const at = full.findIndex(
    (b, i) => b === 0x01 && full[i + 1] === 0 && full[i + 2] === 0x44 && full[i + 3] === 0x01,
  );
  const out = full.slice();
  const view = new DataView(out.buffer);
  view.setInt32(at + 5, view.getInt32(at + 5, true) - 6, true);
  return out;
}

describe('session: a whole conversation', () => {
  const pairs = conversation();
  const whole = run(pairs);

  it('one event per message, no violation', () => {
    assert.equal(whole.violations().length, 0);
    assert.equal(whole.messages().length, pairs.length);
  });

  it('every event has the service or message type and a valid operation', () => {
    for (const m of whole.messages()) {
      assert.ok(typeof m['opcua.service'] === 'string' || typeof m['opcua.msg_type'] === 'string');
      assert.ok(
        ['read', 'write', 'control', 'discovery', 'auth', 'other'].includes(m['opcua.operation'] as string),
      );
    }
  });

  it('every secure conversation event states the channel policy and mode', () => {
    for (const m of whole.messages()) {
      if (m['opcua.msg_type'] === 'HEL' || m['opcua.msg_type'] === 'ACK') continue;
      assert.equal(m['opcua.security_policy'], 'None');
      assert.equal(m['opcua.security_mode'], 'NONE');
    }
  });

  it('the BuildInfo read names the vendor and the server software, not the firmware (device.ts)', () => {
    const read = whole.messages().find((m) => m['opcua.type_name'] === 'ReadResponse')!;
    assert.equal(read['opcua.device.firmware'], undefined);
    has(read, {
      'opcua.device.vendor': PLC_BUILD_INFO.manufacturerName,
      'opcua.device.software': `${PLC_BUILD_INFO.productName} ${PLC_BUILD_INFO.softwareVersion}`,
      'opcua.product_name': PLC_BUILD_INFO.productName,
      'opcua.build_number': PLC_BUILD_INFO.buildNumber,
    });
  });

  it('the same bytes in chunks of every size give the same events', () => {
    const total = pairs.reduce((n, [, b]) => Math.max(n, b.length), 0);
    for (let size = 1; size <= total; size += size < 64 ? 1 : 37) {
      const ctx = run(pairs, size);
      assert.deepEqual(ctx.events, whole.events, `chunks of ${size}`);
    }
  });

  it('several chunks in one segment', () => {
    const client = Buffer.concat(pairs.filter(([d]) => d === 0).map(([, b]) => b));
    const server = Buffer.concat(pairs.filter(([d]) => d === 1).map(([, b]) => b));
    const ctx = run([
      [0, client],
      [1, server],
    ]);
    assert.equal(ctx.violations().length, 0);
    assert.equal(ctx.messages().length, pairs.length);
  });
});

describe('session: pairing and channel state', () => {
  it('a ServiceFault takes the service of the request it answers', () => {
    const ctx = run([
      [0, msg(ch(2, 40), simpleRequest(SERVICES.HistoryUpdate.request, 4))],
      [1, msg(ch(2, 40), serviceFault(4, 0x801f0000))],
    ]);
    const [, fault] = ctx.messages();
    has(fault, {
      'opcua.type_name': 'ServiceFault',
      'opcua.service': 'HISTORY_UPDATE',
      'opcua.operation': 'write',
      'opcua.error': 'BAD_USER_ACCESS_DENIED',
    });
  });

  it('a read of the BuildInfo structure (i=2260) names vendor and firmware', () => {
    const ctx = run([
      [0, msg(ch(2, 2), readRequest(1, [{ ns: 0, id: 2260 }]))],
      [1, msg(ch(2, 2), readResponse(1, [{ buildInfo: PLC_BUILD_INFO }]))],
    ]);
    has(ctx.messages()[1], {
      'opcua.device.vendor': 'Siemens AG',
      'opcua.device.software': `${PLC_BUILD_INFO.productName} V3.1.2`,
      'opcua.product_name': PLC_BUILD_INFO.productName,
    });
  });

  it('values of other nodes are not mistaken for identity', () => {
    const ctx = run([
      [0, msg(ch(2, 2), readRequest(1, [{ ns: 2, id: 2263 }]))],
      [1, msg(ch(2, 2), readResponse(1, [{ string: 'not a vendor' }]))],
    ]);
    assert.equal(ctx.messages()[1]['opcua.device.vendor'], undefined);
  });

  it('a response without its request has no read context', () => {
    const ctx = run([[1, msg(ch(2, 2), buildInfoReadResponse(1))]]);
    has(ctx.messages()[0], { 'opcua.service': 'READ', 'opcua.device.vendor': undefined });
  });

  it('an encrypted channel: recognised only, mode inferred SignAndEncrypt', () => {
    const ctx = run(securedConversation(2));
    assert.equal(ctx.violations().length, 0);
    const secured = ctx.messages().filter((m) => m['opcua.msg_type'] === 'MSG');
    assert.equal(secured.length, 4);
    for (const m of secured) {
      has(m, {
        'opcua.encrypted': true,
        'opcua.security_policy': 'Basic256Sha256',
        'opcua.security_mode': 'SIGN_AND_ENCRYPT',
        'opcua.secure_channel_id': 9,
        'opcua.token_id': 1,
        'opcua.service': undefined,
        'opcua.operation': 'other',
      });
    }
    const opn = ctx.messages().filter((m) => m['opcua.msg_type'] === 'OPN');
    for (const m of opn)
      has(m, {
        'opcua.encrypted': true,
        'opcua.service': 'OPEN_SECURE_CHANNEL',
        'opcua.security_mode': null,
      });
  });

  it('a signed-only channel: bodies read, mode inferred Sign', () => {
    const cert = new Uint8Array(800);
    const ctx = run([
      [
        0,
        openSecureChannelRequest({
          policy: 'Basic256Sha256',
          senderCertificate: cert,
          thumbprint: ciphertext(20, 5),
        }),
      ],
      [1, openSecureChannelResponse({ policy: 'Basic256Sha256', channelId: 7, senderCertificate: cert })],
      [0, msg(ch(2, 2), Buffer.concat([readRequest(1, [{ ns: 2, id: 5 }]), ciphertext(32, 1)]))],
    ]);
    has(ctx.messages()[2], {
      'opcua.encrypted': false,
      'opcua.service': 'READ',
      'opcua.security_mode': 'SIGN',
      'opcua.nodes': ['ns=2;i=5'],
    });
  });

  it('a stream picked up after the OpenSecureChannel: plaintext bodies still read', () => {
    const ctx = run([[0, msg(ch(30, 30), readRequest(1, [{ ns: 2, id: 5 }]))]]);
    has(ctx.messages()[0], {
      'opcua.service': 'READ',
      'opcua.encrypted': false,
      'opcua.security_policy': null,
    });
  });

  it('a chunk larger than the Acknowledge allows is a violation, and still decoded', () => {
    const big = msg(
      ch(2, 2),
      readRequest(
        1,
        Array.from({ length: 900 }, (_, i) => ({ ns: 2, id: i })),
      ),
    );
    assert.ok(big.length > 8192);
    const ctx = run([
      [0, hello('opc.tcp://x')],
      [1, acknowledge({ receiveBufferSize: 8192, sendBufferSize: 8192 })],
      [0, big],
    ]);
    assert.equal(ctx.violations().length, 1);
    assert.match(ctx.violations()[0].reason!, /exceeds the 8192 bytes negotiated/);
    assert.equal(ctx.messages().at(-1)!['opcua.node_count'], 900);
  });
});

describe('session: chunked messages (Part 6 §6.7.2.2, §6.7.3)', () => {
  const first = msg(ch(2, 2), readRequest(1, [{ ns: 2, id: 1 }]), 'C');
  const rest = msg(ch(3, 2), new Uint8Array(40), 'C');
  const last = msg(ch(4, 2), new Uint8Array(40), 'F');

  it('one event for a message of three chunks, from its first', () => {
    const ctx = run([
      [0, first],
      [0, rest],
      [0, last],
      [0, msg(ch(5, 3), simpleRequest(SERVICES.Publish.request, 2))],
    ]);
    assert.equal(ctx.violations().length, 0);
    const m = ctx.messages();
    assert.equal(m.length, 2);
    has(m[0], { 'opcua.chunk': 'C', 'opcua.service': 'READ' });
    has(m[1], { 'opcua.chunk': 'F', 'opcua.service': 'PUBLISH' });
  });

  it('an abort chunk ends the message with its status and reason', () => {
    const ctx = run([
      [0, first],
      [0, abortChunk(ch(3, 2), 0x80080000, 'too large')],
    ]);
    const m = ctx.messages();
    assert.equal(m.length, 2);
    has(m[1], {
      'opcua.chunk': 'A',
      'opcua.service': 'READ',
      'opcua.operation': 'read',
      'opcua.status': 'BAD_ENCODING_LIMITS_EXCEEDED',
      'opcua.reason': 'too large',
    });
  });
});

describe('session: bad input, gaps, limits', () => {
  const good = msg(ch(2, 2), readRequest(1, [{ ns: 2, id: 1 }]));

  it('garbage before a chunk: one violation, then resynchronised', () => {
    const ctx = run([[0, Buffer.concat([Buffer.from('garbage!'), good, good])]]);
    assert.equal(ctx.violations().length, 1);
    assert.equal(ctx.messages().length, 2);
  });

  it('a size beyond MAX_CHUNK_SIZE: a violation, and the next chunk is found', () => {
    const ctx = run([[0, Buffer.concat([sized(good, MAX_CHUNK_SIZE + 1), good])]]);
    assert.equal(ctx.violations().length, 1);
    assert.match(ctx.violations()[0].reason!, /MAX_CHUNK_SIZE/);
    assert.equal(ctx.messages().length, 1);
  });

  it('a chunk larger than DECODE_WINDOW is decoded from its start and the rest skipped', () => {
    const nodes = Array.from({ length: 12000 }, (_, i) => ({ ns: 2, id: 70000 + i }));
    const big = msg(ch(2, 2), readRequest(1, nodes));
    assert.ok(big.length > DECODE_WINDOW);
    for (const size of [undefined, 1000, 4096]) {
      const ctx = new RecordingContext();
      const s = new OpcuaSession(ctx);
      const bytes = Buffer.concat([big, good]);
      const step = size ?? bytes.length;
      for (let i = 0; i < bytes.length; i += step) s.data(0, 0, bytes.subarray(i, i + step));
      assert.equal(ctx.violations().length, 0);
      const m = ctx.messages();
      assert.equal(m.length, 2);
      has(m[0], { 'opcua.service': 'READ', 'opcua.node_count': 12000 });
      assert.equal((m[0]['opcua.nodes'] as string[]).length, MAX_LISTED);
      // Memory per direction stays within the decode window.
      const carry = (s as unknown as { dirs: { carry: Uint8Array | null }[] }).dirs[0].carry;
      assert.ok(carry === null || carry.length <= DECODE_WINDOW);
    }
  });

  it('a gap inside a chunk loses that chunk only', () => {
    const ctx = new RecordingContext();
    const s = opcuaDissector.createSession(ctx);
    s.data(0, 0, good.subarray(0, 20));
    s.gap(0, 0, 10);
    s.data(0, 0, good.subarray(30));
    s.data(0, 0, good);
    assert.equal(ctx.violations().length, 0);
    assert.equal(ctx.messages().length, 1);
  });

  it('a gap across chunk boundaries: resynchronised on the next header, quietly', () => {
    const ctx = new RecordingContext();
    const s = opcuaDissector.createSession(ctx);
    s.data(0, 0, good.subarray(0, 20));
    s.gap(0, 0, good.length + 5);
    s.data(0, 0, Buffer.concat([good.subarray(25), good, good]));
    assert.equal(ctx.violations().length, 0);
    assert.equal(ctx.messages().length, 2);
  });

  it(`abandons after ${MAX_CONSECUTIVE_VIOLATIONS} violations in a row`, () => {
    const ctx = new RecordingContext();
    const s = opcuaDissector.createSession(ctx);
    const noise = ciphertext(RESYNC_REPORT_BYTES * (MAX_CONSECUTIVE_VIOLATIONS + 2), 7);
    // Keep the noise free of anything that could frame as a header.
    for (let i = 0; i < noise.length; i++) if (noise[i] >= 0x41 && noise[i] <= 0x52) noise[i] = 0;
    for (let i = 0; i < noise.length; i += 65536) s.data(0, 0, noise.subarray(i, i + 65536));
    assert.equal(ctx.abandoned.length, 1);
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
  });
});

describe('probe', () => {
  const rows: { name: string; bytes: Uint8Array; dir: 0 | 1; verdict: 'yes' | 'no' | 'maybe' }[] = [
    { name: 'Hello', bytes: hello('opc.tcp://x:4840'), dir: 0, verdict: 'yes' },
    {
      name: 'the first bytes of a Hello',
      bytes: hello('opc.tcp://x:4840').subarray(0, 6),
      dir: 0,
      verdict: 'maybe',
    },
    {
      name: 'a Hello with tiny buffers',
      bytes: hello('opc.tcp://x', { sendBufferSize: 10 }),
      dir: 0,
      verdict: 'no',
    },
    {
      name: 'a MSG chunk (picked up mid-conversation)',
      bytes: msg(ch(2, 2), simpleRequest(826, 1)),
      dir: 0,
      verdict: 'yes',
    },
    { name: 'ReverseHello', bytes: reverseHello('urn:x', 'opc.tcp://x'), dir: 0, verdict: 'yes' },
    { name: 'nothing yet', bytes: new Uint8Array(0), dir: 0, verdict: 'maybe' },
    { name: 'HTTP', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), dir: 0, verdict: 'no' },
    {
      name: 'TLS',
      bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]),
      dir: 0,
      verdict: 'no',
    },
    { name: 'Modbus', bytes: Uint8Array.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10]), dir: 0, verdict: 'no' },
    {
      name: 'MSGF with an absurd size',
      bytes: sized(msg(ch(2, 2), simpleRequest(826, 1)), 0xffffffff),
      dir: 0,
      verdict: 'no',
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(probeOpcua(row.dir, row.bytes), row.verdict));
});

describe('conformance samples (as registry.test.ts checks them)', () => {
  for (const sample of CONFORMANCE_SAMPLES) {
    it(sample.name, () => {
      const whole = replay(opcuaDissector, sample.transmissions);
      assert.ok(whole.messages().length > 0);
      assert.deepEqual(whole.violations(), []);
      assert.notEqual(probeOpcua(sample.transmissions[0][0], sample.transmissions[0][2]), 'no');
      sample.transmissions.forEach(([, , bytes], t) => {
        for (let cut = 1; cut < bytes.length; cut++) {
          const split = sample.transmissions.flatMap((tr, i) =>
            i === t
              ? [
                  [tr[0], tr[1], tr[2].subarray(0, cut)] as const,
                  [tr[0], tr[1], tr[2].subarray(cut)] as const,
                ]
              : [tr],
          );
          assert.deepEqual(replay(opcuaDissector, split).events, whole.events, `split at ${cut}`);
          replay(opcuaDissector, [
            ...sample.transmissions.slice(0, t),
            [sample.transmissions[t][0], t, bytes.subarray(0, cut)],
          ]);
        }
      });
    });
  }

  it('the edge conversation: one event per message, the abort and the fault named', () => {
    const m = replay(opcuaDissector, CONFORMANCE_SAMPLES[2].transmissions).messages();
    assert.deepEqual(
      m.map((x) => [x['opcua.msg_type'], x['opcua.chunk'], x['opcua.service'] ?? null]),
      [
        ['HEL', 'F', null],
        ['ACK', 'F', null],
        ['MSG', 'C', 'READ'],
        ['MSG', 'C', 'READ'],
        ['MSG', 'A', 'READ'],
        ['MSG', 'F', 'HISTORY_UPDATE'],
        ['MSG', 'F', 'HISTORY_UPDATE'],
        ['MSG', 'F', 'UNKNOWN-15000'],
        ['ERR', 'F', null],
      ],
    );
    assert.equal(m[2]['opcua.node_count'], 40);
    has(m[6], { 'opcua.type_name': 'ServiceFault', 'opcua.error': 'BAD_USER_ACCESS_DENIED' });
    has(m[8], { 'opcua.status': 'BAD_SECURE_CHANNEL_TOKEN_UNKNOWN', 'opcua.reason': 'token expired' });
  });
});

describe('never throws (fast-check)', () => {
  const samples = [...conversation(), ...securedConversation(1)].map(([, b]) => b);

  it('parseChunk on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parseChunk(bytes, 0, bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseChunk on valid chunks with bytes flipped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (sample, flips) => {
          const b = sample.slice();
          for (const [at, v] of flips) b[8 + (at % Math.max(1, b.length - 8))] = v;
          const r = parseChunk(b, 0, b.length);
          if (r.kind === 'ok') assert.ok(r.consumed > 0);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('sessions on random and mutated streams, in random chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...samples), fc.uint8Array({ maxLength: 200 })), { maxLength: 12 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (parts, step, gap) => {
          const ctx = new RecordingContext();
          const s = opcuaDissector.createSession(ctx);
          for (const [i, p] of parts.entries()) {
            const dir = (i % 2) as 0 | 1;
            for (let o = 0; o < p.length; o += step) s.data(dir, i, p.subarray(o, o + step));
            if (gap && i % 3 === 2) s.gap(dir, i, step);
          }
          s.end(parts.length);
          for (const e of ctx.events) assert.ok(e.kind === 'message' || typeof e.reason === 'string');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the probe on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0 as const, 1 as const), (bytes, dir) => {
        assert.ok(['yes', 'no', 'maybe'].includes(probeOpcua(dir, bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('truncated conversations: every prefix', () => {
    const client = Buffer.concat(
      conversation()
        .filter(([d]) => d === 0)
        .map(([, b]) => b),
    );
    for (let n = 0; n <= client.length; n += 7) {
      const ctx = run([[0, client.subarray(0, n)]]);
      assert.equal(ctx.violations().length, 0, `prefix of ${n}`);
    }
  });
});
