// The first tables: what was captured, what is on the network (assets and their identity history),
// and who talks to whom (flows). Column meanings: src/inventory/types.ts and src/flows/types.ts.

import type { StoreMigration } from './types.ts';

export const foundation: StoreMigration = {
  name: '0001_foundation',
  async up(db, t) {
    await db.schema
      .createTable('captures')
      .addColumn('sha256', t.key, (c) => c.primaryKey())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('size_bytes', t.counter, (c) => c.notNull())
      .addColumn('packets', t.counter, (c) => c.notNull())
      .addColumn('first_ts', t.float)
      .addColumn('last_ts', t.float)
      .addColumn('ingested_at', t.float, (c) => c.notNull())
      .addColumn('stats', t.json, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('assets')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('ip', 'text')
      .addColumn('ip_sort', t.key, (c) => c.notNull())
      .addColumn('ips', t.json, (c) => c.notNull())
      .addColumn('mac', 'text')
      .addColumn('vendor', 'text')
      .addColumn('model', 'text')
      .addColumn('firmware', 'text')
      .addColumn('serial', 'text')
      .addColumn('name', 'text')
      .addColumn('role', 'text')
      .addColumn('role_confidence', t.float)
      .addColumn('purdue_level', 'text')
      .addColumn('purdue_confidence', t.float)
      .addColumn('protocols', t.json, (c) => c.notNull())
      .addColumn('evidence', t.json, (c) => c.notNull())
      .addColumn('overrides', t.json, (c) => c.notNull())
      .addColumn('first_seen', t.float, (c) => c.notNull())
      .addColumn('last_seen', t.float, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('assets_ip').on('assets').column('ip').execute();
    await db.schema.createIndex('assets_mac').on('assets').column('mac').execute();
    // Listings are ordered by (ip_sort, id) and paged.
    await db.schema.createIndex('assets_listing_order').on('assets').columns(['ip_sort', 'id']).execute();

    await db.schema
      .createTable('asset_identity_history')
      .addColumn('seq', t.serial, t.serialKey)
      .addColumn('asset_id', t.key, (c) => c.notNull().references('assets.id').onDelete('cascade'))
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('old_value', 'text')
      .addColumn('new_value', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('ts', t.float, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('asset_identity_history_asset')
      .on('asset_identity_history')
      .columns(['asset_id', 'ts'])
      .execute();

    await db.schema
      .createTable('flows')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('port', 'integer', (c) => c.notNull())
      .addColumn('app', 'text')
      .addColumn('connections', t.counter, (c) => c.notNull())
      .addColumn('packets', t.counter, (c) => c.notNull())
      .addColumn('bytes', t.counter, (c) => c.notNull())
      .addColumn('first_seen', t.float, (c) => c.notNull())
      .addColumn('last_seen', t.float, (c) => c.notNull())
      .addColumn('operations', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flows_client').on('flows').column('client').execute();
    await db.schema.createIndex('flows_server').on('flows').column('server').execute();
  },
};
