import type { OAuthClient } from '../../stores/models';

/**
 * Where OpenID Connect finds what it says about a user (OpenID Connect Core §5.1): the host returns
 * every claim it is willing to release for `userId`, and the server keeps only those the granted
 * scopes cover (`profile`, `email`, `address`, `phone`, and any scope mapped in `openid.scopeClaims`)
 * before they reach an ID token or the UserInfo response. `sub` is never taken from here.
 * Pass the class as `openid.claims` in the module options; Nest instantiates it, so it may inject the
 * host's own services.
 * @publicApi
 * @example
 * @Injectable()
 * export class ShiftClaims extends ClaimsProvider {
 *   constructor(private readonly users: UsersService) { super(); }
 *   async claims(userId: string) {
 *     const user = await this.users.find(userId);
 *     return user && { name: user.name, email: user.email, email_verified: true };
 *   }
 * }
 */
export abstract class ClaimsProvider {
  /**
   * The user's claims by their standard names (`name`, `email`, `email_verified`, `address`…), or
   * undefined when the user no longer exists (UserInfo then answers `invalid_token`). `scopes` and
   * `client` are the grant's, for a host that releases less to some clients.
   */
  abstract claims(
    userId: string,
    scopes: readonly string[],
    client: Pick<OAuthClient, 'id' | 'name'>,
  ): Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
}
