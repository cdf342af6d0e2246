import type { OAuthClient } from '../../stores/models';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from '../oauth.errors';
import type { ServerSettings } from '../server-settings';
import { canonicalResourceUri } from './resource-indicator';

/**
 * Which resources (RFC 8707) a request is for, and what a token for one of them may carry.
 * - With no resources configured nothing changes: tokens have no audience, and a request that names a
 *   `resource` is refused with `invalid_target`, since its client expects an audience-restricted
 *   token and would otherwise get one good at every API.
 * - With resources configured every access token has exactly one audience; a request that names none
 *   gets its client's default, else the server's, else `invalid_target`.
 * - A server-level scope is a configured scope no resource lists (e.g. `offline_access`): it goes
 *   with every resource.
 */

type ResourceSettingsView = Pick<ServerSettings, 'resources' | 'defaultResource' | 'scopes'>;

/**
 * The `resource` values of a request, in order, duplicates kept (the caller decides). The parameter
 * may repeat (RFC 8707 §2); anything but strings is `invalid_request`, empty values count as absent.
 */
export function resourceParams(source: Readonly<Record<string, unknown>>): string[] {
  const value = source.resource;
  if (value === undefined) return [];
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!values.every((v): v is string => typeof v === 'string')) throw new InvalidRequestError('The "resource" parameter must be a string');
  return values.filter((v) => v !== '');
}

/** What the settings say about resources as a whole, derived once per settings object. */
interface ResourceLayout {
  any: boolean;
  /** Configured scopes no resource lists: they go with every resource. */
  serverLevel: ReadonlySet<string>;
}

// The settings are frozen for the life of the server, and every token request asks: derive once.
const layouts = new WeakMap<ResourceSettingsView, ResourceLayout>();

function layoutOf(settings: ResourceSettingsView): ResourceLayout {
  let layout = layouts.get(settings);
  if (!layout) {
    const listed = new Set(Object.values(settings.resources).flatMap((r) => r.scopes));
    layout = {
      any: Object.keys(settings.resources).length > 0,
      serverLevel: new Set(Object.keys(settings.scopes).filter((s) => !listed.has(s))),
    };
    layouts.set(settings, layout);
  }
  return layout;
}

/** Whether resources are configured: only then do tokens carry an audience. */
export function hasResources(settings: ResourceSettingsView): boolean {
  return layoutOf(settings).any;
}

/**
 * The canonical, configured resources a client names in `values`, each one it may use, without
 * duplicates, in request order; `invalid_target` naming the first value that fails (RFC 8707 §2).
 */
export function namedResources(values: readonly string[], client: OAuthClient, settings: ResourceSettingsView): string[] {
  if (values.length && !hasResources(settings)) {
    throw new InvalidTargetError(
      'This server has no resources configured, so its tokens cannot be restricted to one: do not send the resource parameter',
    );
  }
  const named: string[] = [];
  for (const value of values) {
    const canonical = canonicalResourceUri(value);
    if (canonical === undefined) {
      throw new InvalidTargetError(`The resource ${JSON.stringify(value)} is not an absolute URI without a fragment (RFC 8707 §2)`);
    }
    if (!settings.resources[canonical])
      throw new InvalidTargetError(`The resource ${JSON.stringify(value)} is not a resource of this server`);
    if (client.resources && !client.resources.includes(canonical)) {
      throw new InvalidTargetError(`This client may not request tokens for the resource ${JSON.stringify(canonical)}`);
    }
    if (!named.includes(canonical)) named.push(canonical);
  }
  return named;
}

/**
 * The resource of a request that names none: the client's default, else the server's, when the
 * client may use it; `invalid_target` when resources are configured and none applies; undefined
 * when no resources are configured (tokens without audience).
 */
export function defaultResourceFor(client: OAuthClient, settings: ResourceSettingsView): string | undefined {
  if (!hasResources(settings)) return undefined;
  const fallback = client.defaultResource ?? settings.defaultResource;
  if (fallback !== undefined && settings.resources[fallback] && (!client.resources || client.resources.includes(fallback))) return fallback;
  throw new InvalidTargetError('This server issues tokens only for a named resource; send `resource` (RFC 8707 §2)');
}

/** The resources of an authorization or client_credentials request: the named ones, else the default. */
export function requestedResources(values: readonly string[], client: OAuthClient, settings: ResourceSettingsView): string[] {
  const named = namedResources(values, client, settings);
  if (named.length) return named;
  const fallback = defaultResourceFor(client, settings);
  return fallback === undefined ? [] : [fallback];
}

/**
 * The scopes that go with `resources`: the server-level ones and each resource's own. Undefined when
 * no resources are configured (every scope goes everywhere).
 */
export function scopesForResources(resources: readonly string[], settings: ResourceSettingsView): Set<string> | undefined {
  const layout = layoutOf(settings);
  if (!layout.any) return undefined;
  const fit = new Set(layout.serverLevel);
  for (const resource of resources) for (const scope of settings.resources[resource]?.scopes ?? []) fit.add(scope);
  return fit;
}

/**
 * Scopes of a request checked against its resources: each must be server-level or listed by one of
 * them (else `invalid_scope`). Defaults (`explicit` false) are narrowed to those that fit instead, and
 * `invalid_scope` only when none does.
 */
export function scopesFittingResources(
  scopes: readonly string[],
  explicit: boolean,
  resources: readonly string[],
  settings: ResourceSettingsView,
): string[] {
  const fit = scopesForResources(resources, settings);
  if (!fit) return [...scopes];
  const outside = scopes.filter((s) => !fit.has(s));
  if (explicit && outside.length) {
    throw new InvalidScopeError(`The scope ${outside.join(' ')} is not a scope of the requested resource (${resources.join(' ')})`);
  }
  const kept = scopes.filter((s) => fit.has(s));
  if (!kept.length) throw new InvalidScopeError(`No default scope applies to the resource ${resources.join(' ')}: name a scope`);
  return kept;
}

/** An access token's scopes for `audience`: the granted ones that go with it (`invalid_scope` if none). */
export function audienceScopes(granted: readonly string[], audience: string | undefined, settings: ResourceSettingsView): string[] {
  if (audience === undefined) return [...granted];
  const fit = scopesForResources([audience], settings)!;
  const kept = granted.filter((s) => fit.has(s));
  if (!kept.length) {
    throw new InvalidScopeError(`None of the granted scopes is for the resource ${JSON.stringify(audience)}: ask for another resource`);
  }
  return kept;
}

/**
 * The one `resource` of a token request (RFC 8707 §2.2), canonical, or undefined when absent; checked
 * before anything is consumed or rotated. More than one is `invalid_target` (a token has one
 * audience), and so is any when no resources are configured, or a value that is not a URI.
 */
export function tokenResourceParam(values: readonly string[], settings: ResourceSettingsView): string | undefined {
  if (values.length > 1) throw new InvalidTargetError(ONE_AUDIENCE);
  if (!values.length) return undefined;
  if (!hasResources(settings)) {
    throw new InvalidTargetError(
      'This server has no resources configured, so its tokens cannot be restricted to one: do not send the resource parameter',
    );
  }
  const canonical = canonicalResourceUri(values[0]);
  if (canonical === undefined) {
    throw new InvalidTargetError(`The resource ${JSON.stringify(values[0])} is not an absolute URI without a fragment (RFC 8707 §2)`);
  }
  return canonical;
}

/**
 * The audience of a token requested under a grant for `grantResources` (code exchange, refresh): the
 * `resource` named (see `tokenResourceParam`), which must be among them, or without one the grant's
 * first (the first the authorization request named). Undefined for a grant without resources (none
 * configured, or issued before they were).
 */
export function grantAudience(named: string | undefined, grantResources: readonly string[]): string | undefined {
  if (named === undefined) return grantResources[0];
  if (!grantResources.includes(named)) {
    throw new InvalidTargetError(
      grantResources.length
        ? `The resource ${JSON.stringify(named)} is not one this grant was authorized for (${grantResources.join(' ')})`
        : 'This grant was authorized without resources, so its tokens cannot be restricted to one: do not send the resource parameter',
    );
  }
  return named;
}

/**
 * Refuses an audience taken from a grant that is no longer configured, or that the client may no
 * longer use: the configuration or the client changed after the grant, and new tokens follow today's.
 */
export function assertAudienceUsable(audience: string | undefined, client: OAuthClient, settings: ResourceSettingsView): void {
  if (audience === undefined) return;
  if (!settings.resources[audience])
    throw new InvalidTargetError(`The resource ${JSON.stringify(audience)} is no longer a resource of this server`);
  if (client.resources && !client.resources.includes(audience)) {
    throw new InvalidTargetError(`This client may no longer request tokens for the resource ${JSON.stringify(audience)}`);
  }
}

const ONE_AUDIENCE = 'A token has exactly one audience; ask for one token per resource (RFC 8707 §2)';

/** The access-token lifetime for `audience`: its own, or the server's when it has none. */
export function accessTokenTtlFor(audience: string | undefined, settings: Pick<ServerSettings, 'resources' | 'accessTokenTtl'>): number {
  return (audience !== undefined ? settings.resources[audience]?.accessTokenTtl : undefined) ?? settings.accessTokenTtl;
}
