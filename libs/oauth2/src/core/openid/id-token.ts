/**
 * ID tokens (OpenID Connect Core §2, §3.1.3.3), signed with the server's managed signing keys:
 * - the algorithm is the client's `id_token_signed_response_alg`, else RS256 (Registration §2), and
 *   must be one the server signs ID tokens with; the header's `typ` is `JWT`, never `at+jwt`, so an
 *   ID token can never pass for an RFC 9068 access token (RFC 8725 §3.11);
 * - `sub` is the subject this client sees (`subjectFor`: public or pairwise, §8), `aud` the client
 *   alone, so no `azp` is needed (§2);
 * - `auth_time`, `acr` and `amr` come from the sign-in the grant remembers, `auth_time` whenever the
 *   host reported it (§2 requires it after `max_age`; sending it always is allowed);
 * - `nonce` only on the code exchange, when the authorization request sent one (§3.1.3.6); never on
 *   refresh (§12.2);
 * - `at_hash` binds the access token of the same response: the left half of its hash, with the hash
 *   of the signing algorithm — SHA-256 for RS256 and ES256, SHA-512 for EdDSA over Ed25519, as
 *   relying-party libraries compute it (§3.1.3.6);
 * - with `claimsInIdToken`, the host's claims the granted scopes release are added, none of them able
 *   to replace a claim the server sets.
 */
import { createHash } from 'node:crypto';
import type { OAuthClient, OpenIdAuthentication, SigningAlgorithm } from '../../stores/models';
import type { SigningKeys } from '../keys/signing-keys';
import { InvalidGrantError, UnauthorizedClientError } from '../oauth.errors';
import type { ClaimsProvider } from './claims-provider';
import { OPENID_SCOPE, type OpenIdSettings } from './openid-settings';
import { releasedClaims } from './released-claims';
import { subjectFor } from './subject';

/** The `typ` of an ID token's header (RFC 7519 §5.1); distinct from the `at+jwt` of access tokens. */
export const ID_TOKEN_TYP = 'JWT';

/** The algorithm of an ID token when the client registered none (OpenID Connect Registration §2). */
export const DEFAULT_ID_TOKEN_ALG: SigningAlgorithm = 'RS256';

/** What one ID token is about. */
export interface IdTokenRequest {
  client: OAuthClient;
  userId: string;
  /** The sign-in the grant remembers (the code's, or the refresh token's). */
  authentication: OpenIdAuthentication;
  /** The scopes of the grant as this response grants them; the claims they release may be added. */
  scopes: readonly string[];
  /** The access token issued in the same response, for `at_hash`. */
  accessToken: string;
  now: Date;
  /** Whether to include the authorization request's `nonce`: on the code exchange only. */
  withNonce: boolean;
}

/** What issuing ID tokens needs. */
export interface IdTokenIssuerDeps {
  issuer: string;
  settings: OpenIdSettings;
  /** The managed keys; an ID token cannot be issued without them (the module always provides them). */
  keys: SigningKeys | undefined;
  /** The host's claims; without it an ID token carries no profile claims. */
  claims?: ClaimsProvider;
}

/** Signs the ID tokens of the token endpoint. */
export class IdTokenIssuer {
  constructor(private readonly deps: IdTokenIssuerDeps) {}

  /**
   * Whether a response of this grant carries an ID token: the grant remembers a sign-in (it began as
   * an OpenID Connect request) and its scopes, as granted now, still include `openid`.
   */
  applies(authentication: OpenIdAuthentication | null | undefined, scopes: readonly string[]): authentication is OpenIdAuthentication {
    return authentication !== null && authentication !== undefined && scopes.includes(OPENID_SCOPE);
  }

  /**
   * The algorithm of this client's ID tokens; `unauthorized_client` when it registered one the server
   * no longer signs ID tokens with (the relying party would refuse any other).
   */
  algorithmFor(client: Pick<OAuthClient, 'idTokenSignedResponseAlg'>): SigningAlgorithm {
    const alg = client.idTokenSignedResponseAlg ?? DEFAULT_ID_TOKEN_ALG;
    if (!this.deps.settings.idTokenSigningAlgorithms.includes(alg)) {
      throw new UnauthorizedClientError(
        `This client's id_token_signed_response_alg ${alg} is not an algorithm this server signs ID tokens with`,
      );
    }
    return alg;
  }

  /** The signed ID token. `invalid_grant` when the host says the user no longer exists. */
  async sign(request: IdTokenRequest): Promise<string> {
    const alg = this.algorithmFor(request.client);
    const keys = this.deps.keys;
    if (!keys) throw new Error('OpenID Connect needs signing keys for its ID tokens');
    const claims = await this.claims(request, alg);
    return keys.sign(alg, { typ: ID_TOKEN_TYP }, claims);
  }

  /** The claims of the ID token, before signing. */
  async claims(request: IdTokenRequest, alg: SigningAlgorithm): Promise<Record<string, unknown>> {
    const { settings } = this.deps;
    const { client, authentication: auth } = request;
    const claims: Record<string, unknown> = {};
    if (settings.claimsInIdToken) {
      const released = await releasedClaims(this.deps.claims, request.userId, request.scopes, client, settings);
      if (released === undefined) throw new InvalidGrantError('The user of this grant no longer exists');
      Object.assign(claims, released);
    }
    const iat = Math.floor(request.now.getTime() / 1000);
    // Set after the host's claims: these are the server's word.
    Object.assign(claims, {
      iss: this.deps.issuer,
      sub: subjectFor(client, request.userId, settings.pairwiseSalt),
      aud: client.id,
      exp: iat + settings.idTokenTtl,
      iat,
    });
    if (auth.authTime) claims.auth_time = Math.floor(auth.authTime.getTime() / 1000);
    if (request.withNonce && auth.nonce !== undefined) claims.nonce = auth.nonce;
    if (auth.acr !== undefined) claims.acr = auth.acr;
    if (auth.amr?.length) claims.amr = [...auth.amr];
    claims.at_hash = tokenHash(request.accessToken, alg);
    return claims;
  }
}

/**
 * `at_hash` (Core §3.1.3.6): base64url of the left-most half of the hash of the token's ASCII octets,
 * the hash being that of the JWS algorithm (SHA-256 for RS256/ES256; EdDSA signs Ed25519 with SHA-512).
 */
export function tokenHash(token: string, alg: SigningAlgorithm): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(token, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
