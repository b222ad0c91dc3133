// The DHCP dissector, the capture pipeline and the inventory together, on hand-made Ethernet
// frames: broadcast DISCOVER/OFFER/REQUEST/ACK, then a renewal that moves the client to a new
// address. Checks what only the whole path shows: which side the pipeline calls client on
// broadcast UDP, and that the lease, not the connection, decides who the client is.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ascii,
  buildDatagram,
  ipv4,
  mac,
  messageType,
  option,
  uint32,
} from '../dissectors/dhcp/fixtures/datagrams.ts';
import { DhcpOption } from '../dissectors/dhcp/spec.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import { FlowMapBuilder } from '../flows/flow-map.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import { InventoryBuilder } from './inventory-builder.ts';

const LINKTYPE_ETHERNET = 1;
const CLIENT_MAC = '00:80:f4:12:34:56';
const SERVER_MAC = '00:00:0c:00:00:01';
const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
const SERVER_IP = '192.0.2.1';

/** Ethernet II + IPv4 (RFC 791, no options) + UDP (RFC 768); checksums zero, as the pipeline ignores them. */
function udpFrame(
  from: { mac: string; ip: string; port: number },
  to: { mac: string; ip: string; port: number },
  payload: Uint8Array,
): Uint8Array {
  const udpLength = 8 + payload.length;
  const ipLength = 20 + udpLength;
  const frame = new Uint8Array(14 + ipLength);
  frame.set([...mac(to.mac), ...mac(from.mac), 0x08, 0x00], 0);
  frame.set(
    [0x45, 0, ipLength >> 8, ipLength & 0xff, 0, 0, 0, 0, 64, 17, 0, 0, ...ipv4(from.ip), ...ipv4(to.ip)],
    14,
  );
  frame.set(
    [from.port >> 8, from.port & 0xff, to.port >> 8, to.port & 0xff, udpLength >> 8, udpLength & 0xff, 0, 0],
    34,
  );
  frame.set(payload, 42);
  return frame;
}

const client = (ip: string) => ({ mac: CLIENT_MAC, ip, port: 68 });
const server = { mac: SERVER_MAC, ip: SERVER_IP, port: 67 };
const broadcastToServer = { mac: BROADCAST_MAC, ip: '255.255.255.255', port: 67 };
const broadcastToClient = { mac: BROADCAST_MAC, ip: '255.255.255.255', port: 68 };

function request(type: number, extra: number[], ciaddr = '0.0.0.0'): Uint8Array {
  return buildDatagram({
    chaddr: CLIENT_MAC,
    ciaddr,
    options: [
      ...messageType(type),
      ...option(DhcpOption.HOST_NAME, ascii('line3-hmi')),
      ...option(DhcpOption.VENDOR_CLASS_IDENTIFIER, ascii('MSFT 5.0')),
      ...extra,
    ],
  });
}

function reply(type: number, yiaddr: string): Uint8Array {
  return buildDatagram({
    op: 2,
    chaddr: CLIENT_MAC,
    yiaddr,
    options: [
      ...messageType(type),
      ...option(DhcpOption.SERVER_IDENTIFIER, ipv4(SERVER_IP)),
      ...option(DhcpOption.IP_ADDRESS_LEASE_TIME, uint32(3600)),
      ...option(DhcpOption.ROUTER, ipv4('192.0.2.254')),
    ],
  });
}

test('DHCP leases through the pipeline: one client asset whose address follows its leases', () => {
  const frames: [number, Uint8Array][] = [
    [100.0, udpFrame(client('0.0.0.0'), broadcastToServer, request(1, []))],
    [100.1, udpFrame(server, broadcastToClient, reply(2, '192.0.2.50'))],
    [
      100.2,
      udpFrame(
        client('0.0.0.0'),
        broadcastToServer,
        request(3, option(DhcpOption.REQUESTED_IP_ADDRESS, ipv4('192.0.2.50'))),
      ),
    ],
    [100.3, udpFrame(server, broadcastToClient, reply(5, '192.0.2.50'))],
    // Renewal (RFC 2131 4.4.5): unicast from the leased address; the server moves it elsewhere.
    [2000.0, udpFrame(client('192.0.2.50'), server, request(3, [], '192.0.2.50'))],
    [2000.1, udpFrame(server, client('192.0.2.50'), reply(6, '0.0.0.0'))],
    [2000.2, udpFrame(client('0.0.0.0'), broadcastToServer, request(1, []))],
    [2000.3, udpFrame(server, broadcastToClient, reply(5, '192.0.2.77'))],
  ];
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  const pipeline = new Pipeline(new FanOut([inventory, flows]), { dissectors: DISSECTORS });
  for (const [ts, frame] of frames)
    pipeline.frame(LINKTYPE_ETHERNET, ts, frame, 0, frame.length, frame.length, 0);
  pipeline.finish();
  assert.equal(pipeline.stats.appMessages, frames.length);

  const assets = inventory.result();
  const device = assets.filter((a) => a.mac === CLIENT_MAC);
  assert.equal(device.length, 1);
  assert.equal(device[0].id, `mac:${CLIENT_MAC}`);
  assert.deepEqual(device[0].ips, ['192.0.2.50', '192.0.2.77']);
  assert.equal(device[0].ip, '192.0.2.77');
  assert.equal(device[0].name, 'line3-hmi');
  assert.deepEqual(device[0].protocols, ['dhcp/client']);

  const dhcpServer = assets.find((a) => a.id === `mac:${SERVER_MAC}`);
  assert.equal(dhcpServer?.ip, SERVER_IP);
  assert.deepEqual(dhcpServer?.protocols, ['dhcp/server']);
  assert.equal(assets.find((a) => a.ip === '192.0.2.254')?.role, 'network-device', 'named router (option 3)');
  assert.ok(assets.every((a) => a.ip !== '255.255.255.255' && a.ip !== '0.0.0.0'));
  assert.ok(flows.result().some((f) => f.app === 'dhcp'));
});
