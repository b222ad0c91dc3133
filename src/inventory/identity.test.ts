import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  conn,
  dhcpMessage,
  modbusRequest,
  modbusResponse,
  summary,
} from '../flows/fixtures/pipeline-events.ts';
import { isIndustrialAutomationVendor } from './industrial-vendors.ts';
import { InventoryBuilder } from './inventory-builder.ts';
import { lookupOui } from './oui.ts';

describe('OUI lookup', () => {
  test('finds the organisation of an MA-L prefix, first line only', () => {
    assert.deepEqual(lookupOui('00:1d:9c:01:02:03'), { vendor: 'Rockwell Automation', prefix: '00:1d:9c' });
    assert.equal(lookupOui('00:1D:9C:01:02:03')?.vendor, 'Rockwell Automation');
  });

  test('prefers the longest registered prefix (MA-S/MA-M inside an IEEE block)', () => {
    const match = lookupOui('70:b3:d5:15:30:00');
    assert.equal(match?.vendor, 'Schneider Electric Motion USA');
    assert.equal(match?.prefix, '70:b3:d5:15:3/36');
  });

  test('group, locally administered, unregistered and private addresses have no vendor', () => {
    assert.equal(lookupOui('01:00:5e:00:00:01'), null, 'multicast');
    assert.equal(lookupOui('ff:ff:ff:ff:ff:ff'), null, 'broadcast');
    assert.equal(lookupOui('02:42:ac:11:00:02'), null, 'locally administered (Docker)');
    assert.equal(lookupOui('70:b3:d5:ff:ff:ff'), null, 'IEEE block without a sub-registration');
    assert.equal(lookupOui('not a mac'), null);
  });

  test('knows which vendors make automation equipment', () => {
    assert.ok(isIndustrialAutomationVendor('Rockwell Automation'));
    assert.ok(isIndustrialAutomationVendor('Siemens AG'));
    assert.ok(!isIndustrialAutomationVendor('Siemens Healthcare Diagnostics Inc'));
    assert.ok(!isIndustrialAutomationVendor('APC by Schneider Electric'));
    assert.ok(!isIndustrialAutomationVendor('Cisco Systems, Inc'));
  });
});

describe('identity', () => {
  const PLC_MAC = '00:1d:9c:00:00:20';

  function plcAnsweringIdentification(deviceId: Record<string, string>) {
    const inventory = new InventoryBuilder();
    const c = conn({
      client: '192.0.2.10',
      clientMac: '3c:52:82:00:00:10',
      server: '192.0.2.20',
      serverMac: PLC_MAC,
    });
    inventory.event(modbusRequest(c, 10, 'ENCAP_INTERFACE_TRANSPORT'));
    inventory.event(modbusResponse(c, 10.01, 'ENCAP_INTERFACE_TRANSPORT', { deviceId }));
    inventory.connection(summary(c, 'modbus', { first: 10, last: 11 }));
    return inventory.result().find((a) => a.id === `mac:${PLC_MAC}`)!;
  }

  test('Modbus 43/14 sets vendor, model and firmware over the OUI vendor', () => {
    const plc = plcAnsweringIdentification({
      vendor_name: 'Schneider Electric',
      product_code: 'BMX P34 2020',
      revision: 'v3.20',
      product_name: 'Modicon M340',
    });
    assert.equal(plc.vendor, 'Schneider Electric');
    assert.equal(plc.model, 'BMX P34 2020');
    assert.equal(plc.firmware, 'v3.20');
    const vendors = plc.evidence.filter((e) => e.field === 'vendor');
    assert.deepEqual(
      vendors.map((e) => [e.value, e.source]),
      [
        ['Schneider Electric', 'modbus'],
        ['Rockwell Automation', 'oui'],
      ],
    );
    assert.match(
      vendors[0].detail,
      /Modbus device identification \(FC 43\/14\) reports vendor "Schneider Electric"/,
    );
  });

  test('without a product code the model name is the model', () => {
    const plc = plcAnsweringIdentification({
      vendor_name: 'ACME',
      model_name: 'X-200',
      product_name: 'Pump controller',
    });
    assert.equal(plc.model, 'X-200');
  });

  test('identification sent by the client (a request) is not the server identity', () => {
    const inventory = new InventoryBuilder();
    const c = conn({ client: '192.0.2.10', server: '192.0.2.20', serverMac: PLC_MAC });
    inventory.event({
      ...modbusResponse(c, 1, 'ENCAP_INTERFACE_TRANSPORT', { deviceId: { vendor_name: 'Spoof' } }),
      dir: 0,
    });
    inventory.connection(summary(c, 'modbus'));
    assert.ok(inventory.result().every((a) => a.vendor !== 'Spoof'));
  });

  test('the DHCP host name becomes the name; the vendor class is kept as evidence', () => {
    const inventory = new InventoryBuilder();
    const mac = '3c:52:82:11:22:33';
    inventory.event(
      dhcpMessage(1, {
        msgType: 'REQUEST',
        clientMac: mac,
        requestedIp: '192.0.2.50',
        hostname: 'OFFICE-PC7',
        vendorClass: 'MSFT 5.0',
      }),
    );
    const pc = inventory.result()[0];
    assert.equal(pc.name, 'OFFICE-PC7');
    assert.equal(pc.vendor, 'Hewlett Packard');
    const vendorClass = pc.evidence.find((e) => e.field === 'dhcp.vendor_class');
    assert.equal(vendorClass?.value, 'MSFT 5.0');
    assert.equal(vendorClass?.source, 'dhcp');
  });
});
