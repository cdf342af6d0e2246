import { createHmac } from 'node:crypto';

/** The token values a rotation issues for one presented refresh token. */
export interface SuccessorValues {
  access: string;
  refresh: string;
}

/**
 * The successor pair of a refresh token, derived rather than drawn at random (RFC 9700 §4.14.2):
 * `HMAC-SHA256(k, label || 0x00 || presented)`, base64url (43 characters, like every random token),
 * with `k` a sub-key of the server `secret` and distinct labels for the access and the refresh token.
 *
 * Why: a client whose rotation response was lost retries with the old token. Deriving the pair lets
 * the server answer that retry with the very pair the first rotation stored — recomputed, then found
 * by its hash — so nothing is stored in clear and no second live branch of the grant is ever made.
 * Each value still carries 256 bits nobody can compute without the key. A process with another key
 * derives other values: then the stored successor is simply not found (see the grant).
 */
export class RefreshSuccessors {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    // A sub-key, so these MACs can never collide with the consent form's CSRF MACs under the same secret.
    this.key = createHmac('sha256', secret).update('nest-oauth2-provider refresh successor').digest();
  }

  /** The access and refresh token values that rotating `presented` issues. */
  derive(presented: string): SuccessorValues {
    return { access: this.mac('access', presented), refresh: this.mac('refresh', presented) };
  }

  private mac(label: string, presented: string): string {
    return createHmac('sha256', this.key).update(`${label}\0${presented}`).digest('base64url');
  }
}
