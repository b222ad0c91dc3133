// Every migration, listed once in the order it runs (STYLE.md 2). A new table is one new file
// here (`NNNN_what.ts`) and one line below; registry.test.ts checks order and files.

import { foundation } from './0001_foundation.ts';
import { devicesBehindGateways } from './0002_devices_behind_gateways.ts';
import { monitoring } from './0003_monitoring.ts';
import type { StoreMigration } from './types.ts';

export const MIGRATIONS: readonly StoreMigration[] = [foundation, devicesBehindGateways, monitoring];
