// How any consumer reads a message of any protocol through its descriptor's MessageVocabulary
// (types.ts): the descriptor of an app by name, and the message's function. The inventory, the
// communication map, the baseline and the detector all go through here.

import { DISSECTORS } from './registry.ts';
import type { Fields, MessageVocabulary } from './types.ts';

/** Descriptors by name; a protocol's TCP and UDP descriptors share one vocabulary, the first wins. */
const BY_NAME: ReadonlyMap<string, MessageVocabulary> = (() => {
  const map = new Map<string, MessageVocabulary>();
  for (const d of DISSECTORS) if (!map.has(d.name)) map.set(d.name, d);
  return map;
})();

/** The vocabulary of the dissector named `app`, undefined for an app no dissector has. */
export function vocabularyOf(app: string): MessageVocabulary | undefined {
  return BY_NAME.get(app);
}

/** The message's function: the first of funcFields that is a non-empty string, else null. */
export function messageFunction(v: Pick<MessageVocabulary, 'funcFields'>, fields: Fields): string | null {
  const names = v.funcFields;
  for (let i = 0; i < names.length; i++) {
    const value = fields[names[i]];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}
