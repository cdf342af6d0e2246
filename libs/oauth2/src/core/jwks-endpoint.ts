import type { OAuthResponse } from './oauth-response';
import { respondOrError } from './error-response';
import type { SigningKeys } from './keys/signing-keys';

/**
 * `GET {prefix}/jwks` (RFC 7517 §5, advertised as `jwks_uri` per RFC 8414 §2): the public halves of
 * the next, active and retired keys. `Cache-Control: max-age` is `jwksMaxAge`, the same figure the
 * rotation waits before a published key signs, so no cache can miss a key that signs.
 */
export class JwksEndpoint {
  constructor(
    private readonly keys: SigningKeys,
    private readonly deps: { maxAge: number; realm: string; reportError?: (error: unknown) => void },
  ) {}

  handle(): Promise<OAuthResponse> {
    return respondOrError(
      async () => ({
        status: 200,
        headers: { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': `public, max-age=${this.deps.maxAge}` },
        body: await this.keys.jwks(),
      }),
      { realm: this.deps.realm, reportError: this.deps.reportError },
    );
  }
}
