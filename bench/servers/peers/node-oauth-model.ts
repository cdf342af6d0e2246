import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An in-memory model for @node-oauth/oauth2-server v5, written the way its documentation shows:
 * client secrets kept as SHA-256 and compared in constant time (as ours are), tokens and codes in Maps.
 */
export interface PeerClient {
  id: string;
  secretHash: Buffer;
  grants: string[];
  redirectUris: string[];
  scopes: string[];
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

export class InMemoryOAuthModel {
  readonly clients = new Map<string, PeerClient>();
  readonly accessTokens = new Map<string, any>();
  readonly refreshTokens = new Map<string, any>();
  readonly codes = new Map<string, any>();

  /** Registers a client and returns its secret (shown once). */
  addClient(id: string, grants: string[], redirectUris: string[] = []): string {
    const secret = randomBytes(32).toString('base64url');
    this.clients.set(id, { id, secretHash: sha256(secret), grants, redirectUris, scopes: ['profile', 'offline_access'] });
    return secret;
  }

  async getClient(clientId: string, clientSecret: string | null) {
    const client = this.clients.get(clientId);
    if (!client) return undefined;
    if (clientSecret !== null && clientSecret !== undefined) {
      if (!timingSafeEqual(sha256(clientSecret), client.secretHash)) return undefined;
    }
    return { id: client.id, grants: client.grants, redirectUris: client.redirectUris, scopes: client.scopes };
  }

  async getUserFromClient(client: { id: string }) {
    return { id: `client:${client.id}` };
  }

  async validateScope(_user: unknown, client: { scopes: string[] }, scope?: string[]) {
    const requested = scope ?? ['profile'];
    return requested.every((s) => client.scopes.includes(s)) ? requested : false;
  }

  async saveToken(token: any, client: any, user: any) {
    const saved = { ...token, client, user };
    this.accessTokens.set(token.accessToken, saved);
    if (token.refreshToken) this.refreshTokens.set(token.refreshToken, saved);
    return saved;
  }

  async getAccessToken(accessToken: string) {
    return this.accessTokens.get(accessToken);
  }

  async verifyScope(token: { scope?: string[] }, scope: string[]) {
    return scope.every((s) => token.scope?.includes(s));
  }

  async getRefreshToken(refreshToken: string) {
    return this.refreshTokens.get(refreshToken);
  }

  async revokeToken(token: { refreshToken: string }) {
    return this.refreshTokens.delete(token.refreshToken);
  }

  async getAuthorizationCode(code: string) {
    return this.codes.get(code);
  }

  async saveAuthorizationCode(code: any, client: any, user: any) {
    const saved = { ...code, client, user };
    this.codes.set(code.authorizationCode, saved);
    return saved;
  }

  async revokeAuthorizationCode(code: { authorizationCode: string }) {
    return this.codes.delete(code.authorizationCode);
  }
}
