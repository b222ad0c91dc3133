// Continuous monitoring (issue 4): the alerts detections raise, what people did with them
// (acknowledged, closed, learned into the baseline, suppressed: who, when and why), active
// suppressions, and the learned baselines. Column meanings: src/detect/alert.ts and
// src/baseline/types.ts.

import type { StoreMigration } from './types.ts';

export const monitoring: StoreMigration = {
  name: '0003_monitoring',
  async up(db, t) {
    await db.schema
      .createTable('alerts')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('ts', t.float, (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('technique', 'text', (c) => c.notNull())
      .addColumn('technique_name', 'text', (c) => c.notNull())
      .addColumn('src', 'text')
      .addColumn('dst', 'text')
      .addColumn('assets', t.json, (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('evidence', t.json, (c) => c.notNull())
      .addColumn('first_seen', t.float, (c) => c.notNull())
      .addColumn('last_seen', t.float, (c) => c.notNull())
      .addColumn('count', t.counter, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alerts_last_seen').on('alerts').columns(['last_seen']).execute();

    await db.schema
      .createTable('alert_actions')
      .addColumn('seq', t.serial, t.serialKey)
      .addColumn('alert_id', t.key, (c) => c.notNull().references('alerts.id').onDelete('cascade'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('why', 'text', (c) => c.notNull())
      .addColumn('at', t.float, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('alert_actions_alert')
      .on('alert_actions')
      .columns(['alert_id', 'seq'])
      .execute();

    await db.schema
      .createTable('suppressions')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('src', 'text')
      .addColumn('dst', 'text')
      .addColumn('key', 'text')
      .addColumn('until', t.float, (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('why', 'text', (c) => c.notNull())
      .addColumn('created_at', t.float, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('baselines')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('saved_at', t.float, (c) => c.notNull())
      .addColumn('document', t.json, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('baselines_site').on('baselines').columns(['site', 'saved_at']).execute();
  },
};
