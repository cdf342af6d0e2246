import type { ScenarioId } from './scenarios';

/** Command-line options of `npm run bench -- …`. */
export interface BenchOptions {
  warmup: number;
  duration: number;
  connections: number[];
  rounds: number;
  only?: ScenarioId[];
  /** Substrings of server ids to keep. */
  servers?: string[];
  /** Include the extended server configurations. */
  all: boolean;
  /** Start our servers under `node --cpu-prof` (profiles land in bench/.tmp/profiles). */
  profile: boolean;
  growth: boolean;
  /** Only the resident memory at rest (after a short warm-up) of the bare route and ours, without loads. */
  rss: boolean;
  /** Rebuild the report from the last run's figures without loading anything. */
  reportOnly: boolean;
  /** Where the report goes; the full run writes bench/results.md. */
  out?: string;
  quick: boolean;
}

const USAGE = `npm run bench -- [--quick] [--only get,token,introspect,code] [--servers ours-express,bare]
                    [--all] [--rounds N] [--warmup S] [--duration S] [--connections 50,10]
                    [--profile] [--growth] [--rss] [--report-only] [--out FILE]`;

/** Parses argv; `--quick` is 1 s warm-up, 3 s measured, one round. */
export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    warmup: 3,
    duration: 10,
    connections: [50, 10],
    rounds: 3,
    all: false,
    profile: false,
    growth: false,
    rss: false,
    reportOnly: false,
    quick: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--quick':
        Object.assign(options, { warmup: 1, duration: 3, rounds: 1, quick: true });
        break;
      case '--only':
        options.only = value().split(',') as ScenarioId[];
        break;
      case '--servers':
        options.servers = value().split(',');
        break;
      case '--all':
        options.all = true;
        break;
      case '--rounds':
        options.rounds = Number(value());
        break;
      case '--warmup':
        options.warmup = Number(value());
        break;
      case '--duration':
        options.duration = Number(value());
        break;
      case '--connections':
        options.connections = value().split(',').map(Number);
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--growth':
        options.growth = true;
        break;
      case '--rss':
        options.rss = true;
        break;
      case '--report-only':
        options.reportOnly = true;
        break;
      case '--out':
        options.out = value();
        break;
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  for (const id of options.only ?? []) {
    if (!['get', 'token', 'introspect', 'code'].includes(id)) throw new Error(`unknown scenario ${id}\n${USAGE}`);
  }
  return options;
}

/** True when these options are the full protocol, the only run allowed to write bench/results.md. */
export function isFullRun(o: BenchOptions): boolean {
  return (
    o.warmup >= 3 &&
    o.duration >= 10 &&
    o.rounds >= 3 &&
    o.connections.includes(50) &&
    o.connections.includes(10) &&
    !o.only &&
    !o.servers &&
    !o.profile &&
    !o.rss
  );
}
