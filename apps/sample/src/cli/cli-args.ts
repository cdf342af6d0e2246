import { parseArgs } from 'node:util';

/** A CLI mistake: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The options every command understands (each command checks which apply to it). */
const OPTIONS = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  'grant-types': { type: 'string', multiple: true },
  public: { type: 'boolean' },
  'application-type': { type: 'string' },
  introspect: { type: 'boolean' },
  resource: { type: 'string', multiple: true },
  'default-resource': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** A parsed command line. */
export interface CliArgs {
  command: string;
  positionals: string[];
  values: {
    name?: string;
    'redirect-uri'?: string[];
    scope?: string[];
    'grant-types'?: string[];
    public?: boolean;
    'application-type'?: string;
    introspect?: boolean;
    resource?: string[];
    'default-resource'?: string;
    json?: boolean;
    help?: boolean;
  };
}

/** Which options each command takes; anything else is a usage error. */
const ALLOWED: Record<string, OptionName[]> = {
  'clients create': [
    'name',
    'redirect-uri',
    'scope',
    'grant-types',
    'public',
    'application-type',
    'introspect',
    'resource',
    'default-resource',
    'json',
  ],
  'clients list': ['json'],
  'clients show': ['json'],
  'clients delete': ['json'],
  'clients rotate-secret': ['json'],
  'tokens purge': ['json'],
};

/** The number of positional arguments (after the command) each command takes. */
const POSITIONALS: Record<string, number> = {
  'clients create': 0,
  'clients list': 0,
  'clients show': 1,
  'clients delete': 1,
  'clients rotate-secret': 1,
  'tokens purge': 0,
};

export const USAGE = `Usage: npm run --silent oauth -- <command> [options]

  clients create --name NAME --redirect-uri URI [--redirect-uri URI2]
                 [--scope "profile offline_access"] [--public]
                 [--application-type web|native] [--grant-types client_credentials]
                 [--introspect] [--resource URI [--resource URI2]]
                 [--default-resource URI] [--json]
  clients list [--json]
  clients show ID [--json]
  clients delete ID [--json]
  clients rotate-secret ID [--json]
  tokens purge [--json]

--resource limits the client to those APIs (RFC 8707 resource identifiers, each
repeated, never split); without it the client may use every configured one.
--default-resource is what its requests get when they name no resource.

The database is DATABASE_URL (default sqlite:data/sample.sqlite); pending migrations are applied first.`;

/** Parses argv (without node and the script) with node's util.parseArgs, strictly. */
export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs's messages are one sentence, e.g. "Unknown option '--nmae'".
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, ''));
  }
  const [group, action, ...rest] = parsed.positionals;
  const command = [group, action].filter(Boolean).join(' ');
  if (parsed.values.help || !command) return { command: 'help', positionals: [], values: parsed.values };
  if (!(command in ALLOWED)) throw new UsageError(`unknown command "${command}" (run with --help for the list)`);
  const extra = Object.keys(parsed.values).filter((option) => !ALLOWED[command].includes(option as OptionName));
  if (extra.length) throw new UsageError(`"${command}" does not take --${extra[0]}`);
  if (rest.length !== POSITIONALS[command]) {
    throw new UsageError(POSITIONALS[command] ? `"${command}" needs a client id` : `unexpected argument "${rest[0]}"`);
  }
  return { command, positionals: rest, values: parsed.values };
}

/** Splits repeated and space- or comma-separated values: `--scope "a b" --scope c` → [a, b, c]. */
export function listOption(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}
