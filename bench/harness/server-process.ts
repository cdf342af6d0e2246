import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { READY_MARKER, type ReadyMessage } from './fixtures';

/** A bench server running in its own process. */
export interface RunningServer {
  pid: number;
  port: number;
  baseUrl: string;
  ready: ReadyMessage;
  /** Resident set size of the server process now, in bytes (VmRSS of /proc/<pid>/status). */
  rss(): number;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface ServerLaunch {
  script: string;
  args: string[];
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Seconds to wait for the ready line (seeding a database can take long). */
  startTimeout?: number;
}

/** Starts a server script and resolves once it printed its ready line. */
export function startServer(launch: ServerLaunch): Promise<RunningServer> {
  const child = spawn(process.execPath, [...(launch.nodeFlags ?? []), launch.script, ...launch.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...launch.env },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    // oidc-provider warns about the Node version on every start; keep the rest.
    if (!text.includes('is not a supported Node.js version')) stderr.push(text);
    if (stderr.length > 200) stderr.shift();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`${launch.script} did not become ready in ${launch.startTimeout ?? 60} s\n${stderr.join('')}`));
      },
      (launch.startTimeout ?? 60) * 1000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${launch.script} ${launch.args.join(' ')} exited with ${code} before it was ready\n${stderr.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(READY_MARKER)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const ready = JSON.parse(line.slice(READY_MARKER.length)) as ReadyMessage;
      resolve(wrap(child, ready, stderr));
    });
  });
}

function wrap(child: ChildProcess, ready: ReadyMessage, stderr: string[]): RunningServer {
  const pid = child.pid!;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    pid,
    port: ready.port,
    baseUrl: `http://127.0.0.1:${ready.port}`,
    ready,
    rss: () => readRss(pid),
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      if (stderr.some((line) => /error/i.test(line))) process.stderr.write(stderr.join(''));
    },
  };
}

/** VmRSS of a process in bytes, or 0 when it is gone. Linux only, as the bench is. */
export function readRss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on every Linux the bench targets. */
const CLOCK_TICKS = 100;

/** Samples a process's RSS every `intervalMs` until stopped; resolves the peak and the median. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): { peak: number; median: number } } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(readRss(pid)), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(readRss(pid));
      const sorted = samples.filter((s) => s > 0).sort((a, b) => a - b);
      return { peak: sorted.at(-1) ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
    },
  };
}
