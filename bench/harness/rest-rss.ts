import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVERS, type ServerSpec } from './matrix';
import type { BenchOptions } from './options';
import { readRss, startServer } from './server-process';
import { median } from './stats';

/**
 * Resident memory at rest: the bare Nest route, ours on memory stores (a host that never loads
 * TypeORM; the server refuses to start if it did) and, for comparison, ours on TypeORM/SQLite.
 * All on Express with the bearer cache off, so nothing the traffic left behind is held on purpose.
 */
export const REST_SERVER_IDS = ['bare-express', 'ours-express-memory-cache-off', 'ours-express-sqlite-cache-off'];
/** What each of them stands for in the tables. */
export const REST_LABELS: Record<string, string> = {
  'bare-express': 'bare Nest route, Express',
  'ours-express-memory-cache-off': 'ours, Express, memory stores (no TypeORM loaded)',
  'ours-express-sqlite-cache-off': 'ours, Express, TypeORM on SQLite',
};
/** The denominator of every ratio. */
export const REST_BARE_ID = 'bare-express';

/** GETs after boot, so the routes, the guard and the JIT's first tiers have run once. */
const WARMUP_REQUESTS = 20;
/** Seconds left idle after the warm-up before reading, so the sockets close and a GC can run. */
const SETTLE_SECONDS = 5;
/** Readings per process, one second apart; the process's figure is their median. */
const READINGS = 3;

/** Per server id, one figure per round (bytes): the median of that round's readings. */
export type RestRss = Record<string, number[]>;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * Starts each server once per round, warms it up with a few GETs, lets it settle, then reads VmRSS
 * of its process three times. Failures are recorded by server id.
 */
export async function measureRestRss(
  options: BenchOptions,
  distDir: string,
): Promise<{ restRss: RestRss; failures: Record<string, string>; servers: ServerSpec[] }> {
  const servers = SERVERS.filter(
    (s) => REST_SERVER_IDS.includes(s.id) && (!options.servers || s.id === REST_BARE_ID || options.servers.some((f) => s.id.includes(f))),
  );
  const restRss: RestRss = {};
  const failures: Record<string, string> = {};
  log(`RSS at rest: ${servers.length} servers, ${options.rounds} round(s), about ${Math.ceil(servers.length * options.rounds * 9)} s`);
  for (let round = 1; round <= options.rounds; round++) {
    for (const spec of servers) {
      const key = `${spec.id}/rest-rss`;
      if (failures[key]) continue;
      try {
        const figure = await measureOne(spec, distDir);
        (restRss[spec.id] ??= []).push(figure);
        log(
          `round ${round}/${options.rounds}: ${REST_LABELS[spec.id]}: RSS at rest ${(figure / 2 ** 20).toFixed(1)} MB (load average ${loadavg()[0].toFixed(1)})`,
        );
      } catch (error) {
        failures[key] = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' | ');
        log(`round ${round}/${options.rounds}: ${REST_LABELS[spec.id]}: FAILED: ${failures[key]}`);
      }
    }
  }
  return { restRss, failures, servers };
}

async function measureOne(spec: ServerSpec, distDir: string): Promise<number> {
  const server = await startServer({ script: join(distDir, 'servers', spec.script), args: spec.args, startTimeout: 180 });
  try {
    const token = server.ready.fixtures.bearerTokens?.[0];
    for (let i = 0; i < WARMUP_REQUESTS; i++) {
      const response = await fetch(server.baseUrl + server.ready.fixtures.getPath, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`warm-up GET answered ${response.status}`);
    }
    await sleep(SETTLE_SECONDS * 1000);
    const readings: number[] = [];
    for (let i = 0; i < READINGS; i++) {
      if (i) await sleep(1000);
      const rss = readRss(server.pid);
      if (!rss) throw new Error('the server process is gone');
      readings.push(rss);
    }
    return median(readings);
  } finally {
    await server.stop();
  }
}

/** Median over rounds per server, and its ratio to the bare route's. */
export function summarizeRestRss(restRss: RestRss | undefined): { id: string; label: string; mb: number; ratio?: number }[] {
  if (!restRss) return [];
  const bare = restRss[REST_BARE_ID]?.length ? median(restRss[REST_BARE_ID]) : undefined;
  return REST_SERVER_IDS.filter((id) => restRss[id]?.length).map((id) => {
    const rss = median(restRss[id]);
    return { id, label: REST_LABELS[id], mb: rss / 2 ** 20, ratio: bare ? rss / bare : undefined };
  });
}
