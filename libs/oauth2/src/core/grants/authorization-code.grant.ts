import type { CodeStore } from '../../stores/code.store';
import type { ConsentStore } from '../../stores/consent.store';
import type { TokenStore } from '../../stores/token.store';
import type { Clock } from '../clock';
import type { TokenCache } from '../token-cache';
import { revokeFamily } from '../tokens/revoke-family';
import { InvalidGrantError, InvalidRequestError } from '../oauth.errors';
import type { AuthenticatedClient } from '../protocol/client-authentication';
import { isPkceValue, verifyPkce } from '../protocol/pkce';
import { isRedirectUriRegistered } from '../protocol/redirect-uri';
import { grantAudience, resourceParams } from '../protocol/resource-targets';
import { hashSecret } from '../protocol/credentials';
import { singleValuedParams } from '../protocol/single-valued-params';
import { hashPrefix, type SecurityEventReporter } from '../security-events';
import type { Grant, TokenResponseBody } from './grant';
import type { TokenIssuer } from '../tokens/token-issuer';
import type { IdTokenIssuer } from '../openid/id-token';

/** What the authorization_code grant needs. @publicApi */
export interface AuthorizationCodeGrantDeps {
  codes: CodeStore;
  tokens: TokenStore;
  consents: ConsentStore;
  issuer: TokenIssuer;
  clock: Clock;
  /** Evicts a family revoked on code replay from this instance at once. */
  cache?: TokenCache;
  /** Told about another client's code presented here (ids and a hash prefix only). */
  reportSecurityEvent?: SecurityEventReporter;
  /** Signs ID tokens; present when OpenID Connect is on. */
  idTokens?: IdTokenIssuer;
}

/**
 * The authorization_code grant (RFC 6749 §4.1.3):
 * - the code is consumed atomically, once, across instances (`CodeStore.consume`); a replay revokes
 *   every token issued from it (§4.1.2, RFC 9700 §4.2.4) and fails with `invalid_grant`, and so does
 *   the winning request when a replay raced its token save (`CodeStore.isReplayed`);
 * - a code issued to another client is refused by the same conditional write, so it changes nothing: the
 *   owner can still redeem it and no replay is recorded (§4.1.3 only asks to refuse it; burning it
 *   would let anyone who saw the code break the owner's login). A security event is reported;
 * - the code must belong to the authenticated client, and `redirect_uri` must repeat the
 *   authorization request's exactly when that request had one (§4.1.3);
 * - PKCE: the verifier must match the stored challenge (RFC 7636 §4.6); a verifier sent for a code
 *   issued without a challenge is refused too (downgrade defence, RFC 9700 §2.1.1);
 * - resource indicators (RFC 8707 §2.2): at most one `resource`, one of the code's resources, is the
 *   access token's audience; without one, the code's first resource (the first the authorization
 *   request named). The access token carries the granted scopes that go with that audience; the
 *   refresh token keeps every resource and scope of the grant, so it can mint a token for any of them.
 *   A malformed or repeated `resource` is refused before the code is consumed; one the grant does not
 *   cover is only known after, and costs the code like any other invalid_grant-class mistake;
 * - OpenID Connect (Core §3.1.3.3): a code of an `openid` request, which remembers its sign-in, adds
 *   an `id_token` bound to the access token (`at_hash`) and to the request's `nonce`; its refresh
 *   token keeps the sign-in for the ID tokens of later refreshes. It is signed before anything is
 *   saved, so a signing failure stores no token.
 */
export class AuthorizationCodeGrant implements Grant {
  readonly grantType = 'authorization_code' as const;

  constructor(private readonly deps: AuthorizationCodeGrantDeps) {}

  async handle(body: Readonly<Record<string, unknown>>, { client }: AuthenticatedClient): Promise<TokenResponseBody> {
    const params = singleValuedParams(body, ['code', 'redirect_uri', 'code_verifier']);
    if (params.code === undefined) throw new InvalidRequestError('The code parameter is required');
    const resource = this.deps.issuer.resourceParam(resourceParams(body));
    if (params.code_verifier !== undefined && !isPkceValue(params.code_verifier)) {
      throw new InvalidRequestError('code_verifier must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.1)');
    }
    const now = this.deps.clock.now();
    const codeHash = hashSecret(params.code);
    const found = await this.deps.codes.consume(codeHash, now, client.id);
    if (found.outcome === 'foreign') {
      this.deps.reportSecurityEvent?.(
        `authorization code ${hashPrefix(codeHash)}… of client ${found.code.clientId} presented by client ${client.id}: refused, code unchanged`,
      );
      throw new InvalidGrantError('The authorization code was issued to another client');
    }
    if (found.outcome === 'invalid') throw new InvalidGrantError('The authorization code is invalid or expired');
    if (found.outcome === 'replayed') {
      await revokeFamily(this.deps.tokens, this.deps.cache, found.code.grantId, now);
      throw new InvalidGrantError('The authorization code was already used; the tokens issued from it are revoked');
    }
    const code = found.code;
    if (code.redirectUri !== null ? params.redirect_uri !== code.redirectUri : !redirectAllowed(params.redirect_uri, client)) {
      throw new InvalidGrantError('The redirect_uri does not match the authorization request (RFC 6749 §4.1.3)');
    }
    if (code.codeChallenge !== null) {
      if (params.code_verifier === undefined) throw new InvalidGrantError('The code_verifier is required (RFC 7636 §4.5)');
      if (!verifyPkce(params.code_verifier, code.codeChallenge, code.codeChallengeMethod ?? 'plain')) {
        throw new InvalidGrantError('The code_verifier does not match the code_challenge (RFC 7636 §4.6)');
      }
    } else if (params.code_verifier !== undefined || client.secretHash === null) {
      throw new InvalidGrantError('This code was issued without PKCE, so no code_verifier is expected');
    }

    const audience = grantAudience(resource, code.resources);
    const idTokens = this.deps.idTokens;
    const openid = idTokens?.applies(code.openid, code.scopes) ? code.openid : undefined;
    const minted = await this.deps.issuer.mint({
      client,
      userId: code.userId,
      scopes: this.deps.issuer.scopesFor(client, code.scopes, audience),
      refreshScopes: code.scopes,
      audience,
      grantResources: code.resources,
      grantId: code.grantId,
      parentId: null,
      withRefresh: this.deps.issuer.mayRefresh(client, code.scopes),
      now,
      openid,
    });
    if (idTokens && openid) {
      minted.response.id_token = await idTokens.sign({
        client,
        userId: code.userId,
        authentication: openid,
        scopes: code.scopes,
        accessToken: minted.response.access_token,
        now,
        withNonce: true,
      });
    }
    await this.deps.tokens.save(minted.tokens);
    // A replay revokes the grant right after `consume` marked it replayed, but its revokeGrant may run
    // before this save commits and so miss these tokens. Hence this read, after the save committed.
    // If the replay's revokeGrant statement missed our rows, our save committed after that statement
    // began, so after the replay mark committed (the replayer awaits the mark first); this read begins
    // after our save committed, so it sees the mark. Either the replay revoked our tokens or we do:
    // no interleaving leaves them live, under READ COMMITTED, without a cross-store transaction.
    if (await this.deps.codes.isReplayed(codeHash)) {
      await revokeFamily(this.deps.tokens, this.deps.cache, code.grantId, now);
      throw new InvalidGrantError('The authorization code was used twice; the tokens issued from it are revoked');
    }
    await this.deps.consents.touch(code.userId, client.id, now);
    return minted.response;
  }
}

/** When the authorization request omitted redirect_uri, a token request may still name a registered one. */
function redirectAllowed(given: string | undefined, client: AuthenticatedClient['client']): boolean {
  return given === undefined || isRedirectUriRegistered(client.redirectUris, given, client.applicationType);
}
