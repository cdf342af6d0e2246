import type { ClientIdMetadataSettings } from './core/client-metadata/client-id-metadata-settings';
import { cidrProblem } from './core/client-metadata/address-policy';
import type { OAuthClientIdMetadataDocumentsOptions } from './oauth-module-options.interface';

/** Defaults of `clientIdMetadataDocuments` (draft-ietf-oauth-client-id-metadata-document). */
export const CLIENT_ID_METADATA_DEFAULTS = Object.freeze({
  minCacheTtl: 300,
  maxCacheTtl: 24 * 3600,
  timeout: 5000,
  maxBytes: 5120,
});

/**
 * `clientIdMetadataDocuments` after defaults, or undefined when off, with every problem as a
 * `clientIdMetadataDocuments.x: message` line. Scopes and resources must be configured ones.
 */
export function resolveClientIdMetadataDocuments(
  input: OAuthClientIdMetadataDocumentsOptions | undefined,
  configured: { scopes: readonly string[]; resources: readonly string[] },
): { settings: ClientIdMetadataSettings | undefined; problems: string[] } {
  if (input === undefined) return { settings: undefined, problems: [] };
  const problems: string[] = [];
  const problem = (key: string, message: string) => problems.push(`clientIdMetadataDocuments.${key}: ${message}`);
  if (typeof input !== 'object' || input === null) {
    return { settings: undefined, problems: [`clientIdMetadataDocuments: must be an object (got ${JSON.stringify(input)})`] };
  }
  if (typeof input.enabled !== 'boolean') problem('enabled', `must be a boolean (got ${JSON.stringify(input.enabled)})`);
  const d = CLIENT_ID_METADATA_DEFAULTS;
  const settings: ClientIdMetadataSettings = {
    allowClientIdUrl: input.allowClientIdUrl ?? (() => true),
    allowedAddresses: Object.freeze([...(Array.isArray(input.allowedAddresses) ? input.allowedAddresses : [])]),
    minCacheTtl: input.minCacheTtl ?? d.minCacheTtl,
    maxCacheTtl: input.maxCacheTtl ?? d.maxCacheTtl,
    timeout: input.timeout ?? d.timeout,
    maxBytes: input.maxBytes ?? d.maxBytes,
    scopes: input.scopes && Object.freeze([...input.scopes]),
    resources: input.resources ? Object.freeze([...input.resources]) : null,
    defaultResource: input.defaultResource ?? null,
    lookup: input.lookup,
    ca: input.ca,
  };
  if (typeof settings.allowClientIdUrl !== 'function') problem('allowClientIdUrl', 'must be a function (url: URL) => boolean | object');
  if (input.lookup !== undefined && typeof input.lookup !== 'function') problem('lookup', 'must be a function (hostname) => addresses');
  if (input.allowedAddresses !== undefined && !Array.isArray(input.allowedAddresses))
    problem('allowedAddresses', 'must be a list of CIDR ranges');
  for (const range of settings.allowedAddresses) {
    const bad = cidrProblem(range);
    if (bad) problem('allowedAddresses', bad);
  }
  for (const [key, value] of [
    ['minCacheTtl', settings.minCacheTtl],
    ['maxCacheTtl', settings.maxCacheTtl],
    ['timeout', settings.timeout],
    ['maxBytes', settings.maxBytes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) problem(key, `must be a positive integer (got ${JSON.stringify(value)})`);
  }
  if (settings.minCacheTtl > settings.maxCacheTtl) problem('minCacheTtl', `must not exceed maxCacheTtl (${settings.maxCacheTtl})`);
  if (settings.timeout > 60_000) problem('timeout', 'must not exceed 60000 ms');
  if (settings.maxBytes > 1024 * 1024) problem('maxBytes', 'must not exceed 1048576 bytes');
  if (input.scopes !== undefined) {
    if (!Array.isArray(input.scopes)) problem('scopes', 'must be a list of configured scopes');
    else
      for (const scope of input.scopes) if (!configured.scopes.includes(scope)) problem('scopes', `"${scope}" is not a configured scope`);
  }
  if (input.resources !== undefined) {
    if (!Array.isArray(input.resources)) problem('resources', 'must be a list of configured resources');
    else
      for (const r of input.resources) if (!configured.resources.includes(r)) problem('resources', `"${r}" is not a configured resource`);
  }
  if (settings.defaultResource !== null) {
    if (!configured.resources.includes(settings.defaultResource)) {
      problem('defaultResource', `"${settings.defaultResource}" is not a configured resource`);
    } else if (settings.resources && !settings.resources.includes(settings.defaultResource)) {
      problem('defaultResource', 'must be one of clientIdMetadataDocuments.resources');
    }
  }
  if (
    input.ca !== undefined &&
    typeof input.ca !== 'string' &&
    !(Array.isArray(input.ca) && input.ca.every((c) => typeof c === 'string'))
  ) {
    problem('ca', 'must be a PEM certificate or a list of them');
  }
  return { settings: input.enabled === true ? Object.freeze(settings) : undefined, problems };
}
