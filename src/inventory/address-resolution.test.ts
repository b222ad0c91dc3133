import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arpReply, conn, dhcpMessage, summary } from '../flows/fixtures/pipeline-events.ts';
import { InventoryBuilder } from './inventory-builder.ts';
import type { Asset } from './types.ts';

const ROUTER_MAC = '00:00:0c:07:ac:01';
const SERVER_MAC = '00:1d:9c:00:00:20';

function byId(assets: Asset[]): Map<string, Asset> {
  return new Map(assets.map((a) => [a.id, a]));
}

describe('MAC and IP resolution', () => {
  test('a router MAC with 300 IPs behind it is one network device plus 300 IP assets', () => {
    const inventory = new InventoryBuilder();
    inventory.arp(arpReply(1, ROUTER_MAC, '192.0.2.1'));
    inventory.arp(arpReply(1, SERVER_MAC, '192.0.2.20'));
    for (let i = 0; i < 300; i += 1) {
      const c = conn({
        client: i < 250 ? `203.0.113.${i}` : `198.51.100.${i - 250}`,
        clientMac: ROUTER_MAC,
        server: '192.0.2.20',
        serverMac: SERVER_MAC,
        port: 443,
      });
      inventory.connection(summary(c, null, { first: 10 + i, last: 11 + i }));
    }
    const assets = inventory.result();
    const router = byId(assets).get(`mac:${ROUTER_MAC}`)!;
    assert.equal(router.role, 'network-device');
    assert.deepEqual(router.ips, ['192.0.2.1'], 'only the address it owns per ARP');
    assert.match(
      router.evidence.find((e) => e.rule === 'many-ips')!.detail,
      /^its MAC carries traffic for 300 IP addresses it does not own \(its own: 192\.0\.2\.1\): a router or gateway$/,
    );

    const behind = assets.filter((a) => a.id.startsWith('ip:'));
    assert.equal(behind.length, 300);
    assert.ok(behind.every((a) => a.mac === null && a.ips.length === 1 && a.id === `ip:${a.ip}`));
    assert.equal(byId(assets).get(`mac:${SERVER_MAC}`)?.ip, '192.0.2.20');
    assert.equal(assets.length, 302);
  });

  test('two MACs claiming one address at the same moment: the lower MAC owns it, whatever came first', () => {
    const owners = [false, true].map((reversed) => {
      const inventory = new InventoryBuilder();
      const claims = [
        arpReply(5, '00:1d:9c:00:00:31', '192.0.2.30'),
        arpReply(5, '00:1d:9c:00:00:32', '192.0.2.30'),
      ];
      for (const claim of reversed ? claims.reverse() : claims) inventory.arp(claim);
      // Seen without a link layer (a capture on a tunnel): only ARP says whose address it is.
      const c = conn({ client: '192.0.2.30', server: '192.0.2.20', serverMac: SERVER_MAC });
      inventory.connection(summary(c, null, { first: 1, last: 2 }));
      // The traffic (at 1 and 2) went to the owner; the other claimant was seen at 5 only.
      return inventory.result().find((a) => a.firstSeen === 1 && a.id !== `mac:${SERVER_MAC}`)?.id;
    });
    assert.deepEqual(owners, ['mac:00:1d:9c:00:00:31', 'mac:00:1d:9c:00:00:31']);
  });

  test('a router known only from forwarding is still an asset, with no address of its own', () => {
    const inventory = new InventoryBuilder();
    for (let i = 1; i <= 5; i += 1) {
      const c = conn({
        client: `203.0.113.${i}`,
        clientMac: ROUTER_MAC,
        server: '192.0.2.20',
        serverMac: SERVER_MAC,
      });
      inventory.connection(summary(c, null, { first: i, last: i + 1 }));
    }
    const router = byId(inventory.result()).get(`mac:${ROUTER_MAC}`);
    assert.equal(router?.role, 'network-device');
    assert.equal(router?.ip, null);
    assert.deepEqual(router?.ips, []);
    assert.equal(router?.firstSeen, 1);
  });

  test('a MAC that claims one address by ARP and sends from two others is a router', () => {
    const inventory = new InventoryBuilder();
    inventory.arp(arpReply(1, ROUTER_MAC, '192.0.2.254'));
    for (const client of ['203.0.113.21', '203.0.113.22']) {
      inventory.connection(
        summary(conn({ client, clientMac: ROUTER_MAC, server: '192.0.2.20', serverMac: SERVER_MAC }), null),
      );
    }
    const ids = inventory.result().map((a) => a.id);
    assert.ok(ids.includes('ip:203.0.113.21') && ids.includes('ip:203.0.113.22'));
    assert.equal(byId(inventory.result()).get(`mac:${ROUTER_MAC}`)?.role, 'network-device');
  });

  test('an all-zero MAC names no device', () => {
    const inventory = new InventoryBuilder();
    inventory.connection(
      summary(
        conn({ client: '127.0.0.1', clientMac: '00:00:00:00:00:00', server: '127.0.0.1', port: 80 }),
        null,
      ),
    );
    inventory.arp(arpReply(1, '00:00:00:00:00:00', '192.0.2.9'));
    assert.deepEqual(
      inventory.result().map((a) => a.id),
      ['ip:127.0.0.1'],
    );
  });

  test('an address behind the router that another MAC owns by ARP belongs to that MAC', () => {
    const inventory = new InventoryBuilder();
    for (let i = 1; i <= 6; i += 1) {
      inventory.connection(
        summary(
          conn({ client: `10.9.0.${i}`, clientMac: ROUTER_MAC, server: '192.0.2.20', serverMac: SERVER_MAC }),
          null,
        ),
      );
    }
    inventory.arp(arpReply(5, '00:80:f4:00:00:03', '10.9.0.3'));
    const ids = inventory.result().map((a) => a.id);
    assert.ok(ids.includes('mac:00:80:f4:00:00:03'));
    assert.ok(!ids.includes('ip:10.9.0.3'));
    assert.ok(ids.includes('ip:10.9.0.4'));
  });

  test('a host with a few addresses (IPv4 and IPv6) stays a host', () => {
    const inventory = new InventoryBuilder();
    const mac = '3c:52:82:00:00:10';
    for (const ip of ['192.0.2.10', 'fe80::1', 'fe80::2', '2001:db8::10', '2001:db8::11', '2001:db8::12']) {
      inventory.connection(
        summary(conn({ client: ip, clientMac: mac, server: '192.0.2.20', serverMac: SERVER_MAC }), null),
      );
    }
    const host = byId(inventory.result()).get(`mac:${mac}`)!;
    assert.notEqual(host.role, 'network-device');
    assert.equal(host.ips.length, 6, 'link-local addresses are always the sender own');
  });

  test('a DHCP renewal with a new address keeps one asset with both addresses, the new one current', () => {
    const inventory = new InventoryBuilder();
    const mac = '00:80:f4:12:34:56';
    inventory.event(
      dhcpMessage(100, { msgType: 'ACK', clientMac: mac, assignedIp: '192.0.2.50', serverId: '192.0.2.1' }),
    );
    inventory.connection(
      summary(conn({ client: '192.0.2.50', clientMac: mac, server: '192.0.2.20' }), null, { first: 200 }),
    );
    inventory.event(dhcpMessage(5000, { msgType: 'REQUEST', clientMac: mac, requestedIp: '192.0.2.77' }));
    inventory.event(
      dhcpMessage(5000.1, {
        msgType: 'ACK',
        clientMac: mac,
        assignedIp: '192.0.2.77',
        serverId: '192.0.2.1',
      }),
    );
    inventory.connection(
      summary(conn({ client: '192.0.2.77', clientMac: mac, server: '192.0.2.20' }), null, { first: 5100 }),
    );
    const devices = inventory.result().filter((a) => a.mac === mac);
    assert.equal(devices.length, 1);
    assert.equal(devices[0].id, `mac:${mac}`);
    assert.deepEqual(devices[0].ips, ['192.0.2.50', '192.0.2.77']);
    assert.equal(devices[0].ip, '192.0.2.77');
    assert.ok(devices[0].protocols.includes('dhcp/client'));
  });

  test('many DHCP leases over time do not make a router', () => {
    const inventory = new InventoryBuilder();
    const mac = '00:80:f4:12:34:56';
    for (let i = 1; i <= 8; i += 1) {
      const ip = `192.0.2.${100 + i}`;
      inventory.event(
        dhcpMessage(i * 1000, { msgType: 'ACK', clientMac: mac, assignedIp: ip, serverId: '192.0.2.1' }),
      );
      inventory.connection(
        summary(conn({ client: ip, clientMac: mac, server: '192.0.2.20' }), null, { first: i * 1000 + 1 }),
      );
    }
    const device = byId(inventory.result()).get(`mac:${mac}`)!;
    assert.notEqual(device.role, 'network-device');
    assert.equal(device.ips.length, 8);
    assert.equal(device.ip, '192.0.2.108');
  });

  test('broadcast and multicast addresses and silent servers are no assets; a DHCP client without an address is', () => {
    const inventory = new InventoryBuilder();
    inventory.event(dhcpMessage(1, { msgType: 'DISCOVER', clientMac: '00:80:f4:00:00:09' }));
    const multicast = conn({
      client: '192.0.2.10',
      clientMac: '3c:52:82:00:00:10',
      server: '239.1.1.1',
      transport: 'udp',
      port: 5000,
    });
    inventory.connection(summary(multicast, null, { packets: [3, 0] }));
    const scan = conn({
      client: '192.0.2.10',
      clientMac: '3c:52:82:00:00:10',
      server: '192.0.2.99',
      serverMac: '00:00:0c:07:ac:01',
    });
    inventory.connection(summary(scan, null, { packets: [1, 0] }));
    const ids = inventory.result().map((a) => a.id);
    assert.deepEqual(ids.sort(), ['mac:00:80:f4:00:00:09', 'mac:3c:52:82:00:00:10']);
    const dhcpClient = inventory.result().find((a) => a.id === 'mac:00:80:f4:00:00:09')!;
    assert.equal(dhcpClient.ip, null);
    assert.deepEqual(dhcpClient.protocols, ['dhcp/client']);
  });

  test('assets are sorted by IP numerically, devices without an address last', () => {
    const inventory = new InventoryBuilder();
    for (const [mac, ip] of [
      ['00:80:f4:00:00:01', '10.0.0.10'],
      ['00:80:f4:00:00:02', '10.0.0.9'],
      ['00:80:f4:00:00:03', '9.255.255.255'],
      ['00:80:f4:00:00:04', '2001:db8::1'],
    ]) {
      inventory.arp(arpReply(1, mac, ip));
    }
    inventory.event(dhcpMessage(1, { msgType: 'DISCOVER', clientMac: '00:80:f4:00:00:05' }));
    assert.deepEqual(
      inventory.result().map((a) => a.ip),
      ['9.255.255.255', '10.0.0.9', '10.0.0.10', '2001:db8::1', null],
    );
  });
});
