// Devices behind gateways (issue 3): a serial slave behind a Modbus/TCP gateway, a BACnet device
// behind a router, a module in a CIP chassis is an asset of its own, linked to the gateway's asset
// (`parent_id`) and addressed behind it by `unit` (`unit 3`, `slot 2`). Existing rows get nulls:
// devices with an address of their own.

import type { StoreMigration } from './types.ts';

export const devicesBehindGateways: StoreMigration = {
  name: '0002_devices_behind_gateways',
  async up(db, t) {
    await db.schema.alterTable('assets').addColumn('parent_id', t.key).execute();
    await db.schema.alterTable('assets').addColumn('unit', 'text').execute();
  },
};
