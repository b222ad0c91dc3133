// How the command line talks: tables for people on a terminal, tab-separated text when piped
// (so `cut`, `awk` and spreadsheets read it), JSON on request, and progress on stderr only when
// stderr is a terminal.

import cliProgress from 'cli-progress';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
}

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '-';
  return String(v);
}

/** A table: aligned with a header rule on a terminal, TSV with a header line when piped. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], tty: boolean): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  if (!tty) {
    const clean = (s: string) => s.replace(/[\t\n\r]/g, ' ');
    return (
      [columns.map((c) => c.header).join('\t'), ...cells.map((r) => r.map(clean).join('\t'))].join('\n') +
      '\n'
    );
  }
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '─'.repeat(w))),
    ...cells.map(line),
  ].join('\n')}\n`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTime(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return '-';
  return new Date(ts * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Progress over a file: bytes done, packets, MB/s and time left. A no-op when stderr is not a terminal. */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly started = performance.now();

  constructor(label: string, totalBytes: number, enabled: boolean = process.stderr.isTTY === true) {
    if (!enabled || totalBytes <= 0) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} {bar} {percentage}% | {packets} packets | {rate} MB/s | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(totalBytes, 0, { packets: '0', rate: '0.0' });
  }

  update(bytes: number, packets: number): void {
    if (this.bar === null) return;
    const secs = (performance.now() - this.started) / 1000;
    this.bar.update(bytes, {
      packets: formatCount(packets),
      rate: (bytes / 1e6 / Math.max(secs, 1e-3)).toFixed(1),
    });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
