import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReportedIdentity } from './reported-identity.ts';

describe('ReportedIdentity', () => {
  it('keeps each part with the protocol and message it came from', () => {
    const id = new ReportedIdentity();
    id.report('s7comm', 's7comm READ_SZL', 10, { model: '6ES7 515-2AM02-0AB0', firmware: 'V2.9.4' });
    id.report('profinet', 'profinet IDENTIFY', 12, { name: 'plc-line-1', model: null });
    assert.deepEqual(id.get('model'), {
      value: '6ES7 515-2AM02-0AB0',
      source: 's7comm',
      via: 's7comm READ_SZL',
      ts: 10,
      last: 10,
    });
    assert.equal(id.get('name')?.source, 'profinet');
    assert.equal(id.get('serial'), null);
    assert.deepEqual(id.changes(), []);
  });

  it('records a change when the same message later reports another value', () => {
    const id = new ReportedIdentity();
    id.report('s7comm', 's7comm READ_SZL', 10, { firmware: 'V2.9.4' });
    id.report('s7comm', 's7comm READ_SZL', 20, { firmware: 'V2.9.4' });
    id.report('s7comm', 's7comm READ_SZL', 30, { firmware: 'V3.0.1' });
    assert.equal(id.get('firmware')?.value, 'V3.0.1');
    const [change] = id.changes();
    assert.equal(change.part, 'firmware');
    assert.equal(change.before.value, 'V2.9.4');
    assert.equal(change.after.value, 'V3.0.1');
    assert.equal(change.after.ts, 30);
  });

  it('two kinds of message spelling one fact differently is no change', () => {
    const id = new ReportedIdentity();
    id.report('bacnet', 'bacnet I_AM', 10, { vendor: 'Delta Controls' });
    id.report('bacnet', 'bacnet READ_PROPERTY', 11, { vendor: 'Delta Controls Inc.' });
    assert.equal(id.get('vendor')?.value, 'Delta Controls Inc.');
    assert.deepEqual(id.changes(), []);
  });

  it('the provenance of a value is its first report, whichever order shards merge in', () => {
    const a = new ReportedIdentity();
    a.report('profinet_cm', 'profinet_cm READ', 30, { vendor: 'Siemens' });
    const b = new ReportedIdentity();
    b.report('s7comm', 's7comm READ_SZL', 20, { vendor: 'Siemens' });
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      const m = new ReportedIdentity();
      m.merge(x.snapshot());
      m.merge(y.snapshot());
      assert.deepEqual(m.get('vendor'), {
        value: 'Siemens',
        source: 's7comm',
        via: 's7comm READ_SZL',
        ts: 20,
        last: 30,
      });
    }
  });

  it('merging snapshots gives the later value and unites the changes, in either order', () => {
    const a = new ReportedIdentity();
    a.report('enip', 'enip LIST_IDENTITY', 5, { firmware: '20.11' });
    a.report('enip', 'enip LIST_IDENTITY', 50, { firmware: '21.11' });
    const b = new ReportedIdentity();
    b.report('enip', 'enip LIST_IDENTITY', 100, { firmware: '33.11', serial: '0x60a1b2c3' });
    const ab = new ReportedIdentity();
    ab.merge(a.snapshot());
    ab.merge(b.snapshot());
    const ba = new ReportedIdentity();
    ba.merge(b.snapshot());
    ba.merge(a.snapshot());
    for (const m of [ab, ba]) {
      assert.equal(m.get('firmware')?.value, '33.11');
      assert.deepEqual(
        m.changes().map((c) => `${c.before.value}>${c.after.value}`),
        ['20.11>21.11', '21.11>33.11'],
      );
    }
  });
});
