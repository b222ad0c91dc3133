// Golden test on a real capture (STYLE.md 7): the whole pipeline decodes the open62541
// client/server trace in shared/captures/opcua (BSD loopback link, IPv6) and the events must agree
// with what Zeek and CISA ICSNPP (an early opcua-binary release) logged from the same bytes. Counts
// and values come from the logs or from the capture's bytes, never typed in.
//
// The logs were written by an ICSNPP release that logged one row per request with its response
// merged in, and whose files lost their `#fields` header in the btest baseline; the column names
// below are that release's record fields, in order, as the values in the rows show them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countBy, readZeekLog, sharedCapture } from '../../../test/zeek-log.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { opcuaDissector } from './dissector.ts';
import { APPLICATION_TYPES, REQUEST_TYPES, SECURITY_MODES, TIMESTAMPS_TO_RETURN } from './spec.ts';

const CAPTURE = 'opcua/open62541_client-server_mainloop.pcap';
const ID = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
const SIDES = [...ID, 'is_orig', 'src_h', 'src_p', 'dst_h', 'dst_p'];

/** opcua_binary.log: the message header, Hello/Acknowledge, the request and its response. */
const BINARY_COLUMNS = [
  ...ID,
  'msg_type',
  'is_final',
  'msg_size', // request and response chunk sizes added up
  'error',
  'reason',
  'version',
  'rcv_buf_size',
  'snd_buf_size',
  'max_msg_size',
  'max_chunk_cnt',
  'endpoint_url',
  'sec_channel_id', // a set: request and response values
  'sec_policy_uri_len',
  'sec_policy_uri',
  'snd_cert_len',
  'snd_cert',
  'rcv_cert_len',
  'rcv_cert',
  'req_seq_number',
  'req_msg_size',
  'req_request_id',
  'req_encoding_mask',
  'req_namespace_idx',
  'req_identifier',
  'req_identifier_str',
  'req_hdr_node_id_type',
  'req_hdr_node_id_namespace_idx',
  'req_hdr_node_id_numeric',
  'req_hdr_node_id_string',
  'req_hdr_node_id_guid',
  'req_hdr_node_id_opaque',
  'req_hdr_timestamp',
  'req_hdr_request_handle',
  'req_hdr_return_diag',
  'req_hdr_audit_entry_id',
  'req_hdr_timeout_hint',
  'req_hdr_add_hdr_type_id',
  'req_hdr_add_hdr_enc_mask',
  'res_msg_size',
  'res_seq_number',
  'res_encoding_mask',
  'res_namespace_idx',
  'res_identifier',
  'res_identifier_str',
  'res_hdr_timestamp',
  'res_hdr_request_handle',
  'res_hdr_service_result',
  'res_hdr_service_diag_encoding',
  'res_hdr_add_hdr_type_id',
];

const OPEN_COLUMNS = [
  ...SIDES,
  'client_proto_ver',
  'sec_token_request_type',
  'message_security_mode',
  'client_nonce',
  'req_lifetime',
  'server_proto_ver',
  'sec_token_sec_channel_id',
  'sec_token_id',
  'sec_token_created_at',
  'sec_token_revised_time',
  'server_nonce',
];

const ENDPOINTS_COLUMNS = [...SIDES, 'endpoint_url'];

const DESCRIPTION_COLUMNS = [
  ...SIDES,
  'endpoint_url',
  'application_uri',
  'product_uri',
  'encoding_mask',
  'locale',
  'text',
  'application_type',
  'gateway_server_uri',
  'discovery_profile_uri',
  'discovery_profile_url',
  'cert_size',
  'server_cert',
  'message_security_mode',
  'security_policy_uri',
  'transport_profile_uri',
  'security_level',
];

const SESSION_COLUMNS = [
  ...SIDES,
  'application_uri',
  'product_uri',
  'encoding_mask',
  'locale',
  'text',
  'application_type',
  'gateway_server_uri',
  'discovery_profile_uri',
  'server_uri',
  'endpoint_url',
  'session_name',
  'client_nonce',
  'client_cert_size',
  'client_cert',
  'req_session_timeout',
  'max_res_msg_size',
  'session_id_encoding_mask',
  'session_id_namespace_idx',
  'session_id_numeric',
  'session_id_string',
  'session_id_guid',
  'session_id_opaque',
  'auth_token_encoding_mask',
  'auth_token_namespace_idx',
  'auth_token_numeric',
  'auth_token_string',
  'auth_token_guid',
  'auth_token_opaque',
  'revised_session_timeout',
  'server_nonce',
  'server_cert_size',
  'server_cert',
  'algorithm',
  'signature',
  'max_req_msg_size',
];

const READ_COLUMNS = [...SIDES, 'max_age', 'timestamps_to_return', 'timestamps_to_return_str'];

const WRITE_COLUMNS = [
  ...SIDES,
  'node_id_encoding_mask',
  'node_id_namespace_idx',
  'node_id_numeric',
  'node_id_string',
  'node_id_guid',
  'node_id_opaque',
  'attribute_id',
  'attribute_id_str',
  'index_range',
  'data_value_encoding_mask',
  'rest_1',
  'rest_2',
  'rest_3',
  'rest_4',
];

const log = (name: string, columns: readonly string[]) => readZeekLog(`opcua/expected/${name}`, columns);
const unset = (v: string) => v === '-';
/** Zeek prints both a null and an empty string or ByteString as `(empty)` or `-`. */
const nothing = (v: string) => v === '-' || v === '(empty)';
/** ICSNPP prints names as in the specification (`Value`); Zoneward in upper snake case. */
const snake = (v: string) => v.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

async function decode(): Promise<AppEvent[]> {
  const events: AppEvent[] = [];
  await decodeCaptureFile(
    sharedCapture(CAPTURE),
    {
      event: (e) => {
        if (e.app === 'opcua') events.push(e);
      },
      arp: () => {},
      link: () => {},
      connection: () => {},
    },
    { dissectors: [opcuaDissector] },
  );
  return events;
}

const events = await decode();
const messages = events.filter((e) => e.kind === 'message');
const byPort = (port: string) => messages.filter((e) => String(e.conn.clientPort) === port);
const f = (e: AppEvent, k: string) => e.fields[`opcua.${k}`];

describe('golden: open62541 client-server mainloop (ICSNPP opcua-binary)', () => {
  const rows = log('opcua_binary.log', BINARY_COLUMNS);
  const requestRows = rows.filter((r) => !unset(r.req_identifier_str));
  const responseRows = rows.filter((r) => !unset(r.res_identifier_str));

  it('decodes both connections without a violation', () => {
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    assert.deepEqual(
      [...new Set(messages.map((e) => String(e.conn.clientPort)))].sort(),
      [...new Set(rows.map((r) => r['id.orig_p']))].sort(),
    );
  });

  it('Hello and Acknowledge: one event per logged row, fields as logged', () => {
    for (const type of ['HEL', 'ACK']) {
      const logged = rows.filter((r) => r.msg_type === type);
      const ours = messages.filter((e) => f(e, 'msg_type') === type);
      assert.equal(ours.length, logged.length, type);
      for (const r of logged) {
        const e = byPort(r['id.orig_p']).find((m) => f(m, 'msg_type') === type)!;
        assert.equal(f(e, 'chunk'), r.is_final);
        assert.equal(f(e, 'msg_size'), Number(r.msg_size));
        assert.equal(f(e, 'protocol_version'), Number(r.version));
        assert.equal(f(e, 'receive_buffer_size'), Number(r.rcv_buf_size));
        assert.equal(f(e, 'send_buffer_size'), Number(r.snd_buf_size));
        assert.equal(f(e, 'max_message_size'), Number(r.max_msg_size));
        assert.equal(f(e, 'max_chunk_count'), Number(r.max_chunk_cnt));
        if (type === 'HEL') assert.equal(f(e, 'endpoint_url'), r.endpoint_url);
      }
    }
  });

  it('message counts per type name agree with the log (requests and responses)', () => {
    const ours = (dir: 0 | 1) =>
      countBy(
        messages
          .filter((e) => e.dir === dir && f(e, 'type_name') !== undefined)
          .map((e) => ({ t: String(f(e, 'type_name')) })),
        't',
      );
    assert.deepEqual(ours(0), countBy(requestRows, 'req_identifier_str'));
    assert.deepEqual(ours(1), countBy(responseRows, 'res_identifier_str'));
  });

  it('message counts per msg_type agree (OPN and MSG rows hold a request and its response)', () => {
    const logged = new Map<string, number>();
    for (const r of rows) {
      const n = unset(r.res_identifier_str) ? 1 : 2;
      logged.set(r.msg_type, (logged.get(r.msg_type) ?? 0) + n);
    }
    assert.deepEqual(
      countBy(
        messages.map((e) => ({ t: String(f(e, 'msg_type')) })),
        't',
      ),
      logged,
    );
  });

  it('every request: type id, sequence header, request handle, channel and sizes as logged', () => {
    for (const r of requestRows) {
      const e = byPort(r['id.orig_p']).find(
        (m) => m.dir === 0 && f(m, 'request_id') === Number(r.req_request_id),
      );
      assert.ok(e, `request ${r.req_request_id} on ${r['id.orig_p']}`);
      assert.equal(f(e, 'msg_type'), r.msg_type);
      assert.equal(f(e, 'type_name'), r.req_identifier_str);
      assert.equal(f(e, 'type_id'), Number(r.req_identifier));
      assert.equal(f(e, 'sequence_number'), Number(r.req_seq_number));
      assert.equal(f(e, 'msg_size'), Number(r.req_msg_size));
      assert.equal(f(e, 'request_handle'), Number(r.req_hdr_request_handle));
      // sec_channel_id is a set: the request's channel (0 before one is issued) and the response's.
      assert.ok(r.sec_channel_id.split(',').includes(String(f(e, 'secure_channel_id'))));
      // The service is the type name without Request, in upper snake case (DESIGN.md "Names").
      assert.equal(f(e, 'service'), snake(r.req_identifier_str.replace(/Request$/, '')));
      if (!unset(r.sec_policy_uri)) assert.equal(f(e, 'security_policy_uri'), r.sec_policy_uri);
      if (r.snd_cert_len === '-1') assert.equal(f(e, 'sender_certificate_length'), null);
      if (r.rcv_cert_len === '-1') assert.equal(f(e, 'receiver_thumbprint'), null);
    }
  });

  it('every response: type id, sequence number, request handle, and the summed sizes', () => {
    for (const r of responseRows) {
      const port = byPort(r['id.orig_p']);
      const e = port.find((m) => m.dir === 1 && f(m, 'sequence_number') === Number(r.res_seq_number));
      assert.ok(e, `response ${r.res_seq_number} on ${r['id.orig_p']}`);
      assert.equal(f(e, 'type_name'), r.res_identifier_str);
      assert.equal(f(e, 'type_id'), Number(r.res_identifier));
      assert.equal(f(e, 'msg_size'), Number(r.res_msg_size));
      assert.equal(f(e, 'request_handle'), Number(r.res_hdr_request_handle));
      const request = port.find((m) => m.dir === 0 && f(m, 'request_id') === Number(r.req_request_id))!;
      assert.equal(Number(f(request, 'msg_size')) + Number(f(e, 'msg_size')), Number(r.msg_size));
      // res_hdr_service_result: this ICSNPP release prints 0 for every response, but the ten
      // PublishResponses sent after DeleteSubscriptions carry ServiceResult 0x80790000
      // (BadNoSubscription) in their ResponseHeader (Part 4 §7.34; frame 103 bytes
      // `... 0b000000 00007980 ...`: RequestHandle 11, then the StatusCode). We print what the
      // bytes say, and check the rest against the log.
      if (f(e, 'status') !== 'BAD_NO_SUBSCRIPTION')
        assert.equal(f(e, 'status_code'), Number(r.res_hdr_service_result));
    }
  });

  it('the Bad service results are all PublishResponses after DeleteSubscriptions', () => {
    const bad = messages.filter((e) => f(e, 'error') !== null && f(e, 'error') !== undefined);
    const deleted = messages.find((e) => f(e, 'type_name') === 'DeleteSubscriptionsRequest')!;
    for (const e of bad) {
      assert.equal(f(e, 'type_name'), 'PublishResponse');
      assert.ok(e.ts >= deleted.ts);
    }
    const publishAfter = messages.filter(
      (e) => f(e, 'type_name') === 'PublishResponse' && e.ts >= deleted.ts,
    );
    assert.equal(bad.length, publishAfter.length);
  });

  it('CloseSecureChannel travels as a CLO chunk', () => {
    const logged = rows.filter((r) => r.msg_type === 'CLO');
    const ours = messages.filter((e) => f(e, 'msg_type') === 'CLO');
    assert.equal(ours.length, logged.length);
    for (const e of ours) assert.equal(f(e, 'service'), 'CLOSE_SECURE_CHANNEL');
  });

  it('every secure conversation event states the channel policy and mode the OPN set', () => {
    for (const e of messages) {
      if (f(e, 'msg_type') === 'HEL' || f(e, 'msg_type') === 'ACK') continue;
      assert.equal(f(e, 'security_policy'), 'None');
      assert.equal(f(e, 'security_mode'), 'NONE');
      assert.equal(f(e, 'encrypted'), false);
    }
  });
});

describe('golden: OpenSecureChannel (opcua_binary_opensecure_channel.log)', () => {
  const rows = log('opcua_binary_opensecure_channel.log', OPEN_COLUMNS);
  it('request and response fields as logged', () => {
    const opn = messages.filter((e) => f(e, 'msg_type') === 'OPN');
    assert.equal(opn.length, rows.length);
    for (const r of rows) {
      const e = byPort(r['id.orig_p']).find(
        (m) => f(m, 'msg_type') === 'OPN' && m.dir === (r.is_orig === 'T' ? 0 : 1),
      )!;
      if (r.is_orig === 'T') {
        assert.equal(f(e, 'client_protocol_version'), Number(r.client_proto_ver));
        assert.equal(f(e, 'request_type'), REQUEST_TYPES[Number(r.sec_token_request_type)]);
        assert.equal(f(e, 'security_mode'), SECURITY_MODES[Number(r.message_security_mode)]);
        assert.equal(f(e, 'requested_lifetime'), Number(r.req_lifetime));
        assert.ok(nothing(r.client_nonce) && !f(e, 'client_nonce_length'));
      } else {
        assert.equal(f(e, 'server_protocol_version'), Number(r.server_proto_ver));
        assert.equal(f(e, 'secure_channel_id'), Number(r.sec_token_sec_channel_id));
        assert.equal(f(e, 'token_id'), Number(r.sec_token_id));
        assert.equal(f(e, 'revised_lifetime'), Number(r.sec_token_revised_time));
        assert.ok(nothing(r.server_nonce) && !f(e, 'server_nonce_length'));
      }
    }
  });
  it('MSG and CLO chunks carry the channel and token the OPN response issued', () => {
    for (const r of rows.filter((x) => x.is_orig === 'F')) {
      for (const e of byPort(r['id.orig_p']).filter(
        (m) => f(m, 'msg_type') === 'MSG' || f(m, 'msg_type') === 'CLO',
      )) {
        assert.equal(f(e, 'secure_channel_id'), Number(r.sec_token_sec_channel_id));
        assert.equal(f(e, 'token_id'), Number(r.sec_token_id));
      }
    }
  });
});

describe('golden: GetEndpoints (opcua_binary_get_endpoints*.log)', () => {
  it('request endpoint URLs as logged', () => {
    const rows = log('opcua_binary_get_endpoints.log', ENDPOINTS_COLUMNS).filter((r) => r.is_orig === 'T');
    const ours = messages.filter((e) => f(e, 'type_name') === 'GetEndpointsRequest');
    assert.equal(ours.length, rows.length);
    for (const r of rows) {
      const e = byPort(r['id.orig_p']).find((m) => f(m, 'type_name') === 'GetEndpointsRequest')!;
      assert.equal(f(e, 'endpoint_url'), r.endpoint_url);
    }
  });

  const described = log('opcua_binary_get_endpoints_description.log', DESCRIPTION_COLUMNS);
  it('the endpoint and the server description, field by field', () => {
    for (const r of described) {
      const e = byPort(r['id.orig_p']).find((m) => f(m, 'type_name') === 'GetEndpointsResponse')!;
      assert.deepEqual(f(e, 'endpoint_urls'), [r.endpoint_url]);
      assert.equal(f(e, 'application_uri'), r.application_uri);
      assert.equal(f(e, 'product_uri'), r.product_uri);
      assert.equal(f(e, 'application_name'), r.text);
      assert.equal(f(e, 'application_type'), APPLICATION_TYPES[Number(r.application_type)]);
      assert.deepEqual(f(e, 'endpoint_security_modes'), [SECURITY_MODES[Number(r.message_security_mode)]]);
      assert.deepEqual(f(e, 'endpoint_security_policies'), [r.security_policy_uri.split('#')[1]]);
      assert.deepEqual(f(e, 'endpoint_security_levels'), [Number(r.security_level)]);
    }
  });

  it("the server's description is the identity of the server (device.ts), from responses only", () => {
    for (const r of described) {
      const port = byPort(r['id.orig_p']);
      for (const e of port.filter((m) => m.dir === 1 && f(m, 'device.name') !== undefined)) {
        assert.equal(f(e, 'device.name'), r.text);
        assert.equal(f(e, 'device.product'), undefined); // the product URI names no model
        assert.equal(f(e, 'device.description'), r.application_uri);
      }
      assert.ok(port.some((m) => m.dir === 1 && f(m, 'device.name') === r.text));
    }
  });
});

describe('golden: CreateSession (opcua_binary_create_session.log)', () => {
  const rows = log('opcua_binary_create_session.log', SESSION_COLUMNS);
  const request = rows.find((r) => r.is_orig === 'T')!;
  const response = rows.find((r) => r.is_orig === 'F')!;
  const req = messages.find((e) => f(e, 'type_name') === 'CreateSessionRequest')!;
  const res = messages.find((e) => f(e, 'type_name') === 'CreateSessionResponse')!;

  it('the request: the client application description and session parameters', () => {
    assert.equal(f(req, 'application_uri'), request.application_uri);
    assert.equal(f(req, 'product_uri'), unset(request.product_uri) ? null : request.product_uri);
    // encoding_mask 0: the ApplicationName has neither locale nor text (Part 6 §5.2.2.14).
    assert.equal(request.encoding_mask, '0');
    assert.equal(f(req, 'application_name'), null);
    assert.equal(f(req, 'application_type'), APPLICATION_TYPES[Number(request.application_type)]);
    assert.equal(f(req, 'server_uri'), unset(request.server_uri) ? null : request.server_uri);
    assert.equal(f(req, 'endpoint_url'), request.endpoint_url);
    assert.equal(f(req, 'session_name'), unset(request.session_name) ? null : request.session_name);
    assert.equal(f(req, 'requested_session_timeout'), Number(request.req_session_timeout));
    assert.equal(f(req, 'max_response_message_size'), Number(request.max_res_msg_size));
  });

  it('the request describes the client: its identity is on the request (dir 0)', () => {
    assert.equal(req.dir, 0);
    assert.equal(f(req, 'device.description'), request.application_uri);
    assert.equal(f(req, 'device.name'), undefined); // no application name in the request
  });

  it('the response: session id, timeout, nonce, message size', () => {
    // ICSNPP prints the GUID's 16 bytes in wire order; Part 6 §5.2.2.7 encodes Data1 (UInt32),
    // Data2 and Data3 (UInt16) little-endian, and §5.1.3 prints them as numbers: the first three
    // groups read byte-reversed. We print the specification's form.
    const [d1, d2, d3, ...rest] = response.session_id_guid.split('-');
    const reversed = (hex: string) => hex.match(/../g)!.reverse().join('');
    const guid = [reversed(d1), reversed(d2), reversed(d3), ...rest].join('-');
    assert.equal(f(res, 'session_id'), `ns=${response.session_id_namespace_idx};g=${guid}`);
    assert.equal(f(res, 'revised_session_timeout'), Number(response.revised_session_timeout));
    assert.equal(f(res, 'max_request_message_size'), Number(response.max_req_msg_size));
    // The log cuts the nonce after 24 bytes ("0x<48 hex>..."); it is at least that long.
    assert.ok(Number(f(res, 'server_nonce_length')) >= (response.server_nonce.length - 5) / 2);
    assert.equal(
      f(res, 'server_certificate_length'),
      unset(response.server_cert_size) ? null : Number(response.server_cert_size),
    );
  });

  it('the response carries the server identity the GetEndpoints description logged', () => {
    const described = log('opcua_binary_get_endpoints_description.log', DESCRIPTION_COLUMNS).find(
      (r) => r['id.orig_p'] === response['id.orig_p'],
    )!;
    assert.equal(f(res, 'device.name'), described.text);
    assert.equal(f(res, 'device.product'), undefined); // the product URI names no model
    assert.equal(f(res, 'device.description'), described.application_uri);
  });

  it('the authentication token is never copied into an event (Part 4 §7.33)', () => {
    // In ICSNPP's byte order and in the specification's (see the session id above).
    const raw = response.auth_token_guid.split('-');
    const spec = [...raw.slice(0, 3).map((h) => h.match(/../g)!.reverse().join('')), ...raw.slice(3)];
    for (const token of [raw.join(''), spec.join('')]) {
      for (const e of messages) assert.ok(!JSON.stringify(e.fields).replace(/-/g, '').includes(token));
    }
  });
});

describe('golden: Read and Write (opcua_binary_read.log, opcua_binary_write.log)', () => {
  it('Read: max age and timestamps to return', () => {
    const rows = log('opcua_binary_read.log', READ_COLUMNS).filter((r) => r.is_orig === 'T');
    const ours = messages.filter((e) => f(e, 'type_name') === 'ReadRequest');
    assert.equal(ours.length, rows.length);
    rows.forEach((r, i) => {
      assert.equal(f(ours[i], 'max_age'), Number(r.max_age));
      assert.equal(f(ours[i], 'timestamps_to_return'), TIMESTAMPS_TO_RETURN[Number(r.timestamps_to_return)]);
      assert.equal(f(ours[i], 'timestamps_to_return'), snake(r.timestamps_to_return_str));
    });
  });

  it('Write: the node written and its attribute', () => {
    const rows = log('opcua_binary_write.log', WRITE_COLUMNS).filter((r) => r.is_orig === 'T');
    const ours = messages.filter((e) => f(e, 'type_name') === 'WriteRequest');
    assert.equal(ours.length, rows.length);
    rows.forEach((r, i) => {
      // node_id_encoding_mask 0x03: a string NodeId (Part 6 §5.2.2.9), printed ns=<n>;s=<id>.
      assert.equal(r.node_id_encoding_mask, '0x03');
      assert.deepEqual(f(ours[i], 'nodes'), [`ns=${r.node_id_namespace_idx};s=${r.node_id_string}`]);
      assert.deepEqual(f(ours[i], 'attributes'), [snake(r.attribute_id_str)]);
      assert.equal(f(ours[i], 'operation'), 'write');
    });
  });
});

describe('golden: ActivateSession (no ICSNPP log; values from the capture bytes)', () => {
  it('a UserNameIdentityToken, its user name, and a password sent in the clear', () => {
    // Frame 49: the token's ExtensionObject has type id 01 00 44 01 (324, UserNameIdentityToken),
    // PolicyId "open62541-username-policy", UserName "user1", Password "password" and a null
    // EncryptionAlgorithm: on a None channel the password crosses the wire readable.
    const e = messages.find((m) => f(m, 'type_name') === 'ActivateSessionRequest')!;
    assert.equal(f(e, 'identity_token'), 'USERNAME');
    assert.equal(f(e, 'identity_policy_id'), 'open62541-username-policy');
    assert.equal(f(e, 'user_name'), 'user1');
    assert.equal(f(e, 'cleartext_password'), true);
    // The password itself is never copied into the event.
    assert.ok(!Object.values(e.fields).includes('password'));
  });
});
