// Summarizes `node --cpu-prof` output: the frames with the most self time, and the library's share.
//   node dist/bench/profile-summary.js bench/.tmp/profiles/<server-id>/*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const topIndex = argv.indexOf('--top');
const top = topIndex >= 0 ? Number(argv[topIndex + 1]) : 25;
const files = argv.filter((a, i) => a.endsWith('.cpuprofile') && argv[i - 1] !== '--top');
if (!files.length) {
  console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile>… [--top N]');
  process.exit(1);
}

const selfMs = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    byArea.set(area(url, functionName), (byArea.get(area(url, functionName)) ?? 0) + ms);
  });
}

const pct = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
console.log(`${files.length} profile(s), ${(total / 1000).toFixed(1)} s sampled\n\nself time by area:`);
for (const [name, ms] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(ms)}  ${name}`);
console.log(`\ntop ${top} frames by self time:`);
for (const [name, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(ms)}  ${name}`);

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  return nm >= 0 ? path.slice(nm + 'node_modules/'.length) : relative(process.cwd(), path);
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('libs/oauth2/dist')) return 'nest-oauth2-provider';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/bench/')) return 'bench app';
  return 'other';
}
