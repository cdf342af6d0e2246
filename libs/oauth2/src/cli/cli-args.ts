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
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'subject-type': { type: 'string' },
  'sector-identifier-uri': { type: 'string' },
  'id-token-signed-response-alg': { type: 'string' },
  overlap: { type: 'string' },
  'expires-in': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  config: { type: 'string' },
  'data-source': { type: 'string' },
  migrate: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Where the database and the server's settings come from: every command takes these. */
const GLOBAL: OptionName[] = ['config', 'data-source', 'migrate', 'json'];

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
    'post-logout-redirect-uri'?: string[];
    'subject-type'?: string;
    'sector-identifier-uri'?: string;
    'id-token-signed-response-alg'?: string;
    overlap?: string;
    'expires-in'?: string;
    json?: boolean;
    help?: boolean;
    config?: string;
    'data-source'?: string;
    migrate?: boolean;
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
    'post-logout-redirect-uri',
    'subject-type',
    'sector-identifier-uri',
    'id-token-signed-response-alg',
  ],
  'clients list': [],
  'clients show': [],
  'clients delete': [],
  'clients rotate-secret': ['overlap'],
  'tokens purge': [],
  'keys list': [],
  'keys rotate': [],
  'registration-tokens create': ['expires-in'],
  'registration-tokens list': [],
  'registration-tokens revoke': [],
};

/** The number of positional arguments (after the command) each command takes. */
const POSITIONALS: Record<string, number> = {
  'clients create': 0,
  'clients list': 0,
  'clients show': 1,
  'clients delete': 1,
  'clients rotate-secret': 1,
  'tokens purge': 0,
  'keys list': 0,
  'keys rotate': 0,
  'registration-tokens create': 0,
  'registration-tokens list': 0,
  'registration-tokens revoke': 1,
};

export const USAGE = `Usage: nest-oauth2 <command> [options]

  clients create --name NAME --redirect-uri URI [--redirect-uri URI2]
                 [--scope "profile offline_access"] [--public]
                 [--application-type web|native] [--grant-types client_credentials]
                 [--introspect] [--resource URI [--resource URI2]]
                 [--default-resource URI] [--post-logout-redirect-uri URI ...]
                 [--subject-type public|pairwise] [--sector-identifier-uri URI]
                 [--id-token-signed-response-alg RS256|ES256|EdDSA] [--json]
  clients list [--json]
  clients show ID [--json]
  clients delete ID [--json]
  clients rotate-secret ID [--overlap SECONDS] [--json]
  tokens purge [--json]
  keys list [--json]
  keys rotate [--json]
  registration-tokens create [--expires-in SECONDS] [--json]
  registration-tokens list [--json]
  registration-tokens revoke ID [--json]

keys rotate promotes the next JWT signing key once it has been published for
jwt.jwksMaxAge + jwt.keyRefreshInterval seconds, retires the old one (published
until its last token expires) and publishes a new next key. Too early, it changes
nothing, prints when the next key may sign and exits 3. It needs --config, with
the server's jwt.keyEncryptionKey.

--resource limits the client to those APIs (RFC 8707 resource identifiers, each
repeated, never split); without it the client may use every configured one.
--default-resource is what its requests get when they name no resource.

OpenID Connect clients (the server's openid option must be on):
--post-logout-redirect-uri (repeatable) is where RP-initiated logout may return
the user, under the redirect URI rules. --subject-type pairwise gives the client
its own sub per sector; with redirect URIs on several hosts it needs
--sector-identifier-uri, an https URL whose JSON array lists every redirect URI
(fetched once, now). --id-token-signed-response-alg picks one of the server's
openid.idTokenSigningAlgorithms (default RS256).

registration-tokens create prints an initial access token for dynamic client
registration (RFC 7591), shown only once; the server keeps only its hash. It may
register any number of clients until it expires (--expires-in, default 604800,
7 days, at most 31536000) or is revoked with registration-tokens revoke ID.

rotate-secret --overlap keeps the old secret working beside the new one for that
many seconds (at most 2592000, 30 days), so deployed copies can be replaced
without an outage; without it the old secret stops at once.

Every command takes:
  --config FILE       the server's settings: a JSON file of OAuthModuleOptions, or a
                      JavaScript module exporting them (default export or oauthOptions);
                      default NEST_OAUTH2_CONFIG. clients create and keys rotate need it.
  --data-source FILE  a JavaScript module exporting a TypeORM DataSource that includes
                      OAUTH_ENTITIES; otherwise DATABASE_URL (sqlite:<path>,
                      postgres://…, mysql://…, mariadb://…).
  --migrate           apply pending migrations first (with DATABASE_URL, the library's);
                      without it a database lacking the OAuth tables is refused.
  --json              machine-readable output.

Exit codes: 0 done, 2 bad input (nothing written), 3 keys rotate: not yet, 1 anything else.`;

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
  const extra = Object.keys(parsed.values).filter(
    (option) => !ALLOWED[command].includes(option as OptionName) && !GLOBAL.includes(option as OptionName),
  );
  if (extra.length) throw new UsageError(`"${command}" does not take --${extra[0]}`);
  if (rest.length !== POSITIONALS[command]) {
    const needs = command === 'registration-tokens revoke' ? 'a token id' : 'a client id';
    throw new UsageError(POSITIONALS[command] ? `"${command}" needs ${needs}` : `unexpected argument "${rest[0]}"`);
  }
  return { command, positionals: rest, values: parsed.values };
}

/** Splits repeated and space- or comma-separated values: `--scope "a b" --scope c` → [a, b, c]. */
export function listOption(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** `--overlap SECONDS` of `clients rotate-secret`: a whole number of seconds, 0 when left out. */
export function overlapOf(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,7}$/.test(value)) throw new UsageError(`--overlap: "${value}" is not a whole number of seconds`);
  return Number(value);
}

/** `--expires-in SECONDS` of `registration-tokens create`: 1 second to 365 days, 7 days when left out. */
export function expiresInOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,8}$/.test(value) || Number(value) < 1 || Number(value) > 365 * 24 * 3600) {
    throw new UsageError(`--expires-in: "${value}" is not a whole number of seconds from 1 to 31536000 (365 days)`);
  }
  return Number(value);
}
