import autocannon from 'autocannon';

/** One autocannon request description (static, or built per request by `setupRequest`). */
export type LoadRequest = autocannon.Request;

/** What one measured load produced. */
export interface LoadResult {
  /** Mean requests per second over the measured seconds. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Status codes seen that were not 2xx, e.g. `{ "401": 3 }`. */
  badStatuses: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  requests: LoadRequest[];
}

/** Runs one autocannon load from this process and resolves its figures. */
export function runLoad(options: LoadOptions): { result: Promise<LoadResult>; stop(): void } {
  let instance: autocannon.Instance | undefined;
  const result = new Promise<LoadResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        pipelining: 1,
        requests: options.requests,
      },
      (error, raw) => {
        if (error) return reject(error);
        const statuses = (raw as any).statusCodeStats as Record<string, { count: number }> | undefined;
        const badStatuses: Record<string, number> = {};
        for (const [code, stat] of Object.entries(statuses ?? {})) if (!code.startsWith('2')) badStatuses[code] = stat.count;
        resolve({
          rps: raw.requests.average,
          p50: raw.latency.p50,
          p99: raw.latency.p99,
          total: raw.requests.total,
          non2xx: raw.non2xx,
          errors: raw.errors,
          timeouts: raw.timeouts,
          badStatuses,
        });
      },
    );
  });
  return { result, stop: () => (instance as any)?.stop() };
}

/** Why a load failed the run, or undefined when every response was 2xx. */
export function loadProblem(result: LoadResult): string | undefined {
  if (result.total === 0) return 'no request completed';
  if (result.non2xx || result.errors || result.timeouts) {
    return `${result.non2xx} non-2xx (${JSON.stringify(result.badStatuses)}), ${result.errors} errors, ${result.timeouts} timeouts out of ${result.total}`;
  }
  return undefined;
}
