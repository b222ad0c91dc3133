// How evidence entries add up to a value. Entries for the same value are treated as independent
// witnesses and combined as a noisy OR (1 - product of (1 - confidence)): two rules at 0.5 give
// 0.75, never more than certainty. The value with the highest combined confidence wins.

import type { Evidence } from './types.ts';

/** Combined confidence never reaches 1: only a person (an override) is certain. */
export const MAX_INFERRED_CONFIDENCE = 0.99;

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function combineConfidences(confidences: readonly number[]): number {
  let doubt = 1;
  for (const c of confidences) doubt *= 1 - Math.min(Math.max(c, 0), 1);
  return round2(Math.min(1 - doubt, MAX_INFERRED_CONFIDENCE));
}

/**
 * The best-supported value of one field, or null without evidence. `order` breaks ties (earlier
 * wins); values not in it tie-break by text. Entries from `user` are ignored: overrides are
 * applied on top, not mixed in.
 */
export function strongestValue(
  evidence: readonly Evidence[],
  field: string,
  order: readonly string[] = [],
): { value: string; confidence: number } | null {
  const byValue = new Map<string, number[]>();
  for (const e of evidence) {
    if (e.field !== field || e.source === 'user') continue;
    const list = byValue.get(e.value);
    if (list === undefined) byValue.set(e.value, [e.confidence]);
    else list.push(e.confidence);
  }
  const rank = (v: string) => {
    const i = order.indexOf(v);
    return i < 0 ? order.length : i;
  };
  let best: { value: string; confidence: number } | null = null;
  for (const [value, confidences] of byValue) {
    const confidence = combineConfidences(confidences);
    if (
      best === null ||
      confidence > best.confidence ||
      (confidence === best.confidence &&
        (rank(value) < rank(best.value) || (rank(value) === rank(best.value) && value < best.value)))
    ) {
      best = { value, confidence };
    }
  }
  return best;
}

/** Identity of an entry across discoveries: one statement per rule and field (see merge.ts). */
export function evidenceKey(e: Evidence): string {
  return `${e.field}|${e.rule ?? `${e.source}:${e.value}`}`;
}

/** Stable order for output: by field, strongest first, then by rule and value. */
export function sortEvidence(evidence: readonly Evidence[]): Evidence[] {
  return [...evidence].sort(
    (a, b) =>
      compareText(a.field, b.field) ||
      b.confidence - a.confidence ||
      compareText(a.rule ?? '', b.rule ?? '') ||
      compareText(a.value, b.value),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
