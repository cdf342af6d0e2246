import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientIdMetadataSettings } from '../core/client-metadata/client-id-metadata-settings';
import type { OpenIdSettings } from '../core/openid/openid-settings';
import type { JwtSettings } from '../core/server-settings';
import type { OAuthModuleOptions } from '../oauth-module-options.interface';
import { OAUTH_DEFAULTS, resolveOAuthOptions } from '../oauth-options';
import { UsageError } from './cli-args';

/** What the commands need of the server's settings. */
export interface CliSettings {
  /** The scopes a registration may ask for. */
  scopes: readonly string[];
  /** The configured resources (RFC 8707); undefined when no settings were given. */
  resources?: readonly string[];
  consumedCodeRetention: number;
  /** JWT access tokens and their signing keys; undefined when no resource issues them. */
  jwt?: JwtSettings;
  /** OpenID Connect; undefined when off (a client's OpenID Connect metadata is then refused). */
  openid?: OpenIdSettings;
  /** Client ID Metadata Documents, whose fetch rules a `sector_identifier_uri` fetch follows too. */
  clientIdMetadataDocuments?: ClientIdMetadataSettings;
}

/** Without a config file the commands that only read or delete clients and tokens still work. */
const NO_SETTINGS: CliSettings = { scopes: [], consumedCodeRetention: OAUTH_DEFAULTS.consumedCodeRetention };

/**
 * The server's settings from `--config FILE` (or NEST_OAUTH2_CONFIG): a JSON file of
 * `OAuthModuleOptions`, or a JavaScript module exporting them, validated as `OAuthModule` does, so
 * the CLI accepts a client exactly when the server would.
 */
export async function loadSettings(file: string | undefined, requiredBy?: string): Promise<CliSettings> {
  if (!file) {
    if (requiredBy) throw new UsageError(`${requiredBy} needs the server's settings: pass --config FILE or set NEST_OAUTH2_CONFIG`);
    return NO_SETTINGS;
  }
  const options = await readOptions(file);
  try {
    const resolved = resolveOAuthOptions(options);
    return {
      scopes: Object.keys(resolved.scopes),
      resources: Object.keys(resolved.resources),
      consumedCodeRetention: resolved.consumedCodeRetention,
      jwt: resolved.jwt,
      openid: resolved.openid,
      clientIdMetadataDocuments: resolved.clientIdMetadataDocuments,
    };
  } catch (err) {
    const lines = (err as Error).message.split('\n').map((line) => line.trim());
    throw new UsageError(`${file}: ${lines.join(' ')}`);
  }
}

async function readOptions(file: string): Promise<OAuthModuleOptions> {
  const path = resolve(file);
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as OAuthModuleOptions;
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const exported = optionsExport(module);
  const options = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  if (!options || typeof options !== 'object') {
    throw new UsageError(`${file}: export the OAuthModuleOptions as the default export or as "oauthOptions"`);
  }
  return options as OAuthModuleOptions;
}

/**
 * The options a module exports: `oauthOptions` or the default export, of an ES module or of a
 * CommonJS one as `import()` sees it (`module.exports` as the default, a compiled `export default`
 * one level further down).
 */
function optionsExport(module: Record<string, unknown>): unknown {
  if (module.oauthOptions !== undefined) return module.oauthOptions;
  const exports = module.default as Record<string, unknown> | undefined;
  if (exports && typeof exports === 'object') {
    if ('oauthOptions' in exports) return exports.oauthOptions;
    if ('__esModule' in exports) return exports.default;
  }
  return exports;
}
