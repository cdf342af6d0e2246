import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { ShiftResources } from '../../shift/shift-oauth.options';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from '../customapp.config';
import { CustomAppSettings, type ShiftCredentials } from '../storage/customapp-settings.service';
import { ShiftApiError, ShiftOAuthError, ShiftResponseError, ShiftUnavailableError } from './shift-errors';

/** A token response (RFC 6749 §5.1, with OpenID Connect Core §3.1.3.3's `id_token`). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
}

/** Who signed in, from an ID token openid-client verified (OpenID Connect Core §3.1.3.7): the claims CustomApp shows. */
export interface ShiftIdentity {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
}

/** A code exchanged at SHIFT: the tokens, the ID token itself (kept for sign-out) and who it names. */
export interface SignIn {
  tokens: TokenResponse;
  idToken: string;
  identity: ShiftIdentity;
}

/** What the callback must prove it is answering (RFC 6749 §10.12, RFC 7636, OpenID Connect Core §3.1.2.1). */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** `GET /v1/users/me`. */
export interface ShiftProfile {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  [field: string]: unknown;
}

/** A team from `GET /v1/teams`. */
export interface ShiftTeam {
  id: string;
  name: string;
  role: string;
}

/** SHIFT's two APIs: its user API on SHIFT's host, and SHIFT Files on its own. */
export type ShiftApi = keyof ShiftResources;

const TIMEOUT_MS = 10_000;

/**
 * Everything CustomApp says to SHIFT, over HTTP only, as any third party would. OpenID Connect goes
 * through openid-client: discovery, the authorization URL, the code exchange (state, `iss`, PKCE,
 * nonce and the ID token's signature against SHIFT's JWK Set), refreshes and the end-session URL.
 * Revocation and the API calls are plain requests (RFC 7009, RFC 6750).
 */
@Injectable()
export class ShiftClient {
  /** The openid-client configuration of the last credentials used, by a digest of those credentials. */
  private cached?: { key: string; configuration: Promise<oidc.Configuration> };

  constructor(
    @Inject(CUSTOMAPP_CONFIG) private readonly config: CustomAppConfig,
    private readonly settings: CustomAppSettings,
  ) {}

  /** The issuer CustomApp trusts; the `iss` of every authorization response must equal it (RFC 9207 §2.4). */
  get issuer(): string {
    return this.config.shiftIssuer;
  }

  /** Step 1: where to send the browser (OpenID Connect Core §3.1.2.1: PKCE S256, state and nonce). */
  async authorizationUrl(checks: SignInChecks, shiftTeamId?: string): Promise<string> {
    const configuration = await this.configuration();
    const params = new URLSearchParams({
      redirect_uri: this.config.redirectUri,
      scope: this.config.scope,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      ...(shiftTeamId ? { shift_team_id: shiftTeamId } : {}),
    });
    // One grant for both APIs (RFC 8707 §2: `resource` may repeat); tokens are then asked per API.
    params.append('resource', this.config.resources.userApi);
    params.append('resource', this.config.resources.files);
    return oidc.buildAuthorizationUrl(configuration, params).href;
  }

  /**
   * Steps 3–4: the authorization response (the callback's query) checked and its code exchanged for
   * tokens, server to server with the client secret (RFC 6749 §4.1.3); the ID token must be there,
   * signed by SHIFT, for CustomApp, with the nonce of this sign-in (OpenID Connect Core §3.1.3.7).
   */
  async signIn(query: Record<string, unknown>, checks: SignInChecks): Promise<SignIn> {
    const configuration = await this.configuration();
    const callback = new URL(this.config.redirectUri);
    for (const [name, value] of Object.entries(query)) if (typeof value === 'string') callback.searchParams.set(name, value);
    const response = await this.calling(() =>
      oidc.authorizationCodeGrant(
        configuration,
        callback,
        { expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.codeVerifier, idTokenExpected: true },
        // The first access token is for SHIFT's user API; the one for SHIFT Files comes with a refresh.
        { resource: this.config.resources.userApi },
      ),
    );
    const claims = response.claims();
    if (!response.id_token || !claims) throw new ShiftResponseError('OAUTH_MISSING_ID_TOKEN');
    return { tokens: tokenResponse(response), idToken: response.id_token, identity: identityOf(claims) };
  }

  /**
   * A new access token for `api` (and a rotated refresh token) for a refresh token (RFC 6749 §6, with
   * RFC 8707 §2's `resource`: one audience per access token). An ID token in the answer is verified
   * like the first one; `identity` is then its claims, which must name the same user (OpenID Connect Core §12.2).
   */
  async refresh(
    refreshToken: string,
    api: ShiftApi,
    sub: string | undefined,
  ): Promise<{ tokens: TokenResponse; identity?: ShiftIdentity }> {
    const configuration = await this.configuration();
    const response = await this.calling(() =>
      oidc.refreshTokenGrant(configuration, refreshToken, { resource: this.config.resources[api] }),
    );
    const claims = response.id_token ? response.claims() : undefined;
    if (claims && sub !== undefined && claims.sub !== sub) throw new ShiftResponseError('OAUTH_JWT_CLAIM_COMPARISON_FAILED');
    return { tokens: tokenResponse(response), identity: claims && identityOf(claims) };
  }

  /**
   * Where to send the browser to sign out of SHIFT too (OpenID Connect RP-Initiated Logout §2): the
   * ID token says who, and SHIFT comes back to CustomApp's registered post-logout URI with `state`.
   * Undefined when SHIFT has no end-session endpoint.
   */
  async endSessionUrl(idToken: string | undefined, state: string): Promise<string | undefined> {
    const configuration = await this.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    const params: Record<string, string> = { post_logout_redirect_uri: this.config.postLogoutRedirectUri, state };
    if (idToken) params.id_token_hint = idToken;
    return oidc.buildEndSessionUrl(configuration, params).href;
  }

  /** Revokes a token at SHIFT (RFC 7009 §2.1); revoking the refresh token ends the whole grant. */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
    const endpoint = (await this.configuration()).serverMetadata().revocation_endpoint;
    if (!endpoint) throw new ShiftUnavailableError('the metadata names no revocation_endpoint (RFC 8414 §2)');
    const response = await this.post(endpoint, { token, token_type_hint: hint });
    if (!response.ok) throw await this.oauthError(response);
  }

  /**
   * Whether SHIFT accepts `credentials`, before CustomApp keeps them: a revocation request for a token
   * that does not exist answers 200 to an authenticated client (RFC 7009 §2.2) and 401
   * `invalid_client` to anyone else (§2.2.1), and changes nothing either way.
   */
  async acceptsCredentials(credentials: ShiftCredentials): Promise<boolean> {
    const endpoint = (await this.configuration(credentials)).serverMetadata().revocation_endpoint;
    if (!endpoint) throw new ShiftUnavailableError('the metadata names no revocation_endpoint (RFC 8414 §2)');
    const response = await this.post(
      endpoint,
      { token: randomBytes(32).toString('base64url'), token_type_hint: 'access_token' },
      credentials,
    );
    if (response.ok) return true;
    const error = await this.oauthError(response);
    if (error instanceof ShiftOAuthError && error.error === 'invalid_client') return false;
    throw error;
  }

  /** Step 6: a GET on one of SHIFT's APIs with an access token for it (RFC 6750 §2.1). */
  async get<T>(api: ShiftApi, path: string, accessToken: string): Promise<T> {
    const response = await this.send(new URL(path, this.config.resources[api]), {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (!response.ok) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      throw new ShiftApiError(response.status, /error="([^"]+)"/.exec(challenge)?.[1]);
    }
    return (await response.json()) as T;
  }

  /** A form POST with HTTP Basic client authentication: id and secret form-encoded first (RFC 6749 §2.3.1). */
  private async post(endpoint: string, params: Record<string, string>, credentials?: ShiftCredentials): Promise<Response> {
    const { clientId, clientSecret } = credentials ?? (await this.credentials());
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    return this.send(new URL(endpoint), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
    });
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new ShiftUnavailableError(err instanceof Error ? err.message : 'network error');
    }
  }

  private async oauthError(response: Response): Promise<Error> {
    const body = (await response.json().catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
    if (typeof body?.error !== 'string') return new ShiftUnavailableError(`HTTP ${response.status}`);
    return new ShiftOAuthError(
      body.error,
      typeof body.error_description === 'string' ? body.error_description : undefined,
      response.status,
    );
  }

  /**
   * openid-client's view of SHIFT for `credentials` (CustomApp's own by default): SHIFT's OpenID
   * discovery document, whose `issuer` must be the configured one (OpenID Connect Discovery §4.3), and
   * the client authenticating with HTTP Basic (RFC 6749 §2.3.1). Kept until the credentials change.
   */
  private async configuration(credentials?: ShiftCredentials): Promise<oidc.Configuration> {
    const { clientId, clientSecret } = credentials ?? (await this.credentials());
    const key = createHash('sha256').update(`${clientId}\n${clientSecret}`).digest('base64url');
    if (this.cached?.key !== key) {
      const configuration = this.discover(clientId, clientSecret);
      this.cached = { key, configuration };
      configuration.catch(() => {
        if (this.cached?.configuration === configuration) this.cached = undefined;
      });
    }
    return this.cached.configuration;
  }

  private async discover(clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    const issuer = new URL(this.config.shiftIssuer);
    // The demo's SHIFT runs on http://localhost; anywhere else openid-client's https-only rule stands.
    const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
    const configuration = await this.calling(() =>
      oidc.discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
        timeout: TIMEOUT_MS / 1000,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      }),
    );
    // ID tokens come straight from SHIFT's token endpoint, which TLS would vouch for (Core §3.1.3.7);
    // CustomApp checks their signature against SHIFT's JWK Set anyway, since the demo runs without TLS.
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  /** An openid-client call, its failures told apart: SHIFT said no, SHIFT's answer failed a check, or SHIFT was unreachable. */
  private async calling<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof oidc.ResponseBodyError) throw new ShiftOAuthError(err.error, err.error_description, err.status);
      if (err instanceof oidc.WWWAuthenticateChallengeError) throw await this.oauthError(err.response);
      if (err instanceof oidc.AuthorizationResponseError) throw new ShiftOAuthError(err.error, err.error_description, 400);
      const code = (err as { code?: unknown }).code;
      if (err instanceof oidc.ClientError && typeof code === 'string' && code !== 'OAUTH_TIMEOUT') throw new ShiftResponseError(code);
      throw new ShiftUnavailableError(err instanceof Error ? err.message : 'network error');
    }
  }

  private async credentials() {
    const credentials = await this.settings.credentials();
    if (!credentials) throw new ShiftUnavailableError('CustomApp is not registered at SHIFT yet');
    return credentials;
  }
}

/** The fields of openid-client's token response CustomApp keeps. */
function tokenResponse(response: oidc.TokenEndpointResponse): TokenResponse {
  const { access_token, token_type, expires_in, refresh_token, scope, id_token } = response;
  return { access_token, token_type, expires_in, refresh_token, scope, id_token };
}

/** The claims CustomApp shows, from a verified ID token; anything of the wrong type is left out. */
function identityOf(claims: oidc.IDToken): ShiftIdentity {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  return {
    sub: claims.sub,
    name: text('name'),
    email: text('email'),
    email_verified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
    preferred_username: text('preferred_username'),
  };
}

/** `localhost` and the loopback addresses: the only hosts CustomApp reaches over plain http. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
