// Reads a baseline file (types.ts) a person may have edited: JSON syntax, then the shape (zod),
// then what the shape cannot say (ranges ordered, min <= max, ports, addresses). Every error is
// reported at once with its JSON path (`channels[3].writes[0].ranges[1]: first address 20 is
// after last 10`), so one round of editing fixes them all.

import { isIP } from 'node:net';
import { z } from 'zod';
import { OPERATIONS } from '../dissectors/operations.ts';
import { BASELINE_FORMAT, type BaselineDocument } from './types.ts';

export interface BaselineError {
  /** JSON path (`channels[3].polling.periodS`), empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

export type ParseBaselineResult =
  | { readonly ok: true; readonly baseline: BaselineDocument }
  | { readonly ok: false; readonly errors: BaselineError[] };

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const MAX_PORT = 65535;

const count = z.number().int().nonnegative();
const ip = z.string().refine(
  (s) => isIP(s) !== 0,
  (s) => ({ message: `${JSON.stringify(s)} is not an IPv4 or IPv6 address` }),
);
const mac = z.string().regex(MAC, 'not a MAC address (aa:bb:cc:dd:ee:ff, lower case)');
const timestamp = z.number().finite().nonnegative();

const range = z.tuple([count, count]).superRefine(([first, last], ctx) => {
  if (first > last)
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `first address ${first} is after last ${last}` });
});

const ranges = z.array(range).superRefine((list, ctx) => {
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1];
    if (list[i][0] <= prev[1] + 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [i],
        message: `range ${list[i][0]}-${list[i][1]} is not after ${prev[0]}-${prev[1]} (ranges are sorted, merged, not touching)`,
      });
    }
  }
});

const valueRange = z
  .object({ min: z.number().finite(), max: z.number().finite() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.min > v.max)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `min ${v.min} is greater than max ${v.max}` });
  });

const writes = z.object({ space: z.string().min(1), ranges, values: valueRange.nullable() }).strict();

const polling = z
  .object({
    periodS: z.number().finite().positive(),
    jitterS: z.number().finite().nonnegative(),
    samples: count,
    request: z.string().min(1).optional(),
  })
  .strict();

const channel = z
  .object({
    client: ip,
    server: ip,
    app: z.string().min(1),
    functions: z.record(z.string().min(1), count),
    operations: z.record(z.string(), count).superRefine((ops, ctx) => {
      for (const key of Object.keys(ops)) {
        if (!(OPERATIONS as readonly string[]).includes(key)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message: `unknown operation ${JSON.stringify(key)} (one of ${OPERATIONS.join(', ')})`,
          });
        }
      }
    }),
    units: z.array(count),
    writes: z.array(writes),
    peakPerS: z.number().int().nonnegative().optional(),
    violations: z.number().int().nonnegative().optional(),
    polling: polling.nullable(),
  })
  .strict();

const pair = z
  .object({
    client: ip,
    server: ip,
    transport: z.enum(['tcp', 'udp']),
    port: z
      .number()
      .int()
      .refine(
        (p) => p >= 0 && p <= MAX_PORT,
        (p) => ({ message: `port ${p} is outside 0-${MAX_PORT}` }),
      ),
    app: z.string().min(1).nullable(),
    connections: count,
    packets: count,
  })
  .strict();

const asset = z
  .object({
    ip: ip.nullable(),
    mac: mac.nullable(),
    role: z.string().min(1).nullable(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    firmware: z.string().nullable(),
    serial: z.string().nullable(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.ip === null && a.mac === null)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'an asset needs an ip or a mac' });
  });

const learned = z
  .object({
    sources: z.array(
      z
        .object({
          source: z.string().min(1),
          sha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/, 'not a SHA-256 in hex')
            .nullable(),
        })
        .strict(),
    ),
    firstTs: timestamp,
    lastTs: timestamp,
    packets: count,
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.firstTs > l.lastTs) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['firstTs'],
        message: `firstTs ${l.firstTs} is after lastTs ${l.lastTs}`,
      });
    }
  });

const document = z
  .object({
    format: z.string().refine(
      (f) => f === BASELINE_FORMAT,
      (f) => ({
        message: `format ${JSON.stringify(f)} is not ${JSON.stringify(BASELINE_FORMAT)}`,
      }),
    ),
    site: z.string(),
    mode: z.enum(['learning', 'monitoring']),
    confirmed: z
      .object({
        by: z.string().min(1),
        at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date and time (ISO 8601)'),
      })
      .strict()
      .nullable(),
    learned,
    assets: z.array(asset).superRefine(unique((a) => (a.ip !== null ? `ip ${a.ip}` : `mac ${a.mac}`))),
    pairs: z
      .array(pair)
      .superRefine(unique((p) => `${p.client} > ${p.server} ${p.transport}/${p.port} ${p.app ?? '(none)'}`)),
    channels: z.array(channel).superRefine(unique((c) => `${c.client} > ${c.server} ${c.app}`)),
  })
  .strict();

/** A list's entries must not repeat their key (the learner writes each once; a paste may not). */
function unique<T>(key: (t: T) => string): (list: T[], ctx: z.RefinementCtx) => void {
  return (list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `${k} repeats entry [${first}]` });
      else seen.set(k, i);
    });
  };
}

export function parseBaseline(text: string): ParseBaselineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: jsonSyntaxMessage(text, err) }] };
  }
  const result = document.safeParse(raw);
  if (result.success) return { ok: true, baseline: result.data as BaselineDocument };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  };
}

/** `path: message` lines, one per error. */
export function formatBaselineErrors(errors: readonly BaselineError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('\n');
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** V8 names the offset (`at position 42`) or, in newer versions, line and column: say both. */
function jsonSyntaxMessage(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `JSON syntax error at line ${lineColumn[1]} column ${lineColumn[2]}: ${message}`;
  const position = /at position (\d+)/.exec(message);
  const atEnd = /end of JSON input/.test(message) || text.trim() === '';
  const offset = position ? Number(position[1]) : atEnd ? text.length : null;
  if (offset === null) return `JSON syntax error: ${message}`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `JSON syntax error at line ${line} column ${column}: ${message}`;
}
