/** The median of the finite values, or NaN when there are none. */
export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One measured load of one round. */
export interface Measurement {
  server: string;
  scenario: string;
  connections: number;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  /** Peak server RSS during the measured seconds, bytes. */
  rss: number;
  /** Server CPU time (user + system) per completed request, microseconds: robust to other work on the machine. */
  cpuUs?: number;
  /** The machine's 1-minute load average when the load ended (other work on the machine shows here). */
  load1?: number;
}

/** The medians over rounds of one (server, scenario, connections). */
export interface Summary {
  rps: number;
  cpuUs: number;
  p50: number;
  p99: number;
  rss: number;
  rounds: number;
}

export function summarize(measurements: Measurement[], server: string, scenario: string, connections: number): Summary | undefined {
  const mine = measurements.filter((m) => m.server === server && m.scenario === scenario && m.connections === connections);
  if (!mine.length) return undefined;
  return {
    rps: median(mine.map((m) => m.rps)),
    cpuUs: median(mine.map((m) => m.cpuUs ?? NaN)),
    p50: median(mine.map((m) => m.p50)),
    p99: median(mine.map((m) => m.p99)),
    rss: median(mine.map((m) => m.rss)),
    rounds: mine.length,
  };
}
