import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PublicJwk, SigningAlgorithm, SigningKey, SigningKeyState } from '../models';
import { epochMillis } from './column-transformers';

/** The public JWK as JSON text: a `json` column type differs on each database, `text` does not. */
const jsonJwk = {
  to: (value: PublicJwk | undefined) => (value === undefined ? value : JSON.stringify(value)),
  from: (value: string) => JSON.parse(value) as PublicJwk,
};

/**
 * Row of `oauth_signing_keys`: one key that signs (or signed) JWT access tokens (RFC 9068). The
 * private half is sealed under the key-encryption key with the kid as associated data, so the row
 * alone opens nothing, and a sealed key copied into another row does not open either.
 * @publicApi
 */
@Entity({ name: 'oauth_signing_keys' })
export class OAuthSigningKeyEntity {
  /** The RFC 7638 thumbprint (43 base64url characters for SHA-256). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: SigningAlgorithm;

  @Column({ type: 'varchar', length: 16 })
  state!: SigningKeyState;

  @Column({ name: 'public_jwk', type: 'text', transformer: jsonJwk })
  publicJwk!: PublicJwk;

  /** Sealed (AES-256-GCM under the key-encryption key), or an external signer's reference. */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'bigint', nullable: true, transformer: epochMillis })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'bigint', nullable: true, transformer: epochMillis })
  retiredAt!: Date | null;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  expiresAt!: Date | null;

  /** The row for a domain key. */
  static fromModel(key: SigningKey): OAuthSigningKeyEntity {
    return Object.assign(new OAuthSigningKeyEntity(), key);
  }

  /** The domain key of this row. */
  toModel(): SigningKey {
    const { kid, alg, state, publicJwk, privateKey, createdAt, activatedAt, retiredAt, expiresAt } = this;
    return { kid, alg, state, publicJwk, privateKey, createdAt, activatedAt, retiredAt, expiresAt };
  }
}
