// A baseline file a person edited: every error is named with its JSON path, all at once.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BaselineLearner } from './learner.ts';
import { sampleBaseline } from './testing.ts';
import { formatBaselineErrors, parseBaseline } from './validate.ts';

/** The sample as plain, mutable JSON data: test rows poke at arbitrary paths. */
// biome-ignore lint/suspicious/noExplicitAny: the rows edit the document as a person would, untyped
type Json = any;
const sample = (): Json => JSON.parse(JSON.stringify(sampleBaseline()));

interface Row {
  readonly name: string;
  readonly text: string;
  /** `path: message` substrings, one per expected error, in any order. */
  readonly errors: readonly string[];
}

const edited = (name: string, edit: (d: Json) => void, errors: readonly string[]): Row => {
  const d = sample();
  edit(d);
  return { name, text: JSON.stringify(d, null, 2), errors };
};

const ROWS: readonly Row[] = [
  { name: 'empty file', text: '', errors: ['JSON syntax error at line 1 column 1'] },
  {
    name: 'missing comma',
    text: '{\n  "format": "zoneward.baseline/1"\n  "site": "x"\n}',
    errors: ['JSON syntax error at line 3 column 3'],
  },
  { name: 'truncated', text: '{\n  "format": ', errors: ['JSON syntax error at line 2 column 13'] },
  { name: 'not an object', text: '[]', errors: ['Expected object, received array'] },
  edited(
    'wrong format',
    (d) => {
      d.format = 'zoneward.baseline/9';
    },
    ['format: format "zoneward.baseline/9" is not "zoneward.baseline/1"'],
  ),
  edited(
    'reversed range',
    (d) => {
      d.channels[0].writes[0].ranges = [
        [1, 2],
        [20, 10],
      ];
    },
    ['channels[0].writes[0].ranges[1]: first address 20 is after last 10'],
  ),
  edited(
    'unordered ranges',
    (d) => {
      d.channels[0].writes[0].ranges = [
        [10, 20],
        [5, 6],
      ];
    },
    ['channels[0].writes[0].ranges[1]: range 5-6 is not after 10-20'],
  ),
  edited(
    'min above max',
    (d) => {
      d.channels[0].writes[0].values = { min: 9, max: 1 };
    },
    ['channels[0].writes[0].values: min 9 is greater than max 1'],
  ),
  edited(
    'port out of range',
    (d) => {
      d.pairs[0].port = 70000;
    },
    ['pairs[0].port: port 70000 is outside 0-65535'],
  ),
  edited(
    'bad IP',
    (d) => {
      d.pairs[0].client = '192.0.2.300';
    },
    ['pairs[0].client: "192.0.2.300" is not an IPv4 or IPv6 address'],
  ),
  edited(
    'unknown operation',
    (d) => {
      d.channels[0].operations.wrte = 1;
    },
    ['channels[0].operations.wrte: unknown operation "wrte"'],
  ),
  edited(
    'negative count',
    (d) => {
      d.channels[0].functions.READ_HOLDING_REGISTERS = -1;
    },
    ['channels[0].functions.READ_HOLDING_REGISTERS: Number must be greater than or equal to 0'],
  ),
  edited(
    'typo in a key',
    (d) => {
      d.channels[0].pollng = null;
    },
    ["channels[0]: Unrecognized key(s) in object: 'pollng'"],
  ),
  edited(
    'duplicate channel',
    (d) => {
      d.channels.push(d.channels[0]);
    },
    ['channels[1]: 192.0.2.10 > 192.0.2.11 modbus repeats entry [0]'],
  ),
  edited(
    'times reversed',
    (d) => {
      d.learned.firstTs = d.learned.lastTs + 1;
    },
    ['learned.firstTs: firstTs 1700000601 is after lastTs 1700000600'],
  ),
  edited(
    'asset without address',
    (d) => {
      d.assets[0].ip = null;
      d.assets[0].mac = null;
    },
    ['assets[0]: an asset needs an ip or a mac'],
  ),
  edited(
    'bad mode and confirmation',
    (d) => {
      d.mode = 'frozen';
      d.confirmed = { by: 'ana', at: 'yesterday' };
    },
    [
      "mode: Invalid enum value. Expected 'learning' | 'monitoring', received 'frozen'",
      'confirmed.at: not a date and time',
    ],
  ),
  edited(
    'hand-edited file with many errors',
    (d) => {
      d.format = 'baseline';
      d.pairs[0].port = -1;
      d.pairs[0].server = 'plc-1';
      d.assets[1].mac = '00-11-22-33-44-66';
      d.channels[0].writes[0].ranges[0] = [103, 100];
      d.channels[0].writes[0].values.min = 'low';
      d.channels[0].polling.periodS = 0;
      d.channels[0].units = [255, 1.5];
    },
    [
      'format: format "baseline"',
      'pairs[0].port: port -1 is outside',
      'pairs[0].server: "plc-1" is not an IPv4',
      'assets[1].mac: not a MAC address',
      'channels[0].writes[0].ranges[0]: first address 103 is after last 100',
      'channels[0].writes[0].values.min: Expected number, received string',
      'channels[0].polling.periodS: Number must be greater than 0',
      'channels[0].units[1]: Expected integer, received float',
    ],
  ),
];

describe('parseBaseline', () => {
  test('accepts the sample and returns it unchanged', () => {
    const result = parseBaseline(JSON.stringify(sampleBaseline()));
    assert.ok(result.ok, result.ok ? '' : formatBaselineErrors(result.errors));
    assert.deepEqual(result.baseline, sampleBaseline());
  });

  test('round trip of a learned document: toDocument, JSON, parseBaseline', () => {
    const learner = new BaselineLearner();
    const conn = {
      uid: 'C1',
      transport: 'tcp',
      clientIp: '192.0.2.10',
      clientPort: 50000,
      serverIp: '192.0.2.11',
      serverPort: 502,
      clientMac: '00:11:22:33:44:55',
      serverMac: '00:11:22:33:44:66',
      vlan: null,
    } as const;
    for (let i = 0; i < 30; i++) {
      learner.event({
        ts: 100 + i,
        conn,
        dir: 0,
        app: 'modbus',
        kind: 'message',
        fields: {
          'modbus.func': 'WRITE_MULTIPLE_REGISTERS',
          'modbus.operation': 'write',
          'modbus.unit': 1,
          'modbus.space': 'holding_register',
          'modbus.address': 10 + (i % 3) * 10,
          'modbus.quantity': 2,
          'modbus.values': [i, 2 * i],
        },
      });
      learner.event({
        ts: 100.5 + i,
        conn,
        dir: 0,
        app: 'modbus',
        kind: 'message',
        fields: {
          'modbus.func': 'READ_COILS',
          'modbus.operation': 'read',
          'modbus.unit': 1,
          'modbus.address': 0,
          'modbus.quantity': 8,
        },
      });
    }
    learner.connection({
      conn,
      app: 'modbus',
      firstTs: 100,
      lastTs: 130,
      packets: [60, 60],
      bytes: [1, 1],
      missedBytes: [0, 0],
      rolesFromHandshake: true,
    });
    const doc = learner.toDocument({ site: 'round trip' });
    assert.deepEqual(doc.channels[0].writes, [
      {
        space: 'holding_register',
        ranges: [
          [10, 11],
          [20, 21],
          [30, 31],
        ],
        values: { min: 0, max: 58 },
      },
    ]);
    assert.equal(doc.channels[0].polling?.samples, 29);
    const result = parseBaseline(JSON.stringify(doc, null, 2));
    assert.ok(result.ok, result.ok ? '' : formatBaselineErrors(result.errors));
    assert.deepEqual(result.baseline, doc);
  });

  for (const row of ROWS) {
    test(`rejects: ${row.name}`, () => {
      const result = parseBaseline(row.text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const lines = formatBaselineErrors(result.errors).split('\n');
      assert.equal(lines.length, row.errors.length, `got:\n${lines.join('\n')}`);
      for (const expected of row.errors) {
        assert.ok(
          lines.some((l) => l.startsWith(expected)),
          `missing "${expected}" in:\n${lines.join('\n')}`,
        );
      }
    });
  }
});
