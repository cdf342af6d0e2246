// `npm run bench`: side-by-side benchmarks of the library against bare Nest routes and the peers.
// See the README section "Benchmarks" and bench/results.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGrowth } from './growth/growth';
import { machineFacts } from './harness/machine';
import { SERVERS } from './harness/matrix';
import { isFullRun, parseOptions } from './harness/options';
import { renderConsole, renderReport } from './harness/report';
import { measureRestRss } from './harness/rest-rss';
import { runRounds, type RunRecord } from './harness/runner';
import { evaluateTargets, type TargetResult } from './harness/targets';

const distDir = __dirname; // dist/bench
const root = join(distDir, '..', '..');
const benchDir = join(root, 'bench');
const tmpDir = join(benchDir, '.tmp');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(tmpDir, { recursive: true });
  const growthFile = join(benchDir, 'growth-results.json');

  if (options.growth) {
    const growth = await runGrowth(distDir, options);
    writeFileSync(growthFile, JSON.stringify(growth, null, 2) + '\n');
    console.log(growth.markdown);
    if (growth.failed) process.exitCode = 1;
    return;
  }

  // Only the full protocol's figures are kept for --report-only; any other run must not overwrite them.
  const lastRun = join(tmpDir, isFullRun(options) ? 'last-run.json' : 'last-partial-run.json');
  let record: RunRecord;
  if (options.reportOnly) {
    record = JSON.parse(readFileSync(join(tmpDir, 'last-run.json'), 'utf8')) as RunRecord;
  } else if (options.rss) {
    const startedAt = new Date().toISOString();
    const rest = await measureRestRss(options, distDir);
    record = {
      options,
      startedAt,
      measurements: [],
      failures: rest.failures,
      servers: rest.servers,
      serverNotes: {},
      restRss: rest.restRss,
    };
    record.finishedAt = new Date().toISOString();
    writeFileSync(lastRun, JSON.stringify(record, null, 2));
  } else {
    const servers = SERVERS.filter(
      (s) => (options.all || !s.extended || options.servers) && (!options.servers || options.servers.some((f) => s.id.includes(f))),
    );
    record = await runRounds(servers, options, distDir);
    // Part of every run of the whole matrix; a run narrowed to some scenarios or servers skips it.
    if (!options.only && !options.servers) {
      const rest = await measureRestRss(options, distDir);
      record.restRss = rest.restRss;
      Object.assign(record.failures, rest.failures);
      record.finishedAt = new Date().toISOString();
    }
    writeFileSync(lastRun, JSON.stringify(record, null, 2));
  }

  const growth = existsSync(growthFile)
    ? (JSON.parse(readFileSync(growthFile, 'utf8')) as { targets: TargetResult[]; markdown: string })
    : undefined;
  // The --rss run loads nothing, so it has no target to judge.
  const targets = record.options.rss ? [] : evaluateTargets(record, growth?.targets);
  console.log('\n' + renderConsole(record, targets));

  const full = isFullRun(record.options);
  const out = options.out ?? (full ? join(benchDir, 'results.md') : join(tmpDir, 'results-partial.md'));
  writeFileSync(
    out,
    renderReport({
      record,
      targets,
      machine: await machineFacts(root),
      // The analysis and the growth figures belong with the loads, which a --rss run has none of.
      growth: record.options.rss ? undefined : growth?.markdown,
      analysisFile: record.options.rss ? undefined : join(benchDir, 'analysis.md'),
    }),
  );
  console.log(`\nreport written to ${out}${full ? '' : ' (bench/results.md is written by the full run only)'}`);
  if (Object.keys(record.failures).length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
