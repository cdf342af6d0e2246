import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadProblem, runLoad } from './load';
import type { ServerSpec } from './matrix';
import type { BenchOptions } from './options';
import { proveScenario, tokenRows } from './proof';
import { rawVerifyMicros } from './raw-verify';
import { prepareLoad, type ScenarioId } from './scenarios';
import { readCpuMs, sampleRss, startServer, type RunningServer } from './server-process';
import type { Measurement } from './stats';

/** Everything a run produced: figures per round, and what failed and why. */
export interface RunRecord {
  options: BenchOptions;
  startedAt: string;
  finishedAt?: string;
  measurements: Measurement[];
  /** `server/scenario` → why it failed (a non-2xx response, a failed proof, a crash). */
  failures: Record<string, string>;
  servers: ServerSpec[];
  /** Notes the servers reported (versions, settings), by server id. */
  serverNotes: Record<string, string>;
  /** RSS of each server right after it was ready, before any load, per round (bytes). */
  idleRss?: Record<string, number[]>;
  /** RSS at rest after a short warm-up, per server id, one figure per round (bytes); see rest-rss.ts. */
  restRss?: Record<string, number[]>;
  /** CPU µs of one raw ES256 `crypto.verify` in the bench process, one reading per round (see raw-verify.ts). */
  rawVerifyUs?: number[];
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * Runs the rounds: in each round every server is started in its own process, proved, warmed up and
 * loaded once per scenario and connection count, one load at a time, then stopped. Servers are
 * interleaved (A B C, A B C, …) so a slow drift of the machine spreads over all of them.
 */
export async function runRounds(servers: ServerSpec[], options: BenchOptions, distDir: string): Promise<RunRecord> {
  const record: RunRecord = { options, startedAt: new Date().toISOString(), measurements: [], failures: {}, servers, serverNotes: {} };
  const profileDir = join(distDir, '..', '..', 'bench', '.tmp', 'profiles');
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const pairRate = new Map<string, number>();
  const loads = servers.reduce(
    (n, s) =>
      n +
      s.scenarios.filter((x) => (!options.only || options.only.includes(x)) && (options.all || !s.extendedScenarios?.includes(x))).length,
    0,
  );
  const perRound = loads * (options.warmup + options.duration * options.connections.length + 1.5) + servers.length * 4;
  log(
    `${servers.length} servers, ${loads} loads per round, ${options.rounds} round(s): about ${Math.ceil((perRound * options.rounds) / 60)} min`,
  );

  const jwtGets = servers.some(
    (s) => s.args.includes('jwt') && s.scenarios.includes('get') && (!options.only || options.only.includes('get')),
  );
  for (let round = 1; round <= options.rounds; round++) {
    if (jwtGets) {
      // Between loads, so the loop has the cores the servers had: the yardstick of the JWT-verifying GET.
      (record.rawVerifyUs ??= []).push(rawVerifyMicros());
      log(`round ${round}/${options.rounds}: one raw ES256 crypto.verify costs ${record.rawVerifyUs.at(-1)!.toFixed(1)} µs of CPU`);
    }
    for (const spec of servers) {
      const scenarios = spec.scenarios.filter(
        (s) =>
          (!options.only || options.only.includes(s)) &&
          (options.all || !spec.extendedScenarios?.includes(s)) &&
          !record.failures[`${spec.id}/${s}`],
      );
      if (!scenarios.length) continue;
      log(`round ${round}/${options.rounds}: ${spec.label}`);
      let server: RunningServer;
      try {
        server = await startServer({
          script: join(distDir, 'servers', spec.script),
          args: spec.args,
          nodeFlags: options.profile && spec.kind === 'ours' ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, spec.id)] : [],
          startTimeout: 180,
        });
      } catch (error) {
        for (const s of scenarios) record.failures[`${spec.id}/${s}`] = `server did not start: ${firstLine(error)}`;
        log(`  FAILED to start: ${firstLine(error)}`);
        continue;
      }
      if (server.ready.fixtures.notes) record.serverNotes[spec.id] = server.ready.fixtures.notes;
      (record.idleRss ??= {})[spec.id] = [...(record.idleRss[spec.id] ?? []), server.rss()];
      try {
        for (const scenario of scenarios) {
          try {
            await runScenario(spec, scenario, server, round, options, record, pairRate);
          } catch (error) {
            record.failures[`${spec.id}/${scenario}`] = firstLine(error);
            log(`  ${scenario}: FAILED: ${firstLine(error)}`);
          }
        }
      } finally {
        await server.stop();
      }
    }
  }
  record.finishedAt = new Date().toISOString();
  return record;
}

async function runScenario(
  spec: ServerSpec,
  scenario: ScenarioId,
  server: RunningServer,
  round: number,
  options: BenchOptions,
  record: RunRecord,
  pairRate: Map<string, number>,
): Promise<void> {
  // A server without the GET scenario (the JWT-issuing peer) has no guarded route to prove its tokens on.
  const rows = await proveScenario(scenario, server, spec.kind !== 'bare' && spec.scenarios.includes('get'));
  const key = `${spec.id}/${scenario}`;
  const url = server.baseUrl;

  // Warm-up: the JIT, the connection pools and the caches settle; its figures are thrown away, but
  // its responses must be 2xx too.
  const warm = await prepareLoad(scenario, server, { seconds: options.warmup, pairsPerSecond: pairRate.get(key) ?? 400 });
  const warmup = await runLoad({ url, connections: Math.max(...options.connections), duration: options.warmup, requests: warm.requests })
    .result;
  const warmProblem = loadProblem(warmup);
  if (warmProblem && !warm.exhausted()) throw new Error(`warm-up: ${warmProblem}`);
  if (!pairRate.has(key)) pairRate.set(key, warmup.rps / 2);

  for (const connections of options.connections) {
    let attempt = 0;
    for (;;) {
      const prepared = await prepareLoad(scenario, server, { seconds: options.duration, pairsPerSecond: pairRate.get(key)! });
      const rss = sampleRss(server.pid);
      const cpuBefore = readCpuMs(server.pid);
      const result = await runLoad({ url, connections, duration: options.duration, requests: prepared.requests }).result;
      const peak = rss.stop().peak;
      const cpuUs = ((readCpuMs(server.pid) - cpuBefore) * 1000) / Math.max(result.total, 1);
      if (prepared.exhausted()) {
        // Too few pre-minted codes for this machine's speed: mint more and measure again.
        pairRate.set(key, Math.max(pairRate.get(key)!, result.rps / 2) * 2);
        if (++attempt < 3) continue;
        throw new Error('ran out of pre-minted authorization codes three times');
      }
      const problem = loadProblem(result);
      if (problem) throw new Error(`${connections} connections: ${problem}`);
      pairRate.set(key, Math.max(pairRate.get(key)!, result.rps / 2));
      record.measurements.push({
        server: spec.id,
        scenario,
        connections,
        round,
        rps: result.rps,
        p50: result.p50,
        p99: result.p99,
        rss: peak,
        cpuUs,
        load1: loadavg()[0],
      });
      log(
        `  ${scenario.padEnd(10)} ${String(connections).padStart(3)} conns: ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  RSS ${(peak / 2 ** 20).toFixed(0)} MB  CPU ${cpuUs.toFixed(0)} µs/req`,
      );
      break;
    }
  }
  if (scenario === 'token' && rows !== undefined && server.ready.fixtures.accessTokenFormat === 'jwt') {
    const after = await tokenRows(server);
    if (after !== rows) throw new Error(`the JWT issuance load wrote ${after! - rows} token rows, expected none`);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').slice(0, 3).join(' | ');
}
