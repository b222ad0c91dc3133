// What a rule hands the detector when it fires: the aggregate's identity (category, src, dst, key)
// and one piece of evidence. The detector turns findings into alerts (detector.ts).

import type { FieldValue } from '../dissectors/types.ts';
import type { Severity } from './alert.ts';
import type { CategoryName } from './categories.ts';

export interface Finding {
  readonly category: CategoryName;
  readonly src: string | null;
  readonly dst: string | null;
  /** What distinguishes aggregates of one category and pair (a function, a port, an IP); '' if none. */
  readonly key: string;
  /** Capture time of the occurrence. */
  readonly ts: number;
  /** The evidence sentence. */
  readonly detail: string;
  readonly fields?: Readonly<Record<string, FieldValue>>;
  /** Overrides the category's default severity. */
  readonly severity?: Severity;
}

export type Raise = (f: Finding) => void;
