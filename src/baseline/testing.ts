// A small, valid baseline for the validation and merge tests: two assets, one pair, one Modbus
// channel with writes and polling.

import { BASELINE_FORMAT, type BaselineDocument } from './types.ts';

export function sampleBaseline(): BaselineDocument {
  return {
    format: BASELINE_FORMAT,
    site: 'sample',
    mode: 'learning',
    confirmed: null,
    learned: {
      sources: [{ source: 'plant.pcap', sha256: 'ab'.repeat(32) }],
      firstTs: 1_700_000_000,
      lastTs: 1_700_000_600,
      packets: 1000,
    },
    assets: [
      {
        ip: '192.0.2.10',
        mac: '00:11:22:33:44:55',
        role: 'hmi',
        vendor: null,
        model: null,
        firmware: null,
        serial: null,
      },
      {
        ip: '192.0.2.11',
        mac: '00:11:22:33:44:66',
        role: 'plc',
        vendor: 'Schneider Electric',
        model: 'BMX P34 2020',
        firmware: 'v3.20',
        serial: null,
      },
    ],
    pairs: [
      {
        client: '192.0.2.10',
        server: '192.0.2.11',
        transport: 'tcp',
        port: 502,
        app: 'modbus',
        connections: 1,
        packets: 1000,
      },
    ],
    channels: [
      {
        client: '192.0.2.10',
        server: '192.0.2.11',
        app: 'modbus',
        functions: { READ_HOLDING_REGISTERS: 480, WRITE_SINGLE_REGISTER: 2 },
        operations: { read: 480, write: 2 },
        units: [255],
        writes: [{ space: 'holding_register', ranges: [[100, 103]], values: { min: 600, max: 1300 } }],
        polling: { periodS: 0.25, jitterS: 0.005, samples: 479 },
      },
    ],
  };
}
