import type { ServerSettings } from '../server-settings';
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import {
  InvalidRequestError,
  RedirectUriMismatchError,
  UnauthorizedClientError,
  UnknownClientError,
  UnsupportedResponseTypeError,
} from '../oauth.errors';
import { ClientMetadataDocumentError } from '../client-metadata/document-fetcher';
import { isClientIdSyntax } from '../protocol/client-id';
import { isPkceValue, type PkceMethod } from '../protocol/pkce';
import { isRedirectUriRegistered } from '../protocol/redirect-uri';
import { requestedResources, resourceParams, scopesFittingResources } from '../protocol/resource-targets';
import { grantableScopes, parseScope } from '../protocol/scope';
import { singleValuedParams } from '../protocol/single-valued-params';
import { OPENID_SCOPE } from '../openid/openid-settings';
import { OPENID_FORM_PARAMS, readOpenIdRequest, type OpenIdRequest } from '../openid/openid-request';

/**
 * Validation of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3), in two phases:
 * 1. `resolveRedirectTarget`: `client_id` and `redirect_uri`. Until both are trusted nothing may be
 *    redirected, so every failure is shown as a page (§4.1.2.1, §10.15): `UnknownClientError` or
 *    `RedirectUriMismatchError` (both `invalid_request`, never redirectable), or a repeated parameter.
 * 2. `validateAuthorizationRequest`: everything else; failures are redirected to the trusted URI.
 * The consent POST runs both phases again on the posted fields: nothing is trusted from the form.
 * With OpenID Connect on, phase 2 also reads its parameters (see `readOpenIdRequest`), and an
 * `openid` request that left out `redirect_uri` is refused on a page: OpenID Connect Core §3.1.2.1
 * makes it REQUIRED, and RFC 6749 §4.1.2.1 forbids redirecting when the redirection URI is missing.
 */

/**
 * `prompt` values this server understands (OpenID Connect Core §3.1.2.1, adopted for OAuth);
 * `select_account` only while OpenID Connect is on.
 */
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/**
 * Single-valued parameters of an authorization request (RFC 6749 §3.1). `resource` is the exception
 * (it may repeat, RFC 8707 §2) and is read apart.
 */
const SINGLE_VALUED_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'prompt',
] as const;

/**
 * Parameters that make up a pending authorization request (posted back by the consent form). The
 * consent form posts `resource` once, the named resources joined by spaces (a resource indicator
 * never contains one, RFC 8707 §2), so every posted field stays a single string.
 */
export const REQUEST_PARAMS = [...SINGLE_VALUED_PARAMS, 'resource'] as const;

/** The parameters the consent form carries: `REQUEST_PARAMS`, and the OpenID Connect ones while that is on. */
export function requestParams(options: Pick<ServerSettings, 'openid'>): readonly string[] {
  return options.openid ? [...REQUEST_PARAMS, ...OPENID_FORM_PARAMS] : REQUEST_PARAMS;
}

const RESPONSE_PARAMS = new Set(['code', 'state', 'iss', 'error', 'error_description', 'error_uri']);

/** Where an authorization response may go: the trusted client and redirect URI. */
export interface RedirectTarget {
  client: OAuthClient;
  /** The URI to redirect to. */
  redirectUri: string;
  /** The `redirect_uri` parameter as sent, or null when omitted (the code remembers which, RFC 6749 §4.1.3). */
  requestedRedirectUri: string | null;
  /** `state`, echoed in every response when it was a single string. */
  state?: string;
}

/** A fully validated authorization request. */
export interface AuthorizationRequest extends RedirectTarget {
  scopes: string[];
  /** The grant's resources (RFC 8707): the named ones in request order, or the default; empty when none are configured. */
  resources: string[];
  codeChallenge: string | null;
  codeChallengeMethod: PkceMethod | null;
  prompt: Set<Prompt>;
  /** The configured passthrough parameters present in the request (e.g. `shift_team_id`). */
  passthrough: Record<string, string>;
  /** Every recognised parameter as sent, for the consent form and its CSRF binding. */
  params: Record<string, string | undefined>;
  /** The OpenID Connect parameters; undefined while OpenID Connect is off. */
  openid?: OpenIdRequest;
}

/** Phase 1: find the client and the redirect URI, or throw an error that must be shown, never redirected. */
export async function resolveRedirectTarget(
  source: Readonly<Record<string, unknown>>,
  clients: Pick<ClientStore, 'findById'>,
): Promise<RedirectTarget> {
  // A repeated client_id or redirect_uri fails here, before there is a target to redirect to.
  const ids = singleValuedParams(source, ['client_id', 'redirect_uri']);
  if (ids.client_id === undefined) throw new UnknownClientError('The request has no client_id');
  const client = isClientIdSyntax(ids.client_id) ? await findClient(clients, ids.client_id) : undefined;
  if (!client) throw new UnknownClientError('The client_id is not registered on this server');
  const state = typeof source.state === 'string' && source.state !== '' ? source.state : undefined;
  if (ids.redirect_uri !== undefined) {
    if (!isRedirectUriRegistered(client.redirectUris, ids.redirect_uri, client.applicationType)) {
      throw new RedirectUriMismatchError('The redirect_uri is not registered for this client (exact match required)');
    }
    return { client, redirectUri: ids.redirect_uri, requestedRedirectUri: ids.redirect_uri, state };
  }
  // RFC 6749 §3.1.2.3: omitting redirect_uri is allowed only when exactly one is registered.
  if (client.redirectUris.length !== 1) {
    throw new RedirectUriMismatchError(
      client.redirectUris.length === 0
        ? 'This client has no redirect URI registered'
        : 'The redirect_uri parameter is required: this client has several registered',
    );
  }
  const [only] = client.redirectUris;
  // A URI stored before today's registration rules (e.g. half of a list once split on a space) is never used.
  if (!isRedirectUriRegistered(client.redirectUris, only, client.applicationType)) {
    throw new RedirectUriMismatchError("This client's registered redirect URI is not valid: it must be registered again");
  }
  return { client, redirectUri: only, requestedRedirectUri: null, state };
}

/**
 * The client, or undefined. A client id URL whose metadata document cannot be used is shown as a
 * page saying why: its redirect URIs are unknown, so nothing may be redirected.
 */
async function findClient(clients: Pick<ClientStore, 'findById'>, id: string): Promise<OAuthClient | undefined> {
  try {
    return await clients.findById(id);
  } catch (error) {
    if (!(error instanceof ClientMetadataDocumentError)) throw error;
    throw new UnknownClientError(`The client's metadata document at ${id} cannot be used: ${error.message}`);
  }
}

/** Phase 2: every other rule; its errors are redirected to the trusted URI unless their class says not. */
export function validateAuthorizationRequest(
  target: RedirectTarget,
  source: Readonly<Record<string, unknown>>,
  options: ServerSettings,
  posted = false,
): AuthorizationRequest {
  const params: Record<string, string | undefined> = singleValuedParams(source, [...SINGLE_VALUED_PARAMS, ...options.passthroughParams]);
  const { client } = target;
  if (params.response_type === undefined) throw new InvalidRequestError('The response_type parameter is required');
  if (params.response_type !== 'code') {
    throw new UnsupportedResponseTypeError('Only response_type=code is supported (implicit is not, per OAuth 2.1)');
  }
  if (!client.grantTypes.includes('authorization_code')) {
    throw new UnauthorizedClientError('This client may not use the authorization_code grant');
  }
  const openid = options.openid ? readOpenIdRequest(source, params) : undefined;
  const requested = parseScope(params.scope);
  const granted = grantableScopes(requested, client.scopes, Object.keys(options.scopes), options.defaultScopes);
  const named = readResources(source, posted);
  const resources = requestedResources(named, client, options);
  const scopes = fitScopes(granted, requested.length > 0, resources, options);
  if (openid && scopes.includes(OPENID_SCOPE)) {
    if (target.requestedRedirectUri === null) {
      throw new RedirectUriMismatchError('An OpenID Connect request must include redirect_uri (OpenID Connect Core §3.1.2.1)');
    }
    openid.authentication = true;
  }
  // The consent form posts the named resources back, canonical, as one field (see REQUEST_PARAMS).
  params.resource = named.length ? resources.join(' ') : undefined;
  const { codeChallenge, codeChallengeMethod } = validatePkce(client, params, options);
  const passthrough: Record<string, string> = {};
  for (const name of options.passthroughParams) {
    // A passthrough parameter never overrides a protocol one of the response.
    if (params[name] !== undefined && !RESPONSE_PARAMS.has(name)) passthrough[name] = params[name];
  }
  const prompt = parsePrompt(params.prompt, openid !== undefined);
  return { ...target, scopes, resources, codeChallenge, codeChallengeMethod, prompt, passthrough, params, ...(openid ? { openid } : {}) };
}

/**
 * The granted scopes that fit the resources (RFC 8707). `openid` is about the user's sign-in, not an
 * API, so with OpenID Connect on it is kept whatever the resources are and the others are fitted alone.
 */
function fitScopes(granted: string[], explicit: boolean, resources: string[], options: ServerSettings): string[] {
  if (!options.openid || !granted.includes(OPENID_SCOPE)) return scopesFittingResources(granted, explicit, resources, options);
  const others = granted.filter((s) => s !== OPENID_SCOPE);
  const fitted = others.length ? scopesFittingResources(others, explicit, resources, options) : [];
  return granted.filter((s) => s === OPENID_SCOPE || fitted.includes(s));
}

/**
 * The `resource` values (RFC 8707 §2): repeated on the wire; on the consent form's POST (`posted`),
 * the one field it writes, split on spaces.
 */
function readResources(source: Readonly<Record<string, unknown>>, posted: boolean): string[] {
  if (!posted) return resourceParams(source);
  const { resource } = singleValuedParams(source, ['resource']);
  return resource === undefined ? [] : resource.split(' ').filter(Boolean);
}

/** RFC 7636 §4.3 and OAuth 2.1: S256 by default; `plain` only when allowed; waivable only for confidential clients. */
function validatePkce(
  client: OAuthClient,
  params: Record<string, string | undefined>,
  options: ServerSettings,
): Pick<AuthorizationRequest, 'codeChallenge' | 'codeChallengeMethod'> {
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequestError('code_challenge_method was sent without a code_challenge');
    const required = options.requirePkce === 'all' || client.secretHash === null;
    if (required) throw new InvalidRequestError('PKCE is required: send code_challenge with code_challenge_method=S256 (RFC 7636)');
    return { codeChallenge: null, codeChallengeMethod: null };
  }
  // RFC 7636 §4.3: an absent method means plain.
  const effective = method ?? 'plain';
  if (effective !== 'S256' && effective !== 'plain') {
    throw new InvalidRequestError('code_challenge_method must be S256 (RFC 7636 §4.3)');
  }
  if (effective === 'plain' && !options.allowPlainPkce) {
    throw new InvalidRequestError('code_challenge_method=plain is not allowed: use S256 (RFC 9700 §2.1.1)');
  }
  if (!isPkceValue(challenge)) {
    throw new InvalidRequestError('code_challenge must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.2)');
  }
  return { codeChallenge: challenge, codeChallengeMethod: effective };
}

function parsePrompt(value: string | undefined, openid: boolean): Set<Prompt> {
  const prompt = new Set<Prompt>();
  for (const item of (value ?? '').split(' ').filter(Boolean)) {
    const known = item === 'none' || item === 'login' || item === 'consent' || (openid && item === 'select_account');
    if (!known) throw new InvalidRequestError(`Unsupported prompt value: ${item}`);
    prompt.add(item as Prompt);
  }
  // OpenID Connect Core §3.1.2.1: none with any other value is an error.
  if (prompt.has('none') && prompt.size > 1) throw new InvalidRequestError('prompt=none cannot be combined with other values');
  return prompt;
}
