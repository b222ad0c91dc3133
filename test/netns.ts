// Test hosts in network namespaces: two namespaces joined by a veth pair, addressed from the
// documentation range 192.0.2.0/24 (RFC 5737). Traffic never leaves the pair. Every helper here
// runs real `ip` commands; the caller must be root (CI is).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';

export interface VethPair {
  nsA: string;
  nsB: string;
  ifA: string;
  ifB: string;
  ipA: string;
  ipB: string;
  /** Run a command inside namespace A or B (spawned, not awaited). */
  spawnIn(
    ns: 'A' | 'B',
    cmd: string,
    args: string[],
    opts?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): ChildProcess;
  execIn(ns: 'A' | 'B', cmd: string, args: string[]): string;
  destroy(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function requireRootAndTools(tools: string[]): void {
  if (process.getuid?.() !== 0)
    throw new Error('this system test needs root (network namespaces); CI runs as root');
  for (const t of tools) {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${t} is not installed; .ci/run installs it (apt-get install ${t})`);
    }
  }
}

/** Creates the pair; names carry the pid and a tag so parallel runs never collide. */
export function createVethPair(tag: string): VethPair {
  const id = `${process.pid % 100000}${tag}`;
  const nsA = `zw-${id}-a`;
  const nsB = `zw-${id}-b`;
  const ifA = `zwa${id}`.slice(0, 15);
  const ifB = `zwb${id}`.slice(0, 15);
  const ipA = '192.0.2.1';
  const ipB = '192.0.2.2';
  const destroy = () => {
    for (const ns of [nsA, nsB]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Already gone: nothing to clean.
      }
    }
  };
  try {
    ip('netns', 'add', nsA);
    ip('netns', 'add', nsB);
    ip('link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB);
    ip('link', 'set', ifA, 'netns', nsA);
    ip('link', 'set', ifB, 'netns', nsB);
    ip('-n', nsA, 'addr', 'add', `${ipA}/24`, 'dev', ifA);
    ip('-n', nsB, 'addr', 'add', `${ipB}/24`, 'dev', ifB);
    for (const [ns, dev] of [
      [nsA, ifA],
      [nsB, ifB],
    ]) {
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
  } catch (err) {
    destroy();
    throw err;
  }
  const nsOf = (n: 'A' | 'B') => (n === 'A' ? nsA : nsB);
  return {
    nsA,
    nsB,
    ifA,
    ifB,
    ipA,
    ipB,
    spawnIn: (ns, cmd, args, opts = {}) =>
      spawn('ip', ['netns', 'exec', nsOf(ns), cmd, ...args], {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    execIn: (ns, cmd, args) =>
      execFileSync('ip', ['netns', 'exec', nsOf(ns), cmd, ...args], {
        encoding: 'utf8',
        timeout: 20_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    destroy,
  };
}

/** Collects a child's output and resolves with its exit code (bounded by a timeout that kills it). */
export function finished(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
