import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ShiftResources } from '../../shift/shift-oauth.options';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from '../customapp.config';
import { CustomAppSettings, type ShiftCredentials } from '../storage/customapp-settings.service';
import { ShiftApiError, ShiftOAuthError, ShiftUnavailableError } from './shift-errors';

/** SHIFT's authorization server metadata (RFC 8414 §2), the fields CustomApp uses. */
export interface ShiftMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  /** Optional in RFC 8414; without it CustomApp cannot revoke, only forget. */
  revocation_endpoint?: string;
}

/** A token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
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
 * Everything CustomApp says to SHIFT, over HTTP only, as any third party would: discovery, the
 * authorization URL, the token endpoint (client_secret_basic), revocation and the API.
 */
@Injectable()
export class ShiftClient {
  private metadataPromise?: Promise<ShiftMetadata>;

  constructor(
    @Inject(CUSTOMAPP_CONFIG) private readonly config: CustomAppConfig,
    private readonly settings: CustomAppSettings,
  ) {}

  /** SHIFT's metadata, fetched once; its `issuer` must be the one CustomApp was configured with (RFC 8414 §3.3). */
  metadata(): Promise<ShiftMetadata> {
    this.metadataPromise ??= this.fetchMetadata().catch((err) => {
      this.metadataPromise = undefined;
      throw err;
    });
    return this.metadataPromise;
  }

  /** The issuer CustomApp trusts; the `iss` of every authorization response must equal it (RFC 9207 §2.4). */
  get issuer(): string {
    return this.config.shiftIssuer;
  }

  /** Step 1: where to send the browser (RFC 6749 §4.1.1 with PKCE S256, RFC 7636 §4.3). */
  async authorizationUrl(state: string, codeChallenge: string, shiftTeamId?: string): Promise<string> {
    const { clientId } = await this.credentials();
    const url = new URL((await this.metadata()).authorization_endpoint);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: this.config.redirectUri,
      scope: this.config.scope,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      ...(shiftTeamId ? { shift_team_id: shiftTeamId } : {}),
    });
    // One grant for both APIs (RFC 8707 §2: `resource` may repeat); tokens are then asked per API.
    query.append('resource', this.config.resources.userApi);
    query.append('resource', this.config.resources.files);
    url.search = query.toString();
    return url.toString();
  }

  /** Step 4: the code for tokens, server to server, authenticated with the client secret (RFC 6749 §4.1.3). */
  async exchangeCode(code: string, codeVerifier: string): Promise<TokenResponse> {
    return this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.config.redirectUri,
      code_verifier: codeVerifier,
      // The first access token is for SHIFT's user API; the one for SHIFT Files comes with a refresh.
      resource: this.config.resources.userApi,
    });
  }

  /**
   * A new access token for `api` (and a rotated refresh token) for a refresh token (RFC 6749 §6, with
   * RFC 8707 §2's `resource`: one audience per access token).
   */
  async refresh(refreshToken: string, api: ShiftApi): Promise<TokenResponse> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, resource: this.config.resources[api] });
  }

  /** Revokes a token at SHIFT (RFC 7009 §2.1); revoking the refresh token ends the whole grant. */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
    const endpoint = (await this.metadata()).revocation_endpoint;
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
    const endpoint = (await this.metadata()).revocation_endpoint;
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

  private async tokenRequest(params: Record<string, string>): Promise<TokenResponse> {
    const response = await this.post((await this.metadata()).token_endpoint, params);
    if (!response.ok) throw await this.oauthError(response);
    const body = (await response.json()) as TokenResponse;
    if (typeof body.access_token !== 'string' || body.token_type?.toLowerCase() !== 'bearer') {
      throw new ShiftUnavailableError('the token response has no bearer access token');
    }
    return body;
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

  private async fetchMetadata(): Promise<ShiftMetadata> {
    const response = await this.send(new URL('/.well-known/oauth-authorization-server', this.config.shiftIssuer), {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new ShiftUnavailableError(`metadata answered HTTP ${response.status}`);
    const metadata = (await response.json()) as ShiftMetadata;
    if (metadata.issuer !== this.config.shiftIssuer) throw new ShiftUnavailableError('the metadata names another issuer');
    return metadata;
  }

  private async credentials() {
    const credentials = await this.settings.credentials();
    if (!credentials) throw new ShiftUnavailableError('CustomApp is not registered at SHIFT yet');
    return credentials;
  }
}
