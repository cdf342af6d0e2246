import type { ScenarioId } from './scenarios';

export type ServerKind = 'bare' | 'ours' | 'peer';
export type StoreKind = 'memory' | 'sqlite' | 'postgres';

/** One server configuration of the bench: which script, with which arguments, for which loads. */
export interface ServerSpec {
  id: string;
  label: string;
  kind: ServerKind;
  adapter: 'express' | 'fastify' | 'koa';
  /** Path of the compiled script, relative to dist/bench/servers. */
  script: string;
  args: string[];
  scenarios: ScenarioId[];
  store?: StoreKind;
  cache?: boolean;
  /** Only run with `--all` (kept out of the default matrix so a full run stays under half an hour). */
  extended?: boolean;
  /** Scenarios of this server that only run with `--all`. */
  extendedScenarios?: ScenarioId[];
}

function ours(adapter: 'express' | 'fastify', store: StoreKind, cache: boolean, scenarios: ScenarioId[], extended = false): ServerSpec {
  return {
    id: `ours-${adapter}-${store}-cache-${cache ? 'on' : 'off'}`,
    label: `ours, ${adapter === 'express' ? 'Express' : 'Fastify'}, ${store === 'sqlite' ? 'SQLite' : store === 'postgres' ? 'PostgreSQL' : 'memory'}, cache ${cache ? 'on' : 'off'}`,
    kind: 'ours',
    adapter,
    script: 'ours/main.js',
    args: ['--adapter', adapter, '--store', store, '--cache', cache ? 'on' : 'off'],
    scenarios,
    store,
    cache,
    extended,
  };
}

/** Ours with the API configured as a resource (RFC 8707) whose access tokens have this format; on Fastify and SQLite. */
function withResource(format: 'opaque' | 'jwt', cache: boolean, scenarios: ScenarioId[]): ServerSpec {
  const base = ours('fastify', 'sqlite', cache, scenarios);
  return {
    ...base,
    id: `ours-fastify-sqlite-${format}-resource-cache-${cache ? 'on' : 'off'}`,
    label: `ours, Fastify, SQLite, ${format === 'jwt' ? 'JWT access tokens (ES256)' : 'opaque tokens for a resource'}, cache ${cache ? 'on' : 'off'}`,
    args: [...base.args, '--resource', format],
  };
}

/** The remote resource server verifying JWT access tokens from the authorization server's JWK Set. */
function remoteJwt(cache: boolean): ServerSpec {
  const base = remote('fastify', cache);
  return {
    ...base,
    id: `ours-remote-jwt-fastify-cache-${cache ? 'on' : 'off'}`,
    label: `ours, remote resource server (JWT from the JWKS), Fastify, cache ${cache ? 'on' : 'off'}`,
    args: [...base.args, '--tokens', 'jwt'],
  };
}

function remote(adapter: 'express' | 'fastify', cache: boolean, extended = false): ServerSpec {
  return {
    id: `ours-remote-${adapter}-cache-${cache ? 'on' : 'off'}`,
    label: `ours, remote resource server (introspection), ${adapter === 'express' ? 'Express' : 'Fastify'}, cache ${cache ? 'on' : 'off'}`,
    kind: 'ours',
    adapter,
    script: 'ours/remote-resource.js',
    args: ['--adapter', adapter, '--cache', cache ? 'on' : 'off'],
    scenarios: ['get'],
    cache,
    extended,
  };
}

/**
 * Every server, in the order a round runs them. The bare routes and the peers come first so their
 * figures (the denominators of every ratio) are measured on the same warm machine as ours.
 */
export const SERVERS: ServerSpec[] = [
  {
    id: 'bare-express',
    label: 'bare Nest route, Express',
    kind: 'bare',
    adapter: 'express',
    script: 'bare-nest.js',
    args: ['--adapter', 'express'],
    scenarios: ['get', 'token'],
  },
  {
    id: 'bare-fastify',
    label: 'bare Nest route, Fastify',
    kind: 'bare',
    adapter: 'fastify',
    script: 'bare-nest.js',
    args: ['--adapter', 'fastify'],
    scenarios: ['get', 'token'],
    // The Fastify token route is only a denominator of rows in the extended matrix.
    extendedScenarios: ['token'],
  },
  {
    id: 'bare-fastify-verify',
    label: 'bare Nest route, Fastify, one raw ES256 crypto.verify of the bearer JWT',
    kind: 'bare',
    adapter: 'fastify',
    script: 'bare-nest.js',
    args: ['--adapter', 'fastify', '--verify', 'es256'],
    scenarios: ['get'],
  },
  {
    id: 'node-oauth2-server',
    label: '@node-oauth/oauth2-server + Express',
    kind: 'peer',
    adapter: 'express',
    script: 'peers/node-oauth2-server.js',
    args: [],
    scenarios: ['token', 'get', 'code'],
  },
  {
    id: 'oidc-provider',
    label: 'oidc-provider (Koa)',
    kind: 'peer',
    adapter: 'koa',
    script: 'peers/oidc-provider.js',
    args: [],
    scenarios: ['token', 'get', 'introspect'],
  },
  {
    id: 'oidc-provider-jwt',
    label: 'oidc-provider (Koa), JWT access tokens (ES256)',
    kind: 'peer',
    adapter: 'koa',
    script: 'peers/oidc-provider.js',
    args: ['--format', 'jwt'],
    scenarios: ['token'],
  },
  // The GET runs first in each process, so its RSS is not that of a process still holding the
  // tens of thousands of tokens the token load just issued (the memory store keeps them all).
  ours('express', 'sqlite', false, ['get', 'token', 'introspect', 'code']),
  ours('express', 'sqlite', true, ['get']),
  ours('express', 'postgres', false, ['get', 'token', 'code']),
  ours('express', 'postgres', true, ['get'], true),
  ours('express', 'memory', false, ['get', 'token']),
  ours('express', 'memory', true, ['get'], true),
  ours('fastify', 'sqlite', true, ['get']),
  { ...ours('fastify', 'sqlite', false, ['get', 'token', 'introspect', 'code']), extendedScenarios: ['token', 'introspect', 'code'] },
  ours('fastify', 'memory', true, ['get'], true),
  ours('fastify', 'postgres', false, ['get', 'token', 'introspect', 'code'], true),
  // JWT access tokens (RFC 9068): issuance against the same resource with opaque tokens and against
  // oidc-provider's JWTs; the GET verifying them locally, cache on and off.
  withResource('jwt', true, ['get', 'token']),
  withResource('jwt', false, ['get']),
  withResource('opaque', false, ['token']),
  remoteJwt(true),
  remoteJwt(false),
  remote('express', true),
  remote('express', false),
  remote('fastify', true, true),
  remote('fastify', false, true),
];
