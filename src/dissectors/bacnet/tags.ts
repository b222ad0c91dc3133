// A bounded reader of BACnet's tagged encoding (ANSI/ASHRAE 135-2020 clause 20.2): every value
// of a service request or ack is a tag (number, class, length/value/type), then its contents.
// The reader walks a window of the APDU tag by tag, never past the window's end, and never throws:
// a tag that does not fit its window makes `next()` return false with `error` set. Numbers are
// big-endian on the wire (20.2.1, 20.2.4 - 20.2.7). It allocates nothing per tag.

import {
  APP_TAG,
  BINARY_PV_NAMES,
  CHARSET,
  DEVICE_STATUS_NAMES,
  EVENT_STATE_NAMES,
  nameOf,
  OBJECT_TYPE,
  OBJECT_TYPE_NAMES,
  PROPERTY,
  SEGMENTATION_NAMES,
  UNIT_NAMES,
} from './spec.ts';

/**
 * Longest character string kept in an event, in characters. The spec sets no limit (an object name
 * may fill an APDU); names, models and firmware revisions are short, and events stay small.
 */
export const MAX_STRING_CHARS = 256;

/** Longest octet string shown in an event, in octets (shown as hex, so twice as many characters). */
export const MAX_OCTETS_SHOWN = 64;

/** Longest bit string shown in an event, in bits (status flags have 4, services supported ~50). */
export const MAX_BITS_SHOWN = 128;

/** Tag class and kind (20.2.1.1 - 20.2.1.3). */
export const TAG_KIND = {
  /** An application-tagged primitive value. */
  APPLICATION: 0,
  /** A context-tagged primitive value. */
  CONTEXT: 1,
  /** A context tag with LVT 6: a constructed value begins. */
  OPENING: 2,
  /** A context tag with LVT 7: it ends. */
  CLOSING: 3,
} as const;

/** Reads tags from `buf[pos, end)`. Reuse one reader per message; `reset` moves it. */
export class TagReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** Of the tag last read by `next()`. */
  kind = 0;
  tagNumber = 0;
  /** Start and length of the contents. An application boolean has none: its value is `length`. */
  valueStart = 0;
  length = 0;
  /** Why the last `next()` failed. */
  error = '';

  reset(buf: Uint8Array, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.error = '';
    return this;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Reads the next tag header and steps over its contents. False at the end or on a bad tag. */
  next(): boolean {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    if (p >= end) {
      this.error = 'missing tag';
      return false;
    }
    const octet = buf[p++];
    let tagNumber = octet >> 4;
    const context = (octet & 0x08) !== 0;
    let lvt = octet & 0x07;
    if (tagNumber === 15) {
      // 20.2.1.2: extended tag number in the next octet.
      if (p >= end) return this.fail('truncated tag number');
      tagNumber = buf[p++];
    }
    if (context && lvt === 6) {
      this.kind = TAG_KIND.OPENING;
      this.tagNumber = tagNumber;
      this.valueStart = p;
      this.length = 0;
      this.pos = p;
      return true;
    }
    if (context && lvt === 7) {
      this.kind = TAG_KIND.CLOSING;
      this.tagNumber = tagNumber;
      this.valueStart = p;
      this.length = 0;
      this.pos = p;
      return true;
    }
    if (!context && tagNumber === APP_TAG.BOOLEAN) {
      // 20.2.3: an application boolean carries its value in the LVT field and has no contents.
      this.kind = TAG_KIND.APPLICATION;
      this.tagNumber = tagNumber;
      this.valueStart = p;
      this.length = lvt;
      this.pos = p;
      return lvt <= 1 || this.fail('boolean value other than 0 or 1');
    }
    if (lvt === 5) {
      // 20.2.1.3.1: extended length in 1, 3 or 5 octets.
      if (p >= end) return this.fail('truncated tag length');
      lvt = buf[p++];
      if (lvt === 254) {
        if (p + 2 > end) return this.fail('truncated tag length');
        lvt = (buf[p] << 8) | buf[p + 1];
        p += 2;
      } else if (lvt === 255) {
        if (p + 4 > end) return this.fail('truncated tag length');
        lvt = buf[p] * 0x1000000 + ((buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]);
        p += 4;
      }
    }
    if (lvt > end - p) return this.fail('tag length beyond the end of the data');
    this.kind = context ? TAG_KIND.CONTEXT : TAG_KIND.APPLICATION;
    this.tagNumber = tagNumber;
    this.valueStart = p;
    this.length = lvt;
    this.pos = p + lvt;
    return true;
  }

  /** True when the next tag is context tag `n` of the given kind; reads nothing. */
  peekContext(n: number, kind: number): boolean {
    const p = this.pos;
    if (p >= this.end) return false;
    const octet = this.buf[p];
    if ((octet & 0x08) === 0) return false;
    const number = octet >> 4 === 15 ? (p + 1 < this.end ? this.buf[p + 1] : -1) : octet >> 4;
    if (number !== n) return false;
    const lvt = octet & 0x07;
    if (kind === TAG_KIND.OPENING) return lvt === 6;
    if (kind === TAG_KIND.CLOSING) return lvt === 7;
    return lvt !== 6 && lvt !== 7;
  }

  /** True when the next tag is an application tag `n`; reads nothing. */
  peekApplication(n: number): boolean {
    const p = this.pos;
    if (p >= this.end) return false;
    const octet = this.buf[p];
    return (octet & 0x08) === 0 && octet >> 4 === n;
  }

  /**
   * Skips a constructed value after its opening tag `n` has been read: everything up to and
   * including the matching closing tag. Nesting is tracked with a counter, not recursion.
   */
  skipConstructed(n: number): boolean {
    let depth = 1;
    while (depth > 0) {
      if (!this.next()) return false;
      if (this.kind === TAG_KIND.OPENING) depth++;
      else if (this.kind === TAG_KIND.CLOSING) {
        depth--;
        if (depth === 0 && this.tagNumber !== n) return this.fail('closing tag does not match');
      }
    }
    return true;
  }

  /** Reads context tag `n` (primitive) or fails. */
  expectContext(n: number): boolean {
    if (!this.next()) return false;
    if (this.kind !== TAG_KIND.CONTEXT || this.tagNumber !== n) return this.fail(`expected context tag ${n}`);
    return true;
  }

  /** Reads opening or closing tag `n`, or fails. */
  expectBracket(n: number, kind: number): boolean {
    if (!this.next()) return false;
    if (this.kind !== kind || this.tagNumber !== n) {
      return this.fail(`expected ${kind === TAG_KIND.OPENING ? 'opening' : 'closing'} tag ${n}`);
    }
    return true;
  }

  /** Reads application tag `n` or fails. */
  expectApplication(n: number): boolean {
    if (!this.next()) return false;
    if (this.kind !== TAG_KIND.APPLICATION || this.tagNumber !== n) {
      return this.fail(`expected application tag ${n}`);
    }
    return true;
  }

  /** The contents of the last tag as an unsigned integer (20.2.4); -1 when empty or wider than 6 octets. */
  unsigned(): number {
    return readUnsigned(this.buf, this.valueStart, this.length);
  }

  /** The contents of the last tag as a signed integer (20.2.5, two's complement). */
  signed(): number {
    return readSigned(this.buf, this.valueStart, this.length);
  }

  fail(reason: string): false {
    this.error = reason;
    return false;
  }
}

/** Unsigned big-endian integer of 1-6 octets (20.2.4); -1 for 0 or more than 6 octets. */
export function readUnsigned(buf: Uint8Array, at: number, length: number): number {
  if (length < 1 || length > 6) return -1;
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + buf[at + i];
  return v;
}

/** Signed big-endian two's complement integer of 1-6 octets (20.2.5); NaN otherwise. */
export function readSigned(buf: Uint8Array, at: number, length: number): number {
  if (length < 1 || length > 6) return Number.NaN;
  let v = buf[at] >= 0x80 ? buf[at] - 256 : buf[at];
  for (let i = 1; i < length; i++) v = v * 256 + buf[at + i];
  return v;
}

// One scratch view for IEEE 754 values: the octets are copied in and read big-endian (20.2.6,
// 20.2.7), which works whatever buffer or alignment the APDU has.
const scratch = new DataView(new ArrayBuffer(8));

export function readReal(buf: Uint8Array, at: number): number {
  for (let i = 0; i < 4; i++) scratch.setUint8(i, buf[at + i]);
  return scratch.getFloat32(0, false);
}

export function readDouble(buf: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) scratch.setUint8(i, buf[at + i]);
  return scratch.getFloat64(0, false);
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');
const utf16be = new TextDecoder('utf-16be');

/**
 * A CharacterString's contents (20.2.9): the character set octet, then the characters, kept to
 * MAX_STRING_CHARS. Null for the double-byte and JIS sets, which need a code page we do not carry.
 */
export function readCharacterString(buf: Uint8Array, at: number, length: number): string | null {
  if (length < 1) return null;
  const charset = buf[at];
  const start = at + 1;
  const end = at + length;
  let text: string;
  switch (charset) {
    case CHARSET.UTF8:
      text = asciiOrUtf8(buf, start, end);
      break;
    case CHARSET.ISO_8859_1:
      text = latin1.decode(buf.subarray(start, Math.min(end, start + MAX_STRING_CHARS)));
      break;
    case CHARSET.UCS2:
      text = utf16be.decode(buf.subarray(start, start + (Math.min(end - start, 2 * MAX_STRING_CHARS) & ~1)));
      break;
    case CHARSET.UCS4: {
      const parts: number[] = [];
      for (let p = start; p + 4 <= end && parts.length < MAX_STRING_CHARS; p += 4) {
        const cp = buf[p] * 0x1000000 + ((buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]);
        parts.push(cp <= 0x10ffff ? cp : 0xfffd);
      }
      text = String.fromCodePoint(...parts);
      break;
    }
    default:
      return null;
  }
  return text.length > MAX_STRING_CHARS ? text.slice(0, MAX_STRING_CHARS) : text;
}

/** Plain ASCII (the common case: names, models, versions) without the decoder; UTF-8 otherwise. */
function asciiOrUtf8(buf: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, start + 4 * MAX_STRING_CHARS);
  for (let p = start; p < stop; p++) if (buf[p] >= 0x80) return utf8.decode(buf.subarray(start, stop));
  return String.fromCharCode.apply(
    null,
    buf.subarray(start, Math.min(stop, start + MAX_STRING_CHARS)) as unknown as number[],
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Octets as lower-case hex without separators, kept to `max` octets. */
export function hex(buf: Uint8Array, at: number, length: number, max = MAX_OCTETS_SHOWN): string {
  let out = '';
  const n = Math.min(length, max);
  for (let i = 0; i < n; i++) out += HEX[buf[at + i]];
  return out;
}

/** A BitString (20.2.10): first octet = unused bits in the last octet; shown as `0`/`1`, first bit first. */
export function readBitString(buf: Uint8Array, at: number, length: number): string | null {
  if (length < 1) return '';
  const unused = buf[at];
  if (unused > 7 || (length === 1 && unused !== 0)) return null;
  const bits = Math.min((length - 1) * 8 - unused, MAX_BITS_SHOWN);
  let out = '';
  for (let i = 0; i < bits; i++) out += (buf[at + 1 + (i >> 3)] >> (7 - (i & 7))) & 1 ? '1' : '0';
  return out;
}

const WEEKDAYS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Two digits, or `*` for an unspecified field (0xFF, 20.2.12 - 20.2.13). */
function two(v: number): string {
  if (v === 255) return '*';
  return v < 10 ? `0${v}` : `${v}`;
}

/** A Date (20.2.12) as `YYYY-MM-DD` (weekday appended when given); `*` for unspecified fields. */
export function readDate(buf: Uint8Array, at: number): string {
  const y = buf[at];
  const m = buf[at + 1];
  const d = buf[at + 2];
  const wd = buf[at + 3];
  // Month 13/14 (odd/even months) and day 32-34 (last/odd/even day) are patterns, shown as numbers.
  const date = `${y === 255 ? '*' : 1900 + y}-${two(m)}-${two(d)}`;
  return wd >= 1 && wd <= 7 ? `${date} ${WEEKDAYS[wd]}` : date;
}

/** A Time (20.2.13) as `HH:MM:SS.hh`; `*` for unspecified fields. */
export function readTime(buf: Uint8Array, at: number): string {
  return `${two(buf[at])}:${two(buf[at + 1])}:${two(buf[at + 2])}.${two(buf[at + 3])}`;
}

/** Object identifier (20.2.14): 10-bit type, 22-bit instance. */
export function objectType(buf: Uint8Array, at: number): number {
  return (buf[at] << 2) | (buf[at + 1] >> 6);
}

export function objectInstance(buf: Uint8Array, at: number): number {
  return ((buf[at + 1] & 0x3f) << 16) | (buf[at + 2] << 8) | buf[at + 3];
}

/** The name of an object type, `UNKNOWN-<n>` otherwise (128-1023 are proprietary). */
export function objectTypeName(type: number): string {
  return nameOf(OBJECT_TYPE_NAMES, type);
}

/** `<type> <instance>`, as object lists show them (`analog-input 1`, `device 721`). */
export function objectLabel(type: number, instance: number): string {
  return `${objectTypeName(type)} ${instance}`;
}

/** A decoded primitive value and the name of its application type. */
export interface PrimitiveValue {
  value: string | number | boolean | null;
  type: string;
}

/**
 * The value of the application tag the reader just read, decoded by its type (20.2.2 - 20.2.14).
 * Enumerated values are named when `property` says which enumeration they belong to. Returns
 * false (with the reader's error set) when the contents do not fit the type.
 */
export function applicationValue(
  r: TagReader,
  property: number,
  objType: number,
  out: PrimitiveValue,
): boolean {
  const buf = r.buf;
  const at = r.valueStart;
  const len = r.length;
  switch (r.tagNumber) {
    case APP_TAG.NULL:
      out.value = null;
      out.type = 'null';
      return len === 0 || r.fail('null with contents');
    case APP_TAG.BOOLEAN:
      out.value = len === 1;
      out.type = 'boolean';
      return true;
    case APP_TAG.UNSIGNED:
      out.value = readUnsigned(buf, at, len);
      out.type = 'unsigned';
      return out.value >= 0 || r.fail('unsigned of 0 or more than 6 octets');
    case APP_TAG.SIGNED:
      out.value = readSigned(buf, at, len);
      out.type = 'signed';
      return !Number.isNaN(out.value) || r.fail('signed of 0 or more than 6 octets');
    case APP_TAG.REAL:
      out.type = 'real';
      if (len !== 4) return r.fail('real of other than 4 octets');
      out.value = readReal(buf, at);
      return true;
    case APP_TAG.DOUBLE:
      out.type = 'double';
      if (len !== 8) return r.fail('double of other than 8 octets');
      out.value = readDouble(buf, at);
      return true;
    case APP_TAG.OCTET_STRING:
      out.value = hex(buf, at, len);
      out.type = 'octet-string';
      return true;
    case APP_TAG.CHARACTER_STRING:
      out.value = readCharacterString(buf, at, len);
      out.type = 'character-string';
      return len >= 1 || r.fail('character string without a character set');
    case APP_TAG.BIT_STRING:
      out.value = readBitString(buf, at, len);
      out.type = 'bit-string';
      return out.value !== null || r.fail('bit string with a bad unused-bits count');
    case APP_TAG.ENUMERATED: {
      const v = readUnsigned(buf, at, len);
      out.type = 'enumerated';
      if (v < 0) return r.fail('enumerated of 0 or more than 6 octets');
      out.value = enumerationName(property, objType, v);
      return true;
    }
    case APP_TAG.DATE:
      out.type = 'date';
      if (len !== 4) return r.fail('date of other than 4 octets');
      out.value = readDate(buf, at);
      return true;
    case APP_TAG.TIME:
      out.type = 'time';
      if (len !== 4) return r.fail('time of other than 4 octets');
      out.value = readTime(buf, at);
      return true;
    case APP_TAG.OBJECT_IDENTIFIER:
      out.type = 'object-identifier';
      if (len !== 4) return r.fail('object identifier of other than 4 octets');
      out.value = objectLabel(objectType(buf, at), objectInstance(buf, at));
      return true;
    default:
      // 13-15 are reserved (20.2.1.4): keep the bytes visible.
      out.value = hex(buf, at, len);
      out.type = 'reserved';
      return true;
  }
}

/** Enumerated property values by name where the property's enumeration is known; else the number. */
function enumerationName(property: number, objType: number, v: number): string | number {
  let table: readonly (string | undefined)[] | null = null;
  switch (property) {
    case PROPERTY.UNITS:
      table = UNIT_NAMES;
      break;
    case PROPERTY.EVENT_STATE:
      table = EVENT_STATE_NAMES;
      break;
    case PROPERTY.SYSTEM_STATUS:
      table = DEVICE_STATUS_NAMES;
      break;
    case PROPERTY.SEGMENTATION_SUPPORTED:
      table = SEGMENTATION_NAMES;
      break;
    case PROPERTY.OBJECT_TYPE:
      table = OBJECT_TYPE_NAMES;
      break;
    case PROPERTY.PRESENT_VALUE:
    case PROPERTY.RELINQUISH_DEFAULT:
      if (
        objType === OBJECT_TYPE.BINARY_INPUT ||
        objType === OBJECT_TYPE.BINARY_OUTPUT ||
        objType === OBJECT_TYPE.BINARY_VALUE
      ) {
        table = BINARY_PV_NAMES;
      }
      break;
  }
  return table === null ? v : (table[v] ?? v);
}
