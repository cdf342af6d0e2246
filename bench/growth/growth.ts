import { request } from 'node:http';
import { join } from 'node:path';
import { loadProblem, runLoad, type LoadResult } from '../harness/load';
import type { BenchOptions } from '../harness/options';
import { proveScenario } from '../harness/proof';
import { prepareLoad } from '../harness/scenarios';
import { startServer, type RunningServer } from '../harness/server-process';
import type { TargetResult } from '../harness/targets';
import { seedTokenRows, type GrowthRows } from './seed';

/** What `--growth` writes to bench/growth-results.json (and results.md includes). */
export interface GrowthResult {
  targets: TargetResult[];
  markdown: string;
  failed: boolean;
}

interface StoreGrowth {
  store: 'sqlite' | 'postgres';
  baseline: LoadResult;
  grown: LoadResult;
  pruning: { rps: number; p99: number; segments: number; stalls: number; deleted: number; batches: number; ms: number };
  seedMs: number;
}

const ROWS: GrowthRows = { live: 1_000_000, expired: 1_000_000 };
const CONNECTIONS = 50;
const log = (line: string) => console.log(`[growth ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * The growth scenario (opt-in: `npm run bench -- --growth`): on SQLite and on PostgreSQL, the guarded
 * GET (Express, cache off, so every request reaches the table) is measured with the 1,000 rows the
 * server seeded, then again after bulk-seeding 1,000,000 live and 1,000,000 expired rows, then while
 * the expired rows are purged in batches (at most 1,000, sized to about 3 ms each, paced) by the library's `OAuthPurgeService.run()` (what its `purgeInterval` timer runs).
 */
export async function runGrowth(distDir: string, options: BenchOptions): Promise<GrowthResult> {
  const rows: GrowthRows = options.quick ? { live: 100_000, expired: 100_000 } : ROWS;
  const results: StoreGrowth[] = [];
  const failures: string[] = [];
  for (const store of ['sqlite', 'postgres'] as const) {
    log(`${store}: starting the server`);
    const server = await startServer({
      script: join(distDir, 'servers', 'ours', 'main.js'),
      args: ['--adapter', 'express', '--store', store, '--cache', 'off'],
      startTimeout: 180,
    });
    try {
      results.push(await growOne(server, store, rows, options));
    } catch (error) {
      failures.push(`${store}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${store}: FAILED: ${failures.at(-1)}`);
    } finally {
      await server.stop();
    }
  }
  return { targets: growthTargets(results), markdown: growthMarkdown(results, rows, failures, options), failed: failures.length > 0 };
}

async function growOne(server: RunningServer, store: 'sqlite' | 'postgres', rows: GrowthRows, options: BenchOptions): Promise<StoreGrowth> {
  const database = server.ready.fixtures.database;
  if (!database) throw new Error('the server did not say where its database is');
  const measure = async (label: string, warmup: number) => {
    await proveScenario('get', server, true);
    const load = await prepareLoad('get', server, { seconds: 0, pairsPerSecond: 0 });
    await checked(
      runLoad({ url: server.baseUrl, connections: CONNECTIONS, duration: warmup, requests: load.requests }).result,
      `${label} warm-up`,
    );
    const result = await checked(
      runLoad({ url: server.baseUrl, connections: CONNECTIONS, duration: options.duration, requests: load.requests }).result,
      label,
    );
    log(`${store} ${label}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    return result;
  };

  // The first load also warms the JIT up from a cold start: give it twice the warm-up.
  const baseline = await measure('1,000 rows', options.warmup * 2);
  log(`${store}: seeding ${rows.live} live + ${rows.expired} expired rows`);
  const seedMs = await seedTokenRows(database, rows);
  log(`${store}: seeded in ${(seedMs / 1000).toFixed(0)} s`);
  const grown = await measure(`${(rows.live + rows.expired).toLocaleString('en')} more rows`, options.warmup);

  // Pruning under load: the purge runs in the server process; the GET load goes on in segments until it is done.
  const load = await prepareLoad('get', server, { seconds: 0, pairsPerSecond: 0 });
  let purgeDone = false;
  const purge = postJson<{ deleted: number; batches: number; ms: number }>(server.baseUrl + server.ready.fixtures.purgePath!, {
    batchSize: 1000,
  }).finally(() => (purgeDone = true));
  purge.catch(() => undefined); // awaited below, after the load segments
  const segments: LoadResult[] = [];
  let stalls = 0;
  while (!purgeDone && segments.length < 30) {
    const segment = await runLoad({ url: server.baseUrl, connections: CONNECTIONS, duration: options.duration, requests: load.requests })
      .result;
    if (segment.non2xx) throw new Error(`during pruning: ${loadProblem(segment)}`);
    // A segment in which requests stalled (none completed, or some timed out after autocannon's 10 s)
    // counts with a p99 of at least its whole length: the event loop was not serving the API.
    if (segment.total === 0 || segment.timeouts || segment.errors) {
      stalls++;
      segment.p99 = Math.max(segment.p99 || 0, options.duration * 1000);
    }
    segments.push(segment);
    log(
      `${store} while pruning: ${segment.rps.toFixed(0)} req/s, p99 ${segment.p99} ms${segment.total === 0 ? ' (no request completed)' : ''}`,
    );
  }
  const purged = await purge;
  if (purged.deleted < rows.expired) throw new Error(`the purge deleted ${purged.deleted} rows, expected ${rows.expired}`);
  log(`${store}: purged ${purged.deleted} rows in ${purged.batches} batches, ${(purged.ms / 1000).toFixed(1)} s`);
  return {
    store,
    baseline,
    grown,
    seedMs,
    pruning: {
      rps: segments.reduce((sum, s) => sum + s.rps, 0) / segments.length,
      p99: Math.max(...segments.map((s) => s.p99)),
      segments: segments.length,
      stalls,
      ...purged,
    },
  };
}

async function checked(result: Promise<LoadResult>, label: string): Promise<LoadResult> {
  const r = await result;
  const problem = loadProblem(r);
  if (problem) throw new Error(`${label}: ${problem}`);
  return r;
}

function growthTargets(results: StoreGrowth[]): TargetResult[] {
  const byStore = (store: string) => results.find((r) => r.store === store);
  const targets: TargetResult[] = [];
  for (const store of ['sqlite', 'postgres'] as const) {
    const r = byStore(store);
    const name = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const ratio = r ? r.grown.rps / r.baseline.rps : undefined;
    targets.push({
      target: `Growth (${name}): guarded GET with 1M live + 1M expired rows vs 1,000 rows`,
      ratios: { [CONNECTIONS]: ratio },
      goal: '≥ 0.90×',
      verdict: ratio === undefined ? 'not measured' : ratio >= 0.9 ? 'met' : 'missed',
    });
    const p99 = r ? r.pruning.p99 / r.baseline.p99 : undefined;
    targets.push({
      target: `Growth (${name}): p99 while purging the expired rows in batches vs 1,000-row p99`,
      ratios: { [CONNECTIONS]: p99 },
      goal: '≤ 2×',
      verdict: p99 === undefined ? 'not measured' : p99 <= 2 ? 'met' : 'missed',
      detail: r
        ? `${r.baseline.p99} → ${r.pruning.p99} ms${r.pruning.stalls ? `, the API stalled in ${r.pruning.stalls} of ${r.pruning.segments} segments` : ''}`
        : undefined,
    });
  }
  return targets;
}

function growthMarkdown(results: StoreGrowth[], rows: GrowthRows, failures: string[], options: BenchOptions): string {
  const out = [
    '## Growth',
    '',
    `Run with \`npm run bench -- --growth\`${options.quick ? ' --quick (100,000 + 100,000 rows)' : ''} on ${new Date().toISOString().slice(0, 10)}: ` +
      `ours on Express, bearer cache off, ${CONNECTIONS} connections, warm-up ${options.warmup} s, ${options.duration} s measured, one round. ` +
      `${rows.live.toLocaleString('en')} live and ${rows.expired.toLocaleString('en')} expired token rows are bulk-seeded by SQL beside the 1,000 ` +
      'the server created through `TokenStore.save`; then the expired rows are purged in batches of at most 1,000, sized to take about 3 ms each and paced, by `OAuthPurgeService.run()` ' +
      'in the server process while the load goes on, in segments until the purge is done (p99 below is the worst segment; a segment where requests stalled counts as its whole length).',
    '',
    '| store | req/s, 1,000 rows | p99 | req/s, grown | p99 | ratio | req/s while purging | worst p99 | purge | seeding |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const r of results) {
    out.push(
      `| ${r.store} | ${r.baseline.rps.toFixed(0)} | ${r.baseline.p99} ms | ${r.grown.rps.toFixed(0)} | ${r.grown.p99} ms | ${(r.grown.rps / r.baseline.rps).toFixed(2)}× | ` +
        `${r.pruning.rps.toFixed(0)} | ${r.pruning.p99} ms | ${r.pruning.deleted.toLocaleString('en')} rows, ${r.pruning.batches} batches, ${(r.pruning.ms / 1000).toFixed(1)} s | ${(r.seedMs / 1000).toFixed(0)} s |`,
    );
  }
  for (const f of failures) out.push('', `Failed: ${f}`);
  return out.join('\n');
}

/** A JSON POST without fetch's 300 s header timeout: a paced purge of a million rows takes longer. */
function postJson<T>(url: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(`purge answered ${res.statusCode}: ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
