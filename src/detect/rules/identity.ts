// A device's identity changing (issue 4): firmware, model or serial that a message reports
// (`<app>.device.*`, dissectors/device.ts) differs from the baseline asset's. The identity describes
// the sender (device.ts); messages about another device (`.device.unit`, `.device.ip`) are skipped.

import type { BaselineIndex } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import { stringField } from '../vocabulary.ts';
import type { MessageView, Rule } from './rule.ts';

export class IdentityRule implements Rule {
  readonly name = 'identity';

  constructor(private readonly b: BaselineIndex) {}

  message(m: MessageView, raise: Raise): void {
    const f = m.e.fields;
    const v = m.v;
    if (f[v.firmwareField] === undefined && f[v.modelField] === undefined && f[v.serialField] === undefined)
      return;
    if (f[v.deviceUnitField] != null || f[v.deviceIpField] != null) return;
    const asset = this.b.assetsByIp.get(m.src);
    if (asset === undefined) return;
    const parts = [
      ['firmware', asset.firmware, stringField(f, v.firmwareField)],
      ['model', asset.model, stringField(f, v.modelField)],
      ['serial', asset.serial, stringField(f, v.serialField)],
    ] as const;
    for (const [part, learned, now] of parts) {
      if (learned === null || now === null || learned === now) continue;
      raise({
        category: part === 'firmware' ? 'firmware-changed' : 'device-replaced',
        src: m.dst,
        dst: m.src,
        key: part,
        ts: m.e.ts,
        detail: `${part} ${now} reported in ${m.e.app} ${m.func ?? ''}, baseline ${learned}`,
      });
    }
  }
}
