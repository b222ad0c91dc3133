// `zoneward decode <capture> --format jsonl`: one JSON object per application message, in capture
// order, for other tools (jq, Elastic, a notebook) to read.

import type { Command } from 'commander';
import { fileSize } from '../../capture/source.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, LinkEvent, PipelineSink } from '../../pipeline/events.ts';
import { Progress } from '../output.ts';
import { type CommandResult, reportCaptureProblems, usageError } from '../run.ts';

/** Output lines are batched: one write per ~256 KiB instead of one per message. */
const FLUSH_BYTES = 256 * 1024;

/** The public JSON shape of an event: where it came from, then the protocol's dotted fields. */
export function eventToJson(e: AppEvent): Record<string, unknown> {
  const c = e.conn;
  const fromClient = e.dir === 0;
  return {
    ts: e.ts,
    uid: c.uid,
    src: fromClient ? c.clientIp : c.serverIp,
    sport: fromClient ? c.clientPort : c.serverPort,
    dst: fromClient ? c.serverIp : c.clientIp,
    dport: fromClient ? c.serverPort : c.clientPort,
    proto: c.transport,
    app: e.app,
    kind: e.kind,
    ...e.fields,
  };
}

class JsonlWriter implements PipelineSink {
  private parts: string[] = [];
  private size = 0;
  count = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly includeViolations: boolean,
  ) {}

  event(e: AppEvent): void {
    if (e.kind === 'violation' && !this.includeViolations) return;
    const line = `${JSON.stringify(eventToJson(e))}\n`;
    this.parts.push(line);
    this.size += line.length;
    this.count++;
  }
  arp(): void {}
  connection(): void {}

  /** Link-layer frames (LLDP, CDP, PROFINET): src and dst are MAC addresses, proto is `ether`. */
  link(e: LinkEvent): void {
    if (e.kind === 'violation' && !this.includeViolations) return;
    const line = `${JSON.stringify({ ts: e.ts, src: e.srcMac, dst: e.dstMac, vlan: e.vlan, proto: 'ether', app: e.app, kind: e.kind, ...e.fields })}\n`;
    this.parts.push(line);
    this.size += line.length;
    this.count++;
  }

  /** Writes what is buffered once it is worth a write; resolves when the pipe has room again. */
  flush(force: boolean): Promise<void> | undefined {
    if (this.size === 0 || (!force && this.size < FLUSH_BYTES)) return undefined;
    const ok = this.out.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    if (ok) return undefined;
    return new Promise((resolve) => this.out.once('drain', () => resolve()));
  }
}

export function registerDecode(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  program
    .command('decode')
    .description(
      'decode a capture into one JSON line per application message (Modbus requests and responses, ...)',
    )
    .argument('<capture>', 'pcap or pcapng file, optionally gzip-compressed')
    .option('--format <format>', 'output format (only jsonl today)', 'jsonl')
    .option('--no-violations', 'leave out protocol-violation events')
    .addHelpText(
      'after',
      `
Each line has ts, uid (connection), src, sport, dst, dport, proto (tcp/udp), app (modbus, dhcp...),
kind (message or violation), and the protocol's dotted fields, for example:
  {"ts":1595660608.24,"uid":"C1","src":"127.0.0.1","sport":47785,"dst":"127.0.0.1","dport":502,
   "proto":"tcp","app":"modbus","kind":"message","modbus.func":"READ_COILS",...}

Exit status: 0 decoded, 1 the capture was damaged (decoded up to the damage), 2 usage error.`,
    )
    .action((capture: string, opts: { format: string; violations: boolean }) =>
      run(async () => {
        if (opts.format !== 'jsonl')
          throw usageError(`unknown --format ${opts.format}: the only format is jsonl`);
        const writer = new JsonlWriter(process.stdout, opts.violations);
        const progress = new Progress(
          'decode',
          fileSize(capture),
          process.stderr.isTTY === true && !process.stdout.isTTY,
        );
        const result = await decodeCaptureFile(capture, writer, {
          onProgress: (bytes, stats) => {
            progress.update(bytes, stats.frames);
            return writer.flush(false);
          },
        });
        progress.stop();
        await writer.flush(true);
        return reportCaptureProblems(capture, result.capture);
      }),
    );
}
