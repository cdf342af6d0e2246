import assert from 'node:assert/strict';
import { httpAdapterKind } from '../fixtures/oauth-app.fixture';
import type { RawResponse } from './raw-http';

/** A stack frame as V8 prints it, or a source path of ours or of a dependency. */
const STACK_FRAME = /\n\s+at [^\n]*[(\s][^\n]*:\d+:\d+\)?/;
const SOURCE_PATH = /node_modules|[\\/](dist|libs|src)[\\/][\w./\\-]+\.(js|ts|mjs|cjs)\b|(file:\/\/|[A-Za-z]:\\)[^\s"']+/;
/** Headers that could carry request data back to the client: no line may ever be injected into them. */
const CHALLENGE_HEADERS = new Set(['location', 'www-authenticate', 'set-cookie', 'content-security-policy']);

/** Where a response may send the browser: a registered redirect URI, or the host's own login page. */
export interface RedirectPolicy {
  registered: readonly string[];
  /** Relative URLs the host itself serves (the test interaction's login page). */
  localPrefixes: readonly string[];
}

/**
 * The invariants of issue 7 for one response to a hostile request:
 * - never a 5xx;
 * - no stack trace or source path in the body, and never Nest's `{ statusCode, message }` shape;
 * - a redirect only to a registered redirect URI (origin and path compared exactly, its query kept);
 * - no CR/LF in any header that may reflect input, and no header the request tried to inject.
 */
export function assertResponseInvariants(res: RawResponse, policy: RedirectPolicy, what: string, options = { oauthShape: true }): void {
  assert.ok(res.status < 500, `${what}: answered ${res.status} ${res.text.slice(0, 300)}`);
  assert.doesNotMatch(res.text, STACK_FRAME, `${what}: the body holds a stack trace`);
  assert.doesNotMatch(res.text, SOURCE_PATH, `${what}: the body names a source file`);
  if (
    options.oauthShape &&
    /json/.test(String(res.headers['content-type'])) &&
    res.status >= 400 &&
    res.text !== '' &&
    !isFastifyPlatformAnswer(res)
  ) {
    const body = JSON.parse(res.text) as Record<string, unknown>;
    assert.equal(typeof body.error, 'string', `${what}: an error body without an OAuth error code: ${res.text.slice(0, 200)}`);
    assert.equal(body.statusCode, undefined, `${what}: Nest's default error shape leaked through`);
  }
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i].toLowerCase();
    assert.ok(!name.startsWith('x-injected'), `${what}: a header was injected: ${name}`);
    if (CHALLENGE_HEADERS.has(name)) assert.doesNotMatch(res.rawHeaders[i + 1], /[\r\n]/, `${what}: CR/LF in ${name}`);
  }
  const location = res.headers.location;
  if (location !== undefined) assertAllowedRedirect(location, policy, what);
}

/**
 * RFC 6750 §3 on a route `BearerGuard` protects: every refusal is an OAuth JSON error with a
 * `WWW-Authenticate: Bearer` challenge naming the error (a request without any credentials gets the
 * bare challenge), whatever the body, encoding or parameters. Answers no module can shape are
 * exempt: Fastify's connection-level ones (`isFastifyPlatformAnswer`) and Node's empty 400/431 to
 * a request line or headers its parser refuses.
 */
export function assertBearerRouteInvariants(res: RawResponse, what: string): void {
  if (res.status < 400 || isFastifyPlatformAnswer(res) || (res.text === '' && [400, 431].includes(res.status))) return;
  assert.match(String(res.headers['content-type']), /json/, `${what}: ${res.status} is not JSON: ${res.text.slice(0, 200)}`);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.equal(typeof body.error, 'string', `${what}: an error body without an OAuth error code: ${res.text.slice(0, 200)}`);
  const challenge = String(res.headers['www-authenticate'] ?? '');
  assert.match(challenge, /^Bearer realm="/, `${what}: ${res.status} without a Bearer challenge: ${res.text.slice(0, 200)}`);
  const bare = res.status === 401 && body.error === 'invalid_request';
  if (!bare)
    assert.ok(
      challenge.includes(`error="${String(body.error)}"`),
      `${what}: the challenge does not name ${String(body.error)}: ${challenge}`,
    );
}

/**
 * True, on Fastify only, for an answer Fastify gives before any route, hook or Nest handler runs, so
 * that no module can shape it: its `clientErrorHandler` (a request line or headers Node's parser
 * refuses, or headers over 16 kB: 400 or 431, where Node alone answers with an empty body), its
 * router's `frameworkErrors` (a path segment it cannot percent-decode, an over-long one), and Nest's
 * 404 for a path with a trailing slash (Fastify's router, unlike Express's, matches it only with
 * `ignoreTrailingSlash`). Each is a 4xx without a stack trace, which the other checks still hold it to.
 */
export function isFastifyPlatformAnswer(res: RawResponse): boolean {
  if (httpAdapterKind() !== 'fastify') return false;
  let body: { message?: unknown; code?: unknown; statusCode?: unknown };
  try {
    body = JSON.parse(res.text);
  } catch {
    return false;
  }
  if (body.statusCode !== res.status) return false;
  const connectionLevel = ['Client Error', 'Client Timeout', 'Exceeded maximum allowed HTTP header size'];
  if ([400, 408, 431].includes(res.status) && connectionLevel.includes(String(body.message))) return true;
  if (body.code === 'FST_ERR_BAD_URL' || body.code === 'FST_ERR_MAX_PARAM_LENGTH') return true;
  return res.status === 404 && /^Cannot [A-Z]+ [^?]*\/(\?|$)/.test(String(body.message));
}

/** A Location goes to a registered redirect URI (exact origin + path, registered query kept) or a local page. */
export function assertAllowedRedirect(location: string, policy: RedirectPolicy, what: string): void {
  if (policy.localPrefixes.some((prefix) => location.startsWith(prefix))) {
    assert.ok(!location.startsWith('//') && !location.startsWith('/\\'), `${what}: a protocol-relative Location ${location}`);
    return;
  }
  const target = new URL(location);
  const match = policy.registered.find((uri) => {
    const registered = new URL(uri);
    return registered.origin === target.origin && registered.pathname === target.pathname;
  });
  assert.ok(match, `${what}: redirected to an unregistered URI ${location}`);
  assert.equal(target.username + target.password, '', `${what}: userinfo in the redirect ${location}`);
  assert.equal(target.hash, '', `${what}: a fragment in the redirect ${location}`);
  for (const [name, value] of new URL(match).searchParams)
    assert.equal(target.searchParams.get(name), value, `${what}: registered query lost`);
}

/** True for responses that legitimately write rows: a token response, a registered client, or a redirect carrying a fresh code. */
export function isSuccess(res: RawResponse): boolean {
  if (res.status === 200 && /json/.test(String(res.headers['content-type'])) && res.text.includes('"access_token"')) return true;
  // A client registered (RFC 7591 §3.2.1).
  if (res.status === 201 && /json/.test(String(res.headers['content-type'])) && res.text.includes('"client_id"')) return true;
  const location = res.headers.location;
  return res.status === 302 && location !== undefined && /^https?:/.test(location) && new URL(location).searchParams.has('code');
}

/** The database gained no row unless the response was a success. */
export function assertNoNewRows(before: Record<string, number>, after: Record<string, number>, res: RawResponse, what: string): void {
  if (isSuccess(res)) return;
  for (const table of Object.keys(before)) {
    assert.ok(
      after[table] <= before[table],
      `${what}: ${table} grew from ${before[table]} to ${after[table]} after a refused request (${res.status})`,
    );
  }
}
