import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

/** How the agent's user answers an authorization request: Chromium on the URL, back with the redirect's code. */
export type SignIn = (authorizationUrl: URL) => Promise<string>;

/**
 * The `OAuthClientProvider` an agent hands the MCP SDK, keeping everything in memory. The SDK decides
 * every request; this only stores what it is given and sends the user's browser where it says. Two
 * rules an agent adds of its own:
 * - It asks for `offline_access` when the authorization server offers it and the client may ask for it
 *   (MCP SEP-2207: a server names no `offline_access` in its challenges, the client adds it).
 * - It shows the SDK its refresh token only once the access token has expired. SDK 1.32 refreshes
 *   whenever it holds one, on a step-up too, and a refresh cannot widen scope (RFC 6749 §6), so a
 *   step-up would end in "403 after trying upscoping" (typescript-sdk#2255) instead of at the consent page.
 */
export class ChromiumAgent implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  stored: { tokens: OAuthTokens; expiresAt: number } | undefined;
  /** Every authorization URL the SDK sent the user to, in order. */
  readonly authorizations: URL[] = [];
  private verifier = '';
  private server: AuthorizationServerMetadata | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    readonly redirectUrl: string,
    readonly clientMetadata: OAuthClientMetadata,
    private readonly signIn: SignIn,
    readonly clientMetadataUrl?: string,
  ) {}

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.client = client;
  }

  tokens(): OAuthTokens | undefined {
    if (!this.stored) return undefined;
    const { tokens, expiresAt } = this.stored;
    if (Date.now() >= expiresAt - 1000) return tokens;
    const { refresh_token: _held, ...current } = tokens;
    return current;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.stored = { tokens, expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 };
  }

  saveDiscoveryState(state: { authorizationServerMetadata?: AuthorizationServerMetadata }): void {
    this.server = state.authorizationServerMetadata ?? this.server;
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    const scopes = (authorizationUrl.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    const mayAsk = (this.client as { scope?: string } | undefined)?.scope ?? this.clientMetadata.scope ?? '';
    if (
      this.server?.scopes_supported?.includes('offline_access') &&
      mayAsk.split(' ').includes('offline_access') &&
      !scopes.includes('offline_access')
    ) {
      authorizationUrl.searchParams.set('scope', [...scopes, 'offline_access'].join(' '));
    }
    this.authorizations.push(authorizationUrl);
    this.pending = this.signIn(authorizationUrl);
    // Settled by `authorizationCode()`; a failed sign-in must not be an unhandled rejection meanwhile.
    this.pending.catch(() => undefined);
  }

  /** The code of the sign-in the SDK started last (it then threw `UnauthorizedError`). */
  authorizationCode(): Promise<string> {
    if (!this.pending) throw new Error('no authorization was started');
    return this.pending;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}
